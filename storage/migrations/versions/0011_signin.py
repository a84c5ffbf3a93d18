"""Officers' sign-in to the web console: one-time links, password credentials, sessions
and the sign-in audit (``login_links``, ``officer_credentials``, ``web_sessions``,
``signin_events``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Only new tables; the downgrade drops them. Self-contained (no import of storage.tables or
complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_links",
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("officer_id", sa.String(255), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("expires_at", _moment(), nullable=False),
        sa.Column("used_at", _moment(), nullable=True),
        sa.PrimaryKeyConstraint("token_digest", name="pk_login_links"),
    )
    op.create_table(
        "officer_credentials",
        sa.Column("officer_id", sa.String(255), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_failure_at", _moment(), nullable=True),
        sa.Column("locked_until", _moment(), nullable=True),
        sa.Column("updated_at", _moment(), nullable=False),
        sa.PrimaryKeyConstraint("officer_id", name="pk_officer_credentials"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("session_digest", sa.String(64), nullable=False),
        sa.Column("officer_id", sa.String(255), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("last_seen_at", _moment(), nullable=False),
        sa.Column("ended_at", _moment(), nullable=True),
        sa.PrimaryKeyConstraint("session_digest", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_officer_id", "web_sessions", ["officer_id"])
    op.create_table(
        "signin_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("officer_id", sa.String(255), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False, server_default=""),
        sa.Column("at", _moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_signin_events"),
    )
    op.create_index("ix_signin_events_officer_id_at", "signin_events", ["officer_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_signin_events_officer_id_at", table_name="signin_events")
    op.drop_table("signin_events")
    op.drop_index("ix_web_sessions_officer_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("officer_credentials")
    op.drop_table("login_links")
