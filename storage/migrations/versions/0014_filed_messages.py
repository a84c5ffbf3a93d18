"""The chat messages a filed report was made of: ``filed_messages`` (channel, sender, the
channel's id of the message, the tracking code, when it was filed), so that a later edit or
deletion of one of them reaches the case (bot/edits.py). Kept 30 days (the sweep prunes
older rows; an index on ``filed_at`` serves it); a number change moves a chat's rows.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08

Only a new table and its index; the downgrade drops them.
Self-contained (no import of storage.tables or complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "filed_messages",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("ref", sa.String(255), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "sender", "ref", name="pk_filed_messages"),
    )
    op.create_index("ix_filed_messages_filed_at", "filed_messages", ["filed_at"])


def downgrade() -> None:
    op.drop_index("ix_filed_messages_filed_at", table_name="filed_messages")
    op.drop_table("filed_messages")
