"""Registration and phone/email verification through the published API, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.identity.throttle.tables import ThrottleRow
from core.identity.users.tables import UserRow, VerificationCodeRow
from core.notifications.tables import NotificationRow
from core.platform.clock import utcnow
from core.platform.tables import OutboxEvent

from .conftest import IdentityPlatform

PASSWORD = "violet-harbour-lantern-42"


def signup(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {"phone": "+44 20 7946 0018", "email": "Alice.Smith@Example.com",
                               "display_name": "Alice Smith", "country": "GB", "password": PASSWORD}
    body.update(overrides)
    return body


async def sms_code(idp: IdentityPlatform, user_id: str) -> str:
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(NotificationRow).where(
            NotificationRow.user_id == user_id, NotificationRow.channel == "SMS"
        ).order_by(NotificationRow.id))).scalars().all()
    return re.search(r"\b(\d{6})\b", rows[-1].body).group(1)  # type: ignore[union-attr]


async def post_user(idp: IdentityPlatform, body: dict[str, object]):
    return await idp.client.post("/v1/users", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


async def register(idp: IdentityPlatform, **overrides: object) -> dict:
    response = await post_user(idp, signup(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.backends("sqlite", "postgresql")  # smoke: registration
async def test_register_verify_both_channels_and_become_active(idp: IdentityPlatform) -> None:
    created = await idp.client.post("/v1/users", json=signup(), headers={"Idempotency-Key": "reg-1"})
    assert created.status_code == 201
    user = created.json()
    assert user["status"] == "PENDING_VERIFICATION"
    assert user["phone"] == "+442079460018"  # stored as E.164
    assert created.headers["location"] == f"/v1/users/{user['id']}"
    assert "password" not in user
    uid = user["id"]

    sent = await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
    assert sent.status_code == 202
    assert sent.json()["attempts_left"] == 5
    code = idp.last_code("Alice.Smith@Example.com")
    ok = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "EMAIL", "code": code})
    assert ok.status_code == 200 and ok.json()["email_verified"] is True and ok.json()["status"] == "PENDING_VERIFICATION"

    assert (await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "SMS"})).status_code == 202
    code = await sms_code(idp, uid)
    ok = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "SMS", "code": code})
    assert ok.json()["status"] == "ACTIVE" and ok.json()["version"] == 3

    again = await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "SMS"})
    assert again.status_code == 409 and again.json()["code"] == "ALREADY_VERIFIED"
    async with idp.runtime.db.unit_of_work() as session:
        types = (await session.execute(select(OutboxEvent.event_type).where(
            OutboxEvent.partition_key == uid, OutboxEvent.event_type.like("darca.identity.%")))).scalars().all()  # type: ignore[attr-defined]
    assert sorted(types) == ["darca.identity.user_activated.v1", "darca.identity.user_registered.v1"]


@pytest.mark.backends("sqlite", "postgresql")  # idempotency in SQL
async def test_registration_is_idempotent(idp: IdentityPlatform) -> None:
    first = await idp.client.post("/v1/users", json=signup(), headers={"Idempotency-Key": "reg-2"})
    replay = await idp.client.post("/v1/users", json=signup(), headers={"Idempotency-Key": "reg-2"})
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]


async def test_password_is_stored_as_argon2id_only(idp: IdentityPlatform) -> None:
    uid = (await register(idp))["id"]
    async with idp.runtime.db.unit_of_work() as session:
        row = await session.get(UserRow, uid)
    assert row is not None and row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash


async def test_weak_passwords_are_refused_with_reasons(idp: IdentityPlatform) -> None:
    cases = {"short-1A": "PASSWORD_TOO_SHORT", "alice.smith-is-great": "PASSWORD_CONTAINS_IDENTIFIER",
             "my number 2079460018": "PASSWORD_CONTAINS_IDENTIFIER", "Password123!": "PASSWORD_TOO_COMMON",
             "qwertyuiop": "PASSWORD_TOO_COMMON"}
    for password, code in cases.items():
        response = await post_user(idp, signup(password=password))
        assert response.status_code == 422, password
        assert code in {e["code"] for e in response.json()["errors"]}, password


@pytest.mark.backends("sqlite", "postgresql")  # duplicates meet unique constraints
async def test_invalid_phone_and_duplicates(idp: IdentityPlatform) -> None:
    bad = await post_user(idp, signup(phone="+44 1234 567"))  # the contract's shape, no such number
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "INVALID_PHONE_NUMBER"
    short = await post_user(idp, signup(phone="+44 12"))  # not even the shape of a number
    assert short.status_code == 422 and [e["field"] for e in short.json()["errors"]] == ["body.phone"]
    first = await register(idp)
    # a taken email or phone is answered like a new one (tests/security/test_enumeration.py compares them)
    same_email = await post_user(idp, signup(phone="+33 1 42 68 53 00", email="alice.smith@example.COM"))
    assert same_email.status_code == 201 and same_email.json()["status"] == "PENDING_VERIFICATION"
    same_phone = await post_user(idp, signup(phone="+442079460018", email="bob@example.com"))
    assert same_phone.status_code == 201 and same_phone.json()["id"] not in (first["id"], same_email.json()["id"])
    async with idp.runtime.db.unit_of_work() as session:
        assert len((await session.execute(select(UserRow))).scalars().all()) == 1


async def test_code_is_stored_hashed_and_resend_is_throttled(idp: IdentityPlatform) -> None:
    uid = (await register(idp))["id"]
    await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
    code = idp.last_code("Alice.Smith@Example.com")
    async with idp.runtime.db.unit_of_work() as session:
        row = (await session.execute(select(VerificationCodeRow))).scalars().one()
    assert code not in row.code_hash
    throttled = await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
    assert throttled.status_code == 429 and throttled.json()["code"] == "VERIFICATION_RESEND_THROTTLED"
    assert 1 <= int(throttled.headers["retry-after"]) <= 60
    # once the throttle window has passed, a new code replaces the old one
    async with idp.runtime.db.unit_of_work() as session:
        await session.execute(update(ThrottleRow).where(ThrottleRow.key.like("code-wait:%"))
                              .values(locked_until=utcnow() - timedelta(seconds=1)))
    assert (await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})).status_code == 202
    new_code = idp.last_code("Alice.Smith@Example.com")
    if new_code != code:
        stale = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "EMAIL", "code": code})
        assert stale.json()["code"] == "VERIFICATION_CODE_INVALID"


async def test_wrong_codes_use_up_attempts_then_the_code_is_gone(idp: IdentityPlatform) -> None:
    uid = (await register(idp))["id"]
    await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
    right = idp.last_code("Alice.Smith@Example.com")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        r = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "EMAIL", "code": wrong})
        assert r.status_code == 422 and r.json()["code"] == "VERIFICATION_CODE_INVALID"
        assert r.json()["attempts_left"] == left
        assert r.headers["content-type"] == "application/problem+json"
    last = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "EMAIL", "code": wrong})
    assert last.status_code == 429 and last.json()["code"] == "VERIFICATION_ATTEMPTS_EXHAUSTED"
    assert "retry-after" in last.headers
    gone = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "EMAIL", "code": right})
    assert gone.status_code == 422 and gone.json()["code"] == "VERIFICATION_CODE_NOT_SENT"


async def test_expired_code_is_refused(idp: IdentityPlatform) -> None:
    uid = (await register(idp))["id"]
    await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
    code = idp.last_code("Alice.Smith@Example.com")
    async with idp.runtime.db.unit_of_work() as session:
        await session.execute(update(VerificationCodeRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    r = await idp.client.post(f"/v1/users/{uid}/verifications/confirm", json={"channel": "EMAIL", "code": code})
    assert r.status_code == 422 and r.json()["code"] == "VERIFICATION_CODE_EXPIRED"


async def test_code_arrives_in_the_users_locale(idp: IdentityPlatform) -> None:
    uid = (await register(idp, locale="ru"))["id"]
    await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
    from core.notifications.mailer import read_spool

    mail = read_spool(idp.spool)[-1]
    assert mail["Subject"] == "Код подтверждения DARCA"
    assert "Ваш код подтверждения" in mail.get_content()


async def test_unknown_user(idp: IdentityPlatform) -> None:
    r = await idp.client.post("/v1/users/usr_00000000000000000000000000/verifications", json={"channel": "EMAIL"})
    assert r.status_code == 404 and r.json()["code"] == "USER_NOT_FOUND"
