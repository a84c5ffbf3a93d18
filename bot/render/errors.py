"""The domain's refusals worded for the officer (chat, command line, API)."""

from __future__ import annotations

from complaints.errors import DomainError
from complaints.taxonomy import Role, Status
from complaints.workflow import TABLE

from ..texts import officer as texts
from ..texts.spam import SPAM_ERRORS
from ..texts.support import MERGE_ERRORS


def roles_allowed(target: Status) -> str:
    """Who may move a complaint into ``target``, read from the workflow table."""
    roles = {role for row in TABLE if row.target is target for role in row.roles} - {Role.SYSTEM}
    ordered = [texts.ROLE_LABELS[r] for r in (Role.ADMIN, Role.HEAD, Role.SUPERVISOR, Role.OFFICER, Role.COMPLAINANT)
               if r in roles]
    return ", ".join(ordered) or "-"


def domain_error(error: DomainError) -> str:
    """A refusal of the domain, worded for the officer (chat, command line, API)."""
    p = error.params
    code = p.get("code", "")
    if error.code == "illegal_transition":
        return texts.ERROR_ILLEGAL_TRANSITION.format(current=p["current"], target=p["target"])
    if error.code == "note_required":
        return texts.ERROR_NOTE_REQUIRED.format(target=p["target"])
    if error.code == "not_disposed":
        return texts.ERROR_NOT_DISPOSED.format(code=code)
    if error.code == "not_authorised":
        role = texts.ROLE_LABELS.get(Role(p["role"]), str(p["role"])) if "role" in p else "-"
        if "target" in p:
            return texts.ERROR_NOT_AUTHORISED_STATUS.format(
                actor=p["actor"], role=role, target=p["target"], allowed=roles_allowed(Status(p["target"])))
        return texts.ERROR_NOT_AUTHORISED.format(code=code, actor=p["actor"], role=role)
    if error.code == "not_found":
        return texts.ERROR_NOT_FOUND.format(code=code)
    if error.code == "bad_unit":
        return texts.ERROR_BAD_UNIT.format(unit=p.get("unit", ""))
    if error.code in SPAM_ERRORS:  # blocked chats, the day's limit (complaints.spam)
        return SPAM_ERRORS[error.code].format_map({"sender": "-", "actor": "-", "limit": "-", **p})
    if error.code in MERGE_ERRORS:  # merging duplicates (complaints.usecases.merging)
        return MERGE_ERRORS[error.code].format_map({"into": "-", **p, "code": code})
    return texts.ERROR_OTHER.format(code=error.code)
