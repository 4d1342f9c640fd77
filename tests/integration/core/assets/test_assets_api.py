"""The asset registry through the published API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.platform.outbox import envelope_of
from core.platform.tables import OutboxEvent
from tests.conftest import OPERATOR_KEY, Platform

ADMIN = {"X-API-Key": OPERATOR_KEY}
DEFAULTS = {"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "JPY": 0, "BTC": 8, "ETH": 18, "USDT": 6}


@pytest.mark.backends("sqlite", "postgresql")  # smoke: keyset pagination in SQL
async def test_registry_lists_every_default_asset_with_its_scale_across_pages(platform: Platform) -> None:
    seen: dict[str, int] = {}
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = await platform.client.get("/v1/assets", params=params)
        assert response.status_code == 200
        page = response.json()
        pages += 1
        assert len(page["data"]) <= 3
        seen.update({a["code"]: a["scale"] for a in page["data"]})
        if not page["has_more"]:
            assert "next_cursor" not in page
            break
        cursor = page["next_cursor"]
    assert seen == DEFAULTS
    assert pages == 3
    codes = list(seen)
    assert codes == sorted(codes)


async def test_filter_by_kind(platform: Platform) -> None:
    response = await platform.client.get("/v1/assets", params={"kind": "CRYPTO", "limit": 100})
    assert {a["code"] for a in response.json()["data"]} == {"BTC", "ETH", "USDT"}


async def test_get_one_and_unknown(platform: Platform) -> None:
    eth = (await platform.client.get("/v1/assets/ETH")).json()
    assert eth["scale"] == 18 and eth["kind"] == "CRYPTO" and eth["version"] == 1
    missing = await platform.client.get("/v1/assets/XYZ")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "ASSET_NOT_FOUND"


async def test_tampered_cursor_is_a_clear_400(platform: Platform) -> None:
    """Well-formed (the contract's cursor pattern) but not issued by us: 400 INVALID_CURSOR."""
    response = await platform.client.get("/v1/assets", params={"cursor": "eyJrIjpbMSwyLDMsNF19"})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_CURSOR"


async def test_a_cursor_outside_the_contracts_pattern_is_a_validation_problem(platform: Platform) -> None:
    response = await platform.client.get("/v1/assets", params={"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.cursor"]


@pytest.mark.backends("sqlite", "postgresql")  # smoke: write and outbox in one transaction
async def test_operator_registers_an_asset_and_the_event_is_in_the_outbox(platform: Platform) -> None:
    body = {"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9}
    created = await platform.client.post("/v1/assets", json=body, headers={**ADMIN, "Idempotency-Key": "sol-1"})
    assert created.status_code == 201
    assert created.headers["location"] == "/v1/assets/SOL"
    assert created.json()["status"] == "ACTIVE"
    assert (await platform.client.get("/v1/assets/SOL")).json()["scale"] == 9

    async with platform.runtime.db.unit_of_work() as session:
        rows = (await session.execute(
            select(OutboxEvent).where(OutboxEvent.partition_key == "asset:SOL"))).scalars().all()
    assert len(rows) == 1
    envelope = envelope_of(rows[0])
    assert envelope["type"] == "darca.platform.asset_registry_changed.v1"
    assert envelope["data"] == {"change": "CREATED", "asset": {"code": "SOL", "name": "Solana", "kind": "CRYPTO",
                                                               "scale": 9, "status": "ACTIVE", "version": 1}}
    assert envelope["subject"] == "asset/SOL"


@pytest.mark.backends("sqlite", "postgresql")  # unique constraint
async def test_duplicate_code_is_a_conflict(platform: Platform) -> None:
    body = {"code": "EUR", "name": "Euro again", "kind": "FIAT", "scale": 2}
    response = await platform.client.post("/v1/assets", json=body, headers={**ADMIN, "Idempotency-Key": "eur-dup"})
    assert response.status_code == 409
    assert response.json()["code"] == "ASSET_ALREADY_EXISTS"


async def test_registration_needs_the_operator_key(platform: Platform) -> None:
    body = {"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9}
    anonymous = await platform.client.post("/v1/assets", json=body, headers={"Idempotency-Key": "a"})
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHENTICATED"
    assert anonymous.headers["www-authenticate"]
    wrong = await platform.client.post("/v1/assets", json=body, headers={"Idempotency-Key": "a", "X-API-Key": "nope"})
    assert wrong.status_code == 401
    assert (await platform.client.get("/v1/assets/SOL")).status_code == 404


async def test_invalid_new_asset_lists_each_field(platform: Platform) -> None:
    body = {"code": "eur", "name": " padded ", "kind": "GOLD", "scale": 19, "extra": 1}
    response = await platform.client.post("/v1/assets", json=body, headers={**ADMIN, "Idempotency-Key": "bad"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "VALIDATION_FAILED"
    fields = {e["field"] for e in problem["errors"]}
    assert {"body.code", "body.name", "body.kind", "body.scale", "body.extra"} <= fields
