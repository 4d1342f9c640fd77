"""Wallets through the API: a person's defaults open on activation (from configuration), more open on
request from the registry, companies open theirs by role; every opening is an event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from app.main import create_app
from app.runtime import build_runtime
from core.assets.api import default_asset_codes
from core.assets.tables import AssetRow
from tests.conftest import make_settings
from tests.contract.test_asyncapi_payloads import violations
from tests.integration.core.identity.company_helpers import company, idem, join, person
from tests.integration.core.identity.conftest import IdentityPlatform, delivered, idp  # noqa: F401
from tests.integration.core.identity.mfa_helpers import outbox


async def wallets_of(idp: IdentityPlatform, auth: dict[str, str]) -> list[dict]:  # noqa: F811
    response = await idp.client.get("/v1/wallets", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["data"]


@pytest.mark.backends("sqlite", "postgresql")  # smoke: accounts opened in the activation's unit of work
async def test_default_wallets_open_on_activation(idp: IdentityPlatform) -> None:  # noqa: F811
    ada = await person(idp, 1)
    wallets = await wallets_of(idp, ada.auth)
    assert sorted(w["asset"] for w in wallets) == sorted(default_asset_codes())  # nothing configured: the registry's
    assert {(w["owner_type"], w["owner_id"], w["type"], w["status"]) for w in wallets} == \
        {("PERSON", ada.id, "CUSTOMER_WALLET", "OPEN")}
    envelopes = await outbox(idp, "darca.wallets.wallet_opened.v1")
    assert not [v for e in envelopes for v in violations(e)]  # each a message of the contract
    events = [e["data"] for e in envelopes]
    assert sorted(e["asset"] for e in events) == sorted(default_asset_codes())
    assert {(e["owner_id"], e["reason"]) for e in events} == {(ada.id, "DEFAULT")}
    # the same wallets through the ledger's read side, with their balances
    listed = (await idp.client.get("/v1/ledger/accounts", headers=ada.auth)).json()["data"]
    assert {a["id"] for a in listed} == {w["id"] for w in wallets}


@pytest.fixture
async def narrow(database_url: str, tmp_path: Path) -> AsyncIterator[IdentityPlatform]:
    """A platform whose people get a EUR wallet only."""
    spool = tmp_path / "mail"
    settings = make_settings(database_url, mail_spool_dir=str(spool), default_wallet_assets="EUR")
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    inner = app.app
    async with inner.router.lifespan_context(inner), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://darca.test",
            event_hooks={"response": [delivered(runtime)]}) as client:
        yield IdentityPlatform(runtime=runtime, client=client, app=app, settings=settings, spool=spool)


async def test_open_another_wallet_from_the_registry(narrow: IdentityPlatform) -> None:
    ada = await person(narrow, 1)
    assert [w["asset"] for w in await wallets_of(narrow, ada.auth)] == ["EUR"]
    key = idem()
    opened = await narrow.client.post("/v1/wallets", headers={**ada.auth, **key}, json={"asset": "JPY"})
    assert opened.status_code == 201, opened.text
    wallet = opened.json()
    assert wallet["asset"] == "JPY" and wallet["balance"]["available"] == {"amount": "0", "asset": "JPY"} and wallet["owner_id"] == ada.id
    replay = await narrow.client.post("/v1/wallets", headers={**ada.auth, **key}, json={"asset": "JPY"})
    assert replay.status_code == 201 and replay.json() == wallet and replay.headers["idempotent-replayed"] == "true"
    twice = await narrow.client.post("/v1/wallets", headers={**ada.auth, **idem()}, json={"asset": "JPY"})
    assert twice.status_code == 409 and twice.json()["code"] == "WALLET_ALREADY_EXISTS"
    unknown = await narrow.client.post("/v1/wallets", headers={**ada.auth, **idem()}, json={"asset": "XYZ"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "ASSET_NOT_FOUND"
    assert unknown.json()["errors"][0]["field"] == "body.asset"
    async with narrow.runtime.db.unit_of_work() as session:
        await session.execute(update(AssetRow).where(AssetRow.code == "CHF").values(status="DISABLED"))
    disabled = await narrow.client.post("/v1/wallets", headers={**ada.auth, **idem()}, json={"asset": "CHF"})
    assert disabled.status_code == 422 and disabled.json()["code"] == "ASSET_DISABLED"
    assert sorted(w["asset"] for w in await wallets_of(narrow, ada.auth)) == ["EUR", "JPY"]
    requested = [e["data"] for e in await outbox(narrow, "darca.wallets.wallet_opened.v1") if e["data"]["asset"] == "JPY"]
    assert requested == [{"account_id": wallet["id"], "owner_type": "PERSON", "owner_id": ada.id, "asset": "JPY",
                          "reason": "REQUESTED"}]


async def test_wallets_are_private(narrow: IdentityPlatform) -> None:
    ada, bob = await person(narrow, 1), await person(narrow, 2)
    assert {w["owner_id"] for w in await wallets_of(narrow, bob.auth)} == {bob.id}
    anonymous = await narrow.client.get("/v1/wallets")
    assert anonymous.status_code == 401
    operator = await narrow.client.post("/v1/wallets", headers={"X-API-Key": "test-operator-key", **idem()},
                                        json={"asset": "JPY"})
    assert operator.status_code == 401  # wallets of one's own are a person's: a user's token only
    assert ada.id not in {w["owner_id"] for w in await wallets_of(narrow, bob.auth)}


async def test_company_wallets_by_role(narrow: IdentityPlatform) -> None:
    owner, viewer, outsider, admin = [await person(narrow, n) for n in (1, 2, 3, 4)]
    acme = (await company(narrow, owner))["id"]
    await join(narrow, acme, owner, viewer, "VIEWER")
    await join(narrow, acme, owner, admin, "ADMIN")
    path = f"/v1/companies/{acme}/wallets"
    assert (await narrow.client.get(path, headers=owner.auth)).json()["data"] == []  # companies get no defaults
    opened = await narrow.client.post(path, headers={**owner.auth, **idem()}, json={"asset": "EUR"})
    assert opened.status_code == 201, opened.text
    assert (opened.json()["owner_type"], opened.json()["owner_id"]) == ("COMPANY", acme)
    by_admin = await narrow.client.post(path, headers={**admin.auth, **idem()}, json={"asset": "USD"})
    assert by_admin.status_code == 201, by_admin.text
    by_viewer = await narrow.client.post(path, headers={**viewer.auth, **idem()}, json={"asset": "GBP"})
    assert by_viewer.status_code == 403 and by_viewer.json()["code"] == "FORBIDDEN"
    by_outsider = await narrow.client.post(path, headers={**outsider.auth, **idem()}, json={"asset": "GBP"})
    assert by_outsider.status_code == 404 and by_outsider.json()["code"] == "COMPANY_NOT_FOUND"
    assert (await narrow.client.get(path, headers=outsider.auth)).status_code == 404
    seen = (await narrow.client.get(path, headers=viewer.auth)).json()["data"]
    assert sorted(w["asset"] for w in seen) == ["EUR", "USD"]
    twice = await narrow.client.post(path, headers={**owner.auth, **idem()}, json={"asset": "EUR"})
    assert twice.status_code == 409 and twice.json()["code"] == "WALLET_ALREADY_EXISTS"
    # the company's wallets are not the owner's own
    assert [w["asset"] for w in await wallets_of(narrow, owner.auth)] == ["EUR"]
