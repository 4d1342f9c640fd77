"""Ledger write path: only the indexes a query uses, and none over the NULLs of optional columns.

Every transaction paid for index entries nothing reads: by type and by posting time (history
and statements read entries, which carry both) and by external reference for the many
transactions without one. The external-reference index stays, for lookups, over the rows that
have one.

Revision ID: ledger_0002
Revises: ledger_0001
Create Date: 2026-11-29 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0002"
down_revision: str | None = "ledger_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HAS_REFERENCE = sa.text("external_reference IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_ledger_transactions_type", table_name="ledger_transactions")
    op.drop_index("ix_ledger_transactions_posted_at", table_name="ledger_transactions")
    op.drop_index("ix_ledger_transactions_external_reference", table_name="ledger_transactions")
    op.create_index("ix_ledger_transactions_external_reference", "ledger_transactions", ["external_reference"],
                    postgresql_where=HAS_REFERENCE, sqlite_where=HAS_REFERENCE)


def downgrade() -> None:
    op.drop_index("ix_ledger_transactions_external_reference", table_name="ledger_transactions")
    op.create_index("ix_ledger_transactions_external_reference", "ledger_transactions", ["external_reference"])
    op.create_index("ix_ledger_transactions_posted_at", "ledger_transactions", ["posted_at"])
    op.create_index("ix_ledger_transactions_type", "ledger_transactions", ["type"])
