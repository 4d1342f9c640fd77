"""Outbox: a row keeps what varies per event (subject, data, trace context), not the envelope.

The envelope's id, type, time and partition key were stored twice (as columns and in the
envelope), and its specversion, source, datacontenttype and dataschema follow from the event
type: nearly half of every outbox row, which is the largest table the ledger writes. The relay
rebuilds the same envelope (`core.platform.outbox.envelope_of`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BACKFILL = {
    "postgresql": "UPDATE outbox_events SET subject = envelope->>'subject', data = envelope->'data', "
                  "traceparent = envelope->>'traceparent'",
    "sqlite": "UPDATE outbox_events SET subject = json_extract(envelope, '$.subject'), "
              "data = json_extract(envelope, '$.data'), traceparent = json_extract(envelope, '$.traceparent')",
}


def upgrade() -> None:
    with op.batch_alter_table("outbox_events") as batch:
        batch.add_column(sa.Column("subject", sa.Text(), nullable=True))
        batch.add_column(sa.Column("data", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("traceparent", sa.String(length=55), nullable=True))
    op.execute(_BACKFILL[op.get_bind().dialect.name])
    with op.batch_alter_table("outbox_events") as batch:
        batch.alter_column("subject", existing_type=sa.Text(), nullable=False)
        batch.alter_column("data", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("envelope")


def downgrade() -> None:
    from core.platform.outbox import envelope_of  # the envelope exactly as the relay of 0003 built it
    from core.platform.tables import UtcDateTime

    with op.batch_alter_table("outbox_events") as batch:
        batch.add_column(sa.Column("envelope", sa.JSON(), nullable=True))
    bind = op.get_bind()
    events = sa.table("outbox_events", sa.column("sequence"), sa.column("event_id"), sa.column("event_type"),
                      sa.column("partition_key"), sa.column("subject"), sa.column("data", sa.JSON()),
                      sa.column("traceparent"), sa.column("created_at", UtcDateTime()),
                      sa.column("envelope", sa.JSON()))
    for row in bind.execute(sa.select(events)).mappings().all():
        envelope = envelope_of(row)
        bind.execute(events.update().where(events.c.sequence == row["sequence"]).values(envelope=envelope))
    with op.batch_alter_table("outbox_events") as batch:
        batch.alter_column("envelope", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("traceparent")
        batch.drop_column("data")
        batch.drop_column("subject")

