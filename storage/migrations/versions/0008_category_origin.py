"""Who chose a complaint's category: ``complaints.category_origin`` (``automatic``: the NLU
was sure; ``citizen``: the NLU was unsure and the citizen chose; ``unknown``: nobody, filed
as lainnya; ``given``: named by the filer through the API, Open311 or the command line) and
``complaints.category_confidence``, the NLU's confidence in its best suggestion. The admin's
verification notice marks an uncertain category; the recap counts automatic routing.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Only ``ADD COLUMN`` (SQLite does it in place, as in 0002 and 0007): complaints filed before
read as ``given`` with no confidence, since nobody recorded how their category was chosen.
The downgrade drops both columns. Self-contained (no import of storage.tables or complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("complaints", sa.Column("category_origin", sa.String(16), nullable=False, server_default="given"))
    op.add_column("complaints", sa.Column("category_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("complaints", "category_confidence")
    op.drop_column("complaints", "category_origin")
