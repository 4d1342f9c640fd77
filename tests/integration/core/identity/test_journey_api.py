"""The issue's "done means", end to end through the published API: register, verify, log in with
password + TOTP and with a passkey, see sessions and devices, get a new-device alert by email, pass a
step-up, create a company, invite a member with a role — and every step is in a verifiable audit chain."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.audit.verify import verify
from tests.support.webauthn_authenticator import SoftAuthenticator

from .company_helpers import company, idem, person
from .conftest import IdentityPlatform
from .helpers import PASSWORD, active_user, bearer
from .mfa_helpers import AuthenticatorApp, app_clock, claims, enable_totp  # noqa: F401  (fixture)
from .test_devices_api import new_device_mail
from .test_passkeys_api import passkey_login, register

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # smoke: the identity journey end to end

EMAIL, PHONE = "journey@example.com", "+442079460077"


async def login_on(idp: IdentityPlatform, device: str, **extra: str) -> dict:
    response = await idp.client.post("/v1/sessions", json={"identifier": EMAIL, "password": PASSWORD, **extra},
                                     headers={"X-Device-Id": device, "X-Device-Name": device})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_new_customer_end_to_end(idp: IdentityPlatform, app_clock: AuthenticatorApp) -> None:  # noqa: F811
    user_id = await active_user(idp, EMAIL, PHONE)  # register + email and phone codes
    phone_tokens = await login_on(idp, "phone-0000000000001")
    assert claims(phone_tokens)["aal"] == "AAL1"
    await enable_totp(idp, phone_tokens, app_clock)

    # password + TOTP on a second device: AAL2, and that device is new -> alert by email
    laptop = await login_on(idp, "laptop-000000000001", totp_code=app_clock.next_code())
    assert claims(laptop)["aal"] == "AAL2"
    assert new_device_mail(idp, EMAIL), "no new-device email"
    sessions = (await idp.client.get("/v1/sessions", headers=bearer(laptop))).json()["data"]
    devices = (await idp.client.get("/v1/devices", headers=bearer(laptop))).json()["data"]
    assert len(sessions) == 2 and len(devices) == 2

    # the new laptop must step up before it can be trusted
    laptop_device = next(d for d in devices if d["name"] == "laptop-000000000001")
    refused = await idp.client.post(f"/v1/devices/{laptop_device['id']}/trust", headers=bearer(laptop))
    assert refused.status_code == 403 and refused.json()["code"] == "STEP_UP_REQUIRED"
    step_up = await idp.client.post("/v1/step-ups", headers={**bearer(laptop), **idem()},
                                    json={"action": "identity.device.trust"})
    assert step_up.status_code == 201, step_up.text
    verified = await idp.client.post(f"/v1/step-ups/{step_up.json()['id']}/verify", headers=bearer(laptop),
                                     json={"method": "TOTP", "code": app_clock.next_code()})
    assert verified.json()["status"] == "VERIFIED", verified.text
    trusted = await idp.client.post(f"/v1/devices/{laptop_device['id']}/trust",
                                    headers={**bearer(laptop), "X-Step-Up-Id": step_up.json()["id"]})
    assert trusted.status_code == 200, trusted.text

    # on the trusted laptop a passkey (a new, untrusted device would need a step-up first), then a passwordless user-verified login: AAL2
    authenticator = SoftAuthenticator()
    assert (await register(idp, laptop, authenticator))["response"].status_code == 201
    passkey = await passkey_login(idp, authenticator, EMAIL)
    assert passkey.status_code == 201, passkey.text
    assert claims(passkey.json())["aal"] == "AAL2"

    # a company, and a colleague invited as accountant who accepts
    owner = type("Owner", (), {"auth": bearer(laptop)})()
    acme = await company(idp, owner, number="JOURNEY-1")  # type: ignore[arg-type]
    colleague = await person(idp, 61)
    invited = await idp.client.post(f"/v1/companies/{acme['id']}/invitations", headers={**bearer(laptop), **idem()},
                                    json={"invitee_type": "EMAIL", "email": colleague.email, "role": "ACCOUNTANT"})
    assert invited.status_code == 201, invited.text
    accepted = await idp.client.post(f"/v1/invitations/{invited.json()['id']}/accept", headers=colleague.auth)
    assert accepted.status_code == 200 and accepted.json()["role"] == "ACCOUNTANT"

    # every step is in the audit chain, and the chain verifies
    async with idp.runtime.db.unit_of_work() as session:
        actions = set((await session.execute(
            select(AuditEntryRow.action).where(AuditEntryRow.actor_id == user_id))).scalars())
    for expected in ("identity.user.registered", "identity.verification.confirm", "identity.session.started",
                     "identity.totp.enabled", "identity.passkey.registered", "identity.passkey.login",
                     "identity.device.new_detected", "identity.step_up.verified", "identity.device.trusted",
                     "identity.company.created", "identity.company.member_invited"):
        assert any(a.startswith(expected) for a in actions), (expected, sorted(actions))
    report = await verify(idp.runtime.db)
    assert report.ok, report.verdict()
    assert report.checked >= len(actions)
