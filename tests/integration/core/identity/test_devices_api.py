"""Devices through the published API: sessions bound to devices, new-device alerts, trust, revocation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.identity.devices.tables import DeviceRow
from core.identity.devices.stepup import device_requires_step_up
from core.identity.sessions.tables import SessionRow
from core.notifications.mailer import read_spool
from core.platform.clock import as_utc, utcnow
from core.platform.security import Principal
from core.platform.tables import OutboxEvent

from tests.support.context import system_context

from .conftest import IdentityPlatform
from .helpers import PASSWORD, active_user, bearer
from .mfa_helpers import AuthenticatorApp, app_clock, create_step_up, enable_totp

__all__ = ["app_clock"]  # the fixture, imported so pytest finds it

ALICE = ("alice@example.com", "+442079460018")
BOB = ("bob@example.com", "+442079460019")
PHONE_A = "device-a-0123456789abcdef"
LAPTOP_B = "device-b-0123456789abcdef"


async def login_on(idp: IdentityPlatform, email: str, device: str | None, name: str | None = None) -> dict:
    headers = {"User-Agent": "DarcaTest/1.0"}
    if device is not None:
        headers["X-Device-Id"] = device
    if name is not None:
        headers["X-Device-Name"] = name
    r = await idp.client.post("/v1/sessions", json={"identifier": email, "password": PASSWORD}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def events_of(idp: IdentityPlatform, event_type: str) -> list[dict]:
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.event_type == event_type)
                                      .order_by(OutboxEvent.sequence))).scalars().all()
    return [r.data for r in rows]


def new_device_mail(idp: IdentityPlatform, to: str) -> list:
    return [m for m in read_spool(idp.spool) if m["To"] == to and "new device" in m.get_content()]


async def devices(idp: IdentityPlatform, tokens: dict) -> list[dict]:
    r = await idp.client.get("/v1/devices", headers=bearer(tokens))
    assert r.status_code == 200, r.text
    return r.json()["data"]


@pytest.mark.backends("sqlite", "postgresql")  # smoke: devices
async def test_a_second_device_is_new_alerted_and_listed_with_the_current_flag(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, *ALICE)
    a = await login_on(idp, ALICE[0], PHONE_A, "Alice's phone")
    # the enrolment device of a brand-new user raises no alert
    assert await events_of(idp, "darca.identity.new_device_detected.v1") == []
    assert new_device_mail(idp, ALICE[0]) == []
    a_again = await login_on(idp, ALICE[0], PHONE_A)  # known device: still no alert
    assert await events_of(idp, "darca.identity.new_device_detected.v1") == []

    b = await login_on(idp, ALICE[0], LAPTOP_B, "Work laptop")
    detected = await events_of(idp, "darca.identity.new_device_detected.v1")
    assert len(detected) == 1
    event = detected[0]
    assert event["user_id"] == uid and event["session_id"] == b["session_id"] and event["name"] == "Work laptop"
    assert event["device_id"].startswith("dev_") and LAPTOP_B not in str(event)
    mails = new_device_mail(idp, ALICE[0])
    assert len(mails) == 1 and "Work laptop" in mails[0].get_content()

    listed_from_b = await devices(idp, b)
    assert [(d["name"], d["current"]) for d in listed_from_b] == [("Work laptop", True), ("Alice's phone", False)]
    assert [d["current"] for d in await devices(idp, a_again)] == [False, True]
    laptop, phone = listed_from_b
    assert laptop["id"] == event["device_id"] and laptop["user_agent"] == "DarcaTest/1.0"
    assert laptop["requires_step_up"] is True and phone["requires_step_up"] is False and not laptop["trusted"]
    assert "trusted_until" not in laptop

    got = await idp.client.get(f"/v1/devices/{laptop['id']}", headers=bearer(a))
    assert got.status_code == 200 and got.json()["current"] is False and got.json()["name"] == "Work laptop"

    async with idp.runtime.db.unit_of_work() as session:
        sessions = {s.id: s.device_id for s in (await session.execute(select(SessionRow))).scalars()}
        audit = (await session.execute(select(AuditEntryRow).where(
            AuditEntryRow.action == "identity.device.new_detected"))).scalars().all()
        stored = (await session.execute(select(DeviceRow))).scalars().all()
    assert sessions[a["session_id"]] == phone["id"] and sessions[b["session_id"]] == laptop["id"]
    assert [(e.actor_id, e.target) for e in audit] == [(uid, laptop["id"])]
    assert all(PHONE_A not in (d.key_hash or "") and LAPTOP_B not in (d.key_hash or "") for d in stored)


async def test_pagination_of_devices(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = [await login_on(idp, ALICE[0], f"paging-device-{i:02d}-0123456789") for i in range(3)]
    first = await idp.client.get("/v1/devices", params={"limit": 2}, headers=bearer(tokens[0]))
    assert first.status_code == 200 and first.json()["has_more"] is True and len(first.json()["data"]) == 2
    second = await idp.client.get("/v1/devices", params={"limit": 2, "cursor": first.json()["next_cursor"]},
                                  headers=bearer(tokens[0]))
    assert second.json()["has_more"] is False and "next_cursor" not in second.json()
    ids = [d["id"] for d in first.json()["data"] + second.json()["data"]]
    assert len(set(ids)) == 3 and ids == sorted(ids, reverse=True)
    bad = await idp.client.get("/v1/devices", params={"cursor": "eyJrIjpbMSwyLDMsNF19"}, headers=bearer(tokens[0]))
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_CURSOR"


async def test_trust_and_untrust(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, *ALICE)
    a = await login_on(idp, ALICE[0], PHONE_A)
    await login_on(idp, ALICE[0], LAPTOP_B)
    laptop = next(d for d in await devices(idp, a) if not d["current"])

    # from the enrolment phone (no step-up needed) the laptop is trusted for 30 days
    trusted = await idp.client.post(f"/v1/devices/{laptop['id']}/trust", headers=bearer(a))
    assert trusted.status_code == 200, trusted.text
    body = trusted.json()
    assert body["trusted"] is True and body["requires_step_up"] is False
    until = as_utc(datetime.fromisoformat(body["trusted_until"]))
    assert timedelta(days=29, hours=23) < until - utcnow() <= timedelta(days=30)
    principal = Principal(uid, "USER", device_id=laptop["id"])
    async with idp.runtime.db.unit_of_work() as session:
        assert await device_requires_step_up(system_context(session, principal)) is False

    untrusted = await idp.client.delete(f"/v1/devices/{laptop['id']}/trust", headers=bearer(a))
    assert untrusted.status_code == 200
    assert untrusted.json()["trusted"] is False and "trusted_until" not in untrusted.json()
    assert untrusted.json()["requires_step_up"] is True
    async with idp.runtime.db.unit_of_work() as session:
        assert await device_requires_step_up(system_context(session, principal)) is True
        actions = [e.action for e in (await session.execute(select(AuditEntryRow).where(
            AuditEntryRow.target == laptop["id"]).order_by(AuditEntryRow.sequence))).scalars()]
    assert actions == ["identity.device.new_detected", "identity.device.trusted", "identity.device.untrusted"]


async def test_trusting_from_a_new_untrusted_device_needs_a_step_up(idp: IdentityPlatform,
                                                                    app_clock: AuthenticatorApp) -> None:
    await active_user(idp, *ALICE)
    a = await login_on(idp, ALICE[0], PHONE_A)
    await enable_totp(idp, a, app_clock)
    b = await login_on(idp, ALICE[0], LAPTOP_B)
    laptop = next(d for d in await devices(idp, b) if d["current"])
    trust = f"/v1/devices/{laptop['id']}/trust"
    refused = await idp.client.post(trust, headers=bearer(b))
    assert refused.status_code == 403 and refused.json()["code"] == "STEP_UP_REQUIRED"
    assert refused.json()["action"] == "identity.device.trust"
    assert (await idp.client.get(f"/v1/devices/{laptop['id']}", headers=bearer(b))).json()["trusted"] is False

    other = (await create_step_up(idp, b, {"action": "identity.totp.disable"})).json()
    await idp.client.post(f"/v1/step-ups/{other['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                          headers=bearer(b))
    wrong_action = await idp.client.post(trust, headers={**bearer(b), "X-Step-Up-Id": other["id"]})
    assert wrong_action.status_code == 403 and wrong_action.json()["code"] == "STEP_UP_REQUIRED"

    step_up = (await create_step_up(idp, b, {"action": "identity.device.trust"})).json()
    verified = await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify", json={"method": "TOTP", "code": app_clock.next_code()},
                                     headers=bearer(b))
    assert verified.status_code == 200, verified.text
    trusted = await idp.client.post(trust, headers={**bearer(b), "X-Step-Up-Id": step_up["id"]})
    assert trusted.status_code == 200 and trusted.json()["trusted"] is True and trusted.json()["current"] is True
    # the step-up was consumed: it cannot be used again (the device is trusted now, so none is needed anyway)
    assert (await idp.client.get(f"/v1/step-ups/{step_up['id']}", headers=bearer(b))).json()["status"] == "CONSUMED"


@pytest.mark.backends("sqlite", "postgresql")  # revocation across tables
async def test_revoking_a_device_kills_its_sessions_and_it_is_new_again(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, *ALICE)
    a = await login_on(idp, ALICE[0], PHONE_A)
    b1 = await login_on(idp, ALICE[0], LAPTOP_B)
    b2 = await login_on(idp, ALICE[0], LAPTOP_B)
    laptop = next(d for d in await devices(idp, b1) if d["current"])

    gone = await idp.client.delete(f"/v1/devices/{laptop['id']}", headers=bearer(a))
    assert gone.status_code == 204
    for tokens in (b1, b2):
        assert (await idp.client.get("/v1/devices", headers=bearer(tokens))).status_code == 401
        refresh = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert refresh.status_code == 401 and refresh.json()["code"] == "INVALID_REFRESH_TOKEN"
    assert (await idp.client.get("/v1/devices", headers=bearer(a))).status_code == 200  # other device untouched
    assert [d["current"] for d in await devices(idp, a)] == [True]  # only the phone is left
    again = await idp.client.get(f"/v1/devices/{laptop['id']}", headers=bearer(a))
    assert again.status_code == 404 and again.json()["code"] == "DEVICE_NOT_FOUND"
    revoked = await events_of(idp, "darca.identity.device_revoked.v1")
    assert revoked == [{"device_id": laptop["id"], "user_id": uid, "sessions_revoked": 2}]

    b3 = await login_on(idp, ALICE[0], LAPTOP_B)  # the same installation is a new device now
    assert len(await events_of(idp, "darca.identity.new_device_detected.v1")) == 2
    current = next(d for d in await devices(idp, b3) if d["current"])
    assert current["id"] != laptop["id"] and current["requires_step_up"] is True


async def test_revoking_the_current_device_logs_the_caller_out(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    a = await login_on(idp, ALICE[0], PHONE_A)
    phone = (await devices(idp, a))[0]
    assert (await idp.client.delete(f"/v1/devices/{phone['id']}", headers=bearer(a))).status_code == 204
    assert (await idp.client.get("/v1/devices", headers=bearer(a))).status_code == 401


async def test_another_users_device_is_not_found(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    await active_user(idp, *BOB)
    alice = await login_on(idp, ALICE[0], PHONE_A)
    bob = await login_on(idp, BOB[0], PHONE_A)  # the same installation id: unrelated devices
    alice_phone = (await devices(idp, alice))[0]
    bob_phone = (await devices(idp, bob))[0]
    assert alice_phone["id"] != bob_phone["id"]
    for method, path in (("GET", ""), ("POST", "/trust"), ("DELETE", "/trust"), ("DELETE", "")):
        r = await idp.client.request(method, f"/v1/devices/{alice_phone['id']}{path}", headers=bearer(bob))
        assert r.status_code == 404 and r.json()["code"] == "DEVICE_NOT_FOUND", (method, path, r.text)
    assert (await idp.client.get(f"/v1/devices/{alice_phone['id']}", headers=bearer(alice))).status_code == 200
    assert (await idp.client.get("/v1/devices")).status_code == 401


async def test_missing_and_invalid_device_headers(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    first = await login_on(idp, ALICE[0], None)  # enrolment: a one-off device, no alert
    second = await login_on(idp, ALICE[0], None)  # no header again: a new one-off device, alerted
    listed = await devices(idp, second)
    assert len(listed) == 2 and [d["current"] for d in listed] == [True, False]
    assert len(await events_of(idp, "darca.identity.new_device_detected.v1")) == 1
    assert first["session_id"] != second["session_id"]

    for headers in ({"X-Device-Id": "short"}, {"X-Device-Id": "has spaces in it 0123456789"},
                    {"X-Device-Id": "x" * 65}, {"X-Device-Id": PHONE_A, "X-Device-Name": " padded "}):
        r = await idp.client.post("/v1/sessions", json={"identifier": ALICE[0], "password": PASSWORD}, headers=headers)
        assert r.status_code == 422 and r.json()["code"] == "VALIDATION_FAILED", (headers, r.text)
    assert len(await devices(idp, second)) == 2  # refused logins made no device


async def test_a_session_without_a_device_requires_step_up(idp: IdentityPlatform) -> None:
    async with idp.runtime.db.unit_of_work() as session:
        assert await device_requires_step_up(system_context(session, Principal("usr_x", "USER", device_id=None))) is True
        assert await device_requires_step_up(system_context(session, Principal("operator", "OPERATOR"))) is False


async def test_a_refresh_moves_last_seen_on(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    a = await login_on(idp, ALICE[0], PHONE_A)
    before = (await devices(idp, a))[0]
    refreshed = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": a["refresh_token"]})
    assert refreshed.status_code == 200
    after = (await devices(idp, refreshed.json()))[0]
    assert after["id"] == before["id"] and after["current"] is True
    assert datetime.fromisoformat(after["last_seen_at"]) > datetime.fromisoformat(before["last_seen_at"])
    assert after["first_seen_at"] == before["first_seen_at"]


async def test_lasting_credentials_from_a_new_device_need_a_step_up(idp: IdentityPlatform,
                                                                    app_clock: AuthenticatorApp) -> None:
    """A stolen password on a new device can neither mint a company API key nor add a passkey."""
    await active_user(idp, *ALICE)
    a = await login_on(idp, ALICE[0], PHONE_A)
    await enable_totp(idp, a, app_clock)
    made = await idp.client.post("/v1/companies", headers={**bearer(a), "Idempotency-Key": "co-1"},
                                 json={"legal_name": "Acme Trading Ltd", "country": "GB", "registration_number": "01234567"})
    assert made.status_code == 201, made.text
    keys = f"/v1/companies/{made.json()['id']}/api-keys"
    key_body = {"name": "ERP sync", "scopes": ["ledger:read"]}
    b = await login_on(idp, ALICE[0], LAPTOP_B)

    for path, body, action in ((keys, key_body, "identity.api_key.create"),
                               ("/v1/passkeys/registration/options", None, "identity.passkey.register")):
        refused = await idp.client.post(path, json=body, headers=bearer(b))
        assert (refused.status_code, refused.json()["code"]) == (403, "STEP_UP_REQUIRED"), refused.text
        assert refused.json()["action"] == action and "TOTP" in refused.json()["methods"]

        step_up = (await create_step_up(idp, b, {"action": action})).json()
        unverified = await idp.client.post(path, json=body, headers={**bearer(b), "X-Step-Up-Id": step_up["id"]})
        assert unverified.status_code == 403 and unverified.json()["code"] == "STEP_UP_REQUIRED"
        verified = await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify",
                                         json={"method": "TOTP", "code": app_clock.next_code()}, headers=bearer(b))
        assert verified.status_code == 200, verified.text
        allowed = await idp.client.post(path, json=body, headers={**bearer(b), "X-Step-Up-Id": step_up["id"]})
        assert allowed.status_code in (200, 201), allowed.text
        again = await idp.client.post(path, json=body, headers={**bearer(b), "X-Step-Up-Id": step_up["id"]})
        assert again.status_code == 403 and again.json()["code"] == "STEP_UP_REQUIRED"  # consumed once

    listed = (await idp.client.get(keys, headers=bearer(a))).json()["data"]
    assert [k["name"] for k in listed] == ["ERP sync"]
    # the enrolment device needs no step-up for the same actions
    assert (await idp.client.post(keys, json=key_body, headers=bearer(a))).status_code == 201
    assert (await idp.client.post("/v1/passkeys/registration/options", headers=bearer(a))).status_code == 200
