"""identity companies: company roles are stored as the API spells them, UPPER_SNAKE_CASE (ADR 0023)

Revision ID: identity_companies_0003
Revises: identity_companies_0002
Create Date: 2026-12-06 07:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "identity_companies_0003"
down_revision: str | None = "identity_companies_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("identity_company_members", "identity_company_invitations")


def upgrade() -> None:
    for table in TABLES:
        op.execute(f"UPDATE {table} SET role = UPPER(role)")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"UPDATE {table} SET role = LOWER(role)")
