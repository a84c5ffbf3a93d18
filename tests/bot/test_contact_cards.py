"""A contact card (bot/contacts.py), on SQLite and PostgreSQL: at the contact question its
number may become the reporter's phone once the citizen confirms it; anywhere else it is
refused plainly, nothing of it is kept, and the question that waits is asked again."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from aduan.bootstrap import bootstrap
from aduan.settings import Settings
from bot import texts
from bot.buttons import CardPhone
from bot.contacts import readable
from bot.messages import IncomingMessage, Kind, Profile
from tests.chat_harness import CODE, Citizen, Clock, stored

DEMO = Path(__file__).resolve().parents[2] / "aduan" / "demo" / "organisation.yaml"
COMPLETE = "lampu jalan di gang 5 Kebraon mati sejak kemarin"
CARD = "+6281234567890"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
async def phone_app(engine, tmp_path):
    """The demo organisation, asking for a phone number where the channel gives none."""
    spec = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    spec["intake"] = {"phone_required": True}
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return await bootstrap(Settings(organisation_file=path), db=engine, migrate=False)


class Telegram(Citizen):
    async def send(self, text=None, *, button=None, location=None, media=None):
        msg = IncomingMessage("telegram", self.sender, text=text, button=button, location=location, media=media,
                              profile=Profile(name="Budi Santoso"))
        self.replies = await self.app.conversation.handle(msg, self.clock())
        self.clock.advance(seconds=20)
        return self.replies

    async def card(self, phone: str | None) -> str:
        msg = IncomingMessage("telegram", self.sender, kind=Kind.CONTACT, contact_phone=phone)
        self.replies = await self.app.conversation.handle(msg, self.clock())
        self.clock.advance(seconds=20)
        return self.last

    async def state(self) -> dict:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get("telegram", self.sender)
        return record.state if record else {}


async def at_the_contact_question(citizen: Telegram) -> None:
    await citizen.says(COMPLETE)
    asked = await citizen.presses("confirm:send")
    assert texts.ASK_CONTACT in asked, asked


async def test_at_the_contact_question_a_card_asks_to_use_its_number(phone_app, clock):
    citizen = Telegram(phone_app, clock)
    await at_the_contact_question(citizen)
    before = await citizen.state()
    asked = await citizen.card(CARD)
    assert asked == texts.ASK_CARD_PHONE.format(phone="+62 812-3456-7890")
    assert citizen.buttons == [CardPhone(CARD).encode(), CardPhone(None).encode()] == ["card:+6281234567890", "card:no"]
    assert await citizen.state() == before  # nothing is kept before the citizen says yes


async def test_yes_makes_the_cards_number_the_reporters_phone(phone_app, clock):
    citizen = Telegram(phone_app, clock)
    await at_the_contact_question(citizen)
    await citizen.card(CARD)
    receipt = await citizen.presses(CardPhone(CARD).encode())
    code = CODE.search(receipt).group(0)
    assert (await stored(phone_app, code)).complainant.phone == CARD


async def test_no_asks_for_the_number_again_and_a_typed_one_is_still_taken(phone_app, clock):
    citizen = Telegram(phone_app, clock)
    await at_the_contact_question(citizen)
    await citizen.card(CARD)
    assert texts.ASK_CONTACT in await citizen.presses(CardPhone(None).encode())
    code = CODE.search(await citizen.says("0812-9999-8888")).group(0)
    assert (await stored(phone_app, code)).complainant.phone == "+6281299998888"


@pytest.mark.parametrize("phone", [None, "+62812"], ids=["no-number", "not-a-number"])
async def test_a_card_without_a_usable_number_is_refused_and_the_question_asked_again(phone_app, clock, phone):
    citizen = Telegram(phone_app, clock)
    await at_the_contact_question(citizen)
    before = await citizen.state()
    assert await citizen.card(phone) == f"{texts.CONTACT_CARD_REFUSED}\n{texts.ASK_CONTACT}"
    assert await citizen.state() == before


async def test_a_card_elsewhere_is_refused_and_the_draft_is_unchanged(app, clock):
    citizen = Telegram(app, clock)
    assert await citizen.card(CARD) == texts.CONTACT_CARD_REFUSED  # idle: nothing is started
    assert await citizen.state() == {}
    await citizen.says("sampah numpuk di depan pasar wonokromo")  # no date: the date is asked
    before = await citizen.state()
    assert before["step"] == "date"
    assert await citizen.card(CARD) == f"{texts.CONTACT_CARD_REFUSED}\n{texts.ASK_DATE}"
    assert "card:+6281234567890" not in citizen.buttons
    assert await citizen.state() == before


def test_a_number_reads_as_people_write_it():
    assert readable("+6281234567890") == "+62 812-3456-7890"
    assert readable("+6531234567") == "+6531234567"
