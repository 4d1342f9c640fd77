"""Ledger: the entries of an account by time, then version, so period reads are index range scans.

`ix_ledger_entries_account_posted` (account_id, posted_at) becomes (account_id, posted_at,
account_version): the balance at an instant is the first row of a backward scan, and a statement
page is a keyset range scan in (posted_at, account_version) order (ADR 0017).

Revision ID: ledger_0004
Revises: ledger_0003
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "ledger_0004"
down_revision: str | None = "ledger_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_ledger_entries_account_posted", table_name="ledger_entries")
    op.create_index("ix_ledger_entries_account_posted", "ledger_entries", ["account_id", "posted_at", "account_version"])


def downgrade() -> None:
    op.drop_index("ix_ledger_entries_account_posted", table_name="ledger_entries")
    op.create_index("ix_ledger_entries_account_posted", "ledger_entries", ["account_id", "posted_at"])
