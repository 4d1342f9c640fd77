"""notifications inbox, channel preferences and delivery status for the dispatcher

Revision ID: notifications_inbox_0001
Revises: identity_0001
Create Date: 2026-11-29 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'notifications_inbox_0001'
down_revision: str | None = 'identity_0001'  # the notifications table was created there
branch_labels: str | Sequence[str] | None = ('notifications_inbox',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before this revision were delivered inside their request: SENT.
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default='SECURITY'))
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False,
                                      server_default='SENT'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.create_index('ix_notifications_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notifications_inbox', ['user_id', 'channel', 'id'], unique=False)
    op.create_table('notification_preferences',
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'category', 'channel')
    )


def downgrade() -> None:
    op.drop_table('notification_preferences')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_inbox')
        batch_op.drop_index('ix_notifications_due')
        for column in ('last_error', 'sent_at', 'next_attempt_at', 'attempts', 'status', 'category'):
            batch_op.drop_column(column)
