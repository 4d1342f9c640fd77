"""Channel preferences: defaults, partial updates, locked SECURITY channels, and `send` honouring them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.notifications import templates
from core.notifications.mailer import read_spool
from core.notifications.service import NotificationService
from core.notifications.tables import NotificationRow
from tests.integration.core.identity.conftest import IdentityPlatform, idp  # noqa: F401
from tests.integration.core.identity.helpers import active_user, bearer, login
from tests.support.context import system_context


def by_category(body: dict) -> dict[str, dict]:
    return {c["category"]: c for c in body["categories"]}


async def signed_in(idp: IdentityPlatform, email: str, phone: str) -> tuple[str, dict]:  # noqa: F811
    uid = await active_user(idp, email, phone)
    return uid, bearer(await login(idp, email))


@pytest.mark.backends("sqlite", "postgresql")  # smoke: preferences
async def test_defaults_and_partial_updates(idp: IdentityPlatform) -> None:  # noqa: F811
    uid, auth = await signed_in(idp, "erin@example.com", "+44 20 7946 0011")
    got = await idp.client.get("/v1/notification-preferences", headers=auth)
    assert got.status_code == 200
    prefs = by_category(got.json())
    assert set(prefs) == {"SECURITY", "ACCOUNT", "PAYMENTS", "MARKETING"}
    assert prefs["SECURITY"] == {"category": "SECURITY", "email": True, "sms": True, "push": True, "in_app": True,
                                 "locked_channels": ["EMAIL", "IN_APP"]}
    assert not any(prefs["MARKETING"][c] for c in ("email", "sms", "push", "in_app"))  # opt-in only

    put = await idp.client.put("/v1/notification-preferences", headers=auth, json={"categories": [
        {"category": "MARKETING", "email": True}, {"category": "ACCOUNT", "sms": True, "push": False},
        {"category": "SECURITY", "sms": False}]})
    assert put.status_code == 200, put.text
    after = by_category((await idp.client.get("/v1/notification-preferences", headers=auth)).json())
    assert after == by_category(put.json())
    assert after["MARKETING"]["email"] is True and after["MARKETING"]["in_app"] is False  # others untouched
    assert after["ACCOUNT"]["sms"] is True and after["ACCOUNT"]["push"] is False and after["ACCOUNT"]["email"] is True
    assert after["SECURITY"]["sms"] is False
    async with idp.runtime.db.unit_of_work() as session:
        audit = (await session.execute(select(AuditEntryRow).where(
            AuditEntryRow.action == "notifications.preferences.updated"))).scalars().all()
    assert len(audit) == 1 and audit[0].actor_id == uid and audit[0].details["changed"]["MARKETING.EMAIL"] is True


async def test_security_cannot_be_switched_off_everywhere(idp: IdentityPlatform) -> None:  # noqa: F811
    _, auth = await signed_in(idp, "frank@example.com", "+44 20 7946 0012")
    for channel in ("email", "in_app"):
        refused = await idp.client.put("/v1/notification-preferences", headers=auth, json={"categories": [
            {"category": "MARKETING", "email": True}, {"category": "SECURITY", channel: False}]})
        assert refused.status_code == 422 and refused.json()["code"] == "NOTIFICATION_PREFERENCE_LOCKED"
        assert refused.json()["errors"][0]["field"] == f"body.categories.SECURITY.{channel}"
    prefs = by_category((await idp.client.get("/v1/notification-preferences", headers=auth)).json())
    assert prefs["MARKETING"]["email"] is False  # refused as a whole
    duplicate = await idp.client.put("/v1/notification-preferences", headers=auth, json={"categories": [
        {"category": "ACCOUNT", "sms": True}, {"category": "ACCOUNT", "sms": False}]})
    assert duplicate.status_code == 422 and duplicate.json()["code"] == "DUPLICATE_CATEGORY"
    unknown = await idp.client.put("/v1/notification-preferences", headers=auth,
                                   json={"categories": [{"category": "GOSSIP", "sms": True}]})
    assert unknown.status_code == 422 and unknown.json()["code"] == "VALIDATION_FAILED"
    for not_a_boolean in (0, "true"):  # JSON booleans only
        loose = await idp.client.put("/v1/notification-preferences", headers=auth,
                                     json={"categories": [{"category": "ACCOUNT", "sms": not_a_boolean}]})
        assert loose.status_code == 422 and loose.json()["code"] == "VALIDATION_FAILED"
    assert (await idp.client.get("/v1/notification-preferences")).status_code == 401


@pytest.mark.backends("sqlite", "postgresql")  # smoke: sending
async def test_send_honours_preferences(idp: IdentityPlatform, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # a non-mandatory MARKETING template, declared the way real templates are
    monkeypatch.setitem(templates._TEMPLATES, "test.offer", {"en": ("An offer", "Hello $name, a fine offer.")})
    monkeypatch.setitem(templates._CATEGORIES, "test.offer", "MARKETING")
    uid, auth = await signed_in(idp, "gina@example.com", "+44 20 7946 0013")

    async def offer() -> list[NotificationRow]:
        async with idp.runtime.db.unit_of_work() as session:
            rows = await NotificationService(system_context(session)).notify(user_id=uid, event_type="test.offer", locale="en",
                                                             params={"name": "Gina"}, email="gina@example.com",
                                                             phone="+442079460013")
        await idp.runtime.notifications.settle()  # type: ignore[union-attr]
        return rows

    assert await offer() == []  # MARKETING is off by default: nothing at all
    await idp.client.put("/v1/notification-preferences", headers=auth, json={"categories": [
        {"category": "MARKETING", "email": True, "in_app": True}]})
    rows = await offer()
    assert sorted(r.channel for r in rows) == ["EMAIL", "IN_APP"]  # SMS stays off
    assert [m["Subject"] for m in read_spool(idp.spool) if m["To"] == "gina@example.com"][-1] == "An offer"
    inbox = (await idp.client.get("/v1/notifications", headers=auth)).json()["data"]
    assert inbox[0]["category"] == "MARKETING" and inbox[0]["body"] == "Hello Gina, a fine offer."

    # a verification code goes to the address being verified even with that channel off
    await idp.client.put("/v1/notification-preferences", headers=auth, json={"categories": [
        {"category": "SECURITY", "sms": False}]})
    async with idp.runtime.db.unit_of_work() as session:
        row = await NotificationService(system_context(session)).send(
            user_id=uid, channel="SMS", recipient="+442079460013", event_type="identity.verification_code",
            locale="en", params={"code": "123456", "minutes": 10})
    assert row is not None and row.channel == "SMS"
