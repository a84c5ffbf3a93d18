"""Open311: a request's ``media_url`` (shown, never fetched) and ``address_id`` kept on the
complaint (two nullable columns), and ``api_requests`` (what an API key filed: a digest of
its Idempotency-Key or of the request's content, and the tracking code), so that a client
re-sending a request gets the same tracking code on any worker instead of a second
complaint. Rows older than a day are pruned as the key files again (an index on
(sender, created_at) serves it).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10

Existing complaints read as having neither; the downgrade drops the table and the columns.
Self-contained (no import of storage.tables or complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("complaints", sa.Column("media_url", sa.String(2000), nullable=True))
    op.add_column("complaints", sa.Column("address_id", sa.String(255), nullable=True))
    op.create_table(
        "api_requests",
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sender", "digest", name="pk_api_requests"),
    )
    op.create_index("ix_api_requests_sender_created_at", "api_requests", ["sender", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_api_requests_sender_created_at", table_name="api_requests")
    op.drop_table("api_requests")
    op.drop_column("complaints", "address_id")
    op.drop_column("complaints", "media_url")
