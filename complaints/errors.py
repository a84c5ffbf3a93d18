"""Domain errors carry a code and parameters; the presentation layer words them."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(f"{self.code}: {params}")


class IllegalTransition(DomainError):
    """A status change the taxonomy does not allow (or a required note is missing)."""

    code = "illegal_transition"


class NotAuthorised(DomainError):
    code = "not_authorised"


class NotFound(DomainError):
    code = "not_found"


class InvalidTrackingCode(DomainError):
    code = "invalid_code"


class StorageUnavailable(Exception):
    """The database cannot be reached right now (down, restarting, the connection lost).

    Not a :class:`DomainError`: nothing is wrong with the request. Nothing of the unit of
    work was committed, so the same request can simply be tried again, unless
    ``maybe_committed``: the connection was lost during the commit itself, which the
    server may have carried out.
    """

    def __init__(self, reason: str, *, maybe_committed: bool = False) -> None:
        super().__init__(reason)
        self.maybe_committed = maybe_committed


class TooManyComplaints(DomainError):
    """The chat already filed the day's limit of new complaints (complaints.spam); the
    caller keeps the draft, to be sent another day."""

    code = "too_many_complaints"
