"""The officers' inbox at scale: ``complaints.running_due_at`` (the stage deadline while its
clock runs, else NULL) with an index in the inbox's order, and a partial index on the
disposition entries of ``complaint_events`` (a unit's scope asks "was it ever disposed").

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

``ADD COLUMN``, a backfill and new indexes. The statuses whose clock runs are those of
``complaints.workflow.ESCALATING`` when this was written (a migration is a snapshot: it
imports nothing of ours). The downgrade drops them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = ("diterima", "diverifikasi", "didisposisikan", "diproses", "dibuka_kembali")
DISPOSED = sa.text("to_status = 'didisposisikan'")


def upgrade() -> None:
    op.add_column("complaints", sa.Column("running_due_at", sa.DateTime(timezone=True), nullable=True))
    statuses = ", ".join(f"'{status}'" for status in RUNNING)
    op.execute(f"UPDATE complaints SET running_due_at = due_at WHERE status IN ({statuses})")
    op.create_index("ix_complaints_running_due_at_created_at_id", "complaints", ["running_due_at", "created_at", "id"])
    op.create_index("ix_complaint_events_disposed", "complaint_events", ["complaint_id"],
                    postgresql_where=DISPOSED, sqlite_where=DISPOSED)


def downgrade() -> None:
    op.drop_index("ix_complaint_events_disposed", table_name="complaint_events")
    op.drop_index("ix_complaints_running_due_at_created_at_id", table_name="complaints")
    op.drop_column("complaints", "running_due_at")
