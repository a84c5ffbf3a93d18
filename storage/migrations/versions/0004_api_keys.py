"""REST API keys (stored hashed) and the last run of each scheduler job.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Self-contained like the earlier revisions: two new tables, nothing else changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("officer_id", sa.String(255), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", timestamp(), nullable=False),
        sa.Column("revoked_at", timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
        sa.CheckConstraint("scope IN ('public', 'officer', 'admin')", name="ck_api_keys_scope"),
    )
    op.create_table(
        "job_runs",
        sa.Column("job", sa.String(64), nullable=False),
        sa.Column("last_started_at", timestamp(), nullable=False),
        sa.Column("last_duration_seconds", sa.Float(), nullable=False),
        sa.Column("runs", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("job", name="pk_job_runs"),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    op.drop_table("api_keys")
