"""The ACTIVE users the contract runs act as (schemathesis logs in through POST /v1/sessions): the
contract user, and a second user that object-level authorization probes replay the first one's reads
as (schemathesis_users.yaml)."""

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
SECOND_IDENTIFIER = "second-contract-user@darca.test"
SECOND_PASSWORD = "second-harbour-lantern-43"
SECOND_PHONE = "+447700900124"


async def seed_contract_user(database_url: str, *, migrate_first: bool = False) -> str:
    """Insert the contract user and the second user, verified and ACTIVE (registration itself is fuzzed
    separately); returns the contract user's id."""
    if migrate_first:
        await migrate(make_settings(database_url))
    db = Database(database_url)
    try:
        now = utcnow()
        ids = [new_id("usr"), new_id("usr")]
        users = [(PHONE, IDENTIFIER, PASSWORD, "Contract User"),
                 (SECOND_PHONE, SECOND_IDENTIFIER, SECOND_PASSWORD, "Second Contract User")]
        async with db.unit_of_work() as session:
            for user_id, (phone, email, password, name) in zip(ids, users, strict=True):
                session.add(UserRow(id=user_id, phone=phone, email=email, email_normalised=email,
                                    display_name=name, country="GB", locale="en",
                                    password_hash=await hash_password(password), status="ACTIVE", phone_verified=True,
                                    email_verified=True, created_at=now, updated_at=now))
        return ids[0]
    finally:
        await db.dispose()
