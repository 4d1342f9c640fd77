"""The ACTIVE user whose bearer token the contract runs use (schemathesis logs in as it through
POST /v1/sessions, `[auth.dynamic.openapi.bearerAuth]` in schemathesis.toml)."""

from __future__ import annotations

from app.migrate import migrate
from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from tests.conftest import make_settings

IDENTIFIER = "contract-user@darca.test"
PASSWORD = "contract-harbour-lantern-42"
PHONE = "+447700900123"


async def seed_contract_user(database_url: str, *, migrate_first: bool = False) -> str:
    """Insert the contract user, verified and ACTIVE (registration itself is fuzzed separately)."""
    if migrate_first:
        await migrate(make_settings(database_url))
    db = Database(database_url)
    try:
        now = utcnow()
        user_id = new_id("usr")
        async with db.unit_of_work() as session:
            session.add(UserRow(id=user_id, phone=PHONE, email=IDENTIFIER, email_normalised=IDENTIFIER,
                                display_name="Contract User", country="GB", locale="en",
                                password_hash=hash_password(PASSWORD), status="ACTIVE", phone_verified=True,
                                email_verified=True, created_at=now, updated_at=now))
        return user_id
    finally:
        await db.dispose()
