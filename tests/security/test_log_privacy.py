"""NIK, phone numbers, e-mail addresses and account numbers never reach the logs in clear (the
one redaction function, complaints.redaction, puts placeholders in their place); ordinary
numbers stay readable; a whole confidential complaint at DEBUG level leaves no personal data
in the logs."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from telegram import Bot

from aduan.privacy import PersonalDataFilter, configure_logging, mask_personal_data
from bot import texts
from bot.channels.telegram import TelegramChannel, TelegramSender
from complaints.taxonomy import Status
from complaints.usecases import casework
from tests.chat_harness import Clock, RecordingSender, make_app

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")

NIK = "3578011234560001"
NIK_MASKED = "[NIK]"
PHONE_MASKED = "[nomor HP]"
PHONES = ["+62 812-3456-7890", "081234567890", "62812 3456 7890", "+6281234567890", "0812-3456-7890",
          "0812 3456 7890", "+62-812-3456-7890", "085712345678"]


def leaks(text: str) -> list[str]:
    """Runs of 7 or more digits (separators ignored) that look like a NIK or phone number."""
    squeezed = re.sub(r"(?<=\d)[\s\-](?=\d)", "", text)
    return re.findall(r"\d{7,}", squeezed)


# --- mask_personal_data -------------------------------------------------------------------


def test_a_nik_is_replaced() -> None:
    assert mask_personal_data(NIK) == NIK_MASKED
    assert mask_personal_data(f"NIK saya {NIK}, tolong dicek") == f"NIK saya {NIK_MASKED}, tolong dicek"
    assert mask_personal_data(f"nik:{NIK}.") == f"nik:{NIK_MASKED}."


def test_two_niks_in_one_text() -> None:
    text = f"suami {NIK} istri 3578015508900002"
    assert mask_personal_data(text) == f"suami {NIK_MASKED} istri {NIK_MASKED}"


@pytest.mark.parametrize("phone", PHONES)
def test_indonesian_phone_numbers_are_masked(phone: str) -> None:
    masked = mask_personal_data(f"hubungi {phone} ya pak")
    assert masked.startswith("hubungi ") and masked.endswith(" ya pak")
    assert masked == f"hubungi {PHONE_MASKED} ya pak"
    assert leaks(masked) == []
    assert "3456" not in masked and "1234" not in masked.replace("+62", "")


@pytest.mark.parametrize("phone", ["081234567890", "+6281234567890", "62812 3456 7890"])
def test_a_masked_phone_keeps_none_of_its_digits(phone: str) -> None:
    assert mask_personal_data(phone) == PHONE_MASKED


def test_email_addresses_and_account_numbers_are_masked_too() -> None:
    masked = mask_personal_data("reply to budi.santoso+lapor@gmail.co.id, refund to rek BCA 1234567890")
    assert masked == "reply to [alamat email], refund to rek BCA [nomor rekening]"


def test_nik_and_phone_together() -> None:
    masked = mask_personal_data(f"Nama Budi, NIK {NIK}, HP 0812-3456-7890, RT 02/RW 05")
    assert NIK_MASKED in masked and "RT 02/RW 05" in masked
    assert leaks(masked) == []


@pytest.mark.parametrize(
    "text",
    [
        "kejadian tanggal 10-03-2025 jam 08.30",
        "tgl 17/08/2025",
        "sudah 2025 hari",
        "diminta uang 200000 buat urus KTP",
        "pungli Rp 200.000 dan Rp 1.500.000",
        "RT 02/RW 05 Kebraon",
        "RT 008 RW 012",
        "kode OTP 482913",
        "kode 081234",
        "laporan LPR-7KQ3-MN",
        "koordinat -7.2900, 112.7100",
        "jalan sepanjang 62 meter, lubang 8 cm",
        "nomor rumah 80, gang 5",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


# --- in the logs --------------------------------------------------------------------------


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose handler carries the filter, as ``configure_logging`` sets it up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("aduan.test_log_privacy")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_log_message_with_personal_data_is_masked(logged) -> None:
    logger, stream = logged
    logger.warning(f"complainant NIK {NIK} phone +62 812-3456-7890")
    output = stream.getvalue()
    assert NIK not in output and leaks(output) == []
    assert f"WARNING aduan.test_log_privacy: complainant NIK {NIK_MASKED} phone" in output


def test_personal_data_passed_as_arguments_is_masked(logged) -> None:
    logger, stream = logged
    logger.info("new complaint from %s (NIK %s)", "081234567890", NIK)
    logger.info("chat %(chat)s nik %(nik)s", {"chat": "62812 3456 7890", "nik": NIK})
    logger.info("nik as a number: %d", int(NIK))
    output = stream.getvalue()
    assert NIK not in output and "081234567890" not in output and leaks(output) == []
    assert output.count(NIK_MASKED) == 3
    assert f"new complaint from {PHONE_MASKED} (NIK {NIK_MASKED})" in output


def test_records_without_personal_data_are_unchanged(logged) -> None:
    logger, stream = logged
    logger.info("relay sent %d of %d; code %s", 3, 5, "LPR-7KQ3-MN")
    assert stream.getvalue() == "INFO aduan.test_log_privacy: relay sent 3 of 5; code LPR-7KQ3-MN\n"


def test_exception_text_in_the_log_is_masked(logged) -> None:
    """The relay logs unexpected sender errors with their traceback; a WhatsApp error
    names the recipient's number."""
    logger, stream = logged
    try:
        raise RuntimeError(f"400 recipient +6281234567890 is not on WhatsApp (NIK {NIK})")
    except RuntimeError:
        logger.exception("sending outbox item %s to %s failed", 7, "081234567890")
    output = stream.getvalue()
    assert "Traceback" in output and "RuntimeError: 400 recipient" in output
    assert NIK not in output and "6281234567890" not in output and leaks(output) == []


def test_records_from_child_loggers_are_masked_by_the_handler(logged) -> None:
    logger, stream = logged
    logging.getLogger("aduan.test_log_privacy.engine").warning("NIK %s", NIK)
    assert stream.getvalue() == f"WARNING aduan.test_log_privacy.engine: NIK {NIK_MASKED}\n"


def test_caplog_with_the_filter_sees_no_raw_data(caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="aduan.test_log_privacy.caplog"):
        logging.getLogger("aduan.test_log_privacy.caplog").info("hp %s nik %s", "+62 812-3456-7890", NIK)
    assert NIK not in caplog.text and leaks(caplog.text) == []
    [record] = caplog.records
    assert NIK_MASKED in record.getMessage() and leaks(record.getMessage()) == []


def test_configure_logging_installs_the_filter(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging("info")
        assert root.level == logging.INFO
        logging.getLogger("aduan.somewhere").info("warga %s NIK %s", "081234567890", NIK)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    err = capsys.readouterr().err
    assert f"INFO aduan.somewhere: warga {PHONE_MASKED} NIK {NIK_MASKED}" in err
    assert NIK not in err and "081234567890" not in err and leaks(err.split("aduan.somewhere:")[1]) == []


# --- a whole confidential complaint at DEBUG level ---------------------------------------------

CONFIDENTIAL_NAME = "Rahmat Hidayat"
CITIZEN_NIK = "3578015506900002"
CITIZEN_PHONE = "0812-7777-3311"
CHAT = 5550909
OUR_PACKAGES = frozenset({"aduan", "bot", "complaints", "nlu", "scheduler", "storage", "root"})
LIBRARIES = ("aiosqlite", "asyncpg", "sqlalchemy", "httpx", "httpcore", "telegram", "aiogram", "apscheduler")


def personal_data_in(text: str, *also: str) -> list[str]:
    text = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ", "", text, flags=re.MULTILINE)  # asctime
    found = [secret for secret in (CONFIDENTIAL_NAME, "Hidayat", CITIZEN_NIK, "7777", *also) if secret in text]
    return found + leaks(text)


REFUSE_INSERT = {  # an unexpected database error while filing: the statement carries the name
    "sqlite": ["CREATE TRIGGER refuse_filing BEFORE INSERT ON complaints BEGIN SELECT RAISE(ABORT, 'disk full'); END"],
    "postgresql": [
        ("CREATE FUNCTION refuse_filing() RETURNS trigger LANGUAGE plpgsql AS $$ "
         "BEGIN RAISE EXCEPTION 'disk full'; END $$"),
        "CREATE TRIGGER refuse_filing BEFORE INSERT ON complaints FOR EACH ROW EXECUTE FUNCTION refuse_filing()",
    ],
}
REFUSE_INSERT_UNDO = {"sqlite": "DROP TRIGGER refuse_filing", "postgresql": "DROP TRIGGER refuse_filing ON complaints"}


@dataclass
class FlowLogs:
    records: list[logging.LogRecord]  # every record, raw (before any filter), as caplog saw it
    output: str  # what the handler configure_logging installs wrote
    token: str


@pytest.fixture
async def confidential_flow(engine, telegram_api, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """A confidential complaint filed on Telegram (NIK and phone in the text), one filing that
    fails on an unexpected database error first, the officers told, a status change sent
    to the citizen, a status check and a malformed update; logging at DEBUG as
    ``configure_logging("DEBUG")`` sets it up, caplog listening too."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    libraries = {name: logging.getLogger(name).level for name in LIBRARIES}
    for name in libraries:  # as in a fresh process: whatever levels they get come from configure_logging
        logging.getLogger(name).setLevel(logging.NOTSET)
    stream = io.StringIO()
    configure_logging("DEBUG")
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    root.handlers.extend(saved_handlers)  # caplog's handler stays on
    caplog.set_level(logging.DEBUG)
    try:
        app = await make_app(engine)
        clock = Clock()
        async with Bot(telegram_api.token, base_url=telegram_api.base_url,
                       base_file_url=telegram_api.base_file_url) as bot:
            channel = TelegramChannel(app.conversation.handle, bot, tmp_path / "media", 50_000, clock)

            async def send(update: dict) -> list[str]:
                before = len(telegram_api.texts_to(CHAT))
                await channel.process_update(update)
                clock.advance(seconds=20)
                return telegram_api.texts_to(CHAT)[before:]

            replies = await send(telegram_api.text_update(CHAT, (
                "sy mau lapor pungli di kelurahan Wonokromo, ngurus surat pengantar diminta 200rb. "
                f"NIK saya {CITIZEN_NIK}, hp {CITIZEN_PHONE}")))
            for _ in range(8):  # answer whatever is still missing, in the order the bot asks, up to the summary
                buttons = [b for m in telegram_api.messages_to(CHAT)[-len(replies):]
                           for b in telegram_api.button_data(m)]
                if "confirm:send" in buttons:
                    break
                # "offer:one": the sentence with the NIK and the phone may be offered as a second problem;
                # the service is asked when the NLU is not sure enough to route it by itself
                pressed = next((b for b in ("date:unknown", "offer:one", "service:pelayanan_aparatur") if b in buttons),
                               None)
                assert pressed, replies
                replies = await send(telegram_api.callback_update(CHAT, pressed))
            assert buttons[0] == "privacy:rahasia"  # pungli: "Kirim rahasia" first
            assert "nama" in "\n".join(await send(telegram_api.callback_update(CHAT, "privacy:rahasia")))

            async with engine.begin() as conn:  # the database refuses the filing once
                for statement in REFUSE_INSERT[engine.dialect.name]:
                    await conn.execute(text(statement))
            assert await send(telegram_api.text_update(CHAT, CONFIDENTIAL_NAME)) == [texts.TRY_AGAIN_LATER]
            async with engine.begin() as conn:
                await conn.execute(text(REFUSE_INSERT_UNDO[engine.dialect.name]))
            receipt = "\n".join(await send(telegram_api.text_update(CHAT, CONFIDENTIAL_NAME)))  # the name again
            code = CODE.search(receipt).group(0)
            assert CONFIDENTIAL_NAME in receipt  # the receipt thanks them by name: it was filed with it

            admin = app.org.officers["admin-pusat"].actor
            async with app.uow() as uow:
                await casework.change_status(app.context(), uow, code, Status.DIDISPOSISIKAN, admin, clock(), unit_id="dsdabm")
                await uow.commit()
            officers = RecordingSender()
            await app.relay({"console": officers, "telegram": TelegramSender(bot)}).drain(clock())
            to_unit = [n for n in officers.sent if n.recipient != "admin-pusat"]  # the admin may read it
            assert to_unit and all(CONFIDENTIAL_NAME not in n.text for n in to_unit)
            assert code in "\n".join(await send(telegram_api.text_update(CHAT, f"cek {code}")))
            await send({"update_id": telegram_api.next_update_id(), "message": {"chat": "not an object"}})
        yield FlowLogs(list(caplog.records), stream.getvalue(), telegram_api.token)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in libraries.items():
            logging.getLogger(name).setLevel(level)


async def test_our_code_logs_no_personal_data_of_a_confidential_complaint_even_at_debug(confidential_flow) -> None:
    ours = [r for r in confidential_flow.records if r.name.split(".")[0] in OUR_PACKAGES]
    text = "\n".join(r.getMessage() + "\n" + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
                     for r in ours)
    assert "handling a telegram message failed" in text and "disk full" in text  # the failure was logged...
    assert personal_data_in(text) == []  # ...without the statement's parameters (hide_parameters)


async def test_the_log_output_of_a_confidential_complaint_at_debug_has_no_personal_data_or_token(
    confidential_flow,
) -> None:
    assert confidential_flow.output
    assert personal_data_in(confidential_flow.output, confidential_flow.token) == []
