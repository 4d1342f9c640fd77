"""Password change (current password, step-up from a new device, other sessions end) and reset (a code by
email, the same answers for every address, throttled, every session ends), through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.notifications.mailer import read_spool
from core.platform.clock import Clock
from tests.contract.test_asyncapi_payloads import violations

from .company_helpers import idem
from .conftest import IdentityPlatform
from .helpers import PASSWORD, active_user, bearer, login
from .mfa_helpers import audit_actions, outbox

EMAIL, PHONE = "grace@example.com", "+442079460051"
NEW = "copper-meadow-sailing-77"


async def on_device(idp: IdentityPlatform, device: str, password: str = PASSWORD) -> dict:
    response = await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": password},
                                     headers={"X-Device-Id": device})
    assert response.status_code == 201, response.text
    return response.json()


async def change(idp: IdentityPlatform, tokens: dict, current: str, new: str = NEW):
    return await idp.client.post("/v1/me/password", headers={**bearer(tokens), **idem()},
                                 json={"current_password": current, "new_password": new})


@pytest.mark.backends("sqlite", "postgresql")  # smoke: sessions revoked and announced in one unit of work
async def test_change_keeps_this_session_and_ends_the_others(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, EMAIL, PHONE)
    first = await on_device(idp, "device-first-000001")
    second = await login(idp, EMAIL)
    changed = await change(idp, first, PASSWORD)
    assert changed.status_code == 204, changed.text
    assert (await idp.client.get("/v1/me", headers=bearer(first))).status_code == 200
    assert (await idp.client.get("/v1/me", headers=bearer(second))).status_code == 401
    refresh = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": second["refresh_token"]})
    assert refresh.status_code == 401
    assert (await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": PASSWORD})).status_code == 401
    assert (await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": NEW})).status_code == 201
    [event] = await outbox(idp, "darca.identity.password_changed.v1")
    assert event["data"] == {"user_id": uid, "revoked_sessions": 1} and not violations(event)
    assert ("identity.password.changed", "SUCCESS") in await audit_actions(idp, uid)
    assert any(m["To"] == EMAIL and "password was changed" in m["Subject"] for m in read_spool(idp.spool))


async def test_wrong_current_passwords_are_throttled_apart_from_logins(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, EMAIL, PHONE)
    tokens = await on_device(idp, "device-first-000001")
    for _ in range(4):  # the free failures
        wrong = await change(idp, tokens, "not-my-password")
        assert wrong.status_code == 422 and wrong.json()["code"] == "CURRENT_PASSWORD_INVALID"
    await change(idp, tokens, "not-my-password")
    locked = await change(idp, tokens, PASSWORD)  # even the right one waits now
    assert locked.status_code == 429 and locked.json()["code"] == "TOO_MANY_ATTEMPTS"
    assert ("identity.password.change", "FAILURE") in await audit_actions(idp, uid)
    # whoever failed here did not lock the owner out of logging in
    assert (await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": PASSWORD})).status_code == 201


async def test_weak_new_password_is_refused_on_its_field(idp: IdentityPlatform) -> None:
    await active_user(idp, EMAIL, PHONE)
    tokens = await on_device(idp, "device-first-000001")
    weak = await change(idp, tokens, PASSWORD, new="short")
    assert weak.status_code == 422 and weak.json()["code"] == "VALIDATION_FAILED"
    assert weak.json()["errors"][0]["field"] == "body.new_password"


async def test_a_new_device_needs_a_step_up(idp: IdentityPlatform) -> None:
    await active_user(idp, EMAIL, PHONE)
    await on_device(idp, "device-first-000001")  # the enrolment device
    laptop = await on_device(idp, "device-later-000002")
    refused = await change(idp, laptop, PASSWORD)
    assert refused.status_code == 403 and refused.json()["code"] == "STEP_UP_REQUIRED"
    assert refused.json()["action"] == "identity.password.change"
    # nothing changed
    assert (await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": PASSWORD})).status_code == 201


async def reset_code(idp: IdentityPlatform) -> str:
    page = (await idp.client.get("/v1/sandbox/messages", params={"recipient": EMAIL})).json()["data"]
    return next(m["code"] for m in page if m["event_type"] == "identity.password_reset_code")


async def ask(idp: IdentityPlatform, email: str = EMAIL):
    return await idp.client.post("/v1/password-resets", headers=idem(), json={"email": email})


async def confirm(idp: IdentityPlatform, code: str, email: str = EMAIL, new: str = NEW):
    return await idp.client.post("/v1/password-resets/confirm", headers=idem(),
                                 json={"email": email, "code": code, "new_password": new})


@pytest.mark.backends("sqlite", "postgresql")  # smoke: the reset's code, lock-out and revocation
async def test_reset_with_the_emailed_code_ends_every_session(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, EMAIL, PHONE)
    tokens = await login(idp, EMAIL)
    for _ in range(6):  # the owner locked themselves out
        await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": "forgotten-it"})
    asked = await ask(idp)
    assert asked.status_code == 202 and asked.json() == {"channel": "EMAIL", "expires_in": 600}
    done = await confirm(idp, await reset_code(idp))
    assert done.status_code == 204, done.text
    assert (await idp.client.get("/v1/me", headers=bearer(tokens))).status_code == 401
    assert (await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": NEW})).status_code == 201
    [event] = await outbox(idp, "darca.identity.password_reset.v1")
    assert event["data"] == {"user_id": uid, "revoked_sessions": 1} and not violations(event)
    assert ("identity.password.reset", "SUCCESS") in await audit_actions(idp, uid)
    again = await confirm(idp, await reset_code(idp))  # a code works once
    assert again.status_code == 422 and again.json()["code"] == "PASSWORD_RESET_CODE_INVALID"


async def test_nobody_and_somebody_get_the_same_answers(idp: IdentityPlatform) -> None:
    await active_user(idp, EMAIL, PHONE)
    known, unknown = await ask(idp), await ask(idp, "nobody@example.com")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    wrong_known = await confirm(idp, "000000")
    wrong_unknown = await confirm(idp, "000000", email="nobody@example.com")
    assert wrong_known.status_code == wrong_unknown.status_code == 422
    assert {k: v for k, v in wrong_known.json().items() if k not in ("trace_id", "request_id")} == \
        {k: v for k, v in wrong_unknown.json().items() if k not in ("trace_id", "request_id")}
    # throttled alike: one code a minute per address, known or not
    for email in (EMAIL, "nobody@example.com"):
        soon = await ask(idp, email)
        assert soon.status_code == 429 and soon.json()["code"] == "PASSWORD_RESET_THROTTLED"
        assert soon.headers["retry-after"] == "60"
    sent = (await idp.client.get("/v1/sandbox/messages", params={"recipient": "nobody@example.com"})).json()
    assert sent["data"] == []


async def test_codes_wear_out_and_expire(idp: IdentityPlatform, clock: Clock) -> None:
    await active_user(idp, EMAIL, PHONE)
    await ask(idp)
    code = await reset_code(idp)
    for _ in range(5):
        assert (await confirm(idp, "000000" if code != "000000" else "111111")).status_code == 422
    assert (await confirm(idp, code)).status_code == 422  # used up by the wrong ones
    clock.advance(timedelta(minutes=2))
    await ask(idp)
    code = await reset_code(idp)
    weak = await confirm(idp, code, new="short")  # refused on its field; the code stays usable
    assert weak.status_code == 422 and weak.json()["code"] == "VALIDATION_FAILED"
    clock.advance(timedelta(minutes=11))
    assert (await confirm(idp, code)).status_code == 422  # expired


async def test_a_pending_user_gets_no_reset_code(idp: IdentityPlatform) -> None:
    await idp.client.post("/v1/users", headers=idem(), json={
        "phone": PHONE, "email": EMAIL, "display_name": "Grace", "country": "GB", "password": PASSWORD})
    assert (await ask(idp)).status_code == 202
    sent = (await idp.client.get("/v1/sandbox/messages", params={"recipient": EMAIL})).json()["data"]
    assert all(m["event_type"] != "identity.password_reset_code" for m in sent)
