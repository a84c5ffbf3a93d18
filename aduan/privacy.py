"""Keep personal data out of logs: every record goes through the one redaction function
(complaints.redaction): NIK, phone numbers, e-mail addresses and account numbers."""

from __future__ import annotations

import logging

from complaints.redaction import EVERYTHING, PersonalData, redact

LOG_KINDS = EVERYTHING - {PersonalData.NAME}  # a log line knows no complainant's name


def mask_personal_data(text: str) -> str:
    """What a log line keeps of a text: everything but personal data (complaints.redaction)."""
    return redact(text, LOG_KINDS)


class PersonalDataFilter(logging.Filter):
    """Redacts the message (arguments merged in) and the exception text of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:  # what Formatter.format would add
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


# Libraries that, below WARNING, log what must stay private: SQL parameters (aiosqlite,
# asyncpg, SQLAlchemy's echo), message texts (telegram, aiogram), URLs carrying the bot
# token (httpx, httpcore). They stay at WARNING whatever level the deployment asks for.
CHATTY_LIBRARIES = ("aiosqlite", "asyncpg", "sqlalchemy", "httpx", "httpcore", "telegram", "aiogram",
                    "apscheduler", "sanic", "uvicorn.access")


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet = max(logging.WARNING, root.level)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(quiet)
