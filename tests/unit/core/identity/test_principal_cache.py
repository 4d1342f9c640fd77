"""The credential cache: what it serves, when it stops trusting an entry, and what a revocation drops."""

from __future__ import annotations

import pytest

from core.identity.principal_cache import LOOKUPS, PrincipalCache, session_subject, user_subject
from core.platform.revocations import RevocationFeed, deliver


class FakeTimer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def timer() -> FakeTimer:
    return FakeTimer()


@pytest.fixture
def feed(timer: FakeTimer) -> RevocationFeed:
    """A PostgreSQL feed that is never started: the test plays the heartbeats."""
    return RevocationFeed("postgresql+asyncpg://nobody@127.0.0.1/none", stale_after=0.8, timer=timer)


def alone(timer: FakeTimer) -> RevocationFeed:
    """SQLite: nothing to listen to, nothing ever vouched for."""
    return RevocationFeed("sqlite+aiosqlite:///var/darca.db", stale_after=0.8, timer=timer)


def cache(feed: RevocationFeed, **options: int) -> PrincipalCache[str]:
    return PrincipalCache("test", feed, ttl=30.0, **options)


def test_an_entry_is_served_until_it_is_stale_without_a_channel(timer: FakeTimer) -> None:
    sessions = cache(alone(timer))
    sessions.put("session:a", "alice", sessions.ticket())
    timer.now += 0.7
    assert sessions.get("session:a") == "alice"
    timer.now += 0.1
    assert sessions.get("session:a") is None  # read the database again


def test_heartbeats_keep_an_entry_fresh_until_they_stop(feed: RevocationFeed, timer: FakeTimer) -> None:
    sessions = cache(feed)
    sessions.put("session:a", "alice", sessions.ticket())
    for _ in range(20):  # the channel vouches for everything committed before each heartbeat was sent
        timer.now += 0.2
        feed.confirmed_at = timer.now - 0.01
        assert sessions.get("session:a") == "alice"
    timer.now += 0.79  # the heartbeats stopped coming back (connection cut or stuck)
    assert sessions.get("session:a") == "alice"
    timer.now += 0.02
    assert sessions.get("session:a") is None


def test_the_ttl_bounds_even_a_vouched_for_entry(feed: RevocationFeed, timer: FakeTimer) -> None:
    sessions = cache(feed)
    sessions.put("session:a", "alice", sessions.ticket())
    timer.now += 30.0
    feed.confirmed_at = timer.now
    assert sessions.get("session:a") is None


def test_a_revocation_drops_the_subject_and_what_it_owns(timer: FakeTimer) -> None:
    sessions = cache(alone(timer))
    for sid, user in (("s1", "u1"), ("s2", "u1"), ("s3", "u2")):
        sessions.put(session_subject(sid), user, sessions.ticket(), owner=user_subject(user))
    sessions.revoked([session_subject("s3")])
    assert sessions.get(session_subject("s3")) is None and sessions.get(session_subject("s1")) == "u1"
    deliver([user_subject("u1")])  # as after the commit of a logout everywhere, to every cache of the process
    assert sessions.get(session_subject("s1")) is None and sessions.get(session_subject("s2")) is None


def test_a_read_that_began_before_a_revocation_is_not_kept(timer: FakeTimer) -> None:
    sessions = cache(alone(timer))
    ticket = sessions.ticket()  # the database read starts...
    sessions.revoked([session_subject("s1")])  # ...a revocation arrives while it runs...
    sessions.put(session_subject("s1"), "alice as she was", ticket)  # ...so what it saw may be old
    assert sessions.get(session_subject("s1")) is None
    sessions.put(session_subject("s1"), "alice", sessions.ticket())
    assert sessions.get(session_subject("s1")) == "alice"


def test_a_revoked_credential_is_kept_whatever_the_channel_says(timer: FakeTimer) -> None:
    sessions = cache(alone(timer))
    ticket = sessions.ticket()
    sessions.revoked([session_subject("other")])
    sessions.put(session_subject("s1"), "revoked", ticket, final=True)  # revoked stays revoked
    timer.now += 10
    assert sessions.get(session_subject("s1")) == "revoked"


def test_clearing_forgets_everything(feed: RevocationFeed, timer: FakeTimer) -> None:
    sessions = cache(feed)
    sessions.put("session:a", "alice", sessions.ticket())
    ticket = sessions.ticket()
    sessions.clear()  # the feed (re)subscribed: anything may have been missed before
    sessions.put("session:b", "bob", ticket)
    assert sessions.get("session:a") is None and sessions.get("session:b") is None


def test_lookups_are_counted_by_where_they_were_answered(timer: FakeTimer) -> None:
    def count(source: str) -> float:
        return LOOKUPS.labels("counted", source)._value.get()

    counted = PrincipalCache[str]("counted", alone(timer))
    before = count("cache"), count("database")
    assert counted.get("session:a") is None
    counted.put("session:a", "alice", counted.ticket())
    assert counted.get("session:a") == "alice"
    assert (count("cache") - before[0], count("database") - before[1]) == (1, 1)


def test_the_size_is_bounded(timer: FakeTimer) -> None:
    small = cache(alone(timer), maxsize=2)
    for n in range(3):
        small.put(f"session:{n}", str(n), small.ticket())
    assert small.get("session:0") is None and small.get("session:2") == "2"


def test_a_zero_bound_turns_the_cache_off(timer: FakeTimer) -> None:
    off = PrincipalCache[str]("test", RevocationFeed("sqlite+aiosqlite:///var/darca.db", stale_after=0, timer=timer))
    off.put("session:a", "alice", off.ticket())
    assert off.get("session:a") is None
