"""Audit events as data: the facts of an audit entry in columns of their own, and the
entries written before filled in from their notes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Until now ``ComplaintDesk`` wrote its facts into the note: ``escalated`` "level 2:
officer ids" (or "-" when nobody was found), ``assigned`` the officer id, ``rated``
"SKM 3". This revision adds a nullable column per fact (only ``ADD COLUMN``, which
SQLite does in place, as in 0002), then reads the old notes into them and empties those
notes, which nobody wrote by hand:

- ``escalated``: the level and the officers told from the note; the unit whose stage it
  was is the complaint's unit when the escalation came after the disposition, NULL while
  the central admin was verifying (the database does not know which unit is central;
  NULL reads as the central unit). The deadline it was about is not known: NULL.
- ``assigned``: the officer id; ``rated``: the SKM score.
- ``status`` to ``didisposisikan``: the last one names the complaint's unit (the unit only
  changes there); earlier ones stay without facts, as does whether they re-routed.
- ``status`` out of ``selesai`` by the complainant: to ``ditutup`` satisfied, to
  ``dibuka_kembali`` not (the admin's same moves are not ratings).

The downgrade writes the notes back from the facts and drops the columns. Self-contained
(no import of storage.tables or complaints).
"""

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BATCH = 1000

BEFORE_DISPOSITION = ("diterima", "diverifikasi")  # the central admin's stage
RATING_MOVES = ("ditutup", "dibuka_kembali")  # out of selesai: puas, tidak puas
ESCALATION_NOTE = re.compile(r"level (\d+)(?::\s*(.*))?$", re.DOTALL)
SKM_NOTE = re.compile(r"SKM ([1-4])$")


def timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def new_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("escalation_level", sa.SmallInteger(), nullable=True),
        sa.Column("officers_told", JSON, nullable=True),
        sa.Column("unit_id", sa.String(64), nullable=True),
        sa.Column("from_unit_id", sa.String(64), nullable=True),
        sa.Column("due_at", timestamp(), nullable=True),
        sa.Column("officer_id", sa.String(255), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column(
            "skm_score",
            sa.SmallInteger(),
            sa.CheckConstraint("skm_score BETWEEN 1 AND 4", name=op.f("ck_complaint_events_skm_score")),
            nullable=True,
        ),
    ]


events = sa.table(
    "complaint_events",
    sa.column("id", sa.BigInteger()),
    sa.column("complaint_id", sa.BigInteger()),
    sa.column("action", sa.String()),
    sa.column("role", sa.String()),
    sa.column("from_status", sa.String()),
    sa.column("to_status", sa.String()),
    sa.column("note", sa.Text()),
    sa.column("escalation_level", sa.SmallInteger()),
    sa.column("officers_told", JSON),
    sa.column("unit_id", sa.String()),
    sa.column("officer_id", sa.String()),
    sa.column("satisfied", sa.Boolean()),
    sa.column("skm_score", sa.SmallInteger()),
)
complaints = sa.table("complaints", sa.column("id", sa.BigInteger()), sa.column("unit_id", sa.String()))

FACT_KINDS = ("escalated", "assigned", "rated")


def upgrade() -> None:
    for column in new_columns():
        op.add_column("complaint_events", column)
    backfill(op.get_bind())


def backfill(conn: sa.Connection) -> None:
    """Walk each complaint's status moves and fact-bearing entries in order, then write the
    facts found, one executemany per set of columns."""
    note = sa.case((events.c.action.in_(FACT_KINDS), events.c.note), else_=sa.null())  # status notes stay put
    rows = conn.execute(
        sa.select(events.c.id, events.c.complaint_id, events.c.action, events.c.role, events.c.from_status,
                  events.c.to_status, note.label("note"), complaints.c.unit_id)
        .select_from(events.join(complaints, complaints.c.id == events.c.complaint_id))
        .where(events.c.action.in_(("status", *FACT_KINDS)))
        .order_by(events.c.complaint_id, events.c.id)
    ).all()
    # (columns set, whether the note held only the facts) -> [{"event_id": .., column: value}]
    found: dict[tuple[tuple[str, ...], bool], list[dict[str, Any]]] = {}

    def facts(event_id: int, clear_note: bool, **values: Any) -> None:
        found.setdefault((tuple(values), clear_note), []).append({"event_id": event_id, **values})

    last_disposition: dict[int, tuple[int, str]] = {}  # complaint id -> (event id, unit id)
    status: dict[int, str] = {}
    for row in rows:
        text = (row.note or "").strip()
        if row.action == "status":
            status[row.complaint_id] = row.to_status or status.get(row.complaint_id, "diterima")
            if row.to_status == "didisposisikan" and row.unit_id is not None:
                last_disposition[row.complaint_id] = (row.id, row.unit_id)
            if (row.role, row.from_status) == ("pelapor", "selesai") and row.to_status in RATING_MOVES:
                facts(row.id, False, satisfied=row.to_status == "ditutup")
        elif row.action == "escalated":
            match = ESCALATION_NOTE.match(text)
            told = (match.group(2) or "-") if match else "-"
            central = status.get(row.complaint_id, "diterima") in BEFORE_DISPOSITION
            facts(row.id, True, escalation_level=int(match.group(1)) if match else 0,
                  officers_told=[] if told.strip() == "-" else [i.strip() for i in told.split(",") if i.strip()],
                  unit_id=None if central else row.unit_id)
        elif row.action == "assigned":
            facts(row.id, True, officer_id=text)
        elif row.action == "rated" and (match := SKM_NOTE.match(text)):  # ComplaintDesk.score wrote nothing else
            facts(row.id, True, skm_score=int(match.group(1)))
    for event_id, unit_id in last_disposition.values():
        facts(event_id, False, unit_id=unit_id)

    by_id = events.c.id == sa.bindparam("event_id")
    for (columns, clear_note), params in found.items():
        # bind names must differ from the names of the columns they set
        values: dict[str, Any] = {name: sa.bindparam(f"new_{name}", type_=events.c[name].type) for name in columns}
        if clear_note:
            values["note"] = ""
        statement = sa.update(events).where(by_id).values(values)
        renamed = [{"event_id": p["event_id"], **{f"new_{name}": p[name] for name in columns}} for p in params]
        for start in range(0, len(renamed), BATCH):
            conn.execute(statement, renamed[start:start + BATCH])


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(events.c.id, events.c.action, events.c.escalation_level, events.c.officers_told,
                  events.c.officer_id, events.c.skm_score)
        .where(events.c.action.in_(FACT_KINDS))
    ).all()
    notes = []
    for row in rows:
        if row.action == "escalated" and row.escalation_level is not None:
            told = ", ".join(row.officers_told or []) or "-"
            notes.append({"event_id": row.id, "new_note": f"level {row.escalation_level}: {told}"})
        elif row.action == "assigned" and row.officer_id is not None:
            notes.append({"event_id": row.id, "new_note": row.officer_id})
        elif row.action == "rated" and row.skm_score is not None:
            notes.append({"event_id": row.id, "new_note": f"SKM {row.skm_score}"})
    update = sa.update(events).where(events.c.id == sa.bindparam("event_id")).values(note=sa.bindparam("new_note"))
    for start in range(0, len(notes), BATCH):
        conn.execute(update, notes[start:start + BATCH])
    for column in reversed(new_columns()):
        op.drop_column("complaint_events", column.name)
