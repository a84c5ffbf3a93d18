"""Escalation: assignee, escalation schedule, paused deadline clock, reopening, rating.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01

Written by hand, self-contained like 0001. Only ``ADD COLUMN`` / ``DROP COLUMN`` and
index changes, all of which SQLite does in place: no table is rebuilt (a rebuild would
``DROP TABLE complaints``, which with foreign keys on cascades into complaint_events).
The SKM check is a column constraint, so SQLite accepts it in ``ADD COLUMN`` and still
lets ``DROP COLUMN`` remove the column in the downgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ESCALATING = sa.text("next_escalation_at IS NOT NULL")


def timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


NEW_COLUMNS = (
    "assignee",
    "escalation_level",
    "next_escalation_at",
    "paused_at",
    "reopen_count",
    "satisfied",
    "skm_score",
    "rated_at",
)


def upgrade() -> None:
    op.add_column("complaints", sa.Column("assignee", sa.String(255), nullable=True))
    op.add_column("complaints", sa.Column("escalation_level", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("complaints", sa.Column("next_escalation_at", timestamp(), nullable=True))
    op.add_column("complaints", sa.Column("paused_at", timestamp(), nullable=True))
    op.add_column("complaints", sa.Column("reopen_count", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("complaints", sa.Column("satisfied", sa.Boolean(), nullable=True))
    op.add_column(
        "complaints",
        sa.Column(
            "skm_score",
            sa.SmallInteger(),
            sa.CheckConstraint("skm_score BETWEEN 1 AND 4", name=op.f("ck_complaints_skm_score")),
            nullable=True,
        ),
    )
    op.add_column("complaints", sa.Column("rated_at", timestamp(), nullable=True))

    op.create_index(
        "ix_complaints_next_escalation_at_id",
        "complaints",
        ["next_escalation_at", "id"],
        postgresql_where=ESCALATING,
        sqlite_where=ESCALATING,
    )
    # (unit_id, status) serves everything (unit_id) did, and the unit summaries
    op.create_index("ix_complaints_unit_id_status", "complaints", ["unit_id", "status"])
    op.drop_index("ix_complaints_unit_id", table_name="complaints")


def downgrade() -> None:
    op.create_index("ix_complaints_unit_id", "complaints", ["unit_id"])
    op.drop_index("ix_complaints_unit_id_status", table_name="complaints")
    op.drop_index("ix_complaints_next_escalation_at_id", table_name="complaints")
    for name in reversed(NEW_COLUMNS):
        op.drop_column("complaints", name)
