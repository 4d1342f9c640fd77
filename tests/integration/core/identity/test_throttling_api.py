"""Abuse resistance: login and code-verification throttling with back-off, lockout and Retry-After."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from core.identity.throttle.tables import ThrottleRow
from core.platform.clock import utcnow

from .conftest import IdentityPlatform
from .helpers import PASSWORD, active_user

ALICE = ("alice@example.com", "+442079460018")


async def attempt(idp: IdentityPlatform, identifier: str, password: str = "wrong-password-xyz"):
    return await idp.client.post("/v1/sessions", json={"identifier": identifier, "password": password})


@pytest.mark.backends("sqlite", "postgresql")  # smoke: throttling
async def test_account_lockout_cannot_be_bypassed_by_case_or_spaces(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    variants = ["alice@example.com", "ALICE@example.com", " alice@EXAMPLE.com ", "Alice@Example.Com", "alice @example.com"]
    statuses = [(await attempt(idp, v)).status_code for v in variants]
    assert statuses[:4] == [401, 401, 401, 401]
    assert statuses[4] == 401  # the 5th failure is answered, and locks the account
    locked = await attempt(idp, "ALICE@EXAMPLE.COM", PASSWORD)  # even the right password, in any spelling
    assert locked.status_code == 429 and locked.json()["code"] == "TOO_MANY_ATTEMPTS"
    assert int(locked.headers["retry-after"]) >= 1
    by_phone = await attempt(idp, "+44 20 7946 0018", PASSWORD)
    assert by_phone.status_code == 429  # the phone is the same user: one counter for all their identifiers


async def test_back_off_grows_exponentially(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    waits = []
    for _ in range(3):
        for _ in range(5):
            r = await attempt(idp, "alice@example.com")
            if r.status_code == 429:
                break
        async with idp.runtime.db.unit_of_work() as session:
            row = (await session.execute(select(ThrottleRow).where(ThrottleRow.key.like("login:user:%")))).scalars().one()
            waits.append(row.failures)
            # the lock has run out (set in the past), so the next failure is counted
            locked_for = (row.locked_until.replace(tzinfo=None) - row.updated_at.replace(tzinfo=None)).total_seconds()
            waits.append(locked_for)
            await session.execute(update(ThrottleRow).values(locked_until=utcnow()))
    lock_lengths = waits[1::2]
    assert lock_lengths[0] == 30 and lock_lengths[1] == 60 and lock_lengths[2] == 120


async def test_unknown_user_is_throttled_exactly_like_a_known_one(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    known = [(await attempt(idp, "alice@example.com")).status_code for _ in range(6)]
    unknown = [(await attempt(idp, "nobody@example.com")).status_code for _ in range(6)]
    assert known == unknown == [401, 401, 401, 401, 401, 429]


async def test_success_resets_the_account_counter(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    for _ in range(4):
        await attempt(idp, "alice@example.com")
    assert (await attempt(idp, "alice@example.com", PASSWORD)).status_code == 201
    for _ in range(4):
        assert (await attempt(idp, "alice@example.com")).status_code == 401


@pytest.mark.backends("sqlite", "postgresql")  # counters shared in SQL
async def test_per_address_throttle_across_accounts(idp: IdentityPlatform) -> None:
    statuses = [(await attempt(idp, f"user{i}@example.com")).status_code for i in range(22)]
    assert statuses[:21] == [401] * 21 and statuses[21] == 429


async def test_code_guessing_is_throttled_per_address(idp: IdentityPlatform) -> None:
    import uuid

    codes = []
    for i in range(5):
        body = {"phone": f"+4420794600{20 + i}", "email": f"u{i}@example.com", "display_name": "U", "country": "GB",
                "password": PASSWORD}
        uid = (await idp.client.post("/v1/users", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})).json()["id"]
        await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
        right = idp.last_code(f"u{i}@example.com")
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        for _ in range(5):
            r = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "EMAIL", "code": wrong})
            codes.append(r.json()["code"])
    assert codes[-1] == "TOO_MANY_ATTEMPTS"  # the 21st wrong code from one address locks it
    assert codes.count("TOO_MANY_ATTEMPTS") == 4
