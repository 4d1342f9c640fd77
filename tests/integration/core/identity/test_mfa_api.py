"""TOTP enrolment, assurance levels (one-shot AAL2 login and session elevation), reuse refusal,
guessing throttle, recovery codes, and disabling behind a step-up."""

from __future__ import annotations

import pytest

from .conftest import IdentityPlatform
from .helpers import PASSWORD, active_user, bearer, login
from .mfa_helpers import AuthenticatorApp, app_clock, audit_actions, claims, create_step_up, enable_totp, outbox

__all__ = ["app_clock"]  # the fixture, imported so pytest finds it

ALICE = ("alice@example.com", "+442079460018")
BOB = ("bob@example.com", "+442079460019")


@pytest.mark.backends("sqlite", "postgresql")  # smoke: MFA
async def test_full_enrolment(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    status = (await idp.client.get("/v1/mfa/totp", headers=bearer(tokens))).json()
    assert status == {"state": "NOT_ENROLLED", "enabled": False, "recovery_codes_left": 0}

    started = await idp.client.post("/v1/mfa/totp", headers=bearer(tokens))
    assert started.status_code == 201
    body = started.json()
    assert body["state"] == "PENDING" and body["otpauth_uri"].startswith("otpauth://totp/DARCA:alice%40example.com")
    assert f"secret={body['secret']}" in body["otpauth_uri"] and "issuer=DARCA" in body["otpauth_uri"]
    assert (await idp.client.get("/v1/mfa/totp", headers=bearer(tokens))).json()["state"] == "PENDING"
    # a pending secret does not give AAL2 yet
    app_clock.secret = body["secret"]
    refused = await idp.client.post("/v1/sessions/current/mfa", json={"method": "TOTP", "code": app_clock.code()},
                                    headers=bearer(tokens))
    assert refused.status_code == 409 and refused.json()["code"] == "MFA_NOT_ENABLED"

    wrong = await idp.client.post("/v1/mfa/totp/confirm", json={"code": "000000" if app_clock.code() != "000000"
                                                                else "111111"}, headers=bearer(tokens))
    assert wrong.status_code == 422 and wrong.json()["code"] == "TOTP_CODE_INVALID"

    confirmed = await idp.client.post("/v1/mfa/totp/confirm", json={"code": app_clock.code()}, headers=bearer(tokens))
    assert confirmed.status_code == 200, confirmed.text
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    status = (await idp.client.get("/v1/mfa/totp", headers=bearer(tokens))).json()
    assert status["state"] == "ENABLED" and status["enabled"] is True and status["recovery_codes_left"] == 10
    assert "enabled_at" in status

    again = await idp.client.post("/v1/mfa/totp", headers=bearer(tokens))
    assert again.status_code == 409 and again.json()["code"] == "TOTP_ALREADY_ENABLED"
    not_pending = await idp.client.post("/v1/mfa/totp/confirm", json={"code": app_clock.next_code()},
                                        headers=bearer(tokens))
    assert not_pending.status_code == 409 and not_pending.json()["code"] == "TOTP_NOT_PENDING"

    events = await outbox(idp, "darca.identity.mfa_enabled.v1")
    assert [e["data"] for e in events] == [{"user_id": uid, "factor": "TOTP"}]
    assert body["secret"] not in str(events)
    actions = await audit_actions(idp, uid)
    assert ("identity.totp.enrolment_started", "SUCCESS") in actions
    assert ("identity.mfa.code_rejected", "FAILURE") in actions
    assert ("identity.totp.enabled", "SUCCESS") in actions


async def test_password_login_is_aal1_and_one_shot_login_is_aal2(idp: IdentityPlatform,
                                                                 app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    assert claims(tokens)["aal"] == "AAL1"
    await enable_totp(idp, tokens, app_clock)
    assert claims(await login(idp, ALICE[0]))["aal"] == "AAL1"  # without a code: still AAL1

    one_shot = await idp.client.post("/v1/sessions", json={"identifier": ALICE[0], "password": PASSWORD,
                                                           "totp_code": app_clock.next_code()})
    assert one_shot.status_code == 201, one_shot.text
    aal2 = one_shot.json()
    assert claims(aal2)["aal"] == "AAL2"
    sessions = (await idp.client.get("/v1/sessions", headers=bearer(aal2))).json()["data"]
    current = [s for s in sessions if s["current"]]
    assert current[0]["aal"] == "AAL2" and current[0]["id"] == aal2["session_id"]

    wrong = await idp.client.post("/v1/sessions", json={"identifier": ALICE[0], "password": PASSWORD,
                                                        "totp_code": app_clock.code(5)})
    assert wrong.status_code == 401 and wrong.json()["code"] == "TOTP_CODE_INVALID"
    # a wrong password never reaches the code check
    bad_password = await idp.client.post("/v1/sessions", json={"identifier": ALICE[0], "password": "nope-nope-nope",
                                                               "totp_code": app_clock.next_code()})
    assert bad_password.status_code == 401 and bad_password.json()["code"] == "INVALID_CREDENTIALS"
    assert ("identity.session.elevated", "SUCCESS") in await audit_actions(idp, uid)


async def test_totp_code_for_a_user_without_totp(idp: IdentityPlatform) -> None:
    await active_user(idp, *BOB)
    response = await idp.client.post("/v1/sessions", json={"identifier": BOB[0], "password": PASSWORD,
                                                           "totp_code": "123456"})
    assert response.status_code == 422 and response.json()["code"] == "MFA_NOT_ENABLED"


async def test_elevating_the_current_session(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    await enable_totp(idp, tokens, app_clock)
    aal1 = await login(idp, ALICE[0])

    # the contract refuses a body without a factor: `method` chooses exactly one
    none = await idp.client.post("/v1/sessions/current/mfa", json={}, headers=bearer(aal1))
    assert none.status_code == 422 and none.json()["code"] == "VALIDATION_FAILED", none.text
    assert [e["code"] for e in none.json()["errors"]] == ["UNION_TAG_NOT_FOUND"]
    elevated = await idp.client.post("/v1/sessions/current/mfa", json={"method": "TOTP", "code": app_clock.next_code()},
                                     headers=bearer(aal1))
    assert elevated.status_code == 200, elevated.text
    aal2 = elevated.json()
    assert claims(aal2)["aal"] == "AAL2" and aal2["session_id"] != aal1["session_id"]
    sessions = (await idp.client.get("/v1/sessions", headers=bearer(aal2))).json()["data"]
    assert {s["id"]: s["aal"] for s in sessions}.get(aal2["session_id"]) == "AAL2"
    assert aal1["session_id"] not in {s["id"] for s in sessions}
    # the AAL1 session is gone: its access and refresh tokens no longer work
    assert (await idp.client.get("/v1/sessions", headers=bearer(aal1))).status_code == 401
    stale = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": aal1["refresh_token"]})
    assert stale.status_code == 401
    # the AAL2 session refreshes into AAL2 tokens
    refreshed = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": aal2["refresh_token"]})
    assert refreshed.status_code == 200 and claims(refreshed.json())["aal"] == "AAL2"


@pytest.mark.backends("sqlite", "postgresql")  # replay refused through a row lock
async def test_a_code_is_accepted_once(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    await enable_totp(idp, tokens, app_clock)
    code = app_clock.next_code()
    first = await idp.client.post("/v1/sessions", json={"identifier": ALICE[0], "password": PASSWORD,
                                                        "totp_code": code})
    assert first.status_code == 201
    replay = await idp.client.post("/v1/sessions", json={"identifier": ALICE[0], "password": PASSWORD,
                                                         "totp_code": code})
    assert replay.status_code == 401 and replay.json()["code"] == "TOTP_CODE_REUSED"
    aal1 = await login(idp, ALICE[0])
    replay = await idp.client.post("/v1/sessions/current/mfa", json={"method": "TOTP", "code": code}, headers=bearer(aal1))
    assert replay.status_code == 422 and replay.json()["code"] == "TOTP_CODE_REUSED"
    # an older code of the drift window is refused once a newer one was used
    older = await idp.client.post("/v1/sessions/current/mfa", json={"method": "TOTP", "code": app_clock.code(-1)},
                                  headers=bearer(aal1))
    assert older.status_code == 422 and older.json()["code"] == "TOTP_CODE_REUSED"
    # the next 30 s step is accepted
    fresh = await idp.client.post("/v1/sessions/current/mfa", json={"method": "TOTP", "code": app_clock.next_code()},
                                  headers=bearer(aal1))
    assert fresh.status_code == 200


async def test_guessing_is_throttled(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    await enable_totp(idp, tokens, app_clock)
    aal1 = await login(idp, ALICE[0])
    right = app_clock.next_code()
    guesses = [f"{n:06d}" for n in range(1000, 1010) if f"{n:06d}" not in {app_clock.code(d) for d in (-1, 0, 1)}]
    statuses = []
    for guess in guesses[:6]:
        r = await idp.client.post("/v1/sessions/current/mfa", json={"method": "TOTP", "code": guess}, headers=bearer(aal1))
        statuses.append((r.status_code, r.json()["code"]))
    assert statuses[:5] == [(422, "TOTP_CODE_INVALID")] * 5
    assert statuses[5] == (429, "TOO_MANY_ATTEMPTS")
    locked = await idp.client.post("/v1/sessions/current/mfa", json={"method": "TOTP", "code": right}, headers=bearer(aal1))
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) >= 1  # even the right code waits
    # the lock covers every second-factor entry point of the user, the one-shot login too
    login_locked = await idp.client.post("/v1/sessions", json={"identifier": ALICE[0], "password": PASSWORD,
                                                               "totp_code": right})
    assert login_locked.status_code == 429 and "retry-after" in login_locked.headers
    failures = [a for a in await audit_actions(idp, uid) if a == ("identity.mfa.code_rejected", "FAILURE")]
    assert len(failures) == 5


async def test_recovery_codes_are_single_use(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    codes = await enable_totp(idp, tokens, app_clock)
    aal1 = await login(idp, ALICE[0])
    spelled = codes[0].upper().replace("-", " ")  # case, dashes and spaces do not matter
    elevated = await idp.client.post("/v1/sessions/current/mfa", json={"method": "RECOVERY_CODE", "code": spelled},
                                     headers=bearer(aal1))
    assert elevated.status_code == 200 and claims(elevated.json())["aal"] == "AAL2"
    aal1 = await login(idp, ALICE[0])
    again = await idp.client.post("/v1/sessions/current/mfa", json={"method": "RECOVERY_CODE", "code": codes[0]}, headers=bearer(aal1))
    assert again.status_code == 422 and again.json()["code"] == "RECOVERY_CODE_INVALID"
    status = (await idp.client.get("/v1/mfa/totp", headers=bearer(aal1))).json()
    assert status["recovery_codes_left"] == 9
    assert ("identity.recovery_code.used", "SUCCESS") in await audit_actions(idp, uid)


async def test_disabling_needs_a_step_up_for_that_action(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    await enable_totp(idp, tokens, app_clock)

    bare = await idp.client.delete("/v1/mfa/totp", headers=bearer(tokens))
    assert bare.status_code == 403
    problem = bare.json()
    assert problem["code"] == "STEP_UP_REQUIRED" and problem["action"] == "identity.totp.disable"
    assert problem["methods"] == ["TOTP", "RECOVERY_CODE"] and problem["step_up_url"] == "/v1/step-ups"

    # a verified step-up for another action does not open this one
    other = (await create_step_up(idp, tokens, {"action": "payment.create"})).json()
    verified = await idp.client.post(f"/v1/step-ups/{other['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                                     headers=bearer(tokens))
    assert verified.status_code == 200
    wrong_action = await idp.client.delete("/v1/mfa/totp", headers={**bearer(tokens), "X-Step-Up-Id": other["id"]})
    assert wrong_action.status_code == 403 and wrong_action.json()["code"] == "STEP_UP_REQUIRED"

    step_up = (await create_step_up(idp, tokens, {"action": "identity.totp.disable"})).json()
    await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                          headers=bearer(tokens))
    disabled = await idp.client.delete("/v1/mfa/totp", headers={**bearer(tokens), "X-Step-Up-Id": step_up["id"]})
    assert disabled.status_code == 204
    assert (await idp.client.get("/v1/mfa/totp", headers=bearer(tokens))).json()["state"] == "NOT_ENROLLED"
    consumed = (await idp.client.get(f"/v1/step-ups/{step_up['id']}", headers=bearer(tokens))).json()
    assert consumed["status"] == "CONSUMED"
    again = await idp.client.delete("/v1/mfa/totp", headers={**bearer(tokens), "X-Step-Up-Id": step_up["id"]})
    assert again.status_code == 409 and again.json()["code"] == "MFA_NOT_ENABLED"
    assert [e["data"] for e in await outbox(idp, "darca.identity.mfa_disabled.v1")] == [
        {"user_id": uid, "factor": "TOTP"}]
    actions = await audit_actions(idp, uid)
    assert ("identity.totp.disabled", "SUCCESS") in actions and ("identity.step_up.verified", "SUCCESS") in actions


async def test_regenerating_recovery_codes(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    old_codes = await enable_totp(idp, tokens, app_clock)
    bare = await idp.client.post("/v1/mfa/totp/recovery-codes", headers=bearer(tokens))
    assert bare.status_code == 403 and bare.json()["action"] == "identity.recovery_codes.regenerate"

    step_up = (await create_step_up(idp, tokens, {"action": "identity.recovery_codes.regenerate"})).json()
    # a recovery code may verify the step-up (the authenticator app may be the thing that was lost)
    await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify", json={"method": "RECOVERY_CODE", "code": old_codes[1]},
                          headers=bearer(tokens))
    regenerated = await idp.client.post("/v1/mfa/totp/recovery-codes",
                                        headers={**bearer(tokens), "X-Step-Up-Id": step_up["id"]})
    assert regenerated.status_code == 200, regenerated.text
    new_codes = regenerated.json()["recovery_codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert (await idp.client.get("/v1/mfa/totp", headers=bearer(tokens))).json()["recovery_codes_left"] == 10
    aal1 = await login(idp, ALICE[0])
    old = await idp.client.post("/v1/sessions/current/mfa", json={"method": "RECOVERY_CODE", "code": old_codes[2]}, headers=bearer(aal1))
    assert old.status_code == 422 and old.json()["code"] == "RECOVERY_CODE_INVALID"
    new = await idp.client.post("/v1/sessions/current/mfa", json={"method": "RECOVERY_CODE", "code": new_codes[0]}, headers=bearer(aal1))
    assert new.status_code == 200
