"""Delivery status is data: each outbox row keeps the channel's id of the message sent
(``message_id``: a WhatsApp wamid, a Telegram message_id; indexed with the channel, so a
status webhook finds its row), its delivery status (sent, delivered, read, failed) and
when it was reported, the channel's last error code and title, and whether it is to go
only as the approved template (``as_template``). An index on (complaint_code, id) serves
"the latest notice about a case".

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08

Only ``ADD COLUMN`` (nullable, or with a server default: SQLite does it in place, as in
0007) and new indexes; rows sent before have no message id. The downgrade drops them.
Self-contained (no import of storage.tables or complaints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("outbox", sa.Column("message_id", sa.String(255), nullable=True))
    op.add_column("outbox", sa.Column("delivery_status", sa.String(16), nullable=True))
    op.add_column("outbox", sa.Column("delivery_at", _moment(), nullable=True))
    op.add_column("outbox", sa.Column("error_code", sa.String(32), nullable=True))
    op.add_column("outbox", sa.Column("error_title", sa.String(255), nullable=True))
    op.add_column("outbox", sa.Column("as_template", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_outbox_channel_message_id", "outbox", ["channel", "message_id"])
    op.create_index("ix_outbox_complaint_code_id", "outbox", ["complaint_code", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_complaint_code_id", table_name="outbox")
    op.drop_index("ix_outbox_channel_message_id", table_name="outbox")
    for column in ("as_template", "error_title", "error_code", "delivery_at", "delivery_status", "message_id"):
        op.drop_column("outbox", column)
