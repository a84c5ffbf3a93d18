"""Supporters: citizens who wait on a case too (``complaint_supporters``), their count on
``complaints.supporter_count``, the facts of a supporter's entry on ``complaint_events``
(``supporter``, ``support_change``), and the indexes of the similar-complaint lookup.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Only new tables, ``ADD COLUMN`` and new indexes (SQLite does them in place): complaints
filed before have no supporters. The downgrade drops them all. Self-contained (no import
of storage.tables or complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("complaints", sa.Column("supporter_count", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("complaint_events", sa.Column("supporter", sa.String(255), nullable=True))
    op.add_column("complaint_events", sa.Column("support_change", sa.String(16), nullable=True))
    op.create_index("ix_complaints_similar_region", "complaints", ["category", "region_code", "created_at"])
    op.create_index("ix_complaints_similar_point", "complaints", ["category", "latitude"])
    op.create_table(
        "complaint_supporters",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("complaint_id", _ID, sa.ForeignKey("complaints.id", ondelete="CASCADE",
                                                     name="fk_complaint_supporters_complaint_id_complaints"),
                  nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("privacy", sa.String(16), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("joined_at", _moment(), nullable=False),
        sa.Column("merged_from", sa.String(32), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("rated_at", _moment(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_complaint_supporters"),
    )
    op.create_index("ix_complaint_supporters_complaint_id_channel_sender", "complaint_supporters",
                    ["complaint_id", "channel", "sender"], unique=True)
    op.create_index("ix_complaint_supporters_channel_sender", "complaint_supporters", ["channel", "sender"])


def downgrade() -> None:
    op.drop_index("ix_complaint_supporters_channel_sender", table_name="complaint_supporters")
    op.drop_index("ix_complaint_supporters_complaint_id_channel_sender", table_name="complaint_supporters")
    op.drop_table("complaint_supporters")
    op.drop_index("ix_complaints_similar_point", table_name="complaints")
    op.drop_index("ix_complaints_similar_region", table_name="complaints")
    op.drop_column("complaint_events", "support_change")
    op.drop_column("complaint_events", "supporter")
    op.drop_column("complaints", "supporter_count")
