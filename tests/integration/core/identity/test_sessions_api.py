"""Login, access tokens, refresh rotation and sessions through the published API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select, update

from core.identity.sessions.service import SESSION_IDLE, SESSION_LIFETIME
from core.identity.sessions.tables import SessionRow, SigningKeyRow
from core.identity.sessions.tokens import rotate_keys
from core.platform.clock import utcnow

from .conftest import IdentityPlatform
from .helpers import PASSWORD, active_user, bearer, login

ALICE = ("alice@example.com", "+442079460018")
BOB = ("bob@example.com", "+442079460019")


@pytest.mark.backends("sqlite", "postgresql")  # smoke: sessions
async def test_login_lists_sessions_and_the_token_verifies_with_the_jwks(idp: IdentityPlatform) -> None:
    uid = await active_user(idp, *ALICE)
    tokens = await login(idp, "alice@example.com")
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
    jwks = (await idp.client.get("/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(tokens["access_token"])
    assert header["alg"] == "EdDSA"
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    public = jwt.PyJWK(key).key
    claims = jwt.decode(tokens["access_token"], public, algorithms=["EdDSA"], audience="darca-api", issuer="darca-id")
    assert claims["sub"] == uid and claims["sid"] == tokens["session_id"]

    listed = await idp.client.get("/v1/sessions", headers=bearer(tokens))
    assert listed.status_code == 200
    assert [(s["id"], s["current"], s["aal"]) for s in listed.json()["data"]] == [(tokens["session_id"], True, "AAL1")]


async def test_unknown_user_and_wrong_password_get_identical_answers(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    wrong = await idp.client.post("/v1/sessions", json={"identifier": "alice@example.com", "password": "nope-nope-nope"})
    unknown = await idp.client.post("/v1/sessions", json={"identifier": "carol@example.com", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 401

    def strip(body: dict) -> dict:
        return {k: v for k, v in body.items() if k not in {"trace_id", "request_id"}}

    assert strip(wrong.json()) == strip(unknown.json())
    assert wrong.json()["code"] == "INVALID_CREDENTIALS"


async def test_identifier_is_normalised_for_login(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    await login(idp, "  ALICE@Example.COM ")
    await login(idp, "+44 20 7946 0018")


async def test_pending_user_is_told_how_to_finish_only_with_the_right_password(idp: IdentityPlatform) -> None:
    import uuid

    user = (await idp.client.post("/v1/users", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
        "phone": BOB[1], "email": BOB[0], "display_name": "Bob", "country": "GB", "password": PASSWORD})).json()
    wrong = await idp.client.post("/v1/sessions", json={"identifier": BOB[0], "password": PASSWORD + "x"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "INVALID_CREDENTIALS"
    assert "user_id" not in wrong.json()
    r = await idp.client.post("/v1/sessions", json={"identifier": BOB[0], "password": PASSWORD})
    problem = r.json()
    assert r.status_code == 403 and problem["code"] == "VERIFICATION_PENDING"
    assert problem["user_id"] == user["id"] and problem["unverified_channels"] == ["SMS", "EMAIL"]
    assert f"/v1/users/{user['id']}/verifications" in problem["detail"]
    # one channel done: only the other is still asked for
    await idp.client.post(f"/v1/users/{user['id']}/verifications", json={"channel": "EMAIL"})
    await idp.client.post(f"/v1/users/{user['id']}/verifications/confirm",
                          json={"channel": "EMAIL", "code": idp.last_code(BOB[0])})
    again = await idp.client.post("/v1/sessions", json={"identifier": BOB[1], "password": PASSWORD})
    assert again.status_code == 403 and again.json()["unverified_channels"] == ["SMS"]


@pytest.mark.backends("sqlite", "postgresql")  # refresh locks its rows
async def test_refresh_rotates_and_reuse_revokes_the_family(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    first = await login(idp, "alice@example.com")
    second = (await idp.client.post("/v1/tokens/refresh", json={"refresh_token": first["refresh_token"]})).json()
    assert second["refresh_token"] != first["refresh_token"] and second["session_id"] == first["session_id"]
    third = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    # the first token is replayed (stolen copy): the family ends, the newest token and access token die too
    reuse = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401 and reuse.json()["code"] == "INVALID_REFRESH_TOKEN"
    after = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": third.json()["refresh_token"]})
    assert after.status_code == 401
    assert (await idp.client.get("/v1/sessions", headers=bearer(third.json()))).status_code == 401


@pytest.mark.backends("sqlite", "postgresql")  # time comparisons in SQL
@pytest.mark.parametrize("column, age", [("last_used_at", SESSION_IDLE), ("created_at", SESSION_LIFETIME)])
async def test_an_idle_or_too_old_session_cannot_be_refreshed(idp: IdentityPlatform, column: str,
                                                        age: timedelta) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, "alice@example.com")
    async with idp.runtime.db.unit_of_work() as session:
        await session.execute(update(SessionRow).where(SessionRow.id == tokens["session_id"])
                              .values({column: utcnow() - age - timedelta(minutes=1)}))
    refused = await idp.client.post("/v1/tokens/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401 and refused.json()["code"] == "INVALID_REFRESH_TOKEN"
    async with idp.runtime.db.unit_of_work() as session:
        row = await session.get(SessionRow, tokens["session_id"])
        assert row is not None and row.revoked_reason == "EXPIRED"


async def test_sessions_are_listed_by_page_with_their_device_and_expiry(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    logins = []
    for n in range(3):
        r = await idp.client.post("/v1/sessions", json={"identifier": "alice@example.com", "password": PASSWORD},
                                  headers={"X-Device-Id": f"device-{n}-0123456789abcdef"})
        assert r.status_code == 201, r.text
        logins.append(r.json())
    me = bearer(logins[-1])
    first = (await idp.client.get("/v1/sessions", params={"limit": 2}, headers=me)).json()
    assert first["has_more"] is True and len(first["data"]) == 2
    second = (await idp.client.get("/v1/sessions", params={"limit": 2, "cursor": first["next_cursor"]},
                                   headers=me)).json()
    assert second["has_more"] is False and "next_cursor" not in second
    listed = first["data"] + second["data"]
    assert [s["id"] for s in listed] == [t["session_id"] for t in reversed(logins)]  # newest first
    assert [s["current"] for s in listed] == [True, False, False]
    devices = {d["id"] for d in (await idp.client.get("/v1/devices", headers=me)).json()["data"]}
    assert {s["device_id"] for s in listed} == devices and len(devices) == 3
    for s in listed:
        created, last_used = (datetime.fromisoformat(s[k]) for k in ("created_at", "last_used_at"))
        assert datetime.fromisoformat(s["expires_at"]) == min(last_used + SESSION_IDLE,
                                                                                  created + SESSION_LIFETIME)
    # an idle session is no longer live, even before anyone tries to refresh it
    async with idp.runtime.db.unit_of_work() as session:
        await session.execute(update(SessionRow).where(SessionRow.id == logins[0]["session_id"])
                              .values(last_used_at=utcnow() - SESSION_IDLE - timedelta(minutes=1)))
    live = (await idp.client.get("/v1/sessions", headers=me)).json()["data"]
    assert [s["id"] for s in live] == [logins[2]["session_id"], logins[1]["session_id"]]
    bad = await idp.client.get("/v1/sessions", params={"cursor": "eyJrIjpbMSwyLDMsNF19"}, headers=me)
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_CURSOR"


async def test_sessions_are_private_and_revocable(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    await active_user(idp, *BOB)
    alice = await login(idp, "alice@example.com")
    alice2 = await login(idp, "alice@example.com")
    bob = await login(idp, "bob@example.com")
    # BOLA: Bob cannot see or revoke Alice's session; it looks like a missing one
    assert {s["id"] for s in (await idp.client.get("/v1/sessions", headers=bearer(bob))).json()["data"]} == {bob["session_id"]}
    refused = await idp.client.delete(f"/v1/sessions/{alice['session_id']}", headers=bearer(bob))
    assert refused.status_code == 404 and refused.json()["code"] == "SESSION_NOT_FOUND"
    assert (await idp.client.get("/v1/sessions", headers=bearer(alice))).status_code == 200

    assert (await idp.client.delete(f"/v1/sessions/{alice2['session_id']}", headers=bearer(alice))).status_code == 204
    assert (await idp.client.get("/v1/sessions", headers=bearer(alice2))).status_code == 401
    ids = {s["id"] for s in (await idp.client.get("/v1/sessions", headers=bearer(alice))).json()["data"]}
    assert ids == {alice["session_id"]}

    assert (await idp.client.delete("/v1/sessions", headers=bearer(alice))).status_code == 204
    assert (await idp.client.get("/v1/sessions", headers=bearer(alice))).status_code == 401
    assert (await idp.client.get("/v1/sessions", headers=bearer(bob))).status_code == 200


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _hs256(claims: dict, kid: str, secret: bytes) -> str:
    """By hand: PyJWT itself refuses to HMAC with a PEM key, which is the point of the attack."""
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{_b64(claims)}"
    return f"{signing_input}.{_b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


async def test_token_attacks_are_refused(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    tokens = await login(idp, "alice@example.com")
    good = tokens["access_token"]
    header = jwt.get_unverified_header(good)
    claims = jwt.decode(good, options={"verify_signature": False})
    async with idp.runtime.db.unit_of_work() as session:
        key = await session.get(SigningKeyRow, header["kid"])
    assert key is not None
    private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)

    h, p, s = good.split(".")
    attacks = {
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': header['kid']})}.{p}.",
        # HS256 keyed with the public key's bytes: the classic key-confusion forgery
        "key confusion": _hs256(claims, header["kid"], key.public_pem.encode()),
        "expired": jwt.encode({**claims, "exp": int(time.time()) - 60}, private, algorithm="EdDSA",
                              headers={"kid": header["kid"]}),
        "wrong audience": jwt.encode({**claims, "aud": "someone-else"}, private, algorithm="EdDSA",
                                     headers={"kid": header["kid"]}),
        "unknown kid": jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": "key_unknown"}),
        "tampered payload": f"{h}.{_b64({**claims, 'sub': 'usr_00000000000000000000000000'})}.{s}",
        "garbage": "not-a-jwt",
    }
    assert (await idp.client.get("/v1/sessions", headers={"Authorization": f"Bearer {good}"})).status_code == 200
    for name, forged in attacks.items():
        r = await idp.client.get("/v1/sessions", headers={"Authorization": f"Bearer {forged}"})
        assert r.status_code == 401, name
        assert r.json()["code"] == "UNAUTHENTICATED", name


async def test_key_rotation_keeps_old_tokens_valid_and_publishes_both(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    before = await login(idp, "alice@example.com")
    async with idp.runtime.db.unit_of_work() as session:
        new = await rotate_keys(session)
    after = await login(idp, "alice@example.com")
    assert jwt.get_unverified_header(after["access_token"])["kid"] == new.kid
    assert jwt.get_unverified_header(before["access_token"])["kid"] != new.kid
    kids = {k["kid"] for k in (await idp.client.get("/.well-known/jwks.json")).json()["keys"]}
    assert kids == {new.kid, jwt.get_unverified_header(before["access_token"])["kid"]}
    assert (await idp.client.get("/v1/sessions", headers=bearer(before))).status_code == 200
    async with idp.runtime.db.unit_of_work() as session:
        assert len((await session.execute(select(SigningKeyRow))).scalars().all()) == 2
