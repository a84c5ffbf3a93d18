"""Table definitions (SQLAlchemy Core). The domain dataclasses are mapped by hand.

Enumerated codes are stored as plain strings (the taxonomy's codes), so adding a code
never needs a migration. Every timestamp column is ``UTCDateTime``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes in, aware UTC datetimes out, on every backend.

    PostgreSQL stores ``timestamptz``; SQLite stores naive UTC text (which also keeps
    text comparisons in chronological order). Naive datetimes are refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused (pass an aware one): {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# BIGINT on PostgreSQL; SQLite needs exactly INTEGER for an auto-incrementing rowid key.
Id = BigInteger().with_variant(Integer(), "sqlite")
Json: Any = JSON().with_variant(JSONB(), "postgresql")

complaints = Table(
    "complaints",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("description", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("sender", String(255), nullable=False),
    Column("category", String(64), nullable=False),
    Column("report_type", String(32), nullable=False),
    Column("weight", String(16), nullable=False),
    Column("maladministration", String(64)),
    Column("place_detail", Text, nullable=False, default=""),
    Column("region_code", String(32)),
    Column("region_name", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("event_date", Date),
    Column("agency", Text),
    Column("evidence", Json, nullable=False),
    Column("complainant_name", Text),
    Column("complainant_phone", String(32)),
    Column("complainant_email", Text),
    Column("privacy", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("unit_id", String(64)),
    Column("due_at", UTCDateTime),
    Column("resolve_due_at", UTCDateTime),
    Column("late_filing", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    # since 0002: assignment, escalation, the paused deadline clock, reopening, the rating
    Column("assignee", String(255)),
    Column("escalation_level", Integer, nullable=False, server_default=text("0")),
    Column("next_escalation_at", UTCDateTime),
    Column("paused_at", UTCDateTime),
    Column("reopen_count", Integer, nullable=False, server_default=text("0")),
    Column("satisfied", Boolean),
    Column("skm_score", SmallInteger, CheckConstraint("skm_score BETWEEN 1 AND 4", name="skm_score")),
    Column("rated_at", UTCDateTime),
    # since 0007: the complainant said the problem is still going on (never a late filing)
    Column("ongoing", Boolean, nullable=False, server_default=false()),
    # since 0008: who chose the category (complaints.taxonomy.CategoryOrigin), the NLU's confidence
    Column("category_origin", String(16), nullable=False, server_default="given"),
    Column("category_confidence", Float),
    # since 0009: complaints.spam.fingerprint of the description (copies of one text from many chats)
    Column("text_fingerprint", String(16)),
    # since 0010: how many citizens support the case (complaint_supporters), kept here for
    # lists sorted by it and so that loading a case without supporters costs no query
    Column("supporter_count", Integer, nullable=False, server_default=text("0")),
    # since 0012: the stage deadline while its clock runs (workflow.ESCALATING), else NULL:
    # the officers' inbox is sorted by it (nearest first) through the index below
    Column("running_due_at", UTCDateTime),
    # since 0015: an Open311 request's media_url (never fetched) and address_id, as given
    Column("media_url", String(2000)),
    Column("address_id", String(255)),
    Index(None, "channel", "sender"),
    Index(None, "status", "due_at"),
    # open_summary and list(unit_id=...); also serves lookups by unit_id alone
    Index(None, "unit_id", "status"),
    # since 0005: a period's complaints (aduan report, the API's date filters, newest first)
    Index(None, "created_at"),
    # since 0009: the same text filed lately (complaints.spam)
    Index(None, "text_fingerprint", "created_at"),
    # since 0012: the inbox's order (storage.queries.ComplaintOrder.DEADLINE)
    Index(None, "running_due_at", "created_at", "id"),
)

# since 0010: the similar-complaint lookup (complaints.similarity): a category's complaints
# of one kelurahan since a date, and of a band of latitudes (within a radius)
Index("ix_complaints_similar_region", complaints.c.category, complaints.c.region_code, complaints.c.created_at)
Index("ix_complaints_similar_point", complaints.c.category, complaints.c.latitude)

# The escalation sweep (claim_due): only rows with a next escalation are indexed, in the
# order the sweep takes them. Partial on both backends.
_escalating = text("next_escalation_at IS NOT NULL")
Index(
    None,
    complaints.c.next_escalation_at,
    complaints.c.id,
    postgresql_where=_escalating,
    sqlite_where=_escalating,
)

# Append-only audit trail; its order is the order of ``id``. ``action`` is the entry's kind
# (complaints.model.AuditKind); the note is what a person wrote.
complaint_events = Table(
    "complaint_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("complaint_id", Id, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(32), nullable=False),
    Column("from_status", String(32)),
    Column("to_status", String(32)),
    Column("note", Text, nullable=False, default=""),
    # since 0006: the facts of the entry (complaints.model.Facts), NULL where the kind has none.
    # No Python-side defaults: an entry without facts inserts only the columns above.
    Column("escalation_level", SmallInteger),  # escalated
    Column("officers_told", Json),  # escalated: a list of officer ids
    # escalated: whose stage; didisposisikan: disposed to; a stage start: whose stage (Deadline)
    Column("unit_id", String(64)),
    Column("from_unit_id", String(64)),  # didisposisikan to another unit: the unit before
    # escalated: the deadline reminded of or missed; created, or a move starting a follow-up
    # (workflow.FOLLOW_UP_STARTS): the deadline of the stage it started (complaints.model.Deadline)
    Column("due_at", UTCDateTime),
    Column("officer_id", String(255)),  # assigned
    Column("satisfied", Boolean),  # the complainant's rating (a move out of selesai)
    Column("skm_score", SmallInteger, CheckConstraint("skm_score BETWEEN 1 AND 4", name="skm_score")),  # rated
    # since 0009: a move to ditolak for a reason the figures tell apart (complaints.model.Rejection);
    # related_code: the case kept, for a duplicate
    Column("rejection_reason", String(16)),
    Column("related_code", String(32)),
    # since 0010: a supporter joined, left or rated (complaints.model.Support): who, and what
    Column("supporter", String(255)),
    Column("support_change", String(16)),
    Index(None, "complaint_id", "id"),
    # since 0012: "was it ever disposed" (a unit's scope, storage.repositories.in_scope) without
    # reading the whole trail table
    Index("ix_complaint_events_disposed", "complaint_id",
          postgresql_where=text("to_status = 'didisposisikan'"), sqlite_where=text("to_status = 'didisposisikan'")),
)

# since 0010: citizens who support a case (complaints.model.Supporter), in the order they joined
complaint_supporters = Table(
    "complaint_supporters",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("complaint_id", Id, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("sender", String(255), nullable=False),
    Column("privacy", String(16), nullable=False),
    Column("name", Text),
    Column("phone", String(32)),
    Column("joined_at", UTCDateTime, nullable=False),
    Column("merged_from", String(32)),  # the duplicate's code, when a merge brought them
    Column("satisfied", Boolean),
    Column("rated_at", UTCDateTime),
    Index(None, "complaint_id", "channel", "sender", unique=True),
    Index(None, "channel", "sender"),  # the cases a citizen supports
)

OUTBOX_STATUSES = ("pending", "sent", "failed")

outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("channel", String(32), nullable=False),
    Column("recipient", String(255), nullable=False),
    Column("text", Text, nullable=False),
    Column("buttons", Json, nullable=False),
    Column("complaint_code", String(32)),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    # what became of it (0013, complaints.delivery): the channel's id of the message sent
    # (a wamid, a Telegram message_id), its delivery status, the channel's last error
    Column("message_id", String(255)),
    Column("delivery_status", String(16)),
    Column("delivery_at", UTCDateTime),
    Column("error_code", String(32)),
    Column("error_title", String(255)),
    Column("as_template", Boolean, nullable=False, server_default=false()),
    CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "channel", "message_id"),
    Index(None, "complaint_code", "id"),
)

dialog_states = Table(
    "dialog_states",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("sender", String(255), primary_key=True),
    Column("state", Json, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Channel deliveries already handled (Telegram update_id, WhatsApp message id).
inbound_updates = Table(
    "inbound_updates",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("update_id", String(255), primary_key=True),
    Column("sender", String(255), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Index("ix_inbound_updates_sender", "channel", "sender", "received_at"),
)

# since 0004: keys of the REST API, stored as their SHA-256 (the key itself is shown once)
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),  # the key's first characters, to recognise it in lists
    Column("scope", String(16), nullable=False),  # public | officer | admin
    Column("officer_id", String(255)),  # officer keys act as this officer of the organisation file
    Column("label", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    CheckConstraint("scope IN ('public', 'officer', 'admin')", name="scope"),
)

# since 0004: the last run of each scheduler job (e.g. the sweep's duration, for /metrics),
# kept in the database so that the server reports it whichever process ran the job
job_runs = Table(
    "job_runs",
    metadata,
    Column("job", String(64), primary_key=True),
    Column("last_started_at", UTCDateTime, nullable=False),
    Column("last_duration_seconds", Float, nullable=False),
    Column("runs", BigInteger, nullable=False, server_default=text("0")),
)

# since 0009: chats the admin blocked (complaints.spam). While blocked, a chat's messages are
# not stored: only how many came, and when the last one did.
blocked_senders = Table(
    "blocked_senders",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("sender", String(255), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("blocked_by", String(255), nullable=False),
    Column("blocked_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_attempt_at", UTCDateTime),
)

# since 0009: every block and unblock (who, when, why), and the bot's reminders to keep the
# language courteous; append-only
sender_events = Table(
    "sender_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(32), nullable=False),
    Column("sender", String(255), nullable=False),
    Column("action", String(16), nullable=False),  # complaints.spam.SenderAction
    Column("actor", String(255), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Index(None, "channel", "sender", "at"),
)

# since 0011: officers signing in to the web console (complaints.signin). Secrets (a link's,
# a session's) are stored as their SHA-256; passwords as argon2 hashes.
login_links = Table(
    "login_links",
    metadata,
    Column("token_digest", String(64), primary_key=True),
    Column("officer_id", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
)
officer_credentials = Table(
    "officer_credentials",
    metadata,
    Column("officer_id", String(255), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("failures", Integer, nullable=False, server_default=text("0")),
    Column("last_failure_at", UTCDateTime),
    Column("locked_until", UTCDateTime),
    Column("updated_at", UTCDateTime, nullable=False),
)
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("session_digest", String(64), primary_key=True),
    Column("officer_id", String(255), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Index(None, "officer_id"),
)
# append-only: every sign-in attempt, link issued, password set and sign-out
signin_events = Table(
    "signin_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("officer_id", String(255), nullable=False),
    Column("method", String(16), nullable=False),  # complaints.signin.Method
    Column("outcome", String(16), nullable=False),  # complaints.signin.Outcome
    Column("address", String(64), nullable=False, server_default=""),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "officer_id", "at"),
)

# since 0014: the chat messages each filed report was made of (the channel's message ids),
# so that a later edit or deletion of one reaches the case (bot/edits.py); pruned after 30 days
filed_messages = Table(
    "filed_messages",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("sender", String(255), primary_key=True),
    Column("ref", String(255), primary_key=True),
    Column("code", String(32), nullable=False),
    Column("filed_at", UTCDateTime, nullable=False),
    Index(None, "filed_at"),
)

# since 0015: what an API key filed (storage.api_requests): a digest of its Idempotency-Key
# or of the request's content, and the tracking code, so that a repeat files nothing new
api_requests = Table(
    "api_requests",
    metadata,
    Column("sender", String(255), primary_key=True),
    Column("digest", String(64), primary_key=True),
    Column("code", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "sender", "created_at"),
)
