"""identity companies: an invitation is bound to the invitee's address, not only to an existing user

Revision ID: identity_companies_0002
Revises: identity_companies_0001
Create Date: 2026-12-06 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_companies_0002"
down_revision: str | None = "identity_companies_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("identity_company_invitations") as batch_op:
        batch_op.add_column(sa.Column("invitee_address", sa.String(length=254), nullable=True))
        batch_op.alter_column("invitee_user_id", existing_type=sa.String(length=40), nullable=True)
    # invitations made before this revision named an existing user: their address is that user's email
    op.execute("UPDATE identity_company_invitations SET invitee_address = (SELECT u.email_normalised FROM "
               "identity_users u WHERE u.id = identity_company_invitations.invitee_user_id)")
    with op.batch_alter_table("identity_company_invitations") as batch_op:
        batch_op.alter_column("invitee_address", existing_type=sa.String(length=254), nullable=False)
        batch_op.create_index("ix_identity_company_invitations_invitee_address", ["invitee_address"])


def downgrade() -> None:
    op.execute("DELETE FROM identity_company_invitations WHERE invitee_user_id IS NULL")
    with op.batch_alter_table("identity_company_invitations") as batch_op:
        batch_op.drop_index("ix_identity_company_invitations_invitee_address")
        batch_op.drop_column("invitee_address")
        batch_op.alter_column("invitee_user_id", existing_type=sa.String(length=40), nullable=False)
