"""The WhatsApp corpus (tests/channels/corpus/whatsapp.py) through the real webhook route,
signed with the app secret, against the fake Graph API: each payload's replies (or silence),
whether the engine recorded its messages, and what became of the chat's dialog. Every case
on SQLite, the representative subset on PostgreSQL; one database per backend for the
module, a number of its own for each case.
"""

from __future__ import annotations

import json

import pytest

from bot import texts
from tests.fakes.graph_api import sign

from .corpus import whatsapp as corpus
from .corpus.cases import Case, ids, on_postgresql, run
from .corpus.rig import WHATSAPP_PATH, Rig

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("corpus_rig", ["sqlite"], indirect=True)
@pytest.mark.parametrize("case", ids(corpus.CASES))
async def test_each_payload_shape_gets_its_reply_and_is_stored_as_it_should(corpus_rig: Rig, case: Case) -> None:
    corpus_rig.reset()
    await run(corpus_rig, corpus.new_chat(corpus_rig.graph_api, corpus_rig.clock), case, corpus.update_ids)


@pytest.mark.parametrize("corpus_rig", ["postgresql"], indirect=True)
@pytest.mark.parametrize("case", on_postgresql(corpus.CASES))
async def test_the_representative_shapes_on_postgresql(corpus_rig: Rig, case: Case) -> None:
    corpus_rig.reset()
    await run(corpus_rig, corpus.new_chat(corpus_rig.graph_api, corpus_rig.clock), case, corpus.update_ids)


@pytest.mark.parametrize("corpus_rig", ["sqlite"], indirect=True)
async def test_one_payload_from_two_citizens_answers_each_in_their_own_chat(corpus_rig: Rig) -> None:
    corpus_rig.reset()
    first, second = (corpus.new_chat(corpus_rig.graph_api, corpus_rig.clock) for _ in range(2))
    one = corpus.value(first, contacts=[corpus.contact(first), corpus.contact(second)], messages=[
        corpus.item(first, "text", {"body": "halo"}),
        corpus.item(second, "sticker", {"mime_type": "image/webp", "sha256": "eA==", "id": "78", "animated": False}),
    ])
    two = corpus.value(second, contacts=[corpus.contact(second)], messages=[corpus.item(second, "text", {
        "body": "selokan di jl. kalibokor mampet, air naik ke rumah warga"})])
    body = corpus.payload(one, two)
    sent = await corpus_rig.whatsapp(body)
    assert [s.to for s in sent][:1] == [first.sender] and texts.UNSUPPORTED in [s.text for s in sent]
    assert {s.to for s in sent} == {first.sender, second.sender}
    assert [s.text for s in sent if s.to == second.sender][0] == texts.UNSUPPORTED  # in the payload's order
    for wamid in corpus.update_ids(body):
        assert await corpus_rig.recorded("whatsapp", wamid)
    assert await corpus_rig.dialog("whatsapp", first.sender) is None
    assert (await corpus_rig.dialog("whatsapp", second.sender))["mode"] == "intake"


@pytest.mark.parametrize("corpus_rig", ["sqlite"], indirect=True)
async def test_a_payload_signed_with_another_secret_changes_nothing(corpus_rig: Rig) -> None:
    corpus_rig.reset()
    chat = corpus.new_chat(corpus_rig.graph_api, corpus_rig.clock)
    body = corpus.message(chat, "text", {"body": "mau lapor jalan rusak"})
    raw = json.dumps(body).encode()
    response = await corpus_rig.http.post(WHATSAPP_PATH, content=raw, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": sign("bukan-rahasia-kami", raw)})
    assert response.status_code == 401
    assert corpus_rig.graph_api.sent == [] and not await corpus_rig.recorded("whatsapp", corpus.update_ids(body)[0])


@pytest.mark.parametrize("corpus_rig", ["sqlite"], indirect=True)
async def test_the_corpus_covers_every_message_type_of_the_reference(corpus_rig: Rig) -> None:
    kinds = {m["type"] for c in corpus.CASES for m in _messages(c, corpus_rig)}
    assert {"text", "image", "document", "audio", "video", "sticker", "location", "contacts", "interactive",
            "button", "order", "unsupported", "reaction", "ephemeral", "request_welcome", "system", "edit",
            "revoke"} <= kinds
    assert len({c.id for c in corpus.CASES}) == len(corpus.CASES)


def _messages(case: Case, corpus_rig: Rig) -> list[dict]:
    built = case.build(corpus.new_chat(corpus_rig.graph_api, corpus_rig.clock))
    return [m for e in built.get("entry", []) for c in e.get("changes", []) for m in c["value"].get("messages", [])]
