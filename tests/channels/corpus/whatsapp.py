"""WhatsApp Cloud API webhook payloads, as the Cloud API's webhook reference documents them
(``messages`` of every type, ``statuses``, ``system``, ``edit``, ``revoke``, ``reaction``,
groups, batches with several entries, changes and messages), each with what the bot must do.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from bot import texts
from tests.fakes import media_files
from tests.fakes.graph_api import FakeGraphApi, new_wamid

from .cases import QUESTION, Case, Chat, Like
from .rig import Rig, Sent
from .telegram import GREETING, INSIDE, MP4, OGG, OUTSIDE, VENUE, VIDEO_KEPT, VOICE_KEPT

JPEG = media_files.jpeg((200, 150))
PDF = media_files.pdf(300)
BUSINESS = "6231000000"

_phones = itertools.count(6281_3000_0001)
_media_ids = itertools.count(8_800_000_001)
_groups = itertools.count(1)


def update_ids(payload: dict[str, Any]) -> list[str]:
    """The ids of every message of the payload (statuses are not deliveries)."""
    return [m["id"] for e in payload.get("entry", []) for c in e.get("changes", [])
            for m in c.get("value", {}).get("messages", [])]


def new_chat(api: FakeGraphApi, clock: Any) -> Chat:
    phone = str(next(_phones))
    group = f"Y2FwaV9ncm91cDo2MjMxMDAwMDAwMDoxMjAzNjM{next(_groups):06d}"
    chat = Chat("whatsapp", phone, group, text=_unset, extra={"api": api, "clock": clock})
    chat.text = lambda words: message(chat, "text", {"body": words})
    return chat


def _unset(words: str) -> dict[str, Any]:
    raise AssertionError("set by new_chat")


# --- the webhook's objects -----------------------------------------------------------------------

def value(chat: Chat, **fields: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": BUSINESS, "phone_number_id": chat.extra["api"].phone_number_id},
            **fields}


def contact(chat: Chat) -> dict[str, Any]:
    return {"profile": {"name": "Rina Kusuma"}, "wa_id": chat.sender}


def payload(*values: dict[str, Any], entries: int = 1) -> dict[str, Any]:
    """One entry with a change per value, or (``entries``) the values spread over entries."""
    if entries == 1:
        return {"object": "whatsapp_business_account",
                "entry": [{"id": "102290129340398", "changes": [{"value": v, "field": "messages"} for v in values]}]}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": f"10229012934039{n}", "changes": [{"value": v, "field": "messages"}]}
                      for n, v in enumerate(values)]}


def item(chat: Chat, kind: str, body: Any = None, **extra: Any) -> dict[str, Any]:
    """One ``messages[]`` object from the citizen."""
    found: dict[str, Any] = {"from": chat.sender, "id": new_wamid(), "timestamp": str(int(chat.extra["clock"]().timestamp())),
                             "type": kind, **extra}
    if body is not None:
        found[kind] = body
    return found


def message(chat: Chat, kind: str, body: Any = None, **extra: Any) -> dict[str, Any]:
    return payload(value(chat, contacts=[contact(chat)], messages=[item(chat, kind, body, **extra)]))


def media(chat: Chat, content: bytes, mime: str) -> str:
    media_id = str(next(_media_ids))
    chat.extra["api"].add_media(media_id, content, mime)
    return media_id


def image(chat: Chat) -> dict[str, Any]:
    return message(chat, "image", {"caption": "sampah menumpuk di pinggir kali", "mime_type": "image/jpeg",
                                   "sha256": "c2FtcGFo", "id": media(chat, JPEG, "image/jpeg")})


def document(chat: Chat) -> dict[str, Any]:
    return message(chat, "document", {"filename": "surat_kelurahan.pdf", "mime_type": "application/pdf",
                                      "sha256": "c3VyYXQ=", "id": media(chat, PDF, "application/pdf")})


def voice(chat: Chat) -> dict[str, Any]:
    return message(chat, "audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "dm9pY2U=", "voice": True,
                                   "id": media(chat, OGG, "audio/ogg")})


def audio(chat: Chat) -> dict[str, Any]:
    return message(chat, "audio", {"mime_type": "audio/ogg", "sha256": "YXVkaW8=", "voice": False,
                                   "id": media(chat, OGG, "audio/ogg")})


def video(chat: Chat) -> dict[str, Any]:
    return message(chat, "video", {"mime_type": "video/mp4", "sha256": "dmlkZW8=", "id": media(chat, MP4, "video/mp4")})


def sticker(chat: Chat) -> dict[str, Any]:
    return message(chat, "sticker", {"mime_type": "image/webp", "sha256": "c3RpY2tlcg==", "animated": False,
                                     "id": media(chat, media_files.webp(), "image/webp")})


def location(chat: Chat, latitude: float, longitude: float, **named: str) -> dict[str, Any]:
    return message(chat, "location", {"latitude": latitude, "longitude": longitude, **named})


def card(phones: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [{"name": {"formatted_name": "Pak Slamet RT 05", "first_name": "Slamet"}, "phones": phones,
             "emails": [], "addresses": [], "urls": [], "org": {"company": "RT 05"}}]


def status(chat: Chat, name: str, **extra: Any) -> dict[str, Any]:
    found = {"id": new_wamid("OUT"), "status": name, "timestamp": str(int(chat.extra["clock"]().timestamp())),
             "recipient_id": chat.sender, **extra}
    if name == "sent":
        found["conversation"] = {"id": "c0ffee", "expiration_timestamp": "1763942400", "origin": {"type": "service"}}
        found["pricing"] = {"billable": False, "pricing_model": "PMP", "category": "service", "type": "free_customer_service"}
    return payload(value(chat, statuses=[found]))


FAILED = [{"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
           "error_data": {"details": "Message Undeliverable."}}]
UNSUPPORTED_ERROR = [{"code": 131051, "title": "Message type unknown", "message": "Message type unknown",
                      "error_data": {"details": "Message type is currently not supported."}}]


def batch(chat: Chat) -> dict[str, Any]:
    """Two entries: a greeting; then a change holding a reaction, a sticker, and a status."""
    first = value(chat, contacts=[contact(chat)], messages=[item(chat, "text", {"body": "halo"})])
    second = value(chat, contacts=[contact(chat)], messages=[
        item(chat, "reaction", {"message_id": new_wamid("OUT"), "emoji": "\U0001F44D"}),
        item(chat, "sticker", {"mime_type": "image/webp", "sha256": "eA==", "id": "77", "animated": True}),
    ], statuses=[{"id": new_wamid("OUT"), "status": "delivered", "timestamp": "1763856000",
                  "recipient_id": chat.sender}])
    return payload(first, second, entries=2)


def another_number(chat: Chat) -> dict[str, Any]:
    found = message(chat, "text", {"body": "halo"})
    found["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999000999"
    return found


# --- checks beyond the replies ------------------------------------------------------------------

def downloaded(kind: str) -> Any:
    async def check(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
        assert len(rig.graph_api.downloads) == 1
        draft = (await rig.dialog("whatsapp", chat.sender))["draft"]
        assert [e["kind"] for e in draft["evidence"]] == [kind]
    return check


async def nothing_fetched(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    assert rig.graph_api.downloads == []
    assert all(r.path.endswith("/messages") for r in rig.graph_api.requests)  # not even the media's URL


async def the_place(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    place = (await rig.dialog("whatsapp", chat.sender))["draft"]["place"]
    assert (place["latitude"], place["longitude"]) == INSIDE
    assert VENUE["title"] in place["detail"] and "Pacar Keling" in place["detail"]


async def nothing_queued(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    assert await rig.outbox_count() == 0


def _cases() -> Sequence[Case]:
    return [
        # --- what a complaint is made of
        Case("text-greeting", lambda c: c.text("halo"), (GREETING,), True, "none", postgresql=True),
        Case("text-complaint", lambda c: c.text("got di jalan kenjeran dekat masjid tersumbat, air meluap ke jalan"),
             None, True, "intake", postgresql=True),
        Case("text-reply-context", lambda c: message(c, "text", {"body": "pohon tumbang di jl. ngagel jaya selatan"},
                                                     context={"from": BUSINESS, "id": new_wamid("OUT")}),
             None, True, "intake"),
        Case("text-forwarded", lambda c: message(c, "text", {"body": "trotoar di jl. darmo rusak parah"},
                                                 context={"forwarded": True, "frequently_forwarded": False}),
             None, True, "intake"),
        Case("text-from-an-ad", lambda c: message(c, "text", {"body": "halo"}, referral={
            "source_url": "https://fb.me/aduan", "source_id": "2388", "source_type": "ad", "headline": "Lapor!",
            "body": "Sampaikan keluhan Anda", "media_type": "image", "image_url": "https://example.test/a.jpg",
            "ctwa_clid": "ARAkLkA"}), (GREETING,), True, "none"),
        Case("image", image, (texts.START_INTAKE, Like("foto sudah kami lampirkan"), texts.ASK_PLACE), True,
             "intake", postgresql=True, check=downloaded("photo")),
        Case("document", document, (texts.START_INTAKE, Like("dokumen sudah kami lampirkan"), texts.ASK_DESCRIPTION),
             True, "intake", check=downloaded("document")),
        Case("audio-voice-note", voice, (texts.START_INTAKE, VOICE_KEPT, texts.ASK_DESCRIPTION), True, "intake",
             postgresql=True, check=downloaded("voice")),
        Case("audio-file", audio, (texts.START_INTAKE, VOICE_KEPT, texts.ASK_DESCRIPTION), True, "intake",
             check=downloaded("voice")),
        Case("video", video, (texts.START_INTAKE, VIDEO_KEPT, texts.ASK_DESCRIPTION), True, "intake",
             check=downloaded("video")),
        Case("location-named", lambda c: location(c, *INSIDE, name=VENUE["title"], address=VENUE["address"],
                                                  url="https://maps.example.test/p"), None, True, "intake",
             postgresql=True, check=the_place),
        Case("location-bare", lambda c: location(c, *INSIDE), None, True, "intake"),
        Case("location-zero", lambda c: location(c, 0.0, 0.0), (texts.LOCATION_INVALID,), True, "none"),
        Case("location-outside-area", lambda c: location(c, -6.1754, 106.8272, name="Monas"), (OUTSIDE,), True,
             "none"),
        # --- buttons
        Case("interactive-button-reply", lambda c: message(c, "interactive", {
            "type": "button_reply", "button_reply": {"id": "menu:help", "title": "Bantuan"}}),
             (Like("Yang bisa Anda lakukan di sini"),), True, "none", postgresql=True),
        Case("interactive-list-reply-stale", lambda c: message(c, "interactive", {
            "type": "list_reply", "list_reply": {"id": "edit:date", "title": "Waktu kejadian", "description": ""}}),
             (Like(texts.STALE_BUTTON),), True, "none"),
        Case("template-quick-reply", lambda c: message(c, "button", {"payload": "menu:help", "text": "Bantuan"},
                                                       context={"from": BUSINESS, "id": new_wamid("OUT")}),
             (Like("Yang bisa Anda lakukan di sini"),), True, "none"),
        Case("interactive-flow-reply", lambda c: message(c, "interactive", {
            "type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent", "response_json": "{\"a\": 1}"}}),
             (texts.UNSUPPORTED,), True, "none"),
        # --- not a complaint's: said plainly, nothing fetched
        Case("sticker", sticker, (texts.UNSUPPORTED,), True, "none", postgresql=True, check=nothing_fetched),
        Case("contacts-card", lambda c: message(c, "contacts", card([
            {"phone": "+62 812-3450-0099", "wa_id": "6281234500099", "type": "CELL"}])),
             (texts.CONTACT_CARD_REFUSED,), True, "none"),
        Case("contacts-card-without-phone", lambda c: message(c, "contacts", card([])),
             (texts.CONTACT_CARD_REFUSED,), True, "none"),
        Case("order", lambda c: message(c, "order", {"catalog_id": "1", "text": "pesan", "product_items": [
            {"product_retailer_id": "a", "quantity": "1", "item_price": "1000", "currency": "IDR"}]}),
             (texts.UNSUPPORTED,), True, "none"),
        Case("unknown-type-of-older-versions", lambda c: message(c, "unknown", errors=[
            {"code": 131051, "details": "Message type is not currently supported", "title": "Unsupported message type"}]),
             (texts.UNSUPPORTED,), True, "none"),
        Case("unsupported", lambda c: message(c, "unsupported", {"type": "poll"}, errors=UNSUPPORTED_ERROR),
             (texts.UNSUPPORTED,), True, "none", postgresql=True),
        # --- recorded, never answered
        Case("reaction", lambda c: message(c, "reaction", {"message_id": new_wamid("OUT"), "emoji": "\U0001F64F"}),
             (), True, "none", postgresql=True),
        Case("reaction-removed", lambda c: message(c, "reaction", {"message_id": new_wamid("OUT"), "emoji": ""}),
             (), True, "none"),
        Case("ephemeral", lambda c: message(c, "ephemeral", {"expiration": 604800}), (), True, "none"),
        Case("request-welcome", lambda c: message(c, "request_welcome"), (), True, "none"),
        Case("system-number-changed", lambda c: payload(value(c, messages=[item(c, "system", {
            "body": f"User Rina Kusuma changed from {c.sender} to 6285799990001", "wa_id": "6285799990001",
            "type": "user_changed_number"})])), (), True, "none", postgresql=True),
        Case("system-user-id-changed", lambda c: payload(value(c, messages=[item(c, "system", {
            "body": "User Rina Kusuma changed their user ID", "type": "user_changed_user_id",
            "user_id": "ID.1502576394655843", "previous_user_id": "ID.1502576394655842"})])), (), True, "none"),
        Case("system-identity-changed", lambda c: payload(value(c, messages=[item(c, "system", {
            "body": "Rina Kusuma's security code changed", "identity": "aGFzaA==",
            "type": "customer_identity_changed"})])), (), True, "none"),
        Case("revoke-of-an-unknown-message", lambda c: message(c, "revoke", {"original_message_id": new_wamid()}),
             (), True, "none"),
        Case("edit-of-an-unknown-message", lambda c: message(c, "edit", {
            "original_message_id": new_wamid(), "message": {"type": "text", "text": {"body": "ralat: gang 6"}}}),
             (texts.EDIT_NOT_TAKEN,), True, "none", postgresql=True),
        # --- statuses: no reply, nothing recorded as a delivery
        *(Case(f"status-{name}", lambda c, name=name: status(c, name), (), False, "none", check=nothing_queued)
          for name in ("sent", "delivered", "read")),
        Case("status-failed", lambda c: status(c, "failed", errors=FAILED), (), False, "none", postgresql=True,
             check=nothing_queued),
        Case("status-of-a-group-message", lambda c: payload(value(c, statuses=[{
            "id": new_wamid("OUT"), "recipient_id": c.group, "recipient_type": "group", "status": "sent",
            "timestamp": "1763856000"}])), (), False, "none"),
        Case("status-deleted", lambda c: status(c, "deleted"), (), False, "none"),
        # --- groups: once a day "write privately", to the group
        Case("group-text", lambda c: message(c, "text", {"body": "pak, lampu jalan di gang kami mati"},
                                             group_id=c.group), (texts.PRIVATE_ONLY,), True, "none", to_group=True,
             postgresql=True),
        Case("group-image", lambda c: message(c, "image", {"mime_type": "image/jpeg", "sha256": "eA==",
                                                           "id": media(c, JPEG, "image/jpeg")}, group_id=c.group),
             (texts.PRIVATE_ONLY,), True, "none", to_group=True, check=nothing_fetched),
        # --- a payload with several entries, changes and messages; another number's; other fields
        Case("batch-two-entries", batch, (GREETING, texts.UNSUPPORTED), True, "none", postgresql=True),
        Case("another-phone-number-id", another_number, (), False, "none"),
        Case("account-update-field", lambda c: {"object": "whatsapp_business_account", "entry": [{
            "id": "1", "changes": [{"field": "account_update", "value": {"phone_number": BUSINESS,
                                                                          "event": "VERIFIED_ACCOUNT"}}]}]},
             (), False, "none"),
        # --- mid-intake: the state stays, the question that waits is asked again
        Case("mid-sticker", sticker, (texts.UNSUPPORTED, QUESTION), True, "same", mid_intake=True, postgresql=True,
             check=nothing_fetched),
        Case("mid-unsupported", lambda c: message(c, "unsupported", {"type": "poll"}, errors=UNSUPPORTED_ERROR),
             (texts.UNSUPPORTED, QUESTION), True, "same", mid_intake=True),
        Case("mid-reaction", lambda c: message(c, "reaction", {"message_id": new_wamid("OUT"), "emoji": "\U0001F44D"}),
             (), True, "same", mid_intake=True, postgresql=True),
        Case("mid-contacts-card", lambda c: message(c, "contacts", card([{"phone": "+6281234500099", "type": "CELL"}])),
             (texts.CONTACT_CARD_REFUSED, QUESTION), True, "same", mid_intake=True),
        Case("mid-location-zero", lambda c: location(c, 0.0, 0.0), (texts.LOCATION_INVALID, QUESTION), True,
             "same", mid_intake=True),
        Case("mid-edit-of-an-unknown-message", lambda c: message(c, "edit", {
            "original_message_id": new_wamid(), "message": {"type": "text", "text": {"body": "bukan ini"}}}),
             (texts.EDIT_NOT_TAKEN, QUESTION), True, "same", mid_intake=True),
        Case("mid-revoke-of-an-unknown-message", lambda c: message(c, "revoke", {"original_message_id": new_wamid()}),
             (), True, "same", mid_intake=True),
        Case("mid-status-read", lambda c: status(c, "read"), (), False, "same", mid_intake=True),
    ]


CASES = _cases()
