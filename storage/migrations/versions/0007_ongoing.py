"""Ongoing problems: ``complaints.ongoing``, set when the complainant said the problem is
still going on ("sudah 2 bulan tidak diangkut"). Such a complaint is never flagged as filed
late (the 30-day rule of UU 25/2009 is about events, not a problem that continues).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Only ``ADD COLUMN`` with a server default (SQLite does it in place, as in 0002): every
complaint filed before reads as not ongoing. The downgrade drops the column.
Self-contained (no import of storage.tables or complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("complaints", sa.Column("ongoing", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("complaints", "ongoing")
