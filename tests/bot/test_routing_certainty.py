"""Who chose the category, and whether the admin is told to check it (issue 15): a
complaint the NLU is sure of is routed automatically; one it is unsure of is offered to the
citizen as buttons, and the verifier's notice says the choice is uncertain. On SQLite and
PostgreSQL."""

import pytest

from bot import texts
from complaints.taxonomy import Category, CategoryOrigin
from nlu.parser import RuleNlu
from tests.chat_harness import CODE, Citizen, Clock, RecordingSender, stored

UNSURE = "tiang di depan rumah saya di Wonokromo miring mau roboh"
SURE = "sampah numpuk di depan pasar wonokromo udah 3 hari"


@pytest.fixture
def clock():
    return Clock()


async def verifier_notice(app, clock) -> str:
    officers = RecordingSender()
    await app.relay({"console": officers}).drain(clock())
    (notice,) = [n.text for n in officers.sent if n.recipient == "admin-pusat"]
    return notice


def test_the_messages_are_what_the_tests_say() -> None:
    nlu, now = RuleNlu(), Clock()()
    assert nlu.parse(SURE, now).category_certain
    unsure = nlu.parse(UNSURE, now)
    assert not unsure.category_certain and len(unsure.category_ranking) >= 2


async def test_a_sure_category_is_routed_automatically_and_says_so(app, clock) -> None:
    citizen = Citizen(app, clock)
    await citizen.says(SURE)
    assert not any(b.startswith("service:") for b in citizen.buttons)
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)

    complaint = await stored(app, code)
    assert complaint.category is Category.SAMPAH and complaint.category_origin is CategoryOrigin.AUTOMATIC
    assert complaint.category_confidence is not None
    assert complaint.category_confidence >= RuleNlu().routing_threshold
    notice = await verifier_notice(app, clock)
    assert "Layanan dipilih otomatis" in notice and "belum pasti" not in notice
    assert f"keyakinan {round(complaint.category_confidence * 100)}%" in notice


async def test_an_unsure_category_is_asked_with_the_likeliest_three_and_flagged_to_the_verifier(app, clock) -> None:
    citizen = Citizen(app, clock)
    await citizen.says(UNSURE)
    for _ in range(3):  # answer when and where until the service is asked
        if any(b.startswith("service:") for b in citizen.buttons):
            break
        await citizen.says("kemarin" if "Kapan" in citizen.last else "Wonokromo")
    assert texts.ASK_SERVICE_CHOICES in citizen.last
    offered = [b.removeprefix("service:") for b in citizen.buttons if b.startswith("service:")]
    ranking = [c.value for c, _ in RuleNlu().parse(UNSURE, clock()).category_ranking]
    assert offered[:3] == ranking[:3]  # the NLU's likeliest three first
    await citizen.presses(f"service:{ranking[0]}")
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)

    complaint = await stored(app, code)
    assert complaint.category.value == ranking[0] and complaint.category_origin is CategoryOrigin.CITIZEN
    assert complaint.category_confidence is not None and complaint.category_confidence < RuleNlu().routing_threshold
    notice = await verifier_notice(app, clock)
    assert "Layanan belum pasti" in notice and "pelapor memilih sendiri" in notice
    assert f"keyakinan {round(complaint.category_confidence * 100)}%" in notice
