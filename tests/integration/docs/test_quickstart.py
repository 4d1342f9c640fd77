"""The customer journey of docs/quickstart.md through the public HTTP API alone (no database, no gRPC,
no test seams): register, read the codes from the sandbox, verify, log in, profile, wallets, top-up,
balances, history, statement, a password change with a TOTP step-up from a new device, and a reset."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pyotp
import pytest

from app.main import create_app
from app.runtime import build_runtime
from tests.conftest import make_settings

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # smoke: the whole public journey on both engines

EMAIL, PHONE = "ada@example.com", "+12025550123"  # a sandbox phone number (555-0100..0199 are fictional)
PASSWORD, NEW_PASSWORD, RESET_PASSWORD = "violet-harbour-lantern-42", "copper-meadow-sailing-77", "amber-quiet-orchard-19"


@pytest.fixture
async def client(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # default wallets in EUR and USD, so that the journey opens BTC itself (README: DARCA_DEFAULT_WALLET_ASSETS)
    settings = make_settings(database_url, default_wallet_assets="EUR,USD", mail_spool_dir=str(tmp_path / "mail"))
    app = create_app(settings, runtime=build_runtime(settings))
    inner = app.app
    async with inner.router.lifespan_context(inner), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as http:
        yield http


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def last_code(client: httpx.AsyncClient, recipient: str) -> str:
    """The one-time code of the newest message to `recipient`, as an automated journey reads it."""
    page = await client.get("/v1/sandbox/messages", params={"recipient": recipient, "limit": 1})
    assert page.status_code == 200, page.text
    return page.json()["data"][0]["code"]


async def log_in(client: httpx.AsyncClient, device: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/v1/sessions", json={"identifier": EMAIL, "password": password},
                             headers={"X-Device-Id": device, "X-Device-Name": device})


async def test_the_quickstart_journey(client: httpx.AsyncClient) -> None:
    # register; before verifying, the right password says what is missing
    registered = await client.post("/v1/users", headers=key(), json={
        "phone": PHONE, "email": EMAIL, "display_name": "Ada Lovelace", "country": "GB", "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    user_id = registered.json()["id"]
    pending = await log_in(client, "phone-ada-00000001")
    assert pending.status_code == 403 and pending.json()["code"] == "VERIFICATION_PENDING"
    assert pending.json()["user_id"] == user_id

    # verify both channels with the codes the sandbox shows
    for channel, recipient in (("EMAIL", EMAIL), ("SMS", PHONE)):
        sent = await client.post(f"/v1/users/{user_id}/verifications", json={"channel": channel})
        assert sent.status_code == 202, sent.text
        confirmed = await client.post(f"/v1/users/{user_id}/verifications/confirm",
                                      json={"channel": channel, "code": await last_code(client, recipient)})
        assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "ACTIVE"

    # log in, read the profile
    tokens = (await log_in(client, "phone-ada-00000001")).json()
    me = (await client.get("/v1/me", headers=bearer(tokens))).json()
    assert me["id"] == user_id and me["email"] == EMAIL and me["phone"] == PHONE and me["display_name"] == "Ada Lovelace"
    assert me["status"] == "ACTIVE" and me["phone_verified"] and me["email_verified"] and me["kyc_level"] == "NONE"
    assert datetime.fromisoformat(me["created_at"]) <= datetime.now(UTC)

    # the default wallets opened on activation; open one more from the registry
    wallets = (await client.get("/v1/wallets", headers=bearer(tokens))).json()["data"]
    assert sorted(w["asset"] for w in wallets) == ["EUR", "USD"]
    assert all(w["type"] == "CUSTOMER_WALLET" and w["balance"]["available"]["amount"] == "0.00" for w in wallets)
    btc = await client.post("/v1/wallets", headers={**bearer(tokens), **key()}, json={"asset": "BTC"})
    assert btc.status_code == 201, btc.text
    assert btc.json()["asset"] == "BTC" and btc.headers["location"] == f"/v1/ledger/accounts/{btc.json()['id']}"
    again = await client.post("/v1/wallets", headers={**bearer(tokens), **key()}, json={"asset": "BTC"})
    assert again.status_code == 409 and again.json()["code"] == "WALLET_ALREADY_EXISTS"
    unknown = await client.post("/v1/wallets", headers={**bearer(tokens), **key()}, json={"asset": "DOGE"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "ASSET_NOT_FOUND"

    # top up the EUR wallet in the sandbox; read balance, history and statement
    eur = next(w["id"] for w in wallets if w["asset"] == "EUR")
    start = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    topped = await client.post("/v1/sandbox/top-ups", headers={**bearer(tokens), **key()},
                               json={"account_id": eur, "amount": {"amount": "250.00", "asset": "EUR"}})
    assert topped.status_code == 201, topped.text
    balance = (await client.get(f"/v1/ledger/accounts/{eur}/balance", headers=bearer(tokens))).json()
    assert balance["posted"] == {"amount": "250.00", "asset": "EUR"} and balance["available"]["amount"] == "250.00"
    entries = (await client.get(f"/v1/ledger/accounts/{eur}/entries", headers=bearer(tokens))).json()["data"]
    assert [(e["type"], e["direction"], e["amount"]["amount"]) for e in entries] == [("TOP_UP", "CREDIT", "250.00")]
    end = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    statement = (await client.get(f"/v1/ledger/accounts/{eur}/statement", headers=bearer(tokens),
                                  params={"start": start, "end": end})).json()
    assert [statement[total]["amount"] for total in ("opening_balance", "closing_balance", "total_credits")] == \
        ["0.00", "250.00", "250.00"]

    # a new, untrusted device needs a step-up to change the password: enrol TOTP (pyotp computes the codes
    # from the secret enrolment returns), step up with the next code, change; the other sessions end
    totp_secret = (await client.post("/v1/mfa/totp", headers=bearer(tokens))).json()["secret"]
    totp = pyotp.TOTP(totp_secret)
    enrolled = await client.post("/v1/mfa/totp/confirm", headers=bearer(tokens), json={"code": totp.now()})
    assert enrolled.status_code == 200, enrolled.text
    laptop = (await log_in(client, "laptop-ada-0000001")).json()
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    refused = await client.post("/v1/me/password", headers={**bearer(laptop), **key()}, json=change)
    assert refused.status_code == 403 and refused.json()["code"] == "STEP_UP_REQUIRED"
    step_up = (await client.post("/v1/step-ups", headers={**bearer(laptop), **key()},
                                 json={"action": "identity.password.change"})).json()
    # a code is taken once: the next 30-second step's code is still inside the accepted window
    verified = await client.post(f"/v1/step-ups/{step_up['id']}/verify", headers=bearer(laptop),
                                 json={"method": "TOTP", "code": totp.at(time.time() + 30)})
    assert verified.status_code == 200, verified.text
    changed = await client.post("/v1/me/password", json=change,
                                headers={**bearer(laptop), **key(), "X-Step-Up-Id": step_up["id"]})
    assert changed.status_code == 204, changed.text
    assert (await client.get("/v1/me", headers=bearer(tokens))).status_code == 401  # the phone's session ended
    assert (await client.get("/v1/me", headers=bearer(laptop))).status_code == 200  # this one stays
    assert (await message_of(client, EMAIL, "identity.password_changed")) is not None

    # forgotten password: a code by email, a new password, every session ends
    asked = await client.post("/v1/password-resets", headers=key(), json={"email": EMAIL})
    nobody = await client.post("/v1/password-resets", headers=key(), json={"email": "nobody@example.com"})
    assert asked.status_code == nobody.status_code == 202 and asked.json() == nobody.json()
    reset = await client.post("/v1/password-resets/confirm", headers=key(), json={
        "email": EMAIL, "code": await last_code(client, EMAIL), "new_password": RESET_PASSWORD})
    assert reset.status_code == 204, reset.text
    assert (await client.get("/v1/me", headers=bearer(laptop))).status_code == 401
    assert (await log_in(client, "laptop-ada-0000001", NEW_PASSWORD)).status_code == 401
    assert (await log_in(client, "laptop-ada-0000001", RESET_PASSWORD)).status_code == 201


async def message_of(client: httpx.AsyncClient, recipient: str, event_type: str) -> dict | None:
    """The newest message of a template to `recipient`, if any."""
    data = (await client.get("/v1/sandbox/messages", params={"recipient": recipient})).json()["data"]
    return next((m for m in data if m["event_type"] == event_type), None)
