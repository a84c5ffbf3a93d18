"""Inbound deliveries already handled: a channel's retry of the same update is ignored.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_updates",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("update_id", sa.String(255), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "update_id", name="pk_inbound_updates"),
    )
    op.create_index("ix_inbound_updates_sender", "inbound_updates", ["channel", "sender", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_inbound_updates_sender", table_name="inbound_updates")
    op.drop_table("inbound_updates")
