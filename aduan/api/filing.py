"""Filing a complaint through Open311: reading the form (or JSON), checking it as GeoReport
v2 says (an unknown service is 404, a description over 4,000 characters 400), turning it
into a Complaint with the chat intake's own draft functions, so the rules stay in one
place, and filing it once: a client re-sending the same request gets the same code.

A repeat is recognised per API key, in the database (``api_requests``), so any worker
recognises it: the same ``Idempotency-Key`` header within 24 hours, or, without one, the
same request (every field but the key) within 24 hours (FixMyStreet re-sends a report it
believes failed on a later run of its job, hours later, without a header). A client that sends an
Idempotency-Key decides alone what is a repeat: two requests with different keys are two
complaints, whatever they say."""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import ValidationError

from bot import texts
from bot.draft import Contact, Draft, PlaceDraft, absorb, to_complaint
from bot.render.labels import grouped, shorten
from bot.sanitize import clean_text, coordinates
from complaints.model import Complaint
from complaints.ports import UnitOfWork
from complaints.taxonomy import PrivacyMode
from complaints.usecases.filing import submit

from ..bootstrap import API_CHANNEL as CHANNEL  # the sender is the key ("apikey-3")
from ..bootstrap import App
from .errors import ApiError
from .schemas import OPEN311_MAX_DESCRIPTION, Open311NewRequest

MAX_BODY_BYTES = 64 * 1024
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
KEY_WINDOW = timedelta(hours=24)  # an Idempotency-Key names one request for a day
CONTENT_WINDOW = timedelta(hours=24)  # the same request again from the same key: a re-send


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


async def read_body(request: Request) -> dict[str, Any]:
    """The fields of a form (GeoReport v2) or a JSON object; blank fields are absent."""
    body = bytearray()
    # the server refuses a larger body before it reaches here (aduan.http); this stays for
    # an app mounted without that middleware
    limit: int = getattr(request.app.state, "max_body_bytes", MAX_BODY_BYTES)
    async for chunk in request.stream():  # stop reading at the limit, not after the whole body
        body += chunk
        if len(body) > limit:
            raise ApiError(413, "too_large", texts.API_BODY_TOO_LARGE.format(limit=limit // 1024))
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        try:
            data = json.loads(bytes(body))
        except (ValueError, RecursionError):  # RecursionError: [[[[...]]]] nested too deep
            raise bad_request("bad_json", texts.API_BAD_JSON) from None
        if not isinstance(data, dict):
            raise bad_request("bad_json", texts.API_BAD_JSON)
        return {key: value for key, value in data.items() if not (isinstance(value, str) and not value.strip())}
    if media not in ("application/x-www-form-urlencoded", ""):
        raise ApiError(415, "unsupported_media_type", texts.API_UNSUPPORTED_MEDIA)
    try:
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=100)
    except ValueError:
        raise bad_request("invalid_request", texts.API_INVALID_REQUEST.format(fields="body")) from None
    return {key: value for key, value in pairs if value.strip()}


def new_complaint(app: App, new: Open311NewRequest, sender: str, now: datetime) -> Complaint:
    """The request as a complaint ready for ``complaints.usecases.filing.submit``, filled the way the
    chat intake fills its draft: the NLU reads the description (weight, type, date, place)
    where the request says nothing. Bad input raises a 400 ApiError."""
    description = clean_text(new.description)
    if len(description) < 3 or not any(ch.isalpha() for ch in description):
        raise bad_request("description_too_short", texts.API_DESCRIPTION_TOO_SHORT)
    if len(description) > app.settings.max_message_chars:
        limit = app.settings.max_message_chars
        raise bad_request("description_too_long", texts.API_DESCRIPTION_TOO_LONG.format(limit=limit))

    place = PlaceDraft()
    address = clean_text(new.address_string or "")
    if new.lat is not None or new.long is not None:  # a point needs both
        point = coordinates(new.lat, new.long)
        if point is None:
            raise bad_request("invalid_location", texts.API_LOCATION_INVALID)
        place.latitude, place.longitude = point
    elif not address:
        raise bad_request("location_required", texts.API_LOCATION_REQUIRED)
    if address:
        place.detail = address
        match = app.nlu.resolve_place(address)
        if match is not None:
            place.region_code, place.region_name = match.code, match.path or match.name

    name = clean_text(" ".join(p for p in (new.first_name, new.last_name) if p))
    privacy = PrivacyMode(new.privacy) if new.privacy else PrivacyMode.BIASA if name else PrivacyMode.ANONIM
    draft = Draft(description=description, category=new.service_code, privacy=privacy, place=place)
    email = None
    if privacy is not PrivacyMode.ANONIM:
        if not name:
            raise bad_request("name_required", texts.API_NAME_REQUIRED)
        if not (2 <= len(name) <= 100) or not any(ch.isalpha() for ch in name) or any(ch.isdigit() for ch in name):
            raise bad_request("invalid_name", texts.NAME_INVALID)
        draft.name = name
        if new.phone:
            phone = app.nlu.parse_phone(clean_text(new.phone))
            if phone is None:
                raise bad_request("invalid_phone", texts.CONTACT_INVALID)
            draft.contact = Contact(phone=phone)
        if new.email:
            email = clean_text(new.email)
            if not EMAIL.fullmatch(email):
                raise bad_request("invalid_email", texts.API_EMAIL_INVALID)
    absorb(draft, app.nlu.parse(description, now), app.conversation.intake.config, describe=True)
    complaint = to_complaint(draft, CHANNEL, sender, now)
    complaint.complainant.email = email
    complaint.media_url = new.media_url  # shown as given, never fetched
    complaint.address_id = clean_text(new.address_id or "") or None
    return complaint


def parse_request(data: dict[str, Any]) -> Open311NewRequest:
    """The request's fields, checked: an unknown ``service_code`` is 404 (GeoReport v2),
    anything else wrong 400, with a message of its own where one says more."""
    try:
        return Open311NewRequest.model_validate(data)
    except ValidationError as error:
        problems = error.errors()
    named = {str(p["loc"][0]) if p["loc"] else "body": p for p in problems}
    service = named.get("service_code")
    if service is not None and service["type"] == "enum":  # given, but not one of services.json
        code = shorten(str(service["input"]), 40)
        raise ApiError(404, "service_not_found", texts.OPEN311_SERVICE_NOT_FOUND.format(code=code))
    if "description" in named and named["description"]["type"] == "string_too_long":
        limit = grouped(OPEN311_MAX_DESCRIPTION)
        raise bad_request("description_too_long", texts.API_DESCRIPTION_TOO_LONG.format(limit=limit))
    if "media_url" in named:
        raise bad_request("invalid_media_url", texts.OPEN311_MEDIA_URL_INVALID)
    fields = ", ".join(dict.fromkeys(".".join(str(p) for p in e["loc"]) or "body" for e in problems))
    raise bad_request("invalid_request", texts.API_INVALID_REQUEST.format(fields=fields))


@dataclass(frozen=True)
class Repeat:
    """How a re-sent request is recognised: a digest, and for how long."""

    digest: str
    window: timedelta


def repeat_of(new: Open311NewRequest, idempotency_key: str | None) -> Repeat:
    """The client's Idempotency-Key when it sent one; else the request's content (every
    field but the API key, written the same way whatever its order or spacing)."""
    key = (idempotency_key or "").strip()
    if key:
        return Repeat(_digest("key", key), KEY_WINDOW)
    content = new.model_dump(mode="json", exclude={"api_key"})
    text = {name: clean_text(value) if isinstance(value, str) else value for name, value in content.items()}
    return Repeat(_digest("content", json.dumps(text, sort_keys=True, ensure_ascii=False)), CONTENT_WINDOW)


def _digest(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    repeated: bool  # a repeat of a request filed before: nothing new was filed


async def file_once(app: App, uow: UnitOfWork, new: Open311NewRequest, sender: str, idempotency_key: str | None,
                    now: datetime) -> Filed:
    """File the request and commit, unless ``sender`` filed it before (``repeat_of``): then
    the complaint filed then. Two workers filing the same request at once: the second one
    waits for the first one's commit and answers with its complaint, its own rolled back."""
    repeat = repeat_of(new, idempotency_key)
    since = now - repeat.window
    earlier = await uow.api_requests.code_of(sender, repeat.digest, since)
    if earlier is None:
        complaint = new_complaint(app, new, sender, now)
        await submit(app.context(), uow, complaint, now)
        await uow.api_requests.prune(sender, now - KEY_WINDOW)
        earlier = await uow.api_requests.claim(sender, repeat.digest, complaint.code, now, since)
        if earlier == complaint.code:
            await uow.commit()
            return Filed(complaint, repeated=False)
        await uow.rollback()  # another worker filed the same request meanwhile
    filed = await uow.complaints.get(earlier)
    if filed is None:  # pragma: no cover - the record and its complaint are committed together
        raise RuntimeError(f"the request's complaint {earlier} is missing")
    return Filed(filed, repeated=True)
