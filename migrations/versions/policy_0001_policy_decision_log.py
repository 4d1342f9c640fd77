"""policy: log of policy decisions

Revision ID: policy_0001
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "policy_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("policy",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policy_decisions",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("principal", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("resource", sa.String(length=120), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("deciding_policies", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
    )
    op.create_index("ix_policy_decisions_decided_at", "policy_decisions", ["decided_at"])
    op.create_index("ix_policy_decisions_principal", "policy_decisions", ["principal"])


def downgrade() -> None:
    op.drop_index("ix_policy_decisions_principal", table_name="policy_decisions")
    op.drop_index("ix_policy_decisions_decided_at", table_name="policy_decisions")
    op.drop_table("policy_decisions")
