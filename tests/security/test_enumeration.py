"""Probes of account enumeration: registering and inviting answer the same, byte for byte once ids,
timestamps, request ids and the echoed addresses are taken out, whether or not the address is
registered; the owner of a registered address is told instead (issue 19, point 5)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from core.identity.users.codes import hash_code
from core.identity.users.tables import UserRow, VerificationCodeRow
from core.notifications.tables import NotificationRow
from tests.integration.core.identity.company_helpers import company, idem, person
from tests.integration.core.identity.conftest import IdentityPlatform
from tests.integration.core.identity.helpers import active_user, bearer, login

from .helpers import confirm, normalised, register, sms_code, start, wrong_code

ALICE = ("alice@example.com", "+442079460018")


async def notices(idp: IdentityPlatform, user_id: str) -> list[NotificationRow]:
    async with idp.runtime.db.unit_of_work() as session:
        return list((await session.execute(select(NotificationRow).where(
            NotificationRow.user_id == user_id, NotificationRow.event_type == "identity.registration_attempt",
            NotificationRow.channel != "IN_APP"))).scalars())


async def codes_sent_to(idp: IdentityPlatform, recipient: str) -> int:
    async with idp.runtime.db.unit_of_work() as session:
        return len((await session.execute(select(NotificationRow).where(
            NotificationRow.recipient == recipient, NotificationRow.event_type == "identity.verification_code",
            NotificationRow.channel != "IN_APP"))).scalars().all())


async def test_registration_with_a_registered_email_is_answered_like_a_new_one(idp: IdentityPlatform) -> None:
    alice = await active_user(idp, *ALICE)
    new_address, taken_address = ("fresh@example.com", "+442079460019"), ("alice@example.com", "+442079460020")
    new, taken = await register(idp, *new_address), await register(idp, *taken_address)
    assert new.status_code == 201
    assert normalised(new, *new_address) == normalised(taken, *taken_address)
    new_id, taken_id = new.json()["id"], taken.json()["id"]

    # every later step answers the same: the challenge, wrong codes, the throttle
    assert normalised(await start(idp, new_id, "EMAIL")) == normalised(await start(idp, taken_id, "EMAIL"))
    wrong = wrong_code(idp.last_code("fresh@example.com"))
    for _ in range(5):
        a, b = await confirm(idp, new_id, "EMAIL", wrong), await confirm(idp, taken_id, "EMAIL", wrong)
        assert normalised(a) == normalised(b)
    assert a.status_code == 429
    assert normalised(await start(idp, new_id, "EMAIL")) == normalised(await start(idp, taken_id, "EMAIL"))

    # the channel that does not collide gets its code and is verified, as for anyone
    assert normalised(await start(idp, new_id, "SMS")) == normalised(await start(idp, taken_id, "SMS"))
    a = await confirm(idp, new_id, "SMS", await sms_code(idp, new_id))
    b = await confirm(idp, taken_id, "SMS", await sms_code(idp, taken_id))
    assert a.status_code == 200 and b.json()["phone_verified"] is True
    assert normalised(a, *new_address) == normalised(b, *taken_address)

    # the owner is told, never sent a code; her account and logins are untouched
    told = await notices(idp, alice)
    assert told and all(n.channel == "EMAIL" and n.recipient == "alice@example.com" for n in told)
    assert "tried to open a DARCA account" in told[0].body
    assert await codes_sent_to(idp, "alice@example.com") == 1  # her own, when she registered
    await login(idp, "alice@example.com")
    async with idp.runtime.db.unit_of_work() as session:
        users = (await session.execute(select(UserRow.id, UserRow.status))).all()
    assert sorted(users) == sorted([(alice, "ACTIVE"), (new_id, "PENDING_VERIFICATION")])
    refused = await idp.client.post("/v1/sessions", json={"identifier": "+442079460020", "password": "x" * 12})
    assert refused.status_code == 401


async def test_the_colliding_channel_can_never_be_verified(idp: IdentityPlatform) -> None:
    await active_user(idp, *ALICE)
    taken = (await register(idp, "alice@example.com", "+442079460020")).json()["id"]
    assert (await start(idp, taken, "EMAIL")).status_code == 202
    # even the very code stored for it is refused (the code is never sent, but a guess could hit it)
    async with idp.runtime.db.unit_of_work() as session:
        await session.execute(update(VerificationCodeRow).where(VerificationCodeRow.user_id == taken)
                              .values(code_hash=hash_code("123456")))
    guess = await confirm(idp, taken, "EMAIL", "123456")
    assert guess.status_code == 422 and guess.json()["code"] == "VERIFICATION_CODE_INVALID"


async def test_registration_with_a_registered_phone_is_answered_like_a_new_one(idp: IdentityPlatform) -> None:
    alice = await active_user(idp, *ALICE)
    new_address, taken_address = ("fresh@example.com", "+442079460019"), ("other@example.com", ALICE[1])
    new, taken = await register(idp, *new_address), await register(idp, *taken_address)
    assert normalised(new, *new_address) == normalised(taken, *taken_address)
    new_id, taken_id = new.json()["id"], taken.json()["id"]
    assert normalised(await start(idp, new_id, "SMS")) == normalised(await start(idp, taken_id, "SMS"))
    wrong = wrong_code(await sms_code(idp, new_id))
    a, b = await confirm(idp, new_id, "SMS", wrong), await confirm(idp, taken_id, "SMS", wrong)
    assert a.status_code == 422 and normalised(a) == normalised(b)
    told = await notices(idp, alice)
    assert told and all(n.channel == "SMS" and n.recipient == ALICE[1] for n in told)
    assert await codes_sent_to(idp, ALICE[1]) == 1


async def test_notices_to_the_owner_are_rate_limited(idp: IdentityPlatform) -> None:
    alice = await active_user(idp, *ALICE)
    for n in range(5):
        assert (await register(idp, "alice@example.com", f"+4420794602{n:02d}")).status_code == 201
    assert len(await notices(idp, alice)) == 3


@pytest.mark.backends("sqlite", "postgresql")  # concurrent registrations
async def test_concurrent_registrations_of_one_new_address_create_one_user(idp: IdentityPlatform) -> None:
    answers = await asyncio.gather(*(register(idp, "race@example.com", f"+4420794603{n:02d}") for n in range(2)))
    assert [a.status_code for a in answers] == [201, 201]
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(UserRow).where(UserRow.email_normalised == "race@example.com"))).all()
    assert len(rows) == 1


async def test_invitation_answer_does_not_tell_whether_the_address_is_registered(idp: IdentityPlatform) -> None:
    alice, bob = await person(idp, 1), await person(idp, 2)
    acme = (await company(idp, alice))["id"]

    async def invite(email: str):
        return await idp.client.post(f"/v1/companies/{acme}/invitations", headers={**alice.auth, **idem()},
                                     json={"invitee_type": "EMAIL", "email": email, "role": "VIEWER"})
    known, unknown = await invite(bob.email), await invite("carol@example.com")
    assert known.status_code == 201
    assert normalised(known, bob.email) == normalised(unknown, "carol@example.com")
    async with idp.runtime.db.unit_of_work() as session:
        mail = (await session.execute(select(NotificationRow).where(
            NotificationRow.event_type == "identity.company_invitation", NotificationRow.channel == "EMAIL"))).all()
    assert len(mail) == 1  # the registered invitee is told; nothing is sent to an unknown address

    # whoever later registers and verifies the address sees the invitation, and may accept it
    carol = await active_user(idp, "Carol@Example.com", "+442079460033")
    tokens = bearer(await login(idp, "carol@example.com"))
    mine = (await idp.client.get("/v1/invitations", headers=tokens)).json()["data"]
    assert [i["id"] for i in mine] == [unknown.json()["id"]]
    accepted = await idp.client.post(f"/v1/invitations/{unknown.json()['id']}/accept", headers=tokens)
    assert accepted.status_code == 200 and accepted.json()["user_id"] == carol
    # it stays out of sight of anyone else
    assert (await idp.client.get("/v1/invitations", headers=alice.auth)).json()["data"] == []
