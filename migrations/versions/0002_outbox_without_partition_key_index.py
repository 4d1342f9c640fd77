"""Outbox: no index on the partition key, which no query reads (the relay reads in sequence
order; brokers key messages from the envelope). Every event paid for its entry.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_outbox_events_partition_key", table_name="outbox_events")


def downgrade() -> None:
    op.create_index("ix_outbox_events_partition_key", "outbox_events", ["partition_key"])
