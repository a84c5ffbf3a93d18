"""The citizen's identity on a channel changed (a WhatsApp number change).

WhatsApp tells of it with a ``system`` message from the old number naming the new one. In
the engine's transaction, everything of the old chat follows the new one
(complaints.usecases.identity: the complaints filed, the cases supported, the phone kept
on them when it was the old number), and so does the dialog: a draft under way continues
from the new number, unless the new number has a dialog of its own (the new one wins).
The old chat's state becomes idle, so the engine deletes its row. Nothing is answered:
the notice is not something the citizen wrote, and the next message from the new number
finds everything there ("laporan saya" lists the cases).
"""

from __future__ import annotations

import logging

from complaints.phones import number_of_chat
from complaints.usecases.identity import ChatMove, Notes, move_chat

from . import state as dialog_state
from . import texts
from .sanitize import MAX_ID_LENGTH, clean_token
from .state import IDLE, Asking, Idle, ResumeOffered
from .turn import Turn

log = logging.getLogger(__name__)


async def number_changed(turn: Turn) -> None:
    """The sender now writes from ``turn.msg.new_sender``."""
    msg = turn.msg
    new = msg.new_sender
    if new is None or not new.strip() or clean_token(new) != new or len(new) > MAX_ID_LENGTH or new == msg.sender:
        log.warning("a %s number change without a usable new id was ignored", msg.channel)
        return
    move = ChatMove(msg.channel, msg.sender, new, number_of_chat(msg.sender), number_of_chat(new))
    moved = await move_chat(turn.uow, move, Notes(texts.CHAT_MOVED_NOTE, texts.CHAT_MOVED_SUPPORTER_NOTE), turn.now)
    await _move_dialog(turn, move)
    turn.state = IDLE  # the engine deletes the old chat's dialog
    log.info("a %s chat moved to a new id: %d complaints, %d supported cases", msg.channel, len(moved.owned),
             len(moved.supported))


async def _move_dialog(turn: Turn, move: ChatMove) -> None:
    """The old chat's dialog under the new id, unless the new id has one (it wins); a
    draft's phone that was the old number becomes the new one."""
    state = turn.state
    if isinstance(state, Idle) or await turn.uow.dialogs.get(move.channel, move.new, for_update=True) is not None:
        return
    if isinstance(state, Asking | ResumeOffered) and state.draft.contact is not None:
        state.draft.contact.phone = move.phone(state.draft.contact.phone)
    stored = dialog_state.dump(state)
    if stored is not None:
        await turn.uow.dialogs.put(move.channel, move.new, stored, turn.now)
