"""identity devices, and the device each session is bound to

Revision ID: identity_devices_0001
Revises: identity_0001
Create Date: 2026-11-29 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'identity_devices_0001'
down_revision: str | None = 'identity_0001'
branch_labels: str | Sequence[str] | None = ('identity_devices',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('identity_devices',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('last_client_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('enrolment', sa.Boolean(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trusted_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    with op.batch_alter_table('identity_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_devices_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('identity_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_identity_sessions_device_id'), ['device_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identity_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_sessions_device_id'))
        batch_op.drop_column('device_id')

    with op.batch_alter_table('identity_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_devices_user_id'))

    op.drop_table('identity_devices')
