"""Filing a complaint through Open311: reading the form (or JSON) and turning it into a
Complaint with the chat intake's own draft functions, so the rules stay in one place."""

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

from bot import texts
from bot.draft import Contact, Draft, PlaceDraft, absorb, to_complaint
from bot.sanitize import clean_text, coordinates
from complaints.model import Complaint
from complaints.taxonomy import PrivacyMode

from ..bootstrap import API_CHANNEL as CHANNEL  # the sender is the key ("apikey-3")
from ..bootstrap import App
from .errors import ApiError
from .schemas import Open311NewRequest

MAX_BODY_BYTES = 64 * 1024
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


async def read_body(request: Request) -> dict[str, Any]:
    """The fields of a form (GeoReport v2) or a JSON object; blank form fields are absent."""
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
        return data
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
    return complaint
