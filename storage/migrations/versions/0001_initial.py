"""Initial schema: complaints, their audit trail, the outbox, dialog states.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written by hand and self-contained (it does not import storage.tables, which will move
on while this revision must keep creating exactly this schema).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("report_type", sa.String(32), nullable=False),
        sa.Column("weight", sa.String(16), nullable=False),
        sa.Column("maladministration", sa.String(64), nullable=True),
        sa.Column("place_detail", sa.Text(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=True),
        sa.Column("region_name", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("complainant_name", sa.Text(), nullable=True),
        sa.Column("complainant_phone", sa.String(32), nullable=True),
        sa.Column("complainant_email", sa.Text(), nullable=True),
        sa.Column("privacy", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=True),
        sa.Column("due_at", timestamp(), nullable=True),
        sa.Column("resolve_due_at", timestamp(), nullable=True),
        sa.Column("late_filing", sa.Boolean(), nullable=False),
        sa.Column("created_at", timestamp(), nullable=False),
        sa.Column("updated_at", timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_complaints"),
        sa.UniqueConstraint("code", name="uq_complaints_code"),
    )
    op.create_index("ix_complaints_channel_sender", "complaints", ["channel", "sender"])
    op.create_index("ix_complaints_status_due_at", "complaints", ["status", "due_at"])
    op.create_index("ix_complaints_unit_id", "complaints", ["unit_id"])

    op.create_table(
        "complaint_events",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("complaint_id", ID, nullable=False),
        sa.Column("at", timestamp(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaint_events"),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name="fk_complaint_events_complaint_id_complaints",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_complaint_events_complaint_id_id", "complaint_events", ["complaint_id", "id"])

    op.create_table(
        "outbox",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", JSON, nullable=False),
        sa.Column("complaint_code", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", timestamp(), nullable=False),
        sa.Column("lease_until", timestamp(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", timestamp(), nullable=False),
        sa.Column("updated_at", timestamp(), nullable=True),
        sa.Column("sent_at", timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_outbox_status"),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])

    op.create_table(
        "dialog_states",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("updated_at", timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "sender", name="pk_dialog_states"),
    )


def downgrade() -> None:
    op.drop_table("dialog_states")
    op.drop_index("ix_outbox_status_next_attempt_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_complaint_events_complaint_id_id", table_name="complaint_events")
    op.drop_table("complaint_events")
    op.drop_index("ix_complaints_unit_id", table_name="complaints")
    op.drop_index("ix_complaints_status_due_at", table_name="complaints")
    op.drop_index("ix_complaints_channel_sender", table_name="complaints")
    op.drop_table("complaints")
