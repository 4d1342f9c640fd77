"""Company API keys through the published API: the secret is shown once and stored only as a hash, the key
authenticates as `X-API-Key` for its own company and scopes, its use is tracked, and revocation stops it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.identity.companies.tables import CompanyApiKeyRow
from core.ledger.api import NewAccount
from core.platform.clock import Clock, utcnow
from core.platform.tables import OutboxEvent
from tests.conftest import OPERATOR_KEY

from .company_helpers import company, join, person
from .conftest import IdentityPlatform


async def _key_row(idp: IdentityPlatform, key_id: str) -> CompanyApiKeyRow:
    async with idp.runtime.db.sessions() as session:
        row = await session.get(CompanyApiKeyRow, key_id)
    assert row is not None
    return row


@pytest.mark.backends("sqlite", "postgresql")  # smoke: API keys
async def test_api_key_lifecycle(idp: IdentityPlatform, clock: Clock) -> None:
    alice = await person(idp, 1)
    acme = (await company(idp, alice))["id"]
    created = await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                    json={"name": "ERP sync", "scopes": ["company:read", "ledger:read"]})
    assert created.status_code == 201, created.text
    key = created.json()
    secret = key["secret"]
    assert secret.startswith(f"dk_live_{key['id']}.") and key["prefix"] == f"dk_live_{key['id']}"
    assert key["scopes"] == ["company:read", "ledger:read"] and key["created_by"] == alice.id
    assert "last_used_at" not in key and "revoked_at" not in key

    # only a SHA-256 of the random part is stored
    row = await _key_row(idp, key["id"])
    random_part = secret.split(".", 1)[1]
    assert row.secret_hash == hashlib.sha256(random_part.encode()).hexdigest() and random_part not in row.secret_hash
    listed = await idp.client.get(f"/v1/companies/{acme}/api-keys", headers=alice.auth)
    assert random_part not in listed.text and "secret" not in listed.json()["data"][0]

    # the key reads its own company
    got = await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": secret})
    assert got.status_code == 200 and got.json()["id"] == acme and "role" not in got.json()
    listed = (await idp.client.get(f"/v1/companies/{acme}/api-keys", headers=alice.auth)).json()["data"]
    first_use = listed[0]["last_used_at"]
    # use within a minute is not written again
    assert (await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": secret})).status_code == 200
    again = (await idp.client.get(f"/v1/companies/{acme}/api-keys", headers=alice.auth)).json()["data"][0]
    assert again["last_used_at"] == first_use
    # a minute later it is (the resolver keeps the key in memory, and writes the use when one is due)
    clock.advance(timedelta(minutes=2))
    assert (await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": secret})).status_code == 200
    later = (await idp.client.get(f"/v1/companies/{acme}/api-keys", headers=alice.auth)).json()["data"][0]
    assert later["last_used_at"] > first_use

    # a key is not a user: user operations refuse it
    assert (await idp.client.get("/v1/companies", headers={"X-API-Key": secret})).status_code == 401
    assert (await idp.client.patch(f"/v1/companies/{acme}", headers={"X-API-Key": secret},
                                   json={"legal_name": "Hacked Ltd"})).status_code == 401

    revoked = await idp.client.delete(f"/v1/companies/{acme}/api-keys/{key['id']}", headers=alice.auth)
    assert revoked.status_code == 204
    refused = await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": secret})
    assert refused.status_code == 401 and refused.json()["code"] == "UNAUTHENTICATED"
    shown = (await idp.client.get(f"/v1/companies/{acme}/api-keys", headers=alice.auth)).json()["data"][0]
    assert "revoked_at" in shown and "secret" not in shown
    assert (await idp.client.delete(f"/v1/companies/{acme}/api-keys/{key['id']}", headers=alice.auth)).status_code \
        == 204  # revoking twice changes nothing

    async with idp.runtime.db.sessions() as session:
        types = [e.event_type for e in (await session.execute(select(OutboxEvent))).scalars()]
        actions = [a.action for a in (await session.execute(select(AuditEntryRow))).scalars()]
    assert types.count("darca.identity.api_key_created.v1") == 1
    assert types.count("darca.identity.api_key_revoked.v1") == 1
    assert {"identity.company.api_key_created", "identity.company.api_key_revoked",
            "identity.company.api_key_used"} <= set(actions)


async def test_a_key_works_only_for_its_company_and_scopes(idp: IdentityPlatform) -> None:
    alice, bob = await person(idp, 1), await person(idp, 2)
    acme = (await company(idp, alice))["id"]
    other = (await company(idp, bob, number="99999999"))["id"]
    ledger_only = (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                         json={"name": "Books", "scopes": ["ledger:read"]})).json()["secret"]
    reader = (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                    json={"name": "Reader", "scopes": ["company:read"]})).json()["secret"]
    missing_scope = await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": ledger_only})
    assert missing_scope.status_code == 403 and missing_scope.json()["code"] == "FORBIDDEN"
    assert (await idp.client.get(f"/v1/companies/{other}", headers={"X-API-Key": reader})).status_code == 404
    # the operator key keeps working as before, and is not a company key
    assert (await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": OPERATOR_KEY})).status_code == 403
    for bad in ("dk_live_nope", reader + "x", reader[:-1] + ("A" if reader[-1] != "A" else "B"), ""):
        response = await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": bad})
        assert response.status_code == 401, bad


async def test_expired_keys_and_bad_expiry(idp: IdentityPlatform, clock: Clock) -> None:
    alice = await person(idp, 1)
    acme = (await company(idp, alice))["id"]
    past = await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                 json={"name": "Old", "scopes": ["company:read"],
                                       "expires_at": "2020-01-01T00:00:00Z"})
    assert past.status_code == 422 and past.json()["code"] == "EXPIRES_AT_IN_PAST"
    soon = (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                  json={"name": "Soon", "scopes": ["company:read"],
                                        "expires_at": (utcnow() + timedelta(hours=1)).isoformat()})).json()
    assert (await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": soon["secret"]})).status_code == 200
    clock.advance(timedelta(hours=1, seconds=1))  # the expiry is checked on every use, cached or not
    assert (await idp.client.get(f"/v1/companies/{acme}", headers={"X-API-Key": soon["secret"]})).status_code == 401
    bad_scope = await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                      json={"name": "Root", "scopes": ["platform:admin"]})
    assert bad_scope.status_code == 422


async def test_only_owners_and_admins_manage_keys(idp: IdentityPlatform) -> None:
    alice, bob, carol = await person(idp, 1), await person(idp, 2), await person(idp, 3)
    acme = (await company(idp, alice))["id"]
    await join(idp, acme, alice, bob, "ACCOUNTANT")
    await join(idp, acme, alice, carol, "ADMIN")
    key = (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=carol.auth,
                                 json={"name": "By admin", "scopes": ["reports:read"]})).json()
    assert key["created_by"] == carol.id
    assert (await idp.client.get(f"/v1/companies/{acme}/api-keys", headers=bob.auth)).status_code == 403
    assert (await idp.client.delete(f"/v1/companies/{acme}/api-keys/{key['id']}", headers=bob.auth)).status_code \
        == 403
    assert (await idp.client.delete(f"/v1/companies/{acme}/api-keys/apk_00000000000000000000000000",
                                    headers=alice.auth)).json()["code"] == "API_KEY_NOT_FOUND"
    assert (await idp.client.delete(f"/v1/companies/{acme}/api-keys/{key['id']}", headers=carol.auth)).status_code \
        == 204


@pytest.mark.backends("sqlite", "postgresql")  # smoke: keys reading the ledger
async def test_a_ledger_read_key_reads_its_company_accounts(idp: IdentityPlatform) -> None:
    alice, bob = await person(idp, 1), await person(idp, 2)
    acme = (await company(idp, alice))["id"]
    other = (await company(idp, bob, number="99999999"))["id"]
    mine = await idp.runtime.ledger.open_account(None, NewAccount(client_id="acme-eur", owner_type="COMPANY", owner_id=acme,
                                                            asset="EUR"))
    theirs = await idp.runtime.ledger.open_account(None, NewAccount(client_id="other-eur", owner_type="COMPANY",
                                                              owner_id=other, asset="EUR"))
    books = {"X-API-Key": (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                                 json={"name": "Books", "scopes": ["ledger:read"]})).json()["secret"]}
    reader = {"X-API-Key": (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                                  json={"name": "Reader", "scopes": ["company:read"]})).json()["secret"]}
    listed = await idp.client.get(f"/v1/ledger/accounts?company_id={acme}", headers=books)
    assert [a["id"] for a in listed.json()["data"]] == [mine.id]
    assert (await idp.client.get(f"/v1/ledger/accounts/{mine.id}", headers=books)).status_code == 200
    assert (await idp.client.get(f"/v1/ledger/accounts/{mine.id}/balance", headers=books)).status_code == 200
    # not another company's accounts, and not without the scope
    assert (await idp.client.get(f"/v1/ledger/accounts/{theirs.id}", headers=books)).status_code == 404
    assert (await idp.client.get(f"/v1/ledger/accounts?company_id={other}", headers=books)).json()["data"] == []
    assert (await idp.client.get(f"/v1/ledger/accounts/{mine.id}", headers=reader)).status_code == 403
