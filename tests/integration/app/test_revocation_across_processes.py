"""Two `python -m app run` processes on one PostgreSQL database: process B answers a valid access token
or API key from its cache, without a database read, and refuses it within a second of a revocation
made through process A: logout, revoking another session, logout everywhere, refresh-token reuse and
revoking an API key (ADR 0015).

Both processes are told to trust a cached credential for a minute without the channel's word, so a
refusal within the second can only come from the revocation broadcast, not from the cache aging."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.identity.companies.tables import CompanyApiKeyRow
from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from tests.running import LivePlatform, live_platform, wait_ready
from tests.support.waiting import eventually

pytestmark = [pytest.mark.backends("postgresql"), pytest.mark.timeout(180)]

PASSWORD = "violet-harbour-lantern-42"
EMAIL = "two-processes@darca.test"


@contextmanager
def two_processes(database_url: str) -> Iterator[tuple[str, str]]:
    env = {"DARCA_DATABASE_URL": database_url, "DARCA_BROKER_URL": "memory://", "DARCA_GRPC_PORT": "0",
           "DARCA_WORKERS": "1", "DARCA_LOG_LEVEL": "WARNING", "DARCA_AUTH_CACHE_STALE_AFTER_MS": "60000"}
    with ExitStack() as stack:
        started: list[LivePlatform] = [stack.enter_context(live_platform(env)) for _ in range(2)]
        for live in started:
            wait_ready(live)
        yield started[0].base, started[1].base


async def add_user(database_url: str) -> str:
    db, now, user_id = Database(database_url), utcnow(), new_id("usr")
    try:
        async with db.unit_of_work() as session:
            session.add(UserRow(id=user_id, phone="+442079460077", email=EMAIL, email_normalised=EMAIL,
                                display_name="Two Processes", country="GB", locale="en",
                                password_hash=await hash_password(PASSWORD), status="ACTIVE", phone_verified=True,
                                email_verified=True, created_at=now, updated_at=now))
    finally:
        await db.dispose()
    return user_id


async def add_api_key(database_url: str, company_id: str, created_by: str) -> tuple[str, str]:
    """(id, secret) of a key of the company (made here: through the API, a new device needs a step-up first)."""
    db, key_id, secret = Database(database_url), new_id("apk"), secrets.token_urlsafe(32)
    try:
        async with db.unit_of_work() as session:
            session.add(CompanyApiKeyRow(id=key_id, company_id=company_id, name="ERP sync", scopes=["company:read"],
                                         secret_hash=hashlib.sha256(secret.encode()).hexdigest(),
                                         created_by=created_by, created_at=utcnow()))
    finally:
        await db.dispose()
    return key_id, f"dk_live_{key_id}.{secret}"


async def lookups(client: httpx.AsyncClient, base: str, kind: str) -> dict[str, float]:
    """The process's credential checks of `kind` by where they were answered (cache, database)."""
    text = (await client.get(f"{base}/metrics")).text
    family = next(f for f in text_string_to_metric_families(text) if f.name == "darca_auth_lookups")
    return {s.labels["source"]: s.value for s in family.samples
            if s.name == "darca_auth_lookups_total" and s.labels["kind"] == kind}


async def cached_on(client: httpx.AsyncClient, base: str, url: str, headers: dict[str, str], kind: str) -> None:
    """Accepted by the process at `base`, the second time from its cache (no database read)."""
    assert (await client.get(f"{base}{url}", headers=headers)).status_code == 200
    before = await lookups(client, base, kind)
    assert (await client.get(f"{base}{url}", headers=headers)).status_code == 200
    after = await lookups(client, base, kind)
    assert after.get("database", 0) == before.get("database", 0)
    assert after["cache"] == before.get("cache", 0) + 1


async def refused_within_a_second(client: httpx.AsyncClient, base: str, url: str, headers: dict[str, str]) -> None:
    async def refused() -> bool:
        response = await client.get(f"{base}{url}", headers=headers)
        assert response.status_code in (200, 401), response.text
        return response.status_code == 401

    await eventually(refused, timeout=1.0)


async def test_a_revocation_on_one_process_takes_effect_on_the_other(database_url: str) -> None:
    user_id = await add_user(database_url)
    with two_processes(database_url) as (a, b):
        async with httpx.AsyncClient(timeout=10) as client:

            async def login() -> dict:
                response = await client.post(f"{a}/v1/sessions", json={"identifier": EMAIL, "password": PASSWORD})
                assert response.status_code == 201, response.text
                return response.json()

            def bearer(tokens: dict) -> dict[str, str]:
                return {"Authorization": f"Bearer {tokens['access_token']}"}

            async def cached_on_b(tokens: dict) -> None:
                await cached_on(client, b, "/v1/sessions", bearer(tokens), "bearer")

            async def refused_by_b(tokens: dict) -> None:
                await refused_within_a_second(client, b, "/v1/sessions", bearer(tokens))

            # logout: the session revokes itself
            mine = await login()
            await cached_on_b(mine)
            logout = await client.delete(f"{a}/v1/sessions/{mine['session_id']}", headers=bearer(mine))
            assert logout.status_code == 204, logout.text
            await refused_by_b(mine)

            # revoking another session of one's own
            keeper, other = await login(), await login()
            await cached_on_b(other)
            revoked = await client.delete(f"{a}/v1/sessions/{other['session_id']}", headers=bearer(keeper))
            assert revoked.status_code == 204, revoked.text
            await refused_by_b(other)

            # logout everywhere
            second = await login()
            await cached_on_b(keeper)
            await cached_on_b(second)
            everywhere = await client.delete(f"{a}/v1/sessions", headers=bearer(second))
            assert everywhere.status_code == 204, everywhere.text
            await refused_by_b(keeper)
            await refused_by_b(second)

            # a refresh token used twice: the whole family ends, the tokens it issued too
            stolen = await login()
            await cached_on_b(stolen)
            rotated = await client.post(f"{a}/v1/tokens/refresh", json={"refresh_token": stolen["refresh_token"]})
            assert rotated.status_code == 200, rotated.text
            await cached_on_b(rotated.json())
            replayed = await client.post(f"{a}/v1/tokens/refresh", json={"refresh_token": stolen["refresh_token"]})
            assert replayed.status_code == 401, replayed.text
            await refused_by_b(stolen)
            await refused_by_b(rotated.json())

            # an API key
            owner = bearer(await login())
            company = await client.post(f"{a}/v1/companies", headers={**owner, "Idempotency-Key": str(uuid.uuid4())},
                                        json={"legal_name": "Two Processes Ltd", "country": "GB",
                                              "registration_number": "07654321"})
            assert company.status_code == 201, company.text
            company_id = company.json()["id"]
            key_id, secret = await add_api_key(database_url, company_id, user_id)
            api_key = {"X-API-Key": secret}
            await cached_on(client, b, f"/v1/companies/{company_id}", api_key, "api_key")
            revoke_key = await client.delete(f"{a}/v1/companies/{company_id}/api-keys/{key_id}", headers=owner)
            assert revoke_key.status_code == 204, revoke_key.text
            await refused_within_a_second(client, b, f"/v1/companies/{company_id}", api_key)
