"""Spam and prank control (complaints.spam): chats the admin blocked (``blocked_senders``)
and their history (``sender_events``); the fingerprint of a complaint's text
(``complaints.text_fingerprint``, indexed with ``created_at``) to see the same text come from
many chats; and the facts of a rejection on ``complaint_events`` (``rejection_reason``,
``related_code``: the case kept, for a duplicate).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Only new tables, ``ADD COLUMN`` and a new index (SQLite does them in place, as in 0002):
complaints filed before have no fingerprint (the copies are looked for among the last
minutes' complaints only), rejections before have no reason. The downgrade drops them all.
Self-contained (no import of storage.tables or complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("complaints", sa.Column("text_fingerprint", sa.String(16), nullable=True))
    op.create_index("ix_complaints_text_fingerprint_created_at", "complaints", ["text_fingerprint", "created_at"])
    op.add_column("complaint_events", sa.Column("rejection_reason", sa.String(16), nullable=True))
    op.add_column("complaint_events", sa.Column("related_code", sa.String(32), nullable=True))
    op.create_table(
        "blocked_senders",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("blocked_by", sa.String(255), nullable=False),
        sa.Column("blocked_at", _moment(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_attempt_at", _moment(), nullable=True),
        sa.PrimaryKeyConstraint("channel", "sender", name="pk_blocked_senders"),
    )
    op.create_table(
        "sender_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", _moment(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_sender_events"),
    )
    op.create_index("ix_sender_events_channel_sender_at", "sender_events", ["channel", "sender", "at"])


def downgrade() -> None:
    op.drop_index("ix_sender_events_channel_sender_at", table_name="sender_events")
    op.drop_table("sender_events")
    op.drop_table("blocked_senders")
    op.drop_column("complaint_events", "related_code")
    op.drop_column("complaint_events", "rejection_reason")
    op.drop_index("ix_complaints_text_fingerprint_created_at", table_name="complaints")
    op.drop_column("complaints", "text_fingerprint")
