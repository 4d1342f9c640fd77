"""Password checks run off the event loop in a bounded pool: a full pool answers 429 PASSWORD_CHECKS_BUSY with
Retry-After at once, and other requests go on being served while hashes run (ADR 0016)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select, update

from core.identity.passwords import HASH_PROFILES, PasswordPool, install_pool
from core.identity.throttle.tables import ThrottleRow
from core.identity.users.tables import UserRow
from tests.support.waiting import eventually

from .conftest import IdentityPlatform
from .helpers import PASSWORD, active_user

ALICE = ("alice@example.com", "+442079460018")


class BlockedPool:
    """The process's password pool replaced by one thread, held busy until `release()`."""

    def __init__(self, max_waiting: int) -> None:
        self.pool = PasswordPool(threads=1, max_waiting=max_waiting)
        self.gate = threading.Event()
        self._holding: list[asyncio.Future[bool]] = []

    def hold(self) -> None:
        """Take one place in the pool (the thread first, then a waiting place) until `release()`."""
        self._holding.append(self.pool.submit(self.gate.wait))

    async def release(self) -> None:
        self.gate.set()
        await asyncio.gather(*self._holding)


@pytest.fixture
def blocked() -> Iterator[BlockedPool]:
    blocked = BlockedPool(max_waiting=1)
    previous = install_pool(blocked.pool)
    yield blocked
    blocked.gate.set()
    install_pool(previous)
    blocked.pool.shutdown()


async def login(idp: IdentityPlatform, identifier: str, password: str = PASSWORD):
    return await idp.client.post("/v1/sessions", json={"identifier": identifier, "password": password})


async def test_a_full_pool_answers_429_with_retry_after_for_known_and_unknown_users(
        idp: IdentityPlatform, blocked: BlockedPool) -> None:
    await active_user(idp, *ALICE)
    blocked.hold()
    queued = asyncio.create_task(login(idp, "alice@example.com"))  # takes the one waiting place

    async def waiting() -> bool:
        return blocked.pool.admitted == 2

    await eventually(waiting)
    for identifier in ("alice@example.com", "nobody@example.com"):  # the same queue, the same answer
        refused = await login(idp, identifier)
        assert refused.status_code == 429 and refused.json()["code"] == "PASSWORD_CHECKS_BUSY"
        assert refused.headers["retry-after"] == "1"
    await blocked.release()
    assert (await queued).status_code == 201
    async with idp.runtime.db.unit_of_work() as session:  # a refusal for being busy counts as no failed attempt
        assert (await session.execute(select(ThrottleRow).where(ThrottleRow.key.like("login%"), ThrottleRow.failures > 0))).scalars().all() == []


async def test_other_requests_are_served_while_a_login_waits_for_the_pool(
        idp: IdentityPlatform, blocked: BlockedPool) -> None:
    await active_user(idp, *ALICE)
    blocked.hold()
    pending = asyncio.create_task(login(idp, "alice@example.com"))

    async def waiting() -> bool:
        return blocked.pool.admitted == 2

    await eventually(waiting)
    live = await idp.client.get("/v1/health/live")  # the event loop is free while the login waits
    assert live.status_code == 200 and not pending.done()
    await blocked.release()
    assert (await pending).status_code == 201


@pytest.mark.backends("sqlite", "postgresql")  # the Idempotency-Key is freed differently on each engine
async def test_a_registration_refused_while_busy_runs_when_retried_with_the_same_key(
        idp: IdentityPlatform, blocked: BlockedPool) -> None:
    body = {"phone": "+442079460018", "email": "alice@example.com", "display_name": "Alice", "country": "GB",
            "password": PASSWORD}
    blocked.hold()
    blocked.hold()  # the thread and the waiting place
    refused = await idp.client.post("/v1/users", json=body, headers={"Idempotency-Key": "reg-busy"})
    assert refused.status_code == 429 and refused.json()["code"] == "PASSWORD_CHECKS_BUSY"
    assert refused.headers["retry-after"] == "1"
    await blocked.release()
    retried = await idp.client.post("/v1/users", json=body, headers={"Idempotency-Key": "reg-busy"})
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


async def test_a_login_replaces_a_hash_made_at_another_cost(idp: IdentityPlatform) -> None:
    user_id = await active_user(idp, *ALICE)
    older = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    async with idp.runtime.db.unit_of_work() as session:
        await session.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=older))

    async def stored() -> str:
        async with idp.runtime.db.unit_of_work() as session:
            row = await session.get(UserRow, user_id)
            assert row is not None
            return row.password_hash

    assert (await login(idp, "alice@example.com", "wrong-password-xyz")).status_code == 401
    assert await stored() == older  # a wrong password changes nothing
    assert (await login(idp, "alice@example.com")).status_code == 201
    assert extract_parameters(await stored()) == HASH_PROFILES["test"]
    assert (await login(idp, "alice@example.com")).status_code == 201
