"""identity: a verification code's channel is named as the notification channel it travels by, SMS (ADR 0023)

Revision ID: identity_0003
Revises: identity_0002
Create Date: 2026-12-06 07:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "identity_0003"
down_revision: str | None = "identity_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # live codes (10 minutes at most) keep working across the upgrade
    op.execute("UPDATE identity_verification_codes SET channel = 'SMS' WHERE channel = 'PHONE'")


def downgrade() -> None:
    op.execute("UPDATE identity_verification_codes SET channel = 'PHONE' WHERE channel = 'SMS'")
