"""The case page (GET /petugas/laporan/{code}): what the visibility policy lets this
officer see, the timeline, the evidence (served here to signed-in officers allowed to see
the case, never from a public path), and the actions the workflow table allows this
officer now, as forms. Each form calls the same use case as the chat, CLI and API."""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from PIL import Image, UnidentifiedImageError

from bot import texts
from bot.render.errors import domain_error
from bot.render.labels import status_label
from bot.render.officer import history_label, place_line, undelivered_line
from complaints import tracking
from complaints.errors import DomainError, NotAuthorised, NotFound
from complaints.model import Complaint, Rejection, RejectionReason
from complaints.org import Officer
from complaints.taxonomy import Status
from complaints.usecases import casework, delivery, merging
from complaints.views import CaseView
from complaints.visibility import with_delivery
from complaints.workflow import UNIT, allowed_targets, note_required

from .context import CONSOLE, PRIVATE_HEADERS, Context, PageError, SignedIn, Staff, Uow, check_csrf, see_other
from .flash import flash

THUMBNAIL = (264, 264)
Field = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=64)]
Token = Annotated[str | None, Form(max_length=200)]


@dataclass(frozen=True)
class Action:
    target: Status
    heading: str
    button: str
    note_label: str  # "" when no note is asked
    note_required: bool


def _code(typed: str) -> str:
    check = tracking.parse(typed)
    if not check.ok or not check.code:
        raise PageError(404, texts.WEB_NOT_FOUND)
    return check.code


async def _case(staff: Staff, uow: Uow, typed: str) -> tuple[Complaint, CaseView]:
    """The case and this officer's staff view of it; 404 or 403 as a page."""
    try:
        complaint = await casework.get(uow, _code(typed))
        return complaint, staff.cases.visibility.require_staff_view(staff.officer.actor, complaint)
    except NotFound:
        raise PageError(404, texts.WEB_NOT_FOUND) from None
    except NotAuthorised:
        raise PageError(403, texts.WEB_FORBIDDEN) from None


def _may_act(staff: Staff, complaint: Complaint) -> bool:
    try:
        staff.cases.authorise(staff.officer.actor, complaint)
    except NotAuthorised:
        return False
    return True


def actions(staff: Staff, complaint: Complaint) -> list[Action]:
    """The moves the workflow table allows this officer's role from the case's status, in
    the order of the statuses (the caller has checked the officer may act on the case)."""
    role = staff.officer.role
    allowed = allowed_targets(complaint.status, role)
    return [Action(target, *texts.WEB_ACTIONS[target.value], note_required(target, role))
            for target in Status if target in allowed and target.value in texts.WEB_ACTIONS]


def _assignable(staff: Staff, complaint: Complaint) -> list[Officer]:
    if staff.officer.role not in UNIT or not complaint.disposed:
        return []
    return staff.cases.org.officers_of(complaint.unit_id or "")


def router() -> APIRouter:
    web = APIRouter(prefix=CONSOLE + "/laporan", include_in_schema=False)

    @web.get("/{code}")
    async def case_page(request: Request, ctx: Context, uow: Uow, staff: SignedIn, code: str) -> Response:
        complaint, view = await _case(staff, uow, code)
        view = with_delivery(view, await delivery.undelivered(uow, complaint))
        cases = staff.cases
        may_act = _may_act(staff, complaint)
        found = actions(staff, complaint) if may_act else []
        return ctx.render(request, "case.html", {
            "staff": staff, "page": "case", "case": view, "unit": cases.unit_of(complaint),
            "place": place_line(view), "actions": found,
            "history": [(entry, history_label(entry, ctx.app.tz)) for entry in reversed(view.history)],
            "units": sorted(cases.org.units.values(), key=lambda u: u.name),
            "assignable": _assignable(staff, complaint) if may_act else [],
            "may_merge": any(a.target is Status.DITOLAK for a in found),
            "officers": cases.org.officers, "withheld": texts.WEB_WITHHELD,
            "undelivered": undelivered_line(view.undelivered, ctx.app.tz) if view.undelivered else "",
        })

    @web.post("/{code}/status")
    async def change(ctx: Context, uow: Uow, staff: SignedIn, code: str, status: Short = "", catatan: Field = "",
                     unit: Short = "", spam: Short = "", csrf: Token = None) -> Response:
        check_csrf(staff, csrf)
        code = _code(code)
        try:
            target = Status(status)
        except ValueError:
            return _refused(code, texts.WEB_NOT_FOUND)

        async def step() -> str:
            moved = await casework.change_status(
                staff.cases, uow, code, target, staff.officer.actor, ctx.clock(), catatan.strip(),
                unit_id=(unit or None) if target is Status.DIDISPOSISIKAN else None,
                rejection=Rejection(RejectionReason.SPAM) if spam and target is Status.DITOLAK else None)
            return texts.WEB_DONE.format(code=code, label=status_label(moved.complaint.status))

        return await _outcome(uow, code, step())

    @web.post("/{code}/tugaskan")
    async def assign(ctx: Context, uow: Uow, staff: SignedIn, code: str, petugas: Short = "",
                     csrf: Token = None) -> Response:
        check_csrf(staff, csrf)
        code = _code(code)
        officer = staff.cases.org.officers.get(petugas)
        if officer is None:
            return _refused(code, texts.WEB_UNKNOWN_OFFICER)

        async def step() -> str:
            await casework.assign(staff.cases, uow, code, officer, staff.officer.actor, ctx.clock())
            return texts.WEB_ASSIGNED.format(code=code, officer=officer.name)

        return await _outcome(uow, code, step())

    @web.post("/{code}/gabung")
    async def merge(ctx: Context, uow: Uow, staff: SignedIn, code: str, ke: Short = "",
                    csrf: Token = None) -> Response:
        check_csrf(staff, csrf)
        code = _code(code)
        into = tracking.parse(ke).code if ke.strip() else None
        if into is None:
            return _refused(code, texts.WEB_BAD_CODE.format(typed=ke.strip()[:40] or "-"))

        async def step() -> str:
            merged = await merging.merge(staff.cases, uow, code, into, staff.officer.actor, ctx.clock())
            return texts.WEB_MERGED.format(duplicate=merged.duplicate.code, kept=merged.kept.code)

        return await _outcome(uow, code, step())

    @web.get("/{code}/bukti/{index}")
    async def evidence(ctx: Context, uow: Uow, staff: SignedIn, code: str, index: int, kecil: str = "") -> Response:
        """One file of the case, for officers who may see the case; ``kecil``: a thumbnail."""
        _, view = await _case(staff, uow, code)
        files = view.details.evidence if view.details else ()
        if not 0 <= index < len(files):
            raise PageError(404, texts.WEB_NOT_FOUND)
        path = _media_path(ctx.app.settings.media_dir, files[index].ref)
        if path is None:
            raise PageError(404, texts.WEB_NOT_FOUND)
        headers = {**PRIVATE_HEADERS, "X-Content-Type-Options": "nosniff",
                   "Content-Security-Policy": "default-src 'none'; sandbox"}
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kecil and media_type.startswith("image/"):
            thumbnail = _thumbnail(path)
            if thumbnail is not None:
                return Response(thumbnail, media_type="image/jpeg", headers=headers)
        inline = media_type.startswith("image/") or media_type == "application/pdf"
        headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{path.name}"'
        return Response(path.read_bytes(), media_type=media_type, headers=headers)

    return web


def _refused(code: str, message: str) -> Response:
    """Back to the case page, saying why nothing was done."""
    response = see_other(f"{CONSOLE}/laporan/{code}")
    flash(response, message, error=True)
    return response


async def _outcome(uow: Uow, code: str, step: Awaitable[str]) -> Response:
    """Run a use case: committed and what was done said, or refused (nothing written) and
    why; back to the case page either way."""
    try:
        message = await step
    except DomainError as error:
        return _refused(code, domain_error(error))
    await uow.commit()
    response = see_other(f"{CONSOLE}/laporan/{code}")
    flash(response, message)
    return response


def _media_path(root: Path, ref: str) -> Path | None:
    """The stored file ``ref`` names, only inside the media folder."""
    base = root.resolve()
    try:
        path = (base / ref).resolve() if not Path(ref).is_absolute() else Path(ref).resolve()
    except (OSError, ValueError):
        return None
    if base not in path.parents or not path.is_file():
        return None
    return path


def _thumbnail(path: Path) -> bytes | None:
    try:
        with Image.open(path) as image:
            image.thumbnail(THUMBNAIL)
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=80)
            return buffer.getvalue()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
