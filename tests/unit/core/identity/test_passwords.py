import threading
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, Type, extract_parameters

from core.identity import passwords
from core.identity.passwords import (
    HASH_PROFILES,
    PasswordPool,
    check_password,
    hash_password,
    install_pool,
    weaknesses,
)
from core.identity.users.codes import code_matches, hash_code, new_code
from core.platform.problems import ProblemError
from core.platform.settings import Settings
from tests.support.waiting import eventually

# OWASP Password Storage Cheat Sheet: argon2id minimums (memory KiB, iterations), each with p=1, of equal strength
OWASP_ARGON2ID_MINIMUMS = [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)]


@pytest.fixture
def pool() -> Iterator[PasswordPool]:
    """A pool of one thread and one waiting place, installed as the process's; the old one back after."""
    small = PasswordPool(threads=1, max_waiting=1)
    previous = install_pool(small)
    yield small
    install_pool(previous)
    small.shutdown()


def test_policy() -> None:
    ok = weaknesses("violet-harbour-lantern-42", email="alice@example.com", phone="+442079460018")
    assert ok == []
    assert "PASSWORD_TOO_SHORT" in weaknesses("Ab1!", email="a@b.co", phone="+442079460018")
    assert "PASSWORD_CONTAINS_IDENTIFIER" in weaknesses("xx-alice-xx-long-enough", email="alice@example.com",
                                                        phone="+442079460018")
    assert "PASSWORD_TOO_COMMON" in weaknesses("passwordpassword", email="a@b.co", phone="+442079460018")


async def test_argon2id_round_trip() -> None:
    stored = await hash_password("violet-harbour-lantern-42")
    assert stored.startswith("$argon2id$")
    assert (await check_password(stored, "violet-harbour-lantern-42")).matches
    assert not (await check_password(stored, "violet-harbour-lantern-43")).matches
    assert not (await check_password("garbage", "x")).matches


async def test_no_hash_is_checked_against_a_dummy_and_never_matches() -> None:
    assert await check_password(None, "no-such-user-placeholder") == passwords.PasswordCheck(matches=False)


async def test_a_match_with_a_hash_of_another_cost_brings_a_hash_at_todays_cost() -> None:
    older = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash("violet-harbour-lantern-42")
    check = await check_password(older, "violet-harbour-lantern-42")
    assert check.matches and check.rehashed is not None
    assert extract_parameters(check.rehashed) == HASH_PROFILES["test"]
    assert (await check_password(check.rehashed, "violet-harbour-lantern-42")).rehashed is None  # already current
    assert (await check_password(older, "violet-harbour-lantern-43")).rehashed is None  # never without a match


def test_production_hashes_passwords_at_or_above_the_owasp_minimum() -> None:
    """The suite runs with the cheap test profile; production keeps argon2id at m=19 MiB, t=2, p=1 (ADR 0016)."""
    assert Settings.model_fields["password_hash_profile"].default == "production"
    production = HASH_PROFILES["production"]
    assert production.type == Type.ID and production.parallelism >= 1
    assert any(production.memory_cost >= memory and production.time_cost >= iterations
               for memory, iterations in OWASP_ARGON2ID_MINIMUMS)
    assert (production.time_cost, production.memory_cost, production.parallelism) == (2, 19456, 1)
    assert (production.salt_len, production.hash_len) == (16, 32)


async def test_hashing_and_checking_never_run_on_the_event_loop_thread(monkeypatch: pytest.MonkeyPatch,
                                                                       pool: PasswordPool) -> None:
    seen: list[threading.Thread] = []

    class Recording(PasswordHasher):
        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            seen.append(threading.current_thread())
            return super().hash(password, salt=salt)

        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            seen.append(threading.current_thread())
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "_hasher", lambda: Recording.from_parameters(HASH_PROFILES["test"]))
    stored = await hash_password("violet-harbour-lantern-42")
    await check_password(stored, "violet-harbour-lantern-42")
    await check_password(None, "violet-harbour-lantern-42")
    assert len(seen) >= 3
    assert all(t is not threading.current_thread() and t.name.startswith("password-hash") for t in seen)


async def test_a_full_pool_refuses_at_once_with_retry_after(pool: PasswordPool) -> None:
    release = threading.Event()
    running = pool.submit(release.wait)  # the one thread is busy
    waiting = pool.submit(lambda: "waited")  # the one waiting place is taken
    for refused in (lambda: pool.submit(lambda: "never"), lambda: hash_password("x"), lambda: check_password(None, "x")):
        with pytest.raises(ProblemError) as busy:
            await refused()
        assert (busy.value.status, busy.value.code) == (429, "PASSWORD_CHECKS_BUSY")
        assert busy.value.headers["Retry-After"] == "1"
        assert not busy.value.stored_for_idempotency  # a retry with the same Idempotency-Key runs
    release.set()
    assert await running is True and await waiting == "waited"
    assert await pool.submit(lambda: "admitted again") == "admitted again"
    assert pool.admitted == 0


async def test_a_waiting_check_whose_caller_went_away_gives_its_place_back(pool: PasswordPool) -> None:
    release = threading.Event()
    running = pool.submit(release.wait)
    waiting = pool.submit(lambda: "never run")
    waiting.cancel()  # the request was cancelled (client gone) before a thread took the check

    async def given_back() -> bool:
        return pool.admitted == 1

    await eventually(given_back)
    replacement = pool.submit(lambda: "took the place")
    release.set()
    assert await running is True and await replacement == "took the place"


def test_codes_are_six_digits_and_salted() -> None:
    code = new_code()
    assert len(code) == 6 and code.isdigit()
    a, b = hash_code(code), hash_code(code)
    assert a != b and code_matches(a, code) and code_matches(b, code) and not code_matches(a, "abcdef")
