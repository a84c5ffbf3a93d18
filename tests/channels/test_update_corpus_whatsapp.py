"""The WhatsApp corpus (tests/channels/corpus/whatsapp.py) through the real webhook route,
signed with the app secret, against the fake Graph API: each payload's replies (or silence),
whether the engine recorded its messages, and what became of the chat's dialog. Every case
on SQLite, the representative subset on PostgreSQL; one database per backend for the
module, a number of its own for each case.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot import texts
from tests.fakes.graph_api import FakeGraphApi, sign
from tests.fakes.telegram_api import FakeTelegramApi

from .corpus import whatsapp as corpus
from .corpus.cases import Case, ids, on_postgresql, run
from .corpus.rig import WHATSAPP_PATH, Rig, rig_on

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def rig(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              telegram_api_server: FakeTelegramApi, graph_api_server: FakeGraphApi) -> AsyncIterator[Rig]:
    folder: Path = tmp_path_factory.mktemp(f"wa-corpus-{request.param}")
    async with rig_on(request.param, folder, telegram_api_server, graph_api_server) as shared:
        yield shared


@pytest.mark.parametrize("rig", ["sqlite"], indirect=True)
@pytest.mark.parametrize("case", ids(corpus.CASES))
async def test_each_payload_shape_gets_its_reply_and_is_stored_as_it_should(rig: Rig, case: Case) -> None:
    rig.reset()
    await run(rig, corpus.new_chat(rig.graph_api, rig.clock), case, corpus.update_ids)


@pytest.mark.parametrize("rig", ["postgresql"], indirect=True)
@pytest.mark.parametrize("case", on_postgresql(corpus.CASES))
async def test_the_representative_shapes_on_postgresql(rig: Rig, case: Case) -> None:
    rig.reset()
    await run(rig, corpus.new_chat(rig.graph_api, rig.clock), case, corpus.update_ids)


@pytest.mark.parametrize("rig", ["sqlite"], indirect=True)
async def test_one_payload_from_two_citizens_answers_each_in_their_own_chat(rig: Rig) -> None:
    rig.reset()
    first, second = (corpus.new_chat(rig.graph_api, rig.clock) for _ in range(2))
    one = corpus.value(first, contacts=[corpus.contact(first), corpus.contact(second)], messages=[
        corpus.item(first, "text", {"body": "halo"}),
        corpus.item(second, "sticker", {"mime_type": "image/webp", "sha256": "eA==", "id": "78", "animated": False}),
    ])
    two = corpus.value(second, contacts=[corpus.contact(second)], messages=[corpus.item(second, "text", {
        "body": "selokan di jl. kalibokor mampet, air naik ke rumah warga"})])
    body = corpus.payload(one, two)
    sent = await rig.whatsapp(body)
    assert [s.to for s in sent][:1] == [first.sender] and texts.UNSUPPORTED in [s.text for s in sent]
    assert {s.to for s in sent} == {first.sender, second.sender}
    assert [s.text for s in sent if s.to == second.sender][0] == texts.UNSUPPORTED  # in the payload's order
    for wamid in corpus.update_ids(body):
        assert await rig.recorded("whatsapp", wamid)
    assert await rig.dialog("whatsapp", first.sender) is None
    assert (await rig.dialog("whatsapp", second.sender))["mode"] == "intake"


@pytest.mark.parametrize("rig", ["sqlite"], indirect=True)
async def test_a_payload_signed_with_another_secret_changes_nothing(rig: Rig) -> None:
    rig.reset()
    chat = corpus.new_chat(rig.graph_api, rig.clock)
    body = corpus.message(chat, "text", {"body": "mau lapor jalan rusak"})
    raw = json.dumps(body).encode()
    response = await rig.http.post(WHATSAPP_PATH, content=raw, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": sign("bukan-rahasia-kami", raw)})
    assert response.status_code == 401
    assert rig.graph_api.sent == [] and not await rig.recorded("whatsapp", corpus.update_ids(body)[0])


@pytest.mark.parametrize("rig", ["sqlite"], indirect=True)
async def test_the_corpus_covers_every_message_type_of_the_reference(rig: Rig) -> None:
    kinds = {m["type"] for c in corpus.CASES for m in _messages(c, rig)}
    assert {"text", "image", "document", "audio", "video", "sticker", "location", "contacts", "interactive",
            "button", "order", "unsupported", "reaction", "ephemeral", "request_welcome", "system", "edit",
            "revoke"} <= kinds
    assert len({c.id for c in corpus.CASES}) == len(corpus.CASES)


def _messages(case: Case, rig: Rig) -> list[dict]:
    built = case.build(corpus.new_chat(rig.graph_api, rig.clock))
    return [m for e in built.get("entry", []) for c in e.get("changes", []) for m in c["value"].get("messages", [])]
