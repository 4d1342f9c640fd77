"""Passkeys through the published API, driven by a software authenticator doing the real ceremonies."""

from __future__ import annotations

import uuid

import jwt
import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.identity.passkeys.tables import PasskeyRow, WebAuthnChallengeRow
from core.identity.passkeys.ceremony import verify_step_up_assertion
from core.platform.tables import OutboxEvent
from tests.support.webauthn_authenticator import SoftAuthenticator

from .conftest import IdentityPlatform
from .helpers import active_user, bearer, login

ALICE = ("alice@example.com", "+442079460018")
BOB = ("bob@example.com", "+442079460019")


async def register(idp: IdentityPlatform, tokens: dict, auth: SoftAuthenticator, name: str = "Laptop",
                   **knobs: object) -> dict:
    started = await idp.client.post("/v1/passkeys/registration/options", headers=bearer(tokens))
    assert started.status_code == 200, started.text
    credential = auth.create(started.json()["options"], **knobs)  # type: ignore[arg-type]
    done = await idp.client.post("/v1/passkeys", json={"name": name, "credential": credential},
                                 headers={**bearer(tokens), "Idempotency-Key": str(uuid.uuid4())})
    return {"options": started.json()["options"], "response": done}


async def start_login(idp: IdentityPlatform, identifier: str | None = None) -> dict:
    body = {"identifier": identifier} if identifier else {}
    started = await idp.client.post("/v1/passkeys/authentication/options", json=body)
    assert started.status_code == 200, started.text
    return started.json()


async def passkey_login(idp: IdentityPlatform, auth: SoftAuthenticator, identifier: str | None = None,
                        **knobs: object):
    started = await start_login(idp, identifier)
    credential = auth.get(started["options"], **knobs)  # type: ignore[arg-type]
    return await idp.client.post("/v1/passkey-sessions",
                                 json={"challenge_id": started["challenge_id"], "credential": credential})


def aal(tokens: dict) -> str:
    return jwt.decode(tokens["access_token"], options={"verify_signature": False})["aal"]


async def audit_actions(idp: IdentityPlatform) -> list[tuple[str, str, str | None]]:
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(AuditEntryRow).where(AuditEntryRow.action.like("identity.passkey.%"))
                                      .order_by(AuditEntryRow.sequence))).scalars().all()
        return [(r.action, r.result, r.reason) for r in rows]


@pytest.mark.backends("sqlite", "postgresql")  # smoke: passkeys
async def test_register_list_and_log_in_with_and_without_user_verification(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    auth = SoftAuthenticator(backup_eligible=True, backed_up=True)
    registered = await register(idp, tokens, auth)
    options = registered["options"]
    assert options["rp"] == {"id": "localhost", "name": "DARCA"} and options["excludeCredentials"] == []
    assert options["authenticatorSelection"]["residentKey"] == "preferred"
    response = registered["response"]
    assert response.status_code == 201, response.text
    passkey = response.json()
    assert response.headers["location"] == f"/v1/passkeys/{passkey['id']}"
    assert passkey["name"] == "Laptop" and passkey["transports"] == ["internal"] and passkey["sign_count"] == 0
    assert passkey["device_type"] == "MULTI_DEVICE" and passkey["backed_up"] is True
    assert "last_used_at" not in passkey

    listed = (await idp.client.get("/v1/passkeys", headers=bearer(tokens))).json()["data"]
    assert [p["id"] for p in listed] == [passkey["id"]]

    with_uv = await passkey_login(idp, auth, ALICE[0])
    assert with_uv.status_code == 201, with_uv.text
    assert aal(with_uv.json()) == "AAL2"
    sessions = (await idp.client.get("/v1/sessions", headers=bearer(with_uv.json()))).json()["data"]
    assert {s["aal"] for s in sessions if s["current"]} == {"AAL2"}

    discoverable_without_uv = await passkey_login(idp, auth, uv=False)  # no identifier: discoverable credential
    assert discoverable_without_uv.status_code == 201, discoverable_without_uv.text
    assert aal(discoverable_without_uv.json()) == "AAL1"
    after = (await idp.client.get("/v1/passkeys", headers=bearer(tokens))).json()["data"][0]
    assert after["sign_count"] == 2 and "last_used_at" in after

    async with idp.runtime.db.unit_of_work() as session:
        event = (await session.execute(select(OutboxEvent).where(
            OutboxEvent.event_type == "darca.identity.passkey_registered.v1"))).scalars().one()
    assert event.data == {"user_id": uid, "passkey_id": passkey["id"], "device_type": "MULTI_DEVICE",
                          "backed_up": True}
    assert await audit_actions(idp) == [("identity.passkey.registered", "SUCCESS", None),
                                        ("identity.passkey.login", "SUCCESS", None),
                                        ("identity.passkey.login", "SUCCESS", None)]


async def test_options_for_an_identifier_list_the_users_passkeys_and_exclude_them_on_re_registration(
        idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    auth = SoftAuthenticator()
    passkey = (await register(idp, tokens, auth))["response"].json()
    allowed = (await start_login(idp, " ALICE@example.com "))["options"]
    assert [c["id"] for c in allowed["allowCredentials"]] == [passkey["credential_id"]]
    # no account, or an account without passkeys: a stable decoy shaped like a real credential
    await active_user(idp, *BOB)
    for nobody in ("nobody@example.com", BOB[0]):
        decoy = (await start_login(idp, nobody))["options"]["allowCredentials"]
        assert len(decoy) == 1 and decoy[0]["type"] == "public-key"
        assert len(decoy[0]["id"]) == len(passkey["credential_id"]) and decoy[0]["id"] != passkey["credential_id"]
        assert (await start_login(idp, nobody))["options"]["allowCredentials"] == decoy
    assert (await start_login(idp, "nobody@example.com"))["options"]["allowCredentials"] != \
        (await start_login(idp, BOB[0]))["options"]["allowCredentials"]
    assert (await start_login(idp, None))["options"].get("allowCredentials", []) == []

    again = await register(idp, tokens, auth)  # the same authenticator tries to register twice
    assert [c["id"] for c in again["options"]["excludeCredentials"]] == [passkey["credential_id"]]
    assert again["response"].status_code == 409 and again["response"].json()["code"] == "PASSKEY_ALREADY_REGISTERED"


async def test_a_counter_that_does_not_increase_is_refused_and_flagged(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    auth = SoftAuthenticator()
    passkey = (await register(idp, tokens, auth))["response"].json()
    assert (await passkey_login(idp, auth)).status_code == 201
    assert (await passkey_login(idp, auth)).status_code == 201  # counter now 2
    cloned = await passkey_login(idp, auth, counter=2)
    assert cloned.status_code == 401 and cloned.json()["code"] == "PASSKEY_SIGN_COUNT_REGRESSED"
    lower = await passkey_login(idp, auth, counter=1)
    assert lower.status_code == 401 and lower.json()["code"] == "PASSKEY_SIGN_COUNT_REGRESSED"
    async with idp.runtime.db.unit_of_work() as session:
        row = await session.get(PasskeyRow, passkey["id"])
        assert row is not None and row.sign_count == 2 and row.sign_count_regressed_at is not None
    actions = await audit_actions(idp)
    assert actions.count(("identity.passkey.sign_count_regressed", "DENIED", "COUNTER 2 <= 2")) == 1
    assert ("identity.passkey.login", "FAILURE", "PASSKEY_SIGN_COUNT_REGRESSED") in actions


async def test_refused_assertions_are_401_problems_never_500(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    auth = SoftAuthenticator()
    await register(idp, tokens, auth)

    cases = {
        "wrong origin": {"origin": "https://evil.example"},
        "wrong rp id": {"rp_id": "evil.example"},
        "tampered signature": {"tamper": True},
        "user not present": {"up": False},
    }
    for label, knobs in cases.items():
        refused = await passkey_login(idp, auth, **knobs)
        assert refused.status_code == 401, label
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "PASSKEY_ASSERTION_INVALID", label

    stranger = SoftAuthenticator()  # never registered
    unknown = await passkey_login(idp, stranger)
    assert unknown.status_code == 401 and unknown.json()["code"] == "PASSKEY_ASSERTION_INVALID"

    # assertion-shaped JSON that is no assertion: not JSON inside, a bad signature, bad base64
    signed = auth.get((await start_login(idp))["options"])["response"]
    for garbage in ({"clientDataJSON": "bm90IGpzb24", "authenticatorData": "AAAA", "signature": "AAAA"},
                    {**signed, "signature": "AAAA"},
                    {"clientDataJSON": "e30", "authenticatorData": "A", "signature": "A"}):
        started = await start_login(idp)
        r = await idp.client.post("/v1/passkey-sessions", json={"challenge_id": started["challenge_id"], "credential": {
            "id": "abc", "rawId": "abc", "type": "public-key", "response": garbage}})
        assert r.status_code == 401 and r.json()["code"] == "PASSKEY_ASSERTION_INVALID", r.text
    # not the shape of an assertion (the typed WebAuthnAssertion): refused by the contract
    for shapeless in ({"id": 1}, {"id": "abc", "rawId": "abc", "type": "public-key",
                                  "response": {"clientDataJSON": signed["clientDataJSON"]}}):
        refused = await idp.client.post("/v1/passkey-sessions", json={"challenge_id": started["challenge_id"],
                                                                      "credential": shapeless})
        assert refused.status_code == 422 and refused.json()["code"] == "VALIDATION_FAILED"

    # an assertion over another challenge than the one named
    first, second = await start_login(idp), await start_login(idp)
    crossed = await idp.client.post("/v1/passkey-sessions", json={
        "challenge_id": second["challenge_id"], "credential": auth.get(first["options"])})
    assert crossed.status_code == 401 and crossed.json()["code"] == "PASSKEY_ASSERTION_INVALID"
    unknown_challenge = await idp.client.post("/v1/passkey-sessions", json={
        "challenge_id": "wch_00000000000000000000000000", "credential": auth.get(first["options"])})
    assert unknown_challenge.status_code == 401 and unknown_challenge.json()["code"] == "PASSKEY_CHALLENGE_INVALID"


@pytest.mark.backends("sqlite", "postgresql")  # challenge consumed under a row lock
async def test_a_challenge_works_once(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    auth = SoftAuthenticator()
    await register(idp, tokens, auth)
    started = await start_login(idp)
    ok = await idp.client.post("/v1/passkey-sessions", json={
        "challenge_id": started["challenge_id"], "credential": auth.get(started["options"])})
    assert ok.status_code == 201
    replay = await idp.client.post("/v1/passkey-sessions", json={
        "challenge_id": started["challenge_id"], "credential": auth.get(started["options"])})
    assert replay.status_code == 401 and replay.json()["code"] == "PASSKEY_CHALLENGE_INVALID"

    # a failed attempt uses the challenge up too
    failed_start = await start_login(idp)
    await idp.client.post("/v1/passkey-sessions", json={
        "challenge_id": failed_start["challenge_id"], "credential": auth.get(failed_start["options"], tamper=True)})
    retry = await idp.client.post("/v1/passkey-sessions", json={
        "challenge_id": failed_start["challenge_id"], "credential": auth.get(failed_start["options"])})
    assert retry.status_code == 401 and retry.json()["code"] == "PASSKEY_CHALLENGE_INVALID"

    # registration challenges are single use as well
    registration = await register(idp, tokens, SoftAuthenticator())
    assert registration["response"].status_code == 201
    reused = await idp.client.post("/v1/passkeys", json={
        "name": "Again", "credential": SoftAuthenticator().create(registration["options"])},
        headers={**bearer(tokens), "Idempotency-Key": str(uuid.uuid4())})
    assert reused.status_code == 422 and reused.json()["code"] == "PASSKEY_CHALLENGE_INVALID"


async def test_a_registration_that_does_not_verify_is_refused(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    wrong_origin = (await register(idp, tokens, SoftAuthenticator(), origin="https://evil.example"))["response"]
    assert wrong_origin.status_code == 422 and wrong_origin.json()["code"] == "PASSKEY_REGISTRATION_INVALID"
    garbage = await idp.client.post("/v1/passkeys", json={"name": "x", "credential": {
        "id": "abc", "rawId": "abc", "type": "public-key", "response": {"clientDataJSON": "e30",
                                                                        "attestationObject": "AAAA"}}},
        headers={**bearer(tokens), "Idempotency-Key": str(uuid.uuid4())})
    assert garbage.status_code == 422 and garbage.json()["code"] == "PASSKEY_REGISTRATION_INVALID"
    # an assertion where an attestation belongs: refused by the contract (WebAuthnAttestation)
    shapeless = await idp.client.post("/v1/passkeys", json={"name": "x", "credential": {
        "id": "abc", "rawId": "abc", "type": "public-key", "response": {"clientDataJSON": "e30"}}},
        headers={**bearer(tokens), "Idempotency-Key": str(uuid.uuid4())})
    assert shapeless.status_code == 422 and shapeless.json()["code"] == "VALIDATION_FAILED"
    assert (await idp.client.get("/v1/passkeys", headers=bearer(tokens))).json()["data"] == []
    assert ("identity.passkey.registered", "FAILURE", "PASSKEY_REGISTRATION_INVALID") in await audit_actions(idp)


async def test_passkeys_are_private_to_their_owner_and_removal_stops_login(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, *ALICE)
    await active_user(idp, *BOB)
    alice, bob = await login(idp, ALICE[0]), await login(idp, BOB[0])
    auth = SoftAuthenticator()
    passkey = (await register(idp, alice, auth))["response"].json()

    assert (await idp.client.get("/v1/passkeys", headers=bearer(bob))).json()["data"] == []
    foreign = await idp.client.delete(f"/v1/passkeys/{passkey['id']}", headers=bearer(bob))
    assert foreign.status_code == 404 and foreign.json()["code"] == "PASSKEY_NOT_FOUND"
    # Bob's login options cannot be answered with Alice's passkey
    bobs = await passkey_login(idp, auth, BOB[0])
    assert bobs.status_code == 401 and bobs.json()["code"] == "PASSKEY_ASSERTION_INVALID"

    removed = await idp.client.delete(f"/v1/passkeys/{passkey['id']}", headers=bearer(alice))
    assert removed.status_code == 204
    assert (await idp.client.get("/v1/passkeys", headers=bearer(alice))).json()["data"] == []
    after = await passkey_login(idp, auth)
    assert after.status_code == 401 and after.json()["code"] == "PASSKEY_ASSERTION_INVALID"
    async with idp.runtime.db.unit_of_work() as session:
        event = (await session.execute(select(OutboxEvent).where(
            OutboxEvent.event_type == "darca.identity.passkey_removed.v1"))).scalars().one()
    assert event.data == {"user_id": uid, "passkey_id": passkey["id"]}
    assert ("identity.passkey.removed", "SUCCESS", None) in await audit_actions(idp)


async def test_failed_assertions_are_throttled_per_address(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    auth = SoftAuthenticator()
    await register(idp, tokens, auth)
    statuses = [(await passkey_login(idp, auth, tamper=True)).status_code for _ in range(21)]
    assert statuses == [401] * 21
    locked = await passkey_login(idp, auth)  # even a good assertion waits out the lock
    assert locked.status_code == 429 and locked.json()["code"] == "TOO_MANY_ATTEMPTS"
    assert int(locked.headers["retry-after"]) >= 1


async def test_step_up_by_passkey(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, *ALICE)
    await active_user(idp, *BOB)
    alice, bob = await login(idp, ALICE[0]), await login(idp, BOB[0])
    auth = SoftAuthenticator()
    passkey = (await register(idp, alice, auth))["response"].json()

    async def new_step_up() -> dict:
        created = await idp.client.post("/v1/step-ups", json={"action": "payment.create"},
                                        headers={**bearer(alice), "Idempotency-Key": str(uuid.uuid4())})
        assert created.status_code == 201, created.text
        assert "PASSKEY" in created.json()["methods"]
        return created.json()

    step_up = await new_step_up()
    foreign = await idp.client.post(f"/v1/step-ups/{step_up['id']}/passkey-options", headers=bearer(bob))
    assert foreign.status_code == 404 and foreign.json()["code"] == "STEP_UP_NOT_FOUND"
    no_passkey_step_up = await idp.client.post("/v1/step-ups/stp_00000000000000000000000000/passkey-options",
                                               headers=bearer(alice))
    assert no_passkey_step_up.status_code == 404

    options = await idp.client.post(f"/v1/step-ups/{step_up['id']}/passkey-options", headers=bearer(alice))
    assert options.status_code == 200, options.text
    request = options.json()["options"]
    assert request["userVerification"] == "required"
    assert [c["id"] for c in request["allowCredentials"]] == [passkey["credential_id"]]

    # without user verification the assertion does not satisfy a step-up (the challenge is then used up)
    async with idp.runtime.db.unit_of_work() as session:
        assert not await verify_step_up_assertion(session, user_id=uid, step_up_id=step_up["id"],
                                                  credential=auth.get(request, uv=False))
        assert not await verify_step_up_assertion(session, user_id=uid, step_up_id=step_up["id"],
                                                  credential={"garbage": True})
    options = (await idp.client.post(f"/v1/step-ups/{step_up['id']}/passkey-options", headers=bearer(alice))).json()
    async with idp.runtime.db.unit_of_work() as session:  # bound to the step-up: another one's id does not match
        assert not await verify_step_up_assertion(session, user_id=uid, step_up_id="stp_00000000000000000000000000",
                                                  credential=auth.get(options["options"]))
        challenge = await session.get(WebAuthnChallengeRow, options["challenge_id"])
        assert challenge is not None and challenge.purpose == "STEP_UP" and challenge.used_at is None

    verified = await idp.client.post(f"/v1/step-ups/{step_up['id']}/verify",
                                     json={"method": "PASSKEY", "credential": auth.get(options["options"])}, headers=bearer(alice))
    assert verified.status_code == 200, verified.text
    assert verified.json()["status"] == "VERIFIED"
    again = await idp.client.post(f"/v1/step-ups/{step_up['id']}/passkey-options", headers=bearer(alice))
    assert again.status_code == 409 and again.json()["code"] == "STEP_UP_NOT_PENDING"

    # a step-up whose options were never issued cannot be satisfied with a login challenge's assertion
    other = await new_step_up()
    login_options = await start_login(idp)
    refused = await idp.client.post(f"/v1/step-ups/{other['id']}/verify",
                                    json={"method": "PASSKEY", "credential": auth.get(login_options["options"])}, headers=bearer(alice))
    assert refused.status_code == 422 and refused.json()["code"] == "PASSKEY_ASSERTION_INVALID"


async def test_a_passkey_session_is_bound_to_the_named_device(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, ALICE[0])
    auth = SoftAuthenticator()
    await register(idp, tokens, auth)
    started = await start_login(idp)
    response = await idp.client.post(
        "/v1/passkey-sessions", json={"challenge_id": started["challenge_id"], "credential": auth.get(started["options"])},
        headers={"X-Device-Id": "phone-install-0123456789", "X-Device-Name": "Alice's phone"})
    assert response.status_code == 201, response.text
    devices = (await idp.client.get("/v1/devices", headers=bearer(response.json()))).json()["data"]
    assert [(d["name"], d["current"]) for d in devices if d["current"]] == [("Alice's phone", True)]
