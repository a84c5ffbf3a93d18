"""NIK and phone numbers never reach the logs in clear; ordinary numbers stay readable."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest

from aduan.privacy import PersonalDataFilter, configure_logging, mask_personal_data

NIK = "3578011234560001"
NIK_MASKED = "3578********0001"
PHONES = ["+62 812-3456-7890", "081234567890", "62812 3456 7890", "+6281234567890", "0812-3456-7890",
          "0812 3456 7890", "+62-812-3456-7890", "085712345678"]


def leaks(text: str) -> list[str]:
    """Runs of 7 or more digits (separators ignored) that look like a NIK or phone number."""
    squeezed = re.sub(r"(?<=\d)[\s\-](?=\d)", "", text)
    return re.findall(r"\d{7,}", squeezed)


# --- mask_personal_data -------------------------------------------------------------------


def test_nik_keeps_only_the_first_and_last_four_digits() -> None:
    assert mask_personal_data(NIK) == NIK_MASKED
    assert mask_personal_data(f"NIK saya {NIK}, tolong dicek") == f"NIK saya {NIK_MASKED}, tolong dicek"
    assert mask_personal_data(f"nik:{NIK}.") == f"nik:{NIK_MASKED}."


def test_two_niks_in_one_text() -> None:
    text = f"suami {NIK} istri 3578015508900002"
    assert mask_personal_data(text) == f"suami {NIK_MASKED} istri 3578********0002"


@pytest.mark.parametrize("phone", PHONES)
def test_indonesian_phone_numbers_are_masked(phone: str) -> None:
    masked = mask_personal_data(f"hubungi {phone} ya pak")
    assert masked.startswith("hubungi ") and masked.endswith(" ya pak")
    assert "*" in masked
    assert leaks(masked) == []
    assert "3456" not in masked and "1234" not in masked.replace("+62", "")


@pytest.mark.parametrize(
    ("phone", "expected"),
    [("081234567890", "081******90"), ("+6281234567890", "+6281******90"), ("62812 3456 7890", "6281******90")],
)
def test_masked_phone_keeps_its_prefix_and_last_two_digits(phone: str, expected: str) -> None:
    assert mask_personal_data(phone) == expected


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
        "laporan LPR-7KQ3-M9",
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
    assert "new complaint from 081******90 (NIK 3578********0001)" in output


def test_records_without_personal_data_are_unchanged(logged) -> None:
    logger, stream = logged
    logger.info("relay sent %d of %d; code %s", 3, 5, "LPR-7KQ3-M9")
    assert stream.getvalue() == "INFO aduan.test_log_privacy: relay sent 3 of 5; code LPR-7KQ3-M9\n"


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
    assert "INFO aduan.somewhere: warga 081******90 NIK 3578********0001" in err
    assert NIK not in err and "081234567890" not in err and leaks(err.split("aduan.somewhere:")[1]) == []
