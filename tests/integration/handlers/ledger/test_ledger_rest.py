"""REST for owners: their accounts, balances, history, statements, holds; the sandbox top-up.

Callers are real DARCA ID users (seeded ACTIVE, then logged in through POST /v1/sessions), so every
request carries a real access token through the platform's authenticator.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import event

from app.main import create_app
from app.runtime import Runtime, build_runtime
from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.ledger.api import HoldSpec, Ledger, NewAccount
from core.platform.clock import utcnow
from core.platform.ids import new_id
from tests.conftest import make_settings

PASSWORD = "violet-harbour-lantern-42"
_PHONES = itertools.count(900000)


@dataclass
class Api:
    client: httpx.AsyncClient
    runtime: Runtime

    @property
    def ledger(self) -> Ledger:
        assert self.runtime.ledger is not None
        return self.runtime.ledger


async def _api(database_url: str, **overrides: object) -> AsyncIterator[Api]:
    settings = make_settings(database_url, **overrides)
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    inner = app.app
    transport = httpx.ASGITransport(app=app)
    async with inner.router.lifespan_context(inner), httpx.AsyncClient(transport=transport,
                                                                         base_url="http://darca.test") as client:
        yield Api(client, runtime)


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[Api]:
    async for value in _api(database_url):
        yield value


async def person(api: Api) -> tuple[str, dict[str, str]]:
    """An ACTIVE user (registration is tested by identity) and the headers of their logged-in session."""
    user_id, now = new_id("usr"), utcnow()
    email = f"{user_id}@darca.test"
    async with api.runtime.db.unit_of_work() as session:
        session.add(UserRow(id=user_id, phone=f"+447700{next(_PHONES):06d}", email=email,
                            email_normalised=email, display_name="Ledger Owner", country="GB", locale="en",
                            password_hash=await hash_password(PASSWORD), status="ACTIVE", phone_verified=True,
                            email_verified=True, created_at=now, updated_at=now))
    login = await api.client.post("/v1/sessions", json={"identifier": email, "password": PASSWORD})
    assert login.status_code == 201, login.text
    return user_id, {"Authorization": f"Bearer {login.json()['access_token']}"}


@pytest.mark.backends("sqlite", "postgresql")  # smoke: ledger REST
async def test_owner_reads_and_tops_up_their_wallet(api: Api) -> None:
    alice, headers = await person(api)
    mine = await api.ledger.open_account(None, NewAccount("o-1", "PERSON", alice, "EUR"))
    other = await api.ledger.open_account(None, NewAccount("o-2", "PERSON", new_id("usr"), "EUR"))

    topped = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "k1"},
                                   json={"account_id": mine.id, "amount": {"amount": "125.50", "asset": "EUR"}})
    assert topped.status_code == 201, topped.text
    assert topped.json()["type"] == "TOP_UP"
    replay = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "k1"},
                                   json={"account_id": mine.id, "amount": {"amount": "125.50", "asset": "EUR"}})
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json() == topped.json()
    await api.ledger.transfer(None, "t-1", mine.id, other.id, 2_550)

    listed = await api.client.get("/v1/ledger/accounts", headers=headers)
    assert [a["id"] for a in listed.json()["data"]] == [mine.id]
    account = (await api.client.get(f"/v1/ledger/accounts/{mine.id}", headers=headers)).json()
    eur = lambda amount: {"amount": amount, "asset": "EUR"}  # every amount is a Money
    assert account["balance"] == {"account_id": mine.id, "posted": eur("100.00"), "pending": eur("0.00"),
                                  "available": eur("100.00"), "version": 2}
    entries = (await api.client.get(f"/v1/ledger/accounts/{mine.id}/entries", headers=headers,
                                    params={"direction": "DEBIT"})).json()
    assert [(e["amount"], e["balance_after"], e["counterparty_account_id"]) for e in entries["data"]] == [
        (eur("25.50"), eur("100.00"), other.id)]
    start = (utcnow() - timedelta(hours=1)).isoformat()
    end = (utcnow() + timedelta(hours=1)).isoformat()
    statement = (await api.client.get(f"/v1/ledger/accounts/{mine.id}/statement", headers=headers,
                                      params={"start": start, "end": end})).json()
    assert (statement["opening_balance"], statement["closing_balance"]) == (eur("0.00"), eur("100.00"))
    assert (statement["total_debits"], statement["total_credits"]) == (eur("25.50"), eur("125.50"))
    past = (await api.client.get(f"/v1/ledger/accounts/{mine.id}/balance", headers=headers,
                                 params={"as_of": start})).json()
    assert past["posted"] == eur("0.00")

    hold = await api.ledger.create_hold(None, HoldSpec("h-1", mine.id, other.id, 1_000, utcnow() + timedelta(hours=1)))
    holds = (await api.client.get(f"/v1/ledger/accounts/{mine.id}/holds", headers=headers)).json()
    assert [h["id"] for h in holds["data"]] == [hold.id]
    one = await api.client.get(f"/v1/ledger/holds/{hold.id}", headers=headers)
    assert one.json()["amount"] == {"amount": "10.00", "asset": "EUR"}
    assert (await api.client.get(f"/v1/ledger/accounts/{mine.id}/balance", headers=headers)).json()["available"] == eur("90.00")


@pytest.mark.backends("sqlite", "postgresql")  # smoke: ownership filters
async def test_other_peoples_accounts_are_invisible(api: Api) -> None:
    bob, _ = await person(api)
    bobs = await api.ledger.open_account(None, NewAccount("o-3", "PERSON", bob, "EUR"))
    _, alice = await person(api)
    for path in (f"/v1/ledger/accounts/{bobs.id}", f"/v1/ledger/accounts/{bobs.id}/balance",
                 f"/v1/ledger/accounts/{bobs.id}/entries", f"/v1/ledger/accounts/{bobs.id}/holds"):
        response = await api.client.get(path, headers=alice)
        assert (response.status_code, response.json()["code"]) == (404, "ACCOUNT_NOT_FOUND"), path
    top_up = await api.client.post("/v1/sandbox/top-ups", headers={**alice, "Idempotency-Key": "k2"},
                                   json={"account_id": bobs.id, "amount": {"amount": "1.00", "asset": "EUR"}})
    assert top_up.status_code == 404
    anonymous = await api.client.get(f"/v1/ledger/accounts/{bobs.id}")
    assert anonymous.status_code == 401
    company = await api.client.get("/v1/ledger/accounts", headers=alice, params={"company_id": "cmp_x"})
    assert company.json()["data"] == []


@pytest.mark.backends("sqlite", "postgresql")  # smoke: money problems
async def test_money_problems(api: Api) -> None:
    carol, headers = await person(api)
    mine = await api.ledger.open_account(None, NewAccount("o-4", "PERSON", carol, "EUR"))
    cases = [("1.005", "EUR", "AMOUNT_TOO_PRECISE"), ("1.5", "EUR", "AMOUNT_SCALE_MISMATCH"),
             ("0.00", "EUR", "AMOUNT_NOT_POSITIVE"), ("1.00", "USD", "ASSET_MISMATCH"),
             ("1.00", "XYZ", "ASSET_NOT_FOUND")]
    for i, (amount, asset, code) in enumerate(cases):
        response = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": f"m{i}"},
                                         json={"account_id": mine.id, "amount": {"amount": amount, "asset": asset}})
        assert (response.status_code, response.json()["code"]) == (422, code), response.text
    negative = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "neg"},
                                     json={"account_id": mine.id, "amount": {"amount": "-1.00", "asset": "EUR"}})
    assert negative.status_code == 422 and negative.json()["code"] == "VALIDATION_FAILED"
    bad_time = await api.client.get(f"/v1/ledger/accounts/{mine.id}/balance", headers=headers,
                                    params={"as_of": "2026-01-01T00:00:00"})
    assert bad_time.status_code == 422


async def test_top_up_refused_in_production(database_url: str) -> None:
    async for api in _api(database_url, environment="PRODUCTION"):
        dan, headers = await person(api)
        mine = await api.ledger.open_account(None, NewAccount("o-5", "PERSON", dan, "EUR"))
        response = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "p1"},
                                         json={"account_id": mine.id, "amount": {"amount": "1.00", "asset": "EUR"}})
        assert (response.status_code, response.json()["code"]) == (403, "SANDBOX_ONLY")
        assert "SANDBOX" in response.json()["detail"]
        assert (await api.ledger.get_account(None, mine.id)).posted == 0


async def test_top_up_metadata_is_kept_and_returned(api: Api) -> None:
    erin, headers = await person(api)
    mine = await api.ledger.open_account(None, NewAccount("o-6", "PERSON", erin, "EUR"))
    body = {"account_id": mine.id, "amount": {"amount": "5.00", "asset": "EUR"},
            "metadata": {"note": "x", "order": "A-17"}}
    topped = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "md1"}, json=body)
    assert topped.status_code == 201, topped.text
    assert topped.json()["metadata"] == {"note": "x", "order": "A-17"}
    stored = await api.ledger.get_transaction(None, topped.json()["id"])
    assert stored.metadata == {"note": "x", "order": "A-17"}
    # History entries carry no metadata in the contract; the top-up is there, under its transaction id.
    history = (await api.client.get(f"/v1/ledger/accounts/{mine.id}/entries", headers=headers)).json()
    assert [e["transaction_id"] for e in history["data"]] == [topped.json()["id"]]
    empty = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "md2"},
                                  json={**body, "metadata": {}})
    assert empty.status_code == 201 and "metadata" not in empty.json()


async def test_top_up_above_the_asset_ceiling_is_refused(api: Api) -> None:
    fay, headers = await person(api)
    eur = await api.ledger.open_account(None, NewAccount("o-7", "PERSON", fay, "EUR"))
    btc = await api.ledger.open_account(None, NewAccount("o-8", "PERSON", fay, "BTC"))
    cases = [(eur, "1000000.01", "EUR", "1000000.00"),  # the default: 1,000,000 whole units
             (eur, "92233720368547758.08", "EUR", "1000000.00"),  # 2**63 minor units
             (eur, "9" * 30 + ".99", "EUR", "1000000.00"),  # the longest the contract allows
             (btc, "100.00000001", "BTC", "100.00000000")]  # the registry's sandbox_top_up_max
    for i, (account, amount, asset, ceiling) in enumerate(cases):
        response = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": f"c{i}"},
                                         json={"account_id": account.id, "amount": {"amount": amount, "asset": asset}})
        assert (response.status_code, response.json()["code"]) == (422, "TOP_UP_LIMIT_EXCEEDED"), response.text
        assert response.json()["errors"][0]["field"] == "body.amount.amount"
        assert ceiling in response.json()["detail"]
    too_long = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "c-long"},
                                     json={"account_id": eur.id, "amount": {"amount": "9" * 31 + ".99", "asset": "EUR"}})
    assert too_long.status_code == 422, too_long.text
    at_most = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "c-max"},
                                    json={"account_id": eur.id, "amount": {"amount": "1000000.00", "asset": "EUR"}})
    assert at_most.status_code == 201, at_most.text
    assert (await api.ledger.get_account(None, eur.id)).posted == 100_000_000
    assert (await api.ledger.get_account(None, btc.id)).posted == 0


@pytest.mark.backends("postgresql")  # SQLite claims the key in a transaction of its own, by design (ADR 0014)
async def test_a_top_up_reads_and_writes_in_the_one_transaction_of_its_idempotency_key(api: Api) -> None:
    alice, headers = await person(api)
    mine = await api.ledger.open_account(None, NewAccount("one-txn", "PERSON", alice, "EUR"))
    body = {"account_id": mine.id, "amount": {"amount": "10.00", "asset": "EUR"}}
    # The first top-up of an asset opens its external-world account, once, in a unit of its own.
    first = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "one-1"}, json=body)
    assert first.status_code == 201, first.text

    touched: set[int] = set()  # the database transactions that read or wrote ledger or idempotency rows
    async with transactions_touched(api, touched):
        second = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "one-2"},
                                       json=body)
    assert second.status_code == 201, second.text
    assert len(touched) == 1
    assert (await api.ledger.get_account(None, mine.id)).posted == 2000


@pytest.mark.backends("postgresql")  # SQLite claims the key in a transaction of its own, by design (ADR 0014)
async def test_a_refused_top_up_is_refused_and_stored_in_the_one_transaction_of_its_idempotency_key(api: Api) -> None:
    alice, headers = await person(api)
    mine = await api.ledger.open_account(None, NewAccount("one-txn-refused", "PERSON", alice, "EUR"))
    body = {"account_id": mine.id, "amount": {"amount": "10.00", "asset": "EUR"}}
    first = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "r-1"}, json=body)
    assert first.status_code == 201, first.text
    await api.ledger.freeze(None, "freeze-credits", mine.id, "CREDITS")
    touched: set[int] = set()
    async with transactions_touched(api, touched):
        refused = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "r-2"},
                                        json=body)
    assert (refused.status_code, refused.json()["code"]) == (422, "ACCOUNT_FROZEN"), refused.text
    assert len(touched) == 1  # read, locked, refused and the refusal stored under its key: one transaction
    replayed = await api.client.post("/v1/sandbox/top-ups", headers={**headers, "Idempotency-Key": "r-2"}, json=body)
    assert (replayed.status_code, replayed.headers.get("Idempotent-Replayed")) == (422, "true")
    assert (await api.ledger.get_account(None, mine.id)).posted == 1000


@asynccontextmanager
async def transactions_touched(api: Api, touched: set[int]) -> AsyncIterator[None]:
    """Collect, while the block runs, the database transactions that read or wrote ledger or idempotency rows."""
    numbers = itertools.count()

    def begun(connection: object) -> None:
        connection.info["transaction"] = next(numbers)  # type: ignore[attr-defined]

    request_task = asyncio.current_task()  # the in-process client serves the request in this task

    def executed(connection: object, _cursor: object, statement: str, *_: object) -> None:
        if asyncio.current_task() is not request_task:
            return  # a background job (hold expiry, relay) between the same lines is not the request's
        if "ledger_" in statement or "idempotency_keys" in statement:
            touched.add(connection.info.get("transaction", -1))  # type: ignore[attr-defined]

    engine = api.runtime.db.engine.sync_engine
    event.listen(engine, "begin", begun)
    event.listen(engine, "before_cursor_execute", executed)
    try:
        yield
    finally:
        event.remove(engine, "begin", begun)
        event.remove(engine, "before_cursor_execute", executed)


@pytest.mark.backends("sqlite", "postgresql")
async def test_a_balance_read_is_one_query(api: Api) -> None:
    alice, headers = await person(api)
    mine = await api.ledger.open_account(None, NewAccount("one-query", "PERSON", alice, "EUR"))
    await api.ledger.scale_of("EUR")  # reference data, cached once per process
    ledger_reads: list[str] = []

    def executed(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if "ledger_" in statement:
            ledger_reads.append(statement)

    engine = api.runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", executed)
    try:
        balance = await api.client.get(f"/v1/ledger/accounts/{mine.id}/balance", headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", executed)
    assert balance.status_code == 200, balance.text
    assert len(ledger_reads) == 1  # the account, with who may read it in its WHERE clause


@pytest.mark.backends("sqlite", "postgresql")
async def test_statement_pages_follow_their_cursor_through_the_period(api: Api) -> None:
    alice, headers = await person(api)
    mine = await api.ledger.open_account(None, NewAccount("pages", "PERSON", alice, "EUR"))
    for n in range(5):
        await api.ledger.top_up(None, f"pages-{n}", mine.id, 100 * (n + 1))
    params = {"start": (utcnow() - timedelta(hours=1)).isoformat(), "end": (utcnow() + timedelta(hours=1)).isoformat(),
              "limit": "2"}
    versions: list[int] = []
    while True:
        page = await api.client.get(f"/v1/ledger/accounts/{mine.id}/statement", headers=headers, params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        assert (body["total_credits"]["amount"], body["closing_balance"]["amount"]) == ("15.00", "15.00")
        versions += [e["account_version"] for e in body["entries"]]
        if not body["has_more"]:
            break
        params["cursor"] = body["next_cursor"]
    assert versions == [1, 2, 3, 4, 5]
