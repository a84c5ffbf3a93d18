"""Officers acting from their own chat: short commands and the buttons on case messages.

A message from a chat registered to an officer in the organisation file comes here
instead of the citizens' dialog. Every action goes through the same use cases as the
command line, so roles and units are checked in one place.
"""

from __future__ import annotations

from complaints import tracking
from complaints.errors import DomainError
from complaints.org import Officer
from complaints.taxonomy import Status
from complaints.usecases import casework, delivery, merging, signin
from complaints.visibility import with_delivery
from complaints.workflow import OPEN, note_required

from . import texts
from .buttons import ButtonData, CaseAction, OfficerAction, Refused, decode
from .render.errors import domain_error
from .render.labels import status_label
from .render.officer import case_detail, case_row
from .state import IDLE, OfficerNote
from .texts import support as support_texts
from .turn import Turn

# command word -> action; what follows the code is the note (or, for /disposisi, a unit id)
COMMANDS = {
    "/ambil": OfficerAction.TAKE,
    "/verifikasi": OfficerAction.VERIFY,
    "/disposisi": OfficerAction.DISPOSE,
    "/proses": OfficerAction.PROGRESS,
    "/tanya": OfficerAction.ASK,
    "/selesai": OfficerAction.RESOLVE,
    "/salurkan": OfficerAction.FORWARD,
    "/tolak": OfficerAction.REJECT,
    "/lihat": OfficerAction.SHOW,
    "/gabung": OfficerAction.MERGE,  # /gabung DUPLIKAT DIPERTAHANKAN
}
UNMERGE_WORDS = ("/pisahkan",)
# what the next message is asked for: the note, or (merging) the code of the case kept
ASK_NEXT = {**texts.OFFICER_ASK_NOTE, OfficerAction.MERGE: support_texts.MERGE_ASK_TARGET}
# the status each action moves a case to; TAKE assigns the case, SHOW only reads it
STATUS_OF = {
    OfficerAction.VERIFY: Status.DIVERIFIKASI,
    OfficerAction.DISPOSE: Status.DIDISPOSISIKAN,
    OfficerAction.PROGRESS: Status.DIPROSES,
    OfficerAction.ASK: Status.MENUNGGU_INFORMASI,
    OfficerAction.RESOLVE: Status.SELESAI,
    OfficerAction.FORWARD: Status.DISALURKAN,
    OfficerAction.REJECT: Status.DITOLAK,
}
LIST_WORDS = ("/daftar", "daftar")
LOGIN_WORDS = ("/masuk",)  # a one-time link to the web console
LIST_LIMIT = 50


def needs_note(action: OfficerAction, officer: Officer) -> bool:
    """Whether the workflow table wants a note from this officer for this action."""
    target = STATUS_OF.get(action)
    return target is not None and note_required(target, officer.role)


def command_word(text: str) -> str:
    """The command a message starts with: "/ambil@NamaBot LPR-..." gives "/ambil"."""
    return text.strip().partition(" ")[0].lower().split("@")[0]


def is_officer_command(text: str) -> bool:
    word = command_word(text)
    return word in COMMANDS or word == "/daftar" or word in UNMERGE_WORDS or word in LOGIN_WORDS


async def handle(turn: Turn, officer: Officer) -> None:
    """An officer's message (a command, a button, or the note a button asked for)."""
    msg = turn.msg
    if msg.button is not None:
        await _button(turn, officer, decode(msg.button))
        return
    text = turn.text.strip()
    pending = turn.state if isinstance(turn.state, OfficerNote) else None
    if pending is not None:
        turn.state = IDLE
    if pending is not None and text and not text.startswith("/"):
        await _act(turn, officer, pending.action, pending.code, text)
        return
    word, rest = command_word(text), text.partition(" ")[2]
    if word in LIST_WORDS:
        await _list(turn, officer)
    elif word in LOGIN_WORDS:
        issued = await signin.issue_link(turn.ctx, turn.uow, officer, turn.now)
        turn.say(texts.OFFICER_LOGIN_LINK.format(url=turn.ctx.login_url + issued.token))
    elif word in UNMERGE_WORDS:
        await _unmerge(turn, officer, rest.strip().partition(" ")[0])
    elif word in COMMANDS:
        action = COMMANDS[word]
        code_text, _, extra = rest.strip().partition(" ")
        await _act(turn, officer, action, code_text, extra.strip())
    else:
        turn.say(texts.OFFICER_HELP.format(name=officer.name))


async def _button(turn: Turn, officer: Officer, button: ButtonData | Refused) -> None:
    if not isinstance(button, CaseAction):  # a citizen's button, or none of ours (Refused)
        turn.say(texts.STALE_BUTTON)
        return
    if button.action is OfficerAction.MERGE or needs_note(button.action, officer):  # the next message is it
        _ask_note(turn, button.action, button.code)
        return
    await _act(turn, officer, button.action, button.code, "")


def _ask_note(turn: Turn, action: OfficerAction, code: str) -> None:
    turn.state = OfficerNote(action=action, code=code)
    turn.say(ASK_NEXT[action].format(code=code))


def _parse_code(turn: Turn, typed: str) -> str | None:
    """The tracking code typed, in its canonical form; None (and the officer told) if it is not one."""
    check = tracking.parse(typed) if typed else None
    if check is None or not check.ok or not check.code:
        turn.say(texts.OFFICER_BAD_CODE.format(typed=typed or "-"))
        return None
    return check.code


async def _act(turn: Turn, officer: Officer, action: OfficerAction, code_text: str, extra: str) -> None:
    code = _parse_code(turn, code_text)
    if code is None:
        return
    if action is OfficerAction.MERGE:
        await _merge(turn, officer, code, extra.partition(" ")[0])
        return
    if needs_note(action, officer) and not extra:
        _ask_note(turn, action, code)
        return
    ctx, now = turn.ctx, turn.now
    try:
        if action is OfficerAction.SHOW:
            complaint = await casework.get(turn.uow, code)
            view = ctx.visibility.require_staff_view(officer.actor, complaint)
            view = with_delivery(view, await delivery.undelivered(turn.uow, complaint))
            turn.say(case_detail(view, ctx.unit_of(complaint), ctx.policy))
            return
        if action is OfficerAction.TAKE:
            await casework.assign(ctx, turn.uow, code, officer, officer.actor, now)
            turn.say(texts.ASSIGNED.format(code=code, officer=officer.name))
            return
        dispose = action is OfficerAction.DISPOSE
        unit_id = (extra or None) if dispose else None
        change = await casework.change_status(
            ctx, turn.uow, code, STATUS_OF[action], officer.actor, now, "" if dispose else extra,
            unit_id=unit_id,
        )
    except DomainError as error:
        turn.say(domain_error(error))
        return
    turn.say(texts.STATUS_CHANGED.format(code=code, label=status_label(change.complaint.status)))


async def _list(turn: Turn, officer: Officer) -> None:
    """The open cases the officer may handle: their unit's once disposed; the admin's all."""
    ctx = turn.ctx
    scope = ctx.visibility.scope(officer.actor)
    found = await turn.uow.complaints.find(statuses=OPEN, scope=scope, limit=LIST_LIMIT)
    rows = [case_row(ctx.view(officer.actor, complaint)) for complaint in found]
    turn.say("\n".join([texts.OFFICER_LIST_HEADER, *rows]) if rows else texts.OFFICER_LIST_EMPTY)


async def _merge(turn: Turn, officer: Officer, code: str, into_text: str) -> None:
    """The case ``code`` is a duplicate of the one typed as ``into_text`` (none typed: ask which)."""
    if not into_text:
        _ask_note(turn, OfficerAction.MERGE, code)
        return
    into = _parse_code(turn, into_text)
    if into is None:
        return
    try:
        merged = await merging.merge(turn.ctx, turn.uow, code, into, officer.actor, turn.now)
    except DomainError as error:
        turn.say(domain_error(error))
        return
    turn.say(support_texts.MERGED_DONE.format(duplicate=merged.duplicate.code, kept=merged.kept.code))


async def _unmerge(turn: Turn, officer: Officer, code_text: str) -> None:
    """Undo the merge of the case typed: it is handled on its own again."""
    code = _parse_code(turn, code_text)
    if code is None:
        return
    try:
        result = await merging.unmerge(turn.ctx, turn.uow, code, officer.actor, turn.now)
    except DomainError as error:
        turn.say(domain_error(error))
        return
    turn.say(support_texts.UNMERGED_DONE.format(duplicate=result.duplicate.code, kept=result.kept.code,
                                                status=status_label(result.duplicate.status)))
