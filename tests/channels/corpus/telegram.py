"""Telegram Bot API updates, as the Bot API reference documents them (``Update``,
``Message``, ``CallbackQuery``, ``ChatMemberUpdated``, ``MessageReactionUpdated``...), each
with what the bot must do. The bot subscribes to ``message``, ``edited_message`` and
``callback_query`` (``ALLOWED_UPDATES``); the others are here because a webhook set by hand,
or an older subscription, still delivers them: none may crash or be answered.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from bot import texts
from tests.fakes import media_files
from tests.fakes.telegram_api import BOT_ID, BOT_USERNAME, FakeTelegramApi

from .cases import QUESTION, Case, Chat, Like
from .rig import Rig, Sent

# A voice note (Ogg Opus) and a video (an MP4 ``ftyp`` box): what bot.media recognises
OGG = b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead\x01\x01" + bytes(64)
MP4 = (24).to_bytes(4, "big") + b"ftypisom" + bytes(4) + b"isommp42" + bytes(64)
JPEG = media_files.jpeg((320, 240))
PDF = media_files.pdf(300)
INSIDE = (-7.2653, 112.7508)  # Tambaksari, Surabaya: inside the demo organisation's area
VENUE = {"title": "Puskesmas Tambaksari", "address": "Jl. Pacar Keling No. 5, Surabaya"}
BOT = {"id": BOT_ID, "is_bot": True, "first_name": "Aduan", "username": BOT_USERNAME}

# ids never reused in a test session (the database of a module is shared by its cases)
_update_ids = itertools.count(700_000_001)
_message_ids = itertools.count(40_001)
_chat_ids = itertools.count(6_200_000_001)


def update_ids(update: dict[str, Any]) -> list[str]:
    return [str(update["update_id"])]


def new_chat(api: FakeTelegramApi, clock: Any) -> Chat:
    chat_id = next(_chat_ids)
    chat = Chat("telegram", str(chat_id), str(-1_001_700_000_000 - chat_id % 1_000_000), text=_unset,
                extra={"api": api, "clock": clock, "id": chat_id})
    chat.text = lambda words: message(chat, text=words)
    return chat


def _unset(words: str) -> dict[str, Any]:
    raise AssertionError("set by new_chat")


# --- the Bot API's objects ---------------------------------------------------------------------

def user(chat: Chat) -> dict[str, Any]:
    return {"id": chat.extra["id"], "is_bot": False, "first_name": "Sari", "last_name": "Wulandari",
            "username": f"sari{chat.extra['id']}", "language_code": "id"}


def private(chat: Chat) -> dict[str, Any]:
    return {"id": chat.extra["id"], "first_name": "Sari", "last_name": "Wulandari", "type": "private"}


def group(chat: Chat, kind: str = "supergroup") -> dict[str, Any]:
    return {"id": int(chat.group), "title": "Warga RW 03 Tambaksari", "type": kind}


def update(**fields: Any) -> dict[str, Any]:
    return {"update_id": next(_update_ids), **fields}


def msg(chat: Chat, where: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A ``Message`` from the citizen, in their private chat unless ``where`` says."""
    return {"message_id": next(_message_ids), "from": user(chat), "chat": where or private(chat),
            "date": int(chat.extra["clock"]().timestamp()), **fields}


def message(chat: Chat, **fields: Any) -> dict[str, Any]:
    return update(message=msg(chat, **fields))


def in_group(chat: Chat, **fields: Any) -> dict[str, Any]:
    return update(message=msg(chat, group(chat), **fields))


def command(chat: Chat, text: str, where: dict[str, Any] | None = None) -> dict[str, Any]:
    word = text.split(" ", 1)[0]
    return update(message=msg(chat, where, text=text, entities=[{"type": "bot_command", "offset": 0,
                                                                  "length": len(word)}]))


def edited(chat: Chat, **fields: Any) -> dict[str, Any]:
    """An ``edited_message``: a message sent a minute ago, changed now."""
    original = msg(chat, **fields)
    original["date"] -= 60
    original["edit_date"] = original["date"] + 60
    return update(edited_message=original)


def callback(chat: Chat, data: str | None, where: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    query: dict[str, Any] = {"id": f"{chat.extra['id']}{next(_update_ids)}", "from": user(chat),
                             "chat_instance": f"-{chat.extra['id']}7",
                             "message": {"message_id": next(_message_ids), "from": BOT, "chat": where or private(chat),
                                         "date": int(chat.extra["clock"]().timestamp()) - 30, "text": "Silakan pilih:"},
                             **extra}
    if data is not None:
        query["data"] = data
    return update(callback_query=query)


def file_fields(chat: Chat, content: bytes, suffix: str, folder: str) -> dict[str, Any]:
    stored = chat.extra["api"].add_file(content, suffix=suffix, folder=folder)
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_size": len(content)}


def photo(chat: Chat) -> dict[str, Any]:
    small = file_fields(chat, JPEG[: len(JPEG) // 4], ".jpg", "photos")
    big = file_fields(chat, JPEG, ".jpg", "photos")
    return message(chat, photo=[{**small, "width": 90, "height": 67}, {**big, "width": 320, "height": 240}],
                   caption="lubangnya makin lebar", caption_entities=[])


def document(chat: Chat) -> dict[str, Any]:
    return message(chat, document={**file_fields(chat, PDF, ".pdf", "documents"), "file_name": "surat_rt.pdf",
                                   "mime_type": "application/pdf"})


def voice(chat: Chat) -> dict[str, Any]:
    return message(chat, voice={**file_fields(chat, OGG, ".oga", "voice"), "duration": 7, "mime_type": "audio/ogg"})


def audio(chat: Chat) -> dict[str, Any]:
    return message(chat, audio={**file_fields(chat, OGG, ".ogg", "music"), "duration": 31, "performer": "Sari",
                                "title": "rekaman suara bising", "file_name": "bising.ogg", "mime_type": "audio/ogg"})


def video(chat: Chat) -> dict[str, Any]:
    return message(chat, video={**file_fields(chat, MP4, ".mp4", "videos"), "width": 640, "height": 360,
                                "duration": 12, "mime_type": "video/mp4", "file_name": "banjir.mp4"})


def video_note(chat: Chat) -> dict[str, Any]:
    return message(chat, video_note={**file_fields(chat, MP4, ".mp4", "video_notes"), "length": 240, "duration": 9})


def sticker(chat: Chat) -> dict[str, Any]:
    return message(chat, sticker={"file_id": "CAACAgIAAxkBAAEL-stiker", "file_unique_id": "AgADstiker",
                                  "type": "regular", "width": 512, "height": 512, "is_animated": False,
                                  "is_video": False, "emoji": "\U0001F44D", "set_name": "WargaBaik", "file_size": 23190})


def animation(chat: Chat) -> dict[str, Any]:
    gif = {"file_id": "CgACAgQAAxkBAAEL-anim", "file_unique_id": "AgADanim", "width": 320, "height": 240,
           "duration": 3, "file_name": "lucu.mp4", "mime_type": "video/mp4", "file_size": 90112}
    return message(chat, animation=gif, document={k: gif[k] for k in ("file_id", "file_unique_id", "file_name",
                                                                          "mime_type", "file_size")})


def location(chat: Chat, latitude: float, longitude: float, **extra: Any) -> dict[str, Any]:
    return message(chat, location={"latitude": latitude, "longitude": longitude, **extra})


def venue(chat: Chat) -> dict[str, Any]:
    point = {"latitude": INSIDE[0], "longitude": INSIDE[1]}
    return message(chat, location=point, venue={"location": point, **VENUE, "foursquare_id": "4b5f1e2af964a520"})


def poll(chat: Chat) -> dict[str, Any]:
    return message(chat, poll={"id": "5432109876543210", "question": "Kapan kerja bakti?",
                               "options": [{"text": "Sabtu", "voter_count": 0}, {"text": "Minggu", "voter_count": 0}],
                               "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
                               "allows_multiple_answers": False})


def service(**fields: Any) -> Any:
    return lambda chat: message(chat, **fields)


# --- checks beyond the replies --------------------------------------------------------------------

def downloaded(kind: str, files: int = 1) -> Any:
    async def check(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
        assert len(rig.telegram_api.calls_of("getFile")) == files
        assert len(rig.stored_files()) >= files
        draft = (await rig.dialog("telegram", chat.sender))["draft"]
        assert [e["kind"] for e in draft["evidence"]] == [kind]
    return check


async def nothing_fetched(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    assert rig.telegram_api.calls_of("getFile") == []


async def biggest_photo(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    [call] = rig.telegram_api.calls_of("getFile")
    [stored] = [f for f in rig.telegram_api.files.values() if f.file_id == call["file_id"]]
    assert stored.content == JPEG  # the biggest size, not the thumbnail
    evidence = (await rig.dialog("telegram", chat.sender))["draft"]["evidence"]
    assert [(e["kind"], e["caption"]) for e in evidence] == [("photo", "lubangnya makin lebar")]


async def the_point(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    place = (await rig.dialog("telegram", chat.sender))["draft"]["place"]
    assert (place["latitude"], place["longitude"]) == INSIDE


async def the_venue(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    place = (await rig.dialog("telegram", chat.sender))["draft"]["place"]
    assert (place["latitude"], place["longitude"]) == INSIDE
    assert VENUE["title"] in place["detail"] and "Pacar Keling" in place["detail"]


async def callback_answered(rig: Rig, chat: Chat, sent: list[Sent]) -> None:
    assert len(rig.telegram_api.calls_of("answerCallbackQuery")) == 1


VOICE_KEPT = Like("Pesan suara sudah kami simpan sebagai lampiran")
VIDEO_KEPT = Like("Video sudah kami simpan sebagai lampiran")
OUTSIDE = Like("berada di luar")
GREETING = Like("selamat datang")


def _cases() -> Sequence[Case]:
    return [
        # --- the citizen's private chat: what a complaint is made of
        Case("text-greeting", lambda c: c.text("halo"), (GREETING,), True, "none", postgresql=True),
        Case("text-complaint", lambda c: c.text("jalan di depan pasar keputran berlubang besar sejak minggu lalu"),
             None, True, "intake", postgresql=True),
        Case("text-reply-to-and-entities", lambda c: message(
            c, text="got besar di jalan kenjeran dekat masjid tersumbat sampah, airnya meluap",
            reply_to_message=msg(c, text="halo"), entities=[{"type": "bold", "offset": 0, "length": 3}],
            link_preview_options={"is_disabled": True}), None, True, "intake"),
        Case("text-forwarded", lambda c: message(
            c, text="pohon tumbang menutup jalan di jl. ngagel jaya selatan",
            forward_origin={"type": "user", "date": 1763856000, "sender_user": {"id": 1, "is_bot": False,
                                                                                   "first_name": "Tetangga"}},
            forward_date=1763856000), None, True, "intake"),
        Case("command-start", lambda c: command(c, "/start"), (GREETING,), True, "none"),
        Case("command-start-at-bot-private", lambda c: command(c, f"/start@{BOT_USERNAME}"), (GREETING,), True, "none"),
        Case("command-help", lambda c: command(c, "/help"), (texts.HELP,), True, "none"),
        Case("photo-sizes", photo, (texts.START_INTAKE, Like("foto sudah kami lampirkan"), texts.ASK_PLACE),
             True, "intake", postgresql=True, check=biggest_photo),
        Case("document-pdf", document, (texts.START_INTAKE, Like("dokumen sudah kami lampirkan"), texts.ASK_DESCRIPTION),
             True, "intake",
             check=downloaded("document")),
        Case("voice", voice, (texts.START_INTAKE, VOICE_KEPT, texts.ASK_DESCRIPTION), True, "intake", postgresql=True, check=downloaded("voice")),
        Case("audio", audio, (texts.START_INTAKE, VOICE_KEPT, texts.ASK_DESCRIPTION), True, "intake", check=downloaded("voice")),
        Case("video", video, (texts.START_INTAKE, VIDEO_KEPT, texts.ASK_DESCRIPTION), True, "intake", check=downloaded("video")),
        Case("video-note", video_note, (texts.START_INTAKE, VIDEO_KEPT, texts.ASK_DESCRIPTION), True, "intake", check=downloaded("video")),
        Case("location", lambda c: location(c, *INSIDE), None, True, "intake", check=the_point),
        Case("live-location-start", lambda c: location(c, *INSIDE, live_period=900, heading=90,
                                                       horizontal_accuracy=12.5), None, True, "intake",
             check=the_point),
        Case("venue", venue, None, True, "intake", postgresql=True, check=the_venue),
        Case("location-zero", lambda c: location(c, 0.0, 0.0), (texts.LOCATION_INVALID,), True, "none"),
        Case("location-outside-area", lambda c: location(c, -6.1754, 106.8272), (OUTSIDE,), True, "none"),
        # --- content that is not a complaint's: said plainly, nothing fetched
        Case("sticker", sticker, (texts.UNSUPPORTED,), True, "none", postgresql=True, check=nothing_fetched),
        Case("animation-with-document", animation, (texts.UNSUPPORTED,), True, "none", check=nothing_fetched),
        Case("poll", poll, (texts.UNSUPPORTED,), True, "none"),
        Case("dice", service(dice={"emoji": "\U0001F3B2", "value": 4}), (texts.UNSUPPORTED,), True, "none"),
        Case("game", service(game={"title": "Tebak Kata", "description": "permainan",
                                   "photo": [{"file_id": "g1", "file_unique_id": "g1u", "width": 64, "height": 64}]}),
             (texts.UNSUPPORTED,), True, "none"),
        Case("story", service(story={"chat": {"id": 777, "type": "private", "first_name": "Rina"}, "id": 12}),
             (texts.UNSUPPORTED,), True, "none"),
        Case("contact", service(contact={"phone_number": "+6281234500099", "first_name": "Pak RT",
                                         "vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Pak RT\nEND:VCARD"}),
             (texts.CONTACT_CARD_REFUSED,), True, "none"),
        # --- service messages in the private chat: recorded, never answered
        Case("pinned-message", lambda c: message(c, pinned_message=msg(c, text="kode laporan saya")), (), True,
             "none", postgresql=True),
        Case("auto-delete-timer", service(message_auto_delete_timer_changed={"message_auto_delete_time": 86400}),
             (), True, "none"),
        Case("write-access-allowed", service(write_access_allowed={"from_request": True}), (), True, "none"),
        Case("chat-background-set", service(chat_background_set={"type": {"type": "fill", "fill": {
            "type": "solid", "color": 16777215}, "dark_theme_dimming": 0}}), (), True, "none"),
        Case("users-shared", service(users_shared={"request_id": 1, "users": [{"user_id": 5551}]}), (), True,
             "none"),
        # --- edits: Telegram's edited_message (subscribed since issue 18)
        Case("edited-text-not-in-a-draft", lambda c: edited(c, text="halo pak"), (texts.EDIT_NOT_TAKEN,), True,
             "none", postgresql=True),
        Case("edited-caption", lambda c: edited(c, photo=[{"file_id": "x", "file_unique_id": "xu", "width": 9,
                                                           "height": 9}], caption="foto lama"),
             (texts.EDIT_NOT_TAKEN,), True, "none"),
        Case("edited-live-location", lambda c: edited(c, location={"latitude": INSIDE[0], "longitude": INSIDE[1],
                                                                   "live_period": 900}), (), False, "none"),
        # --- buttons
        Case("callback-menu-help", lambda c: callback(c, "menu:help"), (texts.HELP,), True, "none",
             postgresql=True, check=callback_answered),
        Case("callback-stale", lambda c: callback(c, "confirm:send"), (texts.STALE_BUTTON,), True, "none",
             check=callback_answered),
        Case("callback-inaccessible-message", lambda c: update(callback_query={
            "id": f"{c.extra['id']}{next(_update_ids)}", "from": user(c), "chat_instance": "-77", "data": "menu:help",
            "message": {"chat": private(c), "message_id": next(_message_ids), "date": 0}}),
             (texts.HELP,), True, "none"),
        Case("callback-inline-message", lambda c: update(callback_query={
            "id": f"{c.extra['id']}{next(_update_ids)}", "from": user(c), "chat_instance": "-78",
            "inline_message_id": "AgAAAN4", "data": "menu:help"}), (texts.HELP,), True, "none"),
        Case("callback-game-no-data", lambda c: callback(c, None, game_short_name="tebak"), (), False, "none",
             check=callback_answered),
        # --- groups, channels and updates about the chat: not for us
        Case("group-text", lambda c: in_group(c, text="pak lampu jalan di gang kami mati"), (), False, "none",
             postgresql=True),
        Case("group-command-start-at-bot", lambda c: command(c, f"/start@{BOT_USERNAME}", group(c)),
             (texts.PRIVATE_ONLY,), True, "none", to_group=True, postgresql=True),
        Case("group-command-basic-group", lambda c: command(c, "/lapor jalan rusak", group(c, "group")),
             (texts.PRIVATE_ONLY,), True, "none", to_group=True),
        Case("group-command-anonymous-admin", lambda c: update(message={
            **msg(c, group(c), text=f"/help@{BOT_USERNAME}", entities=[{"type": "bot_command", "offset": 0,
                                                                          "length": 5 + len(BOT_USERNAME) + 1}]),
            "from": {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"},
            "sender_chat": group(c)}), (texts.PRIVATE_ONLY,), True, "none", to_group=True),
        # "/start@otherbot" is another bot's command (Bot API: "/command@botname" names the bot meant)
        Case("group-command-for-another-bot", lambda c: command(c, "/start@pasar_info_bot", group(c)), (), False,
             "none"),
        Case("group-photo", lambda c: in_group(c, photo=[{"file_id": "gp", "file_unique_id": "gpu", "width": 9,
                                                          "height": 9}]), (), False, "none", check=nothing_fetched),
        Case("group-new-members", lambda c: in_group(c, new_chat_members=[BOT], new_chat_member=BOT,
                                                     new_chat_participant=BOT), (), False, "none"),
        Case("group-left-member", lambda c: in_group(c, left_chat_member={"id": 5, "is_bot": False,
                                                                          "first_name": "Dodi"}), (), False, "none"),
        Case("group-created", lambda c: update(message=msg(c, group(c, "group"), group_chat_created=True)), (),
             False, "none"),
        Case("group-migrated", lambda c: update(message=msg(c, group(c, "group"), migrate_to_chat_id=-1009876)),
             (), False, "none"),
        Case("group-edited", lambda c: update(edited_message={**msg(c, group(c), text="ralat"), "edit_date": 1}),
             (), False, "none"),
        Case("group-callback", lambda c: callback(c, "menu:help", group(c)), (), False, "none",
             check=callback_answered),
        Case("channel-post", lambda c: update(channel_post={
            "message_id": 9, "sender_chat": {"id": -1002001, "title": "Info Kota", "type": "channel"},
            "chat": {"id": -1002001, "title": "Info Kota", "type": "channel"}, "date": 1763856000,
            "text": "pengumuman pemadaman listrik"}), (), False, "none"),
        Case("edited-channel-post", lambda c: update(edited_channel_post={
            "message_id": 9, "chat": {"id": -1002001, "title": "Info Kota", "type": "channel"}, "date": 1763856000,
            "edit_date": 1763856100, "text": "ralat pengumuman"}), (), False, "none"),
        Case("my-chat-member-blocked", lambda c: update(my_chat_member={
            "chat": private(c), "from": user(c), "date": 1763856000,
            "old_chat_member": {"status": "member", "user": BOT},
            "new_chat_member": {"status": "kicked", "user": BOT, "until_date": 0}}), (), False, "none",
             postgresql=True),
        Case("chat-member", lambda c: update(chat_member={
            "chat": group(c), "from": user(c), "date": 1763856000, "old_chat_member": {"status": "left", "user": user(c)},
            "new_chat_member": {"status": "member", "user": user(c)}}), (), False, "none"),
        Case("chat-join-request", lambda c: update(chat_join_request={
            "chat": group(c), "from": user(c), "user_chat_id": int(c.sender), "date": 1763856000}), (), False, "none"),
        Case("message-reaction", lambda c: update(message_reaction={
            "chat": private(c), "message_id": 3, "user": user(c), "date": 1763856000, "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "\U0001F44D"}]}), (), False, "none"),
        Case("message-reaction-count", lambda c: update(message_reaction_count={
            "chat": group(c), "message_id": 3, "date": 1763856000,
            "reactions": [{"type": {"type": "emoji", "emoji": "\U0001F44D"}, "total_count": 4}]}), (), False, "none"),
        Case("inline-query", lambda c: update(inline_query={"id": "iq1", "from": user(c), "query": "lapor",
                                                            "offset": ""}), (), False, "none"),
        Case("business-message", lambda c: update(business_message={
            **msg(c, text="halo kak"), "business_connection_id": "bc-1"}), (), False, "none"),
        Case("poll-answer", lambda c: update(poll_answer={"poll_id": "54321", "user": user(c), "option_ids": [1]}),
             (), False, "none"),
        # --- mid-intake: the state stays, the question that waits is asked again
        Case("mid-sticker", sticker, (texts.UNSUPPORTED, QUESTION), True, "same", mid_intake=True, postgresql=True),
        Case("mid-poll", poll, (texts.UNSUPPORTED, QUESTION), True, "same", mid_intake=True),
        Case("mid-pinned-message", lambda c: message(c, pinned_message=msg(c, text="tes")), (), True, "same",
             mid_intake=True, postgresql=True),
        Case("mid-contact", service(contact={"phone_number": "081234500099", "first_name": "Pak RT"}),
             (texts.CONTACT_CARD_REFUSED, QUESTION), True, "same", mid_intake=True),
        Case("mid-location-zero", lambda c: location(c, 0.0, 0.0), (texts.LOCATION_INVALID, QUESTION), True, "same",
             mid_intake=True),
        Case("mid-location-outside", lambda c: location(c, -6.1754, 106.8272), (OUTSIDE, QUESTION), True, "same",
             mid_intake=True),
        Case("mid-edited-unknown-message", lambda c: edited(c, text="bukan ini"), (texts.EDIT_NOT_TAKEN, QUESTION),
             True, "same", mid_intake=True),
        Case("mid-callback-stale", lambda c: callback(c, "rate:LPR-2222-22:puas"), (texts.STALE_BUTTON, QUESTION),
             True, "same", mid_intake=True),
    ]


CASES = _cases()
