"""Step-up challenges: created for one action (amount, counterparty), verified within 5 minutes, consumed
exactly once by `consume_step_up` with a matching scope, and private to their user."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from core.identity.mfa.tables import StepUpRow
from core.identity.mfa.stepup import consume_step_up
from core.platform.clock import utcnow

from tests.support.context import system_context

from .conftest import IdentityPlatform
from .helpers import active_user, bearer, login
from .mfa_helpers import AuthenticatorApp, app_clock, audit_actions, create_step_up, enable_totp, outbox

__all__ = ["app_clock"]  # the fixture, imported so pytest finds it

ALICE = ("alice@example.com", "+442079460018")
BOB = ("bob@example.com", "+442079460019")
PAYMENT = {"action": "payment.create", "amount": {"amount": "12.50", "asset": "EUR"}, "counterparty": "acc_bob-main"}


async def consume(idp: IdentityPlatform, uid: str, step_up_id: str, action: str = "payment.create",
                  amount_minor: int | None = 1250, asset: str | None = "EUR",
                  counterparty: str | None = "acc_bob-main") -> bool:
    async with idp.runtime.db.unit_of_work() as session:
        return await consume_step_up(system_context(session), user_id=uid, step_up_id=step_up_id, action=action,
                                     amount_minor=amount_minor, asset=asset, counterparty=counterparty)


async def verified_step_up(idp: IdentityPlatform, tokens: dict, app: AuthenticatorApp, body: dict) -> dict:
    created = (await create_step_up(idp, tokens, body)).json()
    verified = await idp.client.post(f"/v1/step-ups/{created['id']}/verify", json={"method": "TOTP", "code": app.next_code()},
                                     headers=bearer(tokens))
    assert verified.status_code == 200, verified.text
    return verified.json()


@pytest.mark.backends("sqlite", "postgresql")  # smoke: step-up, consumed under a row lock
async def test_create_verify_and_consume_once(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    await enable_totp(idp, tokens, app_clock)

    created = await create_step_up(idp, tokens, PAYMENT)
    assert created.status_code == 201, created.text
    step_up = created.json()
    assert step_up["id"].startswith("stp_") and created.headers["location"] == f"/v1/step-ups/{step_up['id']}"
    assert step_up["status"] == "PENDING" and step_up["action"] == "payment.create"
    assert step_up["amount"] == {"amount": "12.50", "asset": "EUR"} and step_up["counterparty"] == "acc_bob-main"
    assert step_up["methods"] == ["TOTP", "RECOVERY_CODE"]
    lifetime = datetime.fromisoformat(step_up["expires_at"]) - datetime.fromisoformat(step_up["created_at"])
    assert lifetime == timedelta(minutes=5)

    assert not await consume(idp, uid, step_up["id"])  # PENDING is not enough
    wrong = await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify", json={"method": "TOTP", "code": app_clock.code(4)},
                                  headers=bearer(tokens))
    assert wrong.status_code == 422 and wrong.json()["code"] == "TOTP_CODE_INVALID"
    verified = await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                                     headers=bearer(tokens))
    assert verified.status_code == 200
    assert verified.json()["status"] == "VERIFIED" and verified.json()["verified_method"] == "TOTP"
    twice = await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                                  headers=bearer(tokens))
    assert twice.status_code == 409 and twice.json()["code"] == "STEP_UP_NOT_PENDING"

    assert await consume(idp, uid, step_up["id"]) is True
    assert await consume(idp, uid, step_up["id"]) is False  # satisfied once
    seen = (await idp.client.get(f"/v1/step-ups/{step_up['id']}", headers=bearer(tokens))).json()
    assert seen["status"] == "CONSUMED" and "consumed_at" in seen

    events = await outbox(idp, "darca.identity.step_up_verified.v1")
    assert [e["data"] for e in events] == [{"step_up_id": step_up["id"], "user_id": uid, "action": "payment.create",
                                            "method": "TOTP", "amount": {"amount": "12.50", "asset": "EUR"}}]
    actions = await audit_actions(idp, uid)
    for action in ("identity.step_up.created", "identity.step_up.verified", "identity.step_up.consumed"):
        assert (action, "SUCCESS") in actions


async def test_scope_mismatch_is_refused(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    await enable_totp(idp, tokens, app_clock)
    step_up = await verified_step_up(idp, tokens, app_clock, PAYMENT)
    sid = step_up["id"]
    assert not await consume(idp, uid, sid, action="payment.approve")
    assert not await consume(idp, uid, sid, amount_minor=1251)
    assert not await consume(idp, uid, sid, amount_minor=125)  # a smaller amount is another scope too
    assert not await consume(idp, uid, sid, asset="USD")
    assert not await consume(idp, uid, sid, amount_minor=None, asset=None)
    assert not await consume(idp, uid, sid, counterparty="acc_mallory")
    assert not await consume(idp, uid, sid, counterparty=None)
    assert not await consume(idp, uid, None)
    assert await consume(idp, uid, sid)  # the mismatches did not use it up

    generic = await verified_step_up(idp, tokens, app_clock, {"action": "payment.create"})
    assert not await consume(idp, uid, generic["id"])  # no amount granted: cannot authorise one
    assert await consume(idp, uid, generic["id"], amount_minor=None, asset=None, counterparty=None)


async def test_expired_step_ups_are_refused(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    await enable_totp(idp, tokens, app_clock)
    pending = (await create_step_up(idp, tokens, PAYMENT)).json()
    verified = await verified_step_up(idp, tokens, app_clock, PAYMENT)
    async with idp.runtime.db.unit_of_work() as session:
        await session.execute(update(StepUpRow).where(StepUpRow.id.in_([pending["id"], verified["id"]]))
                              .values(expires_at=utcnow() - timedelta(seconds=1)))
    seen = (await idp.client.get(f"/v1/step-ups/{pending['id']}", headers=bearer(tokens))).json()
    assert seen["status"] == "EXPIRED"
    late = await idp.client.post(f"/v1/step-ups/{pending['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                                 headers=bearer(tokens))
    assert late.status_code == 409 and late.json()["code"] == "STEP_UP_EXPIRED"
    assert not await consume(idp, uid, verified["id"])
    seen = (await idp.client.get(f"/v1/step-ups/{verified['id']}", headers=bearer(tokens))).json()
    assert seen["status"] == "EXPIRED"


async def test_another_users_step_up_is_not_found(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    alice = await active_user(idp, *ALICE)
    bob = await active_user(idp, *BOB)
    alice_tokens = await login(idp, ALICE[0])
    bob_tokens = await login(idp, BOB[0])
    await enable_totp(idp, alice_tokens, app_clock)
    step_up = (await create_step_up(idp, alice_tokens, PAYMENT)).json()
    seen = await idp.client.get(f"/v1/step-ups/{step_up['id']}", headers=bearer(bob_tokens))
    assert seen.status_code == 404 and seen.json()["code"] == "STEP_UP_NOT_FOUND"
    verify = await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                                   headers=bearer(bob_tokens))
    assert verify.status_code == 404 and verify.json()["code"] == "STEP_UP_NOT_FOUND"
    missing = await idp.client.get("/v1/step-ups/stp_" + "0" * 26, headers=bearer(alice_tokens))
    assert missing.status_code == 404
    # and Alice's verified challenge does not authorise Bob
    verified = await verified_step_up(idp, alice_tokens, app_clock, PAYMENT)
    assert not await consume(idp, bob, verified["id"])
    assert await consume(idp, alice, verified["id"])


async def test_refusals(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    await active_user(idp, *ALICE)
    await active_user(idp, *BOB)
    tokens = await login(idp, ALICE[0])
    no_factor = await create_step_up(idp, tokens, PAYMENT)
    assert no_factor.status_code == 409 and no_factor.json()["code"] == "STEP_UP_NO_METHOD"
    await enable_totp(idp, tokens, app_clock)
    unknown_asset = await create_step_up(idp, tokens, {**PAYMENT, "amount": {"amount": "1.00", "asset": "ZZZ"}})
    assert unknown_asset.status_code == 422 and unknown_asset.json()["code"] == "ASSET_NOT_FOUND"
    bad_scale = await create_step_up(idp, tokens, {**PAYMENT, "amount": {"amount": "12.5", "asset": "EUR"}})
    assert bad_scale.status_code == 422 and bad_scale.json()["code"] == "AMOUNT_SCALE_MISMATCH"

    step_up = (await create_step_up(idp, tokens, PAYMENT)).json()
    url = f"/v1/step-ups/{step_up['id']}/verify"
    # the contract itself refuses no factor, two factors, and a factor under another method's name
    neither = await idp.client.post(url, json={}, headers=bearer(tokens))
    assert neither.status_code == 422 and neither.json()["code"] == "VALIDATION_FAILED"
    assert [e["code"] for e in neither.json()["errors"]] == ["UNION_TAG_NOT_FOUND"]
    for body in ({"method": "TOTP", "code": app_clock.next_code(), "credential": {"id": "x"}},
                 {"method": "PASSKEY", "code": app_clock.next_code()}, {"method": "SMS", "code": "123456"}):
        refused = await idp.client.post(url, json=body, headers=bearer(tokens))
        assert refused.status_code == 422 and refused.json()["code"] == "VALIDATION_FAILED", body
    # a passkey assertion from a user without passkeys: the method is unavailable (not a failed attempt)
    assertion = {"id": "bm90LWEta2V5", "rawId": "bm90LWEta2V5", "type": "public-key",
                 "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"}}
    passkey = await idp.client.post(url, json={"method": "PASSKEY", "credential": assertion}, headers=bearer(tokens))
    assert passkey.status_code == 422 and passkey.json()["code"] == "STEP_UP_METHOD_UNAVAILABLE"
    assert (await idp.client.get(f"/v1/step-ups/{step_up['id']}", headers=bearer(tokens))).json()["status"] == "PENDING"

    no_key = await idp.client.post("/v1/step-ups", json=PAYMENT, headers=bearer(tokens))
    assert no_key.status_code in (400, 422)  # Idempotency-Key is required
