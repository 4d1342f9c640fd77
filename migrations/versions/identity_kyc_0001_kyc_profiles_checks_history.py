"""identity kyc: profiles (level and status), checks, status history

Revision ID: identity_kyc_0001
Revises: identity_0001
Create Date: 2026-11-29 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'identity_kyc_0001'
down_revision: str | None = 'identity_0001'
branch_labels: str | Sequence[str] | None = ('identity_kyc',)
depends_on: str | Sequence[str] | None = None


def _str(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table('identity_kyc_profiles',
    sa.Column('user_id', _str(40), nullable=False),
    sa.Column('level', _str(12), nullable=False),
    sa.Column('status', _str(16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('identity_kyc_checks',
    sa.Column('id', _str(40), nullable=False),
    sa.Column('user_id', _str(40), nullable=False),
    sa.Column('target_level', _str(12), nullable=False),
    sa.Column('status', _str(16), nullable=False),
    sa.Column('reason', _str(200), nullable=True),
    sa.Column('document_type', _str(20), nullable=False),
    sa.Column('document_country', _str(2), nullable=False),
    sa.Column('document_last4', _str(4), nullable=False),
    sa.Column('document_hash', _str(64), nullable=False),
    sa.Column('provider', _str(20), nullable=False),
    sa.Column('provider_reference', _str(120), nullable=False),
    sa.Column('next_poll_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('polls', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identity_kyc_checks', schema=None) as batch_op:
        batch_op.create_index('ix_identity_kyc_checks_due', ['status', 'next_poll_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_kyc_checks_user_id'), ['user_id'], unique=False)

    op.create_table('identity_kyc_history',
    sa.Column('id', _str(40), nullable=False),
    sa.Column('user_id', _str(40), nullable=False),
    sa.Column('check_id', _str(40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_level', _str(12), nullable=False),
    sa.Column('to_level', _str(12), nullable=False),
    sa.Column('from_status', _str(16), nullable=False),
    sa.Column('to_status', _str(16), nullable=False),
    sa.Column('reason', _str(200), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identity_kyc_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_kyc_history_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identity_kyc_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_kyc_history_user_id'))
    op.drop_table('identity_kyc_history')
    with op.batch_alter_table('identity_kyc_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_kyc_checks_user_id'))
        batch_op.drop_index('ix_identity_kyc_checks_due')
    op.drop_table('identity_kyc_checks')
    op.drop_table('identity_kyc_profiles')
