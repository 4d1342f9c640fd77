"""Driving DARCA ID through its API in tests: an ACTIVE user, logged in."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from core.notifications.tables import NotificationRow

from .conftest import IdentityPlatform

PASSWORD = "violet-harbour-lantern-42"


async def sms_code(idp: IdentityPlatform, user_id: str) -> str:
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(NotificationRow).where(
            NotificationRow.user_id == user_id, NotificationRow.channel == "SMS"
        ).order_by(NotificationRow.id))).scalars().all()
    return re.search(r"\b(\d{6})\b", rows[-1].body).group(1)  # type: ignore[union-attr]


async def active_user(idp: IdentityPlatform, email: str, phone: str) -> str:
    body = {"phone": phone, "email": email, "display_name": "Test User", "country": "GB", "password": PASSWORD}
    user = (await idp.client.post("/v1/users", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})).json()
    uid = user["id"]
    await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "EMAIL"})
    await idp.client.post(f"/v1/users/{uid}/verifications/confirm",
                          json={"channel": "EMAIL", "code": idp.last_code(email)})
    await idp.client.post(f"/v1/users/{uid}/verifications", json={"channel": "SMS"})
    done = await idp.client.post(f"/v1/users/{uid}/verifications/confirm",
                                 json={"channel": "SMS", "code": await sms_code(idp, uid)})
    assert done.json()["status"] == "ACTIVE"
    return uid


async def login(idp: IdentityPlatform, identifier: str, password: str = PASSWORD) -> dict:
    response = await idp.client.post("/v1/sessions", json={"identifier": identifier, "password": password})
    assert response.status_code == 201, response.text
    return response.json()


def bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
