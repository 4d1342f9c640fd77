"""identity companies: companies, departments, members, invitations and company API keys

Revision ID: identity_companies_0001
Revises: identity_0001
Create Date: 2026-11-29 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_companies_0001"
down_revision: str | None = "identity_0001"
branch_labels: str | Sequence[str] | None = ("identity_companies",)
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.String(length=40), primary_key=True)


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "identity_companies",
        _id(),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("registration_number", sa.String(length=40), nullable=False),
        sa.Column("registration_key", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("country", "registration_key"),
    )
    op.create_table(
        "identity_company_departments",
        _id(),
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        _ts("created_at"),
        sa.UniqueConstraint("company_id", "name"),
    )
    op.create_index("ix_identity_company_departments_company_id", "identity_company_departments", ["company_id"])
    op.create_table(
        "identity_company_members",
        _id(),
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("department_id", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("company_id", "user_id"),
    )
    op.create_index("ix_identity_company_members_company_id", "identity_company_members", ["company_id"])
    op.create_index("ix_identity_company_members_user_id", "identity_company_members", ["user_id"])
    op.create_table(
        "identity_company_invitations",
        _id(),
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("invitee_user_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("department_id", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("invited_by", sa.String(length=40), nullable=False),
        _ts("created_at"),
        _ts("expires_at"),
        _ts("responded_at", nullable=True),
    )
    op.create_index("ix_identity_company_invitations_company_id", "identity_company_invitations", ["company_id"])
    op.create_index("ix_identity_company_invitations_invitee_user_id", "identity_company_invitations",
                    ["invitee_user_id"])
    op.create_table(
        "identity_company_api_keys",
        _id(),
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        _ts("created_at"),
        _ts("expires_at", nullable=True),
        _ts("last_used_at", nullable=True),
        _ts("revoked_at", nullable=True),
        sa.Column("revoked_by", sa.String(length=40), nullable=True),
    )
    op.create_index("ix_identity_company_api_keys_company_id", "identity_company_api_keys", ["company_id"])


def downgrade() -> None:
    op.drop_index("ix_identity_company_api_keys_company_id", table_name="identity_company_api_keys")
    op.drop_table("identity_company_api_keys")
    op.drop_index("ix_identity_company_invitations_invitee_user_id", table_name="identity_company_invitations")
    op.drop_index("ix_identity_company_invitations_company_id", table_name="identity_company_invitations")
    op.drop_table("identity_company_invitations")
    op.drop_index("ix_identity_company_members_user_id", table_name="identity_company_members")
    op.drop_index("ix_identity_company_members_company_id", table_name="identity_company_members")
    op.drop_table("identity_company_members")
    op.drop_index("ix_identity_company_departments_company_id", table_name="identity_company_departments")
    op.drop_table("identity_company_departments")
    op.drop_table("identity_companies")
