"""The bearer resolver answers a valid token from memory and still refuses what it must: a forged or expired
token, a revoked session (ADR 0015). The database is a fake that counts its units of work."""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import pytest

from core.identity.principal_cache import session_subject
from core.identity.sessions.tables import SessionRow, SigningKeyRow
from core.identity.sessions.tokens import BearerResolver, Verified, _new_key, issue_access_token
from core.platform.clock import utcnow
from core.platform.revocations import RevocationFeed, deliver


class FakeSession:
    def __init__(self, rows: dict[tuple[type, str], object]) -> None:
        self.rows = rows

    async def get(self, table: type, key: str, with_for_update: bool = False) -> object | None:
        return self.rows.get((table, key))


class FakeDatabase:
    url = "sqlite+aiosqlite:///unused.db"

    def __init__(self) -> None:
        self.rows: dict[tuple[type, str], object] = {}
        self.units = 0

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[FakeSession]:
        self.units += 1
        yield FakeSession(self.rows)


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def key(db: FakeDatabase) -> SigningKeyRow:
    row = _new_key()
    db.rows[(SigningKeyRow, row.kid)] = row
    return row


def session(db: FakeDatabase, session_id: str, revoked_at: datetime | None = None) -> None:
    now = utcnow()
    db.rows[(SessionRow, session_id)] = SessionRow(id=session_id, user_id="usr_1", aal="AAL2", created_at=now,
                                                   last_used_at=now, revoked_at=revoked_at, device_id="dev_1")


def resolver(db: FakeDatabase) -> BearerResolver:
    # no channel: an entry is trusted for a minute, so only the revocation below can end it
    return BearerResolver(db, RevocationFeed(db.url, stale_after=60))  # type: ignore[arg-type]


async def test_a_valid_token_is_answered_from_memory_the_second_time(db: FakeDatabase, key: SigningKeyRow) -> None:
    session(db, "ses_1")
    bearer = resolver(db)
    token = issue_access_token(key, user_id="usr_1", session_id="ses_1", aal="AAL2")
    first = await bearer(token)
    units = db.units
    assert await bearer(token) == first
    assert db.units == units  # neither the key, the signature nor the session was looked up again
    assert first is not None and (first.id, first.aal, first.device_id, first.session_id) == \
        ("usr_1", "AAL2", "dev_1", "ses_1")


async def test_a_forged_token_is_refused_beside_a_cached_genuine_one(db: FakeDatabase, key: SigningKeyRow) -> None:
    session(db, "ses_1")
    bearer = resolver(db)
    token = issue_access_token(key, user_id="usr_1", session_id="ses_1", aal="AAL2")
    assert await bearer(token) is not None
    header, payload, signature = token.split(".")
    assert await bearer(f"{header}.{payload}.{signature[:-4]}AAAA") is None
    other = issue_access_token(_new_key(), user_id="usr_1", session_id="ses_1", aal="AAL2")  # unknown key
    assert await bearer(other) is None


async def test_an_expired_token_is_not_served_from_memory(db: FakeDatabase, key: SigningKeyRow) -> None:
    session(db, "ses_1")
    bearer = resolver(db)
    token = issue_access_token(key, user_id="usr_1", session_id="ses_1", aal="AAL2")
    forged = token[:-4] + "AAAA"  # what PyJWT refuses; remembered as verified but already expired
    bearer._verified[hashlib.sha256(forged.encode()).digest()] = Verified("usr_1", "ses_1", frozenset({"user"}),
                                                                          int(time.time()) - 1)
    assert await bearer(forged) is None


async def test_a_revoked_session_is_refused_at_once(db: FakeDatabase, key: SigningKeyRow) -> None:
    session(db, "ses_1")
    bearer = resolver(db)
    token = issue_access_token(key, user_id="usr_1", session_id="ses_1", aal="AAL2")
    assert await bearer(token) is not None
    session(db, "ses_1", revoked_at=utcnow())
    assert await bearer(token) is not None  # nothing told the cache yet
    deliver([session_subject("ses_1")])  # what the commit of the logout does
    assert await bearer(token) is None
    units = db.units
    assert await bearer(token) is None and db.units == units  # a revoked session stays revoked: kept too
