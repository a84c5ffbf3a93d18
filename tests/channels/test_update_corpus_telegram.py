"""The Telegram corpus (tests/channels/corpus/telegram.py) through the real webhook route,
with the secret token, against the fake Bot API: each update's replies (or silence), whether
the engine recorded it, and what became of the chat's dialog. Every case on SQLite, the
representative subset on PostgreSQL; one database per backend for the module, a chat of
its own for each case.
"""

from __future__ import annotations

import pytest

from bot import texts

from .corpus import telegram as corpus
from .corpus.cases import Case, ids, on_postgresql, run
from .corpus.rig import SECRET, TELEGRAM_PATH, Rig

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("corpus_rig", ["sqlite"], indirect=True)
@pytest.mark.parametrize("case", ids(corpus.CASES))
async def test_each_update_shape_gets_its_reply_and_is_stored_as_it_should(corpus_rig: Rig, case: Case) -> None:
    corpus_rig.reset()
    await run(corpus_rig, corpus.new_chat(corpus_rig.telegram_api, corpus_rig.clock), case, corpus.update_ids)


@pytest.mark.parametrize("corpus_rig", ["postgresql"], indirect=True)
@pytest.mark.parametrize("case", on_postgresql(corpus.CASES))
async def test_the_representative_shapes_on_postgresql(corpus_rig: Rig, case: Case) -> None:
    corpus_rig.reset()
    await run(corpus_rig, corpus.new_chat(corpus_rig.telegram_api, corpus_rig.clock), case, corpus.update_ids)


@pytest.mark.parametrize("corpus_rig", ["sqlite"], indirect=True)
async def test_the_corpus_covers_every_kind_of_reply(corpus_rig: Rig) -> None:
    said = {e for c in corpus.CASES for e in (c.replies or ()) if isinstance(e, str)}
    assert {texts.UNSUPPORTED, texts.PRIVATE_ONLY, texts.EDIT_NOT_TAKEN, texts.CONTACT_CARD_REFUSED,
            texts.LOCATION_INVALID, texts.STALE_BUTTON} <= said
    assert sum(1 for c in corpus.CASES if c.replies == ()) >= 20  # the silences
    assert len({c.id for c in corpus.CASES}) == len(corpus.CASES)


@pytest.mark.parametrize("corpus_rig", ["sqlite"], indirect=True)
async def test_a_wrong_secret_token_is_refused_before_any_update_is_read(corpus_rig: Rig) -> None:
    corpus_rig.reset()
    chat = corpus.new_chat(corpus_rig.telegram_api, corpus_rig.clock)
    update = chat.text("mau lapor jalan rusak")
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}):
        response = await corpus_rig.http.post(TELEGRAM_PATH, json=update, headers=headers)
        assert response.status_code == 401
    assert corpus_rig.telegram_api.sent == []
    assert not await corpus_rig.recorded("telegram", str(update["update_id"]))
