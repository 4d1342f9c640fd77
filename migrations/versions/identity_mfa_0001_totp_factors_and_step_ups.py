"""identity mfa: totp factors and step-up challenges

Revision ID: identity_mfa_0001
Revises: identity_0001
Create Date: 2026-11-29 02:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'identity_mfa_0001'
down_revision: str | None = 'identity_0001'
branch_labels: str | Sequence[str] | None = ('identity_mfa',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('identity_totp_factors',
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('last_step', sa.BigInteger(), nullable=True),
    sa.Column('recovery_hashes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('identity_step_ups',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('asset', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('amount_scale', sa.Integer(), nullable=True),
    sa.Column('counterparty', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('methods', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('verified_method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consumed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identity_step_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_step_ups_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identity_step_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_step_ups_user_id'))
    op.drop_table('identity_step_ups')
    op.drop_table('identity_totp_factors')
