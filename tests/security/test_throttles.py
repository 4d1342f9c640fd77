"""Probes of the one-time-code and login throttles: no SMS pumping, no unlimited code guessing, and one
lockout per user whichever identifier is tried (issue 19, points 3 and 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.platform.clock import Clock
from tests.integration.core.identity.conftest import IdentityPlatform
from tests.integration.core.identity.helpers import active_user

from .helpers import PASSWORD, confirm, normalised, register, start, wrong_code

MINUTE = timedelta(minutes=1, seconds=1)


async def new_user(idp: IdentityPlatform, n: int = 1) -> str:
    response = await register(idp, f"mallory{n}@example.com", f"+4420794601{n:02d}")
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def use_up_a_code(idp: IdentityPlatform, uid: str, email: str) -> None:
    assert (await start(idp, uid, "EMAIL")).status_code == 202
    wrong = wrong_code(idp.last_code(email))
    answers = [(await confirm(idp, uid, "EMAIL", wrong)).json()["code"] for _ in range(5)]
    assert answers == ["VERIFICATION_CODE_INVALID"] * 4 + ["VERIFICATION_ATTEMPTS_EXHAUSTED"]


async def test_a_new_code_after_used_up_attempts_waits_fifteen_minutes(idp: IdentityPlatform, clock: Clock) -> None:
    uid = await new_user(idp)
    assert (await start(idp, uid, "EMAIL")).status_code == 202
    wrong = wrong_code(idp.last_code("mallory1@example.com"))
    for _ in range(4):
        await confirm(idp, uid, "EMAIL", wrong)
    exhausted = await confirm(idp, uid, "EMAIL", wrong)
    assert exhausted.status_code == 429 and exhausted.json()["code"] == "VERIFICATION_ATTEMPTS_EXHAUSTED"
    assert exhausted.headers["retry-after"] == "900"
    at_once = await start(idp, uid, "EMAIL")  # the code row is gone, the wait is not
    assert at_once.status_code == 429 and at_once.json()["code"] == "VERIFICATION_RESEND_THROTTLED"
    assert 890 <= int(at_once.headers["retry-after"]) <= 900
    clock.advance(timedelta(minutes=14))
    assert (await start(idp, uid, "EMAIL")).status_code == 429
    clock.advance(MINUTE)
    assert (await start(idp, uid, "EMAIL")).status_code == 202


async def test_codes_sent_to_one_user_are_capped_per_hour_and_per_day(idp: IdentityPlatform, clock: Clock) -> None:
    uid = await new_user(idp)
    channels = ["EMAIL", "SMS"]
    for i in range(5):  # both channels count towards the same cap
        assert (await start(idp, uid, channels[i % 2])).status_code == 202
        clock.advance(MINUTE)
    capped = await start(idp, uid, "EMAIL")
    assert capped.status_code == 429 and capped.json()["code"] == "VERIFICATION_SEND_LIMIT_REACHED"
    assert 1 <= int(capped.headers["retry-after"]) <= 3600
    clock.advance(timedelta(hours=1))
    for i in range(5):
        assert (await start(idp, uid, channels[i % 2])).status_code == 202
        clock.advance(MINUTE)
    clock.advance(timedelta(hours=1))
    daily = await start(idp, uid, "EMAIL")
    assert daily.status_code == 429 and daily.json()["code"] == "VERIFICATION_SEND_LIMIT_REACHED"
    assert int(daily.headers["retry-after"]) > 3600  # the day's cap, not the hour's
    clock.advance(timedelta(days=1))
    assert (await start(idp, uid, "EMAIL")).status_code == 202


async def test_codes_sent_to_one_phone_are_capped_whichever_user_asks(idp: IdentityPlatform, clock: Clock) -> None:
    """SMS pumping through many registrations naming the same number: the destination has its own cap."""
    first = await new_user(idp, 1)
    assert (await start(idp, first, "SMS")).status_code == 202
    others = []
    for n in range(2, 7):
        response = await register(idp, f"other{n}@example.com", "+442079460101")  # the first user's number
        assert response.status_code == 201
        others.append(response.json()["id"])
    for uid in others[:4]:
        assert (await start(idp, uid, "SMS")).status_code == 202
    capped = await start(idp, others[4], "SMS")
    assert capped.status_code == 429 and capped.json()["code"] == "VERIFICATION_SEND_LIMIT_REACHED"
    assert (await start(idp, others[4], "EMAIL")).status_code == 202  # another destination
    clock.advance(timedelta(hours=1))
    assert (await start(idp, others[4], "SMS")).status_code == 202


async def test_wrong_codes_are_capped_per_day_across_resends(idp: IdentityPlatform, clock: Clock) -> None:
    uid = await new_user(idp)
    for _ in range(3):
        await use_up_a_code(idp, uid, "mallory1@example.com")
        clock.advance(timedelta(minutes=15, seconds=1))
    refused = await start(idp, uid, "EMAIL")
    assert refused.status_code == 429 and refused.json()["code"] == "VERIFICATION_GUESS_LIMIT_REACHED"
    guess = await confirm(idp, uid, "EMAIL", "123456")
    assert guess.status_code == 429 and guess.json()["code"] == "VERIFICATION_GUESS_LIMIT_REACHED"
    assert int(guess.headers["retry-after"]) > 3600
    clock.advance(timedelta(days=1))
    assert (await start(idp, uid, "EMAIL")).status_code == 202


async def login(idp: IdentityPlatform, identifier: str, password: str = "wrong-password-xyz"):
    return await idp.client.post("/v1/sessions", json={"identifier": identifier, "password": password})


@pytest.mark.backends("sqlite", "postgresql")  # smoke: throttles
async def test_login_lockout_is_shared_by_all_identifiers_of_a_user(idp: IdentityPlatform) -> None:
    await active_user(idp, "alice@example.com", "+442079460018")
    failures = ["alice@example.com", "+442079460018", "ALICE@example.com", "+44 20 7946 0018", "alice@example.com"]
    assert [(await login(idp, i)).status_code for i in failures] == [401] * 5
    for identifier in ("alice@example.com", "+442079460018", "+44 (20) 7946-0018"):
        locked = await login(idp, identifier, PASSWORD)  # even the right password, through any identifier
        assert locked.status_code == 429 and locked.json()["code"] == "TOO_MANY_ATTEMPTS"


async def test_a_locked_unknown_identifier_looks_exactly_like_a_locked_user(idp: IdentityPlatform) -> None:
    await active_user(idp, "alice@example.com", "+442079460018")
    answers = {}
    for identifier in ("alice@example.com", "nobody@example.com"):
        assert [(await login(idp, identifier)).status_code for _ in range(5)] == [401] * 5
        answers[identifier] = normalised(await login(idp, identifier))
    assert answers["alice@example.com"] == answers["nobody@example.com"]
    assert answers["alice@example.com"][0] == 429
