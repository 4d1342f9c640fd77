"""Idempotency-Key semantics (DESIGN §4) through the API and the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from core.assets.tables import AssetRow
from core.platform.clock import utcnow
from core.platform.idempotency import IdempotencyService, fingerprint
from core.platform.problems import ProblemError
from core.platform.tables import IdempotencyRecord, OutboxEvent
from tests.conftest import OPERATOR_KEY, Platform

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # idempotency keys: unique constraints, row locks, races

ADMIN = {"X-API-Key": OPERATOR_KEY}
SOL = {"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9}


async def count(platform: Platform, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with platform.runtime.db.unit_of_work() as session:
        return (await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one()


async def test_same_key_same_request_replays_the_stored_response(platform: Platform) -> None:
    headers = {**ADMIN, "Idempotency-Key": "k-replay"}
    first = await platform.client.post("/v1/assets", json=SOL, headers=headers)
    second = await platform.client.post("/v1/assets", json=dict(reversed(list(SOL.items()))), headers=headers)
    assert first.status_code == second.status_code == 201
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert await count(platform, AssetRow, AssetRow.code == "SOL") == 1
    assert await count(platform, OutboxEvent, OutboxEvent.partition_key == "asset:SOL") == 1


async def test_same_key_different_request_is_refused(platform: Platform) -> None:
    headers = {**ADMIN, "Idempotency-Key": "k-reuse"}
    assert (await platform.client.post("/v1/assets", json=SOL, headers=headers)).status_code == 201
    other = await platform.client.post("/v1/assets", json={**SOL, "code": "ADA"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert (await platform.client.get("/v1/assets/ADA")).status_code == 404


async def test_key_in_flight_is_a_conflict(platform: Platform) -> None:
    service = platform.runtime.idempotency
    scope = "OPERATOR:operator"
    claimed = await service.begin(scope, "k-flight", "createAsset", fingerprint("createAsset", "/v1/assets", SOL))
    assert claimed is None  # someone else holds the key right now
    response = await platform.client.post("/v1/assets", json=SOL, headers={**ADMIN, "Idempotency-Key": "k-flight"})
    assert response.status_code == 409
    assert response.json()["code"] == "IDEMPOTENCY_KEY_IN_USE"


async def test_concurrent_duplicates_create_once(platform: Platform) -> None:
    headers = {**ADMIN, "Idempotency-Key": "k-race"}
    responses = await asyncio.gather(*[platform.client.post("/v1/assets", json=SOL, headers=headers) for _ in range(8)])
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    assert await count(platform, AssetRow, AssetRow.code == "SOL") == 1
    assert await count(platform, OutboxEvent, OutboxEvent.partition_key == "asset:SOL") == 1


async def test_a_failed_attempt_stays_failed(platform: Platform) -> None:
    headers = {**ADMIN, "Idempotency-Key": "k-fail"}
    body = {**SOL, "code": "EUR"}  # EUR exists: a business refusal
    first = await platform.client.post("/v1/assets", json=body, headers=headers)
    assert first.status_code == 409 and first.json()["code"] == "ASSET_ALREADY_EXISTS"
    # Even if the reason went away, the key keeps its answer.
    async with platform.runtime.db.unit_of_work() as session:
        await session.execute(update(AssetRow).where(AssetRow.code == "EUR").values(code="EUX"))
    again = await platform.client.post("/v1/assets", json=body, headers=headers)
    assert again.status_code == 409
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["code"] == "ASSET_ALREADY_EXISTS"


async def test_keys_are_scoped_to_the_caller(platform: Platform) -> None:
    service = platform.runtime.idempotency
    digest = fingerprint("createAsset", "/v1/assets", SOL)
    assert await service.begin("USER:a", "shared", "createAsset", digest) is None
    assert await service.begin("USER:b", "shared", "createAsset", digest) is None


async def test_crashed_attempt_can_be_taken_over_after_the_lock(platform: Platform) -> None:
    service = IdempotencyService(platform.runtime.db, retention=timedelta(hours=1), lock=timedelta(seconds=60))
    digest = fingerprint("createAsset", "/v1/assets", SOL)
    assert await service.begin("OPERATOR:operator", "k-crash", "createAsset", digest) is None
    with pytest.raises(ProblemError) as in_use:
        await service.begin("OPERATOR:operator", "k-crash", "createAsset", digest)
    assert in_use.value.code == "IDEMPOTENCY_KEY_IN_USE"
    async with platform.runtime.db.unit_of_work() as session:  # the process died: its lock lapses
        await session.execute(update(IdempotencyRecord).values(locked_until=utcnow() - timedelta(seconds=1)))
    response = await platform.client.post("/v1/assets", json=SOL, headers={**ADMIN, "Idempotency-Key": "k-crash"})
    assert response.status_code == 201


async def test_expired_records_are_purged_and_the_key_is_free_again(platform: Platform) -> None:
    headers = {**ADMIN, "Idempotency-Key": "k-old"}
    assert (await platform.client.post("/v1/assets", json=SOL, headers=headers)).status_code == 201
    async with platform.runtime.db.unit_of_work() as session:
        await session.execute(update(IdempotencyRecord).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert await platform.runtime.idempotency.purge_expired() == 1
    assert await count(platform, IdempotencyRecord) == 0
    reused = await platform.client.post("/v1/assets", json={**SOL, "code": "ADA"}, headers=headers)
    assert reused.status_code == 201


async def test_missing_key_is_a_validation_problem(platform: Platform) -> None:
    response = await platform.client.post("/v1/assets", json=SOL, headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"


async def test_a_request_refused_by_validation_leaves_its_key_free(platform: Platform) -> None:
    """The weak password is found by the handler, after the key was claimed: the 422 stores nothing,
    so the corrected request with the same key runs (Stripe's rule: only executed requests settle)."""
    headers = {"Idempotency-Key": "k-corrected"}
    body = {"phone": "+442079460031", "email": "val@example.com", "display_name": "Val", "country": "GB",
            "password": "password"}
    refused = await platform.client.post("/v1/users", json=body, headers=headers)
    assert refused.status_code == 422 and refused.json()["code"] == "VALIDATION_FAILED"
    assert await count(platform, IdempotencyRecord, IdempotencyRecord.key == "k-corrected") == 0
    corrected = await platform.client.post("/v1/users", json={**body, "password": "violet-harbour-lantern-42"},
                                           headers=headers)
    assert corrected.status_code == 201, corrected.text
    assert "idempotent-replayed" not in corrected.headers
    replay = await platform.client.post("/v1/users", json={**body, "password": "violet-harbour-lantern-42"},
                                        headers=headers)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == corrected.json()


async def test_a_business_refusal_stays_the_answer_for_its_key(platform: Platform) -> None:
    headers = {**ADMIN, "Idempotency-Key": "k-refused"}
    assert (await platform.client.post("/v1/assets", json=SOL, headers={**ADMIN, "Idempotency-Key": "k-first"})).status_code == 201
    first = await platform.client.post("/v1/assets", json=SOL, headers=headers)
    assert first.status_code == 409
    again = await platform.client.post("/v1/assets", json=SOL, headers=headers)
    assert again.status_code == 409 and again.headers["idempotent-replayed"] == "true"
