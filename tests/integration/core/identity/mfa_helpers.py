"""Driving TOTP through the API in tests: an authenticator app whose clock the platform shares."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pyotp
import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.identity.mfa import service as mfa
from core.platform.outbox import envelope_of
from core.platform.tables import OutboxEvent

from .conftest import IdentityPlatform
from .helpers import bearer


class AuthenticatorApp:
    """Holds the secret and the time both sides use (through `mfa.totp_now`, the TOTP clock seam), so
    a test moves to the next 30 s step instead of sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)
        self.secret: str | None = None

    def code(self, offset_steps: int = 0) -> str:
        assert self.secret is not None
        return pyotp.TOTP(self.secret).at(self.now + timedelta(seconds=30 * offset_steps))

    def tick(self, steps: int = 1) -> None:
        self.now += timedelta(seconds=30 * steps)

    def next_code(self) -> str:
        """A code of a step not used before."""
        self.tick()
        return self.code()


@pytest.fixture
def app_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[AuthenticatorApp]:
    authenticator = AuthenticatorApp()
    monkeypatch.setattr(mfa, "totp_now", lambda: authenticator.now)
    yield authenticator


async def enable_totp(idp: IdentityPlatform, tokens: dict, app: AuthenticatorApp) -> list[str]:
    started = await idp.client.post("/v1/mfa/totp", headers=bearer(tokens))
    assert started.status_code == 201, started.text
    app.secret = started.json()["secret"]
    confirmed = await idp.client.post("/v1/mfa/totp/confirm", json={"code": app.code()}, headers=bearer(tokens))
    assert confirmed.status_code == 200, confirmed.text
    return confirmed.json()["recovery_codes"]


def claims(tokens: dict) -> dict:
    return jwt.decode(tokens["access_token"], options={"verify_signature": False})


async def create_step_up(idp: IdentityPlatform, tokens: dict, body: dict):
    return await idp.client.post("/v1/step-ups", json=body,
                                 headers={**bearer(tokens), "Idempotency-Key": str(uuid.uuid4())})


async def outbox(idp: IdentityPlatform, event_type: str) -> list[dict]:
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(OutboxEvent).where(OutboxEvent.event_type == event_type)
                                      .order_by(OutboxEvent.sequence))).scalars().all()
    return [envelope_of(row) for row in rows]


async def audit_actions(idp: IdentityPlatform, actor_id: str) -> list[tuple[str, str]]:
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(AuditEntryRow).where(AuditEntryRow.actor_id == actor_id)
                                      .order_by(AuditEntryRow.sequence))).scalars().all()
    return [(row.action, row.result) for row in rows]
