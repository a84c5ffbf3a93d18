"""After filing: the complainant's own cases. Status checks and their list, the answer to
an officer's question, what they add later ("tambahan: …", a photo, a voice note), their
rating (by button or in their own words, with the reason) and SKM score, and questions
about why their case is where it is."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from complaints import tracking
from complaints.errors import DomainError, NotAuthorised, NotFound
from complaints.escalation import TOP, reopen_level
from complaints.model import Complaint
from complaints.usecases import filing, followup, supplement, supporting
from nlu import Parse

from . import texts
from .buttons import Rate, Skm
from .messages import Media
from .render.case import explain
from .render.citizen import my_complaints, skm_buttons, status_view
from .render.labels import shorten, status_label
from .state import AwaitingCode
from .turn import Turn


async def answer_to_officer(turn: Turn, evidence: list[Media]) -> bool:
    """A message from someone whose complaint waits for their answer is that answer."""
    waiting = await followup.waiting_for(turn.uow, turn.msg.channel, turn.msg.sender)
    if waiting is None:
        return False
    await followup.provide_info(turn.ctx, turn.uow, waiting, turn.text, evidence, turn.now)
    turn.say(texts.INFO_FORWARDED.format(code=waiting.code))
    return True


async def add_to_case(turn: Turn, evidence: list[Media], *, text_only: bool) -> bool:
    """"Tambahan: …" or a file sent soon after filing, with no draft under way: it belongs
    to the sender's newest open case, and goes there (the unit is told)."""
    check = tracking.find_in_text(turn.text) if turn.text else None
    case: Complaint | None = None
    if check is not None and check.ok and check.code:
        found = await turn.uow.complaints.get(check.code)
        if found is not None and found.owner != turn.owner_id and found.supporter(turn.owner_id) is not None:
            return await _add_as_supporter(turn, found, evidence)
        case = found if found is not None and found.owner == turn.owner_id else None
    if case is None:
        within = None if text_only else supplement.BELONGS_WITHIN
        case = await supplement.latest_open(turn.uow, turn.msg.channel, turn.msg.sender, turn.now, within)
    if case is None:
        backed = await supporting.latest_open(turn.uow, turn.msg.channel, turn.msg.sender) if text_only else None
        return backed is not None and await _add_as_supporter(turn, backed, evidence)
    await supplement.add(turn.ctx, turn.uow, case, turn.text, evidence, turn.now)
    what = texts.MEDIA_KIND.get(evidence[0].kind, "berkas") if evidence else texts.ADDED_TEXT
    turn.say(texts.ADDED_TO_CASE.format(what=what, code=case.code))
    return True


async def _add_as_supporter(turn: Turn, case: Complaint, evidence: list[Media]) -> bool:
    await supporting.add(turn.ctx, turn.uow, case.code, turn.owner_id, turn.text, evidence,
                         turn.now)
    what = texts.MEDIA_KIND.get(evidence[0].kind, "berkas") if evidence else texts.ADDED_TEXT
    turn.say(texts.SUPPORTER_ADDED.format(what=what, code=case.code))
    return True


def reason_of(parse: Parse) -> str | None:
    found = parse.entity("reason")
    return str(found.value).strip() or None if found is not None and found.value else None


async def rating_by_text(turn: Turn, satisfied: bool, reason: str | None) -> bool:
    candidates = await followup.awaiting_rating(turn.uow, turn.msg.channel, turn.msg.sender)
    if not candidates:
        return False
    if len(candidates) > 1:
        turn.say(texts.WHICH_TO_RATE)
        return True
    await rate(turn, candidates[0].code, satisfied, reason)
    return True


async def score_by_text(turn: Turn, score: int) -> bool:
    """"nilai 4" after rating: the SKM score of the complaint that still lacks one."""
    mine = await filing.list_for_sender(turn.uow, turn.msg.channel, turn.msg.sender)
    waiting = [c for c in mine if c.satisfied is not None and c.skm_score is None]
    if len(waiting) != 1 or score not in texts.SKM_LABELS:
        return False
    await rating_button(turn, Skm(waiting[0].code, score))
    return True


async def rating_button(turn: Turn, button: Rate | Skm) -> None:
    code = button.code
    try:
        match button:
            case Rate(satisfied=satisfied):
                await rate(turn, code, satisfied, None)
            case Skm(score=score):
                await followup.score(turn.ctx, turn.uow, code, turn.complainant, score, turn.now)
                turn.say(texts.SKM_THANKS.format(label=texts.SKM_LABELS[score]))
    except (NotFound, NotAuthorised):
        turn.say(texts.STALE_BUTTON)
    except DomainError as error:
        if error.code == "not_scoreable":
            turn.say(texts.ALREADY_SCORED.format(code=code))
        else:
            turn.say(texts.NOT_RATEABLE.format(code=code, status=status_label(error.params["status"])))


async def rate(turn: Turn, code: str, satisfied: bool, reason: str | None) -> None:
    try:
        complaint = await followup.rate(turn.ctx, turn.uow, code, turn.complainant, satisfied, turn.now,
                                        reason=reason)
    except NotAuthorised:  # not the complainant's: a supporter's own verdict (else NotAuthorised again)
        await supporting.rate(turn.uow, code, turn.owner_id, satisfied, turn.now)
        turn.say(texts.SUPPORTER_RATED.format(code=code))
        return
    kept = [texts.RATED_REASON_KEPT.format(reason=shorten(reason, 80))] if reason else []
    if satisfied:
        turn.say("\n".join([texts.RATED_SATISFIED.format(code=code), *kept]), skm_buttons(code))
        return
    level = reopen_level(complaint.reopen_count)
    unit = turn.ctx.unit_of(complaint)
    turn.say("\n".join([
        texts.RATED_UNSATISFIED.format(code=code, level=texts.LEVEL_AUDIENCE[level], unit=unit.name),
        *kept,
        texts.NEXT_STEP_ATASAN if level < TOP else texts.NEXT_STEP_OMBUDSMAN.format(code=code),
    ]))


async def check_status(turn: Turn, *, awaiting_code: bool = False) -> None:
    check = tracking.find_in_text(turn.text)
    if check is None and awaiting_code:  # the reply to "which code?": all of it is the code
        check = tracking.parse(turn.text)
    if check is None:
        turn.state = AwaitingCode()
        turn.say(texts.ASK_CODE)
        return
    if check.problem is not None:
        turn.say(texts.CODE_PROBLEMS[check.problem].format(typed=shorten(check.typed, 30)))
        return
    complaint = await turn.uow.complaints.get(check.code or "")
    if complaint is None:
        turn.say(texts.CODE_NOT_FOUND.format(code=check.code))
        return
    view = turn.ctx.view(turn.complainant, complaint)  # another chat reads the status only
    turn.say(status_view(view, turn.ctx.org.units.get(complaint.unit_id or "")))


async def list_mine(turn: Turn, tz: ZoneInfo) -> None:
    mine = await filing.list_for_sender(turn.uow, turn.msg.channel, turn.msg.sender)
    backed = await supporting.supported_by(turn.uow, turn.msg.channel, turn.msg.sender)
    if not mine and not backed:
        turn.say(texts.NO_COMPLAINTS)
        return
    lines = [my_complaints([turn.ctx.view(turn.complainant, c) for c in mine], tz)] if mine else []
    if backed:
        listed = my_complaints([turn.ctx.view(turn.complainant, c) for c in backed], tz).splitlines()
        lines.append("\n".join([texts.MY_SUPPORTED_HEADER, *listed[1:]]))
    turn.say("\n\n".join(lines))


async def explain_case(turn: Turn, tz: ZoneInfo) -> None:
    """"Kok laporan saya ditolak?": the case named, or the sender's newest, explained from
    its history as the complainant may see it."""
    check = tracking.find_in_text(turn.text)
    complaint: Complaint | None = None
    if check is not None and check.ok and check.code:
        complaint = await turn.uow.complaints.get(check.code)
    if complaint is None:
        mine = await filing.list_for_sender(turn.uow, turn.msg.channel, turn.msg.sender)
        complaint = mine[0] if mine else None
    if complaint is None:
        turn.say(texts.NO_CASE_TO_EXPLAIN)
        return
    unit = turn.ctx.org.units.get(complaint.unit_id or "")
    turn.say(explain(turn.ctx.view(turn.complainant, complaint), unit.timezone if unit else tz, unit))
