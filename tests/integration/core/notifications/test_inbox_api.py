"""The in-app inbox through the API: own items only, newest first, cursor pages, read marks."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.notifications.tables import NotificationRow
from core.platform.tables import OutboxEvent
from tests.integration.core.identity.conftest import IdentityPlatform, idp  # noqa: F401
from tests.integration.core.identity.helpers import active_user, bearer, login


async def two_users(idp: IdentityPlatform) -> tuple[str, dict, str, dict]:  # noqa: F811
    alice = await active_user(idp, "alice@example.com", "+44 20 7946 0001")
    bob = await active_user(idp, "bob@example.com", "+44 20 7946 0002")
    return alice, bearer(await login(idp, "alice@example.com")), bob, bearer(await login(idp, "bob@example.com"))


@pytest.mark.backends("sqlite", "postgresql")  # smoke: inbox
async def test_inbox_lists_pages_and_marks_read(idp: IdentityPlatform) -> None:  # noqa: F811
    _, a_auth, _, b_auth = await two_users(idp)
    listed = await idp.client.get("/v1/notifications", headers=a_auth)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    # the two verification codes of sign-up, newest (the SMS one) first; the inbox never shows a code
    assert page["unread_count"] == 2 and page["has_more"] is False and "next_cursor" not in page
    assert [n["category"] for n in page["data"]] == ["SECURITY", "SECURITY"]
    assert all(n["event_type"] == "identity.verification_code" and n["read"] is False and "read_at" not in n
               for n in page["data"])
    assert page["data"][0]["id"] > page["data"][1]["id"]
    assert not any(re.search(r"\b\d{6}\b", n["body"]) for n in page["data"])

    first = await idp.client.get("/v1/notifications", params={"limit": 1}, headers=a_auth)
    assert first.json()["has_more"] is True
    second = await idp.client.get("/v1/notifications", params={"limit": 1, "cursor": first.json()["next_cursor"]},
                                  headers=a_auth)
    assert second.json()["has_more"] is False
    assert [first.json()["data"][0]["id"], second.json()["data"][0]["id"]] == [n["id"] for n in page["data"]]

    target = page["data"][1]["id"]
    read = await idp.client.post(f"/v1/notifications/{target}/read", headers=a_auth)
    assert read.status_code == 200 and read.json()["read"] is True
    again = await idp.client.post(f"/v1/notifications/{target}/read", headers=a_auth)
    assert again.status_code == 200 and again.json()["read_at"] == read.json()["read_at"]  # idempotent

    unread = (await idp.client.get("/v1/notifications", params={"unread": "true"}, headers=a_auth)).json()
    assert [n["id"] for n in unread["data"]] == [page["data"][0]["id"]] and unread["unread_count"] == 1
    count = await idp.client.get("/v1/notifications/unread-count", headers=a_auth)
    assert count.status_code == 200 and count.json() == {"unread_count": 1}

    # Bob sees only his own and cannot touch Alice's
    bobs = (await idp.client.get("/v1/notifications", headers=b_auth)).json()
    assert target not in {n["id"] for n in bobs["data"]} and bobs["unread_count"] == 2
    foreign = await idp.client.post(f"/v1/notifications/{page['data'][0]['id']}/read", headers=b_auth)
    assert foreign.status_code == 404 and foreign.json()["code"] == "NOTIFICATION_NOT_FOUND"

    everything = await idp.client.post("/v1/notifications/read-all", headers=a_auth)
    assert everything.status_code == 200 and everything.json() == {"marked": 1, "unread_count": 0}
    assert (await idp.client.post("/v1/notifications/read-all", headers=a_auth)).json()["marked"] == 0
    assert (await idp.client.get("/v1/notifications/unread-count", headers=b_auth)).json()["unread_count"] == 2


async def test_delivery_records_are_not_inbox_items_and_events_announce_new_items(idp: IdentityPlatform) -> None:  # noqa: F811
    alice = await active_user(idp, "carol@example.com", "+44 20 7946 0003")
    auth = bearer(await login(idp, "carol@example.com"))
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(NotificationRow).where(NotificationRow.user_id == alice))).scalars().all()
        events = (await session.execute(select(OutboxEvent).where(
            OutboxEvent.event_type == "darca.notifications.notification_created.v1"))).scalars().all()
    email = next(r for r in rows if r.channel == "EMAIL")
    assert {r.channel for r in rows} == {"EMAIL", "SMS", "IN_APP"} and email.status == "SENT"
    missing = await idp.client.post(f"/v1/notifications/{email.id}/read", headers=auth)
    assert missing.status_code == 404 and missing.json()["code"] == "NOTIFICATION_NOT_FOUND"
    inbox_ids = {r.id for r in rows if r.channel == "IN_APP"}
    assert {e.data["notification_id"] for e in events} == inbox_ids
    assert all(e.data["user_id"] == alice and e.partition_key == alice for e in events)


async def test_inbox_refusals(idp: IdentityPlatform) -> None:  # noqa: F811
    assert (await idp.client.get("/v1/notifications")).status_code == 401
    await active_user(idp, "dave@example.com", "+44 20 7946 0004")
    auth = bearer(await login(idp, "dave@example.com"))
    bad = await idp.client.get("/v1/notifications", params={"cursor": "eyJrIjpbMSwyLDMsNF19"}, headers=auth)
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_CURSOR"
    unknown = await idp.client.post("/v1/notifications/ntf_00000000000000000000000000/read", headers=auth)
    assert unknown.status_code == 404
