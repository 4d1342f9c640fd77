"""Ledger: a transaction is reversed at most once, checked by an index over the reversals only.

The unique constraint on `reverses_id` held an entry for every transaction, nearly all of them
NULL (reversing nothing): an index insert and a WAL record per transaction that no check or
query reads. A partial unique index over the non-NULL values enforces the same rule.

Revision ID: ledger_0003
Revises: ledger_0002
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0003"
down_revision: str | None = "ledger_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IS_REVERSAL = sa.text("reverses_id IS NOT NULL")
# Names for the constraints SQLite keeps unnamed, so batch mode can find the one to drop; on
# PostgreSQL the constraint has its default name.
NAMING = {"uq": "%(table_name)s_%(column_0_name)s_key"}


def upgrade() -> None:
    with op.batch_alter_table("ledger_transactions", naming_convention=NAMING) as batch:
        batch.drop_constraint("ledger_transactions_reverses_id_key", type_="unique")
    op.create_index("uq_ledger_transactions_reverses_id", "ledger_transactions", ["reverses_id"], unique=True,
                    postgresql_where=IS_REVERSAL, sqlite_where=IS_REVERSAL)


def downgrade() -> None:
    op.drop_index("uq_ledger_transactions_reverses_id", table_name="ledger_transactions")
    with op.batch_alter_table("ledger_transactions", naming_convention=NAMING) as batch:
        batch.create_unique_constraint("ledger_transactions_reverses_id_key", ["reverses_id"])
