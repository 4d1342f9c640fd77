"""Object-level authorization across the whole contract: for every bearer operation whose path
names an object, user A is refused user B's object exactly as if it did not exist (404), and a
company viewer is refused every admin operation (403). The matrix is derived from the published
spec, so an operation added later without an entry here fails the completeness test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.runtime import load_spec
from core.ledger.api import HoldSpec, NewAccount
from core.platform.clock import utcnow
from tests.support.webauthn_authenticator import SoftAuthenticator

from .company_helpers import Person, company, idem, join, person
from .conftest import IdentityPlatform
from .mfa_helpers import AuthenticatorApp, app_clock, enable_totp  # noqa: F401  (fixture)
from .test_passkeys_api import register

SPEC = load_spec("openapi.json")

# A valid body for each operation that needs one, so a refusal is about the object, not the input.
BODIES = {
    "updateCompany": {"legal_name": "Renamed Ltd"},
    "createDepartment": {"name": "Finance"},
    "createInvitation": {"invitee_type": "EMAIL", "email": "someone@example.com", "role": "VIEWER"},
    "updateMember": {"role": "VIEWER"},
    "createApiKey": {"name": "erp", "scopes": ["ledger:read"]},
    "verifyStepUp": {"method": "TOTP", "code": "123456"},
    "openCompanyWallet": {"asset": "GBP"},
}

QUERIES = {"getLedgerStatement": {"start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}}


def object_operations() -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every bearer operation with a path parameter."""
    found = {}
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "{" not in path:
                continue
            security = op.get("security", SPEC.get("security")) or []
            if any("bearerAuth" in requirement for requirement in security):
                found[op["operationId"]] = (method.upper(), path)
    return found


async def bobs_objects(idp: IdentityPlatform, bob: Person, carol: Person, totp: AuthenticatorApp) -> dict[str, str]:
    """One object of Bob's for every kind of path parameter."""
    client = idp.client
    ids: dict[str, str] = {}
    sessions = (await client.get("/v1/sessions", headers=bob.auth)).json()["data"]
    ids["session_id"] = sessions[0]["id"]
    ids["device_id"] = (await client.get("/v1/devices", headers=bob.auth)).json()["data"][0]["id"]
    acme = await company(idp, bob, number="BOB-0001")
    ids["company_id"] = acme["id"]
    await join(idp, acme["id"], bob, carol, "ACCOUNTANT")
    ids["user_id"] = carol.id
    key = await client.post(f"/v1/companies/{acme['id']}/api-keys", headers=bob.auth,
                            json={"name": "erp", "scopes": ["ledger:read"]})
    assert key.status_code == 201, key.text
    ids["api_key_id"] = key.json()["id"]
    invited = await client.post(f"/v1/companies/{acme['id']}/invitations", headers={**bob.auth, **idem()},
                                json={"invitee_type": "EMAIL", "email": "dave@example.com", "role": "VIEWER"})
    if invited.status_code != 201:  # only existing users can be invited: invite one
        dave = await person(idp, 4)
        invited = await client.post(f"/v1/companies/{acme['id']}/invitations", headers={**bob.auth, **idem()},
                                    json={"invitee_type": "EMAIL", "email": dave.email, "role": "VIEWER"})
    assert invited.status_code == 201, invited.text
    ids["invitation_id"] = invited.json()["id"]
    inbox = (await client.get("/v1/notifications", headers=bob.auth)).json()["data"]
    ids["notification_id"] = inbox[0]["id"]
    check = await client.post("/v1/kyc/checks", headers={**bob.auth, **idem()}, json={
        "target_level": "BASIC", "first_name": "Bob", "last_name": "Builder", "date_of_birth": "1990-05-17",
        "document": {"type": "PASSPORT", "number": "X12342222", "issuing_country": "GB"}})
    assert check.status_code == 202, check.text
    ids["check_id"] = check.json()["id"]
    tokens = {"access_token": bob.auth["Authorization"].split()[1]}
    await enable_totp(idp, tokens, totp)
    step_up = await client.post("/v1/step-ups", headers={**bob.auth, **idem()},
                                json={"action": "identity.device.trust"})
    assert step_up.status_code == 201, step_up.text
    ids["step_up_id"] = step_up.json()["id"]
    registered = (await register(idp, tokens, SoftAuthenticator()))["response"]
    assert registered.status_code == 201, registered.text
    ids["passkey_id"] = registered.json()["id"]
    ledger = idp.runtime.ledger
    assert ledger is not None
    # their EUR wallets opened when they became ACTIVE
    wallet, other = [await ledger.get_account(None, next(w["id"] for w in (await client.get("/v1/wallets", headers=p.auth))
                                                 .json()["data"] if w["asset"] == "EUR")) for p in (bob, carol)]
    await ledger.top_up(None, "bola-3", wallet.id, 10_000)
    hold = await ledger.create_hold(None, HoldSpec("bola-4", wallet.id, other.id, 1_000, utcnow() + timedelta(hours=1)))
    ids["account_id"], ids["hold_id"] = wallet.id, hold.id
    return ids


def test_every_object_operation_is_in_the_matrix() -> None:
    params = {name for _, path in object_operations().values()
              for name in (part.strip("{}") for part in path.split("/")) if f"{{{name}}}" in path}
    covered = {"session_id", "device_id", "company_id", "user_id", "api_key_id", "invitation_id",
               "notification_id", "check_id", "step_up_id", "passkey_id", "account_id", "hold_id"}
    assert params == covered
    assert set(BODIES) <= set(object_operations())


@pytest.mark.backends("sqlite", "postgresql")  # smoke: ownership filters in every query
@pytest.mark.usefixtures("app_clock")
async def test_a_user_is_refused_every_object_of_another_user(idp: IdentityPlatform,
                                                             app_clock: AuthenticatorApp) -> None:  # noqa: F811
    alice, bob, carol = await person(idp, 1), await person(idp, 2), await person(idp, 3)
    ids = await bobs_objects(idp, bob, carol, app_clock)
    answers = {}
    for operation, (method, template) in sorted(object_operations().items()):
        path = template.format(**ids)
        body = BODIES.get(operation)
        response = await idp.client.request(method, path, headers={**alice.auth, **idem()},
                                            params=QUERIES.get(operation),
                                            **({"json": body} if body is not None or method in {"POST", "PUT",
                                                                                               "PATCH"} else {}))
        answers[operation] = response.status_code
        assert response.status_code == 404, (operation, path, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert len(answers) == len(object_operations())
    # and nothing of Bob's changed: his session, device, key and company still work for him
    assert (await idp.client.get(f"/v1/companies/{ids['company_id']}", headers=bob.auth)).json()["legal_name"] \
        == "Acme Trading Ltd"
    assert (await idp.client.get(f"/v1/devices/{ids['device_id']}", headers=bob.auth)).status_code == 200
    keys = (await idp.client.get(f"/v1/companies/{ids['company_id']}/api-keys", headers=bob.auth)).json()["data"]
    assert [k.get("revoked_at") for k in keys] == [None]


ADMIN_OPERATIONS = {
    "updateCompany": ("PATCH", "/v1/companies/{company_id}", {"legal_name": "Viewer Was Here"}),
    "createDepartment": ("POST", "/v1/companies/{company_id}/departments", {"name": "Ops"}),
    "createInvitation": ("POST", "/v1/companies/{company_id}/invitations",
                         {"invitee_type": "EMAIL", "email": "x@example.com", "role": "ADMIN"}),
    "updateMember": ("PATCH", "/v1/companies/{company_id}/members/{user_id}", {"role": "VIEWER"}),
    "removeMember": ("DELETE", "/v1/companies/{company_id}/members/{user_id}", None),
    "createApiKey": ("POST", "/v1/companies/{company_id}/api-keys", {"name": "k", "scopes": ["ledger:read"]}),
    "listApiKeys": ("GET", "/v1/companies/{company_id}/api-keys", None),
    "revokeApiKey": ("DELETE", "/v1/companies/{company_id}/api-keys/{api_key_id}", None),
}


async def test_a_viewer_is_refused_every_admin_operation(idp: IdentityPlatform) -> None:
    owner, viewer, accountant = await person(idp, 1), await person(idp, 2), await person(idp, 3)
    acme = await company(idp, owner, number="VIEW-0001")
    await join(idp, acme["id"], owner, viewer, "VIEWER")
    await join(idp, acme["id"], owner, accountant, "ACCOUNTANT")
    key = await idp.client.post(f"/v1/companies/{acme['id']}/api-keys", headers=owner.auth,
                                json={"name": "erp", "scopes": ["ledger:read"]})
    ids = {"company_id": acme["id"], "user_id": accountant.id, "api_key_id": key.json()["id"]}
    for operation, (method, template, body) in ADMIN_OPERATIONS.items():
        response = await idp.client.request(method, template.format(**ids), headers={**viewer.auth, **idem()},
                                            **({"json": body} if body is not None else {}))
        assert response.status_code == 403, (operation, response.status_code, response.text)
        assert response.json()["code"] == "FORBIDDEN"
    # the viewer may still read
    assert (await idp.client.get(f"/v1/companies/{acme['id']}", headers=viewer.auth)).status_code == 200
    members = (await idp.client.get(f"/v1/companies/{acme['id']}/members", headers=owner.auth)).json()["data"]
    assert {m["user_id"]: m["role"] for m in members}[accountant.id] == "ACCOUNTANT"
