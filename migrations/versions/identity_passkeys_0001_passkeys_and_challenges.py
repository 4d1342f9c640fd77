"""identity passkeys and webauthn challenges

Revision ID: identity_passkeys_0001
Revises: identity_0001
Create Date: 2026-11-29 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'identity_passkeys_0001'
down_revision: str | None = 'identity_0001'
branch_labels: str | Sequence[str] | None = ('identity_passkeys',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('identity_passkeys',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('credential_id', sqlmodel.sql.sqltypes.AutoString(length=1400), nullable=False),
    sa.Column('public_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sign_count', sa.BigInteger(), nullable=False),
    sa.Column('transports', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aaguid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('backed_up', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sign_count_regressed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('credential_id')
    )
    with op.batch_alter_table('identity_passkeys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_passkeys_user_id'), ['user_id'], unique=False)

    op.create_table('identity_webauthn_challenges',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('step_up_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('challenge_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identity_webauthn_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_webauthn_challenges_challenge_hash'), ['challenge_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_webauthn_challenges_step_up_id'), ['step_up_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_webauthn_challenges_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identity_webauthn_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_webauthn_challenges_user_id'))
        batch_op.drop_index(batch_op.f('ix_identity_webauthn_challenges_step_up_id'))
        batch_op.drop_index(batch_op.f('ix_identity_webauthn_challenges_challenge_hash'))
    op.drop_table('identity_webauthn_challenges')
    with op.batch_alter_table('identity_passkeys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_passkeys_user_id'))
    op.drop_table('identity_passkeys')
