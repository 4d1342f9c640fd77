"""Password hashing (argon2id) off the event loop, and the weak-password policy.

An argon2id hash costs tens of milliseconds of CPU by design (ADR 0016); on the event loop it would stall
every other request of the process. So every hash and every verification runs in one pool of threads
sized to the cores (argon2-cffi releases the GIL while it hashes), behind an admission limit: a check
that would have to wait behind more than `password_hash_max_waiting` others is refused at once with
429 PASSWORD_CHECKS_BUSY and Retry-After, so a burst of logins costs its own callers a retry rather than
every other request its latency."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TypeVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from core.platform.problems import ProblemError
from core.platform.settings import get_settings

T = TypeVar("T")
MIN_LENGTH = 12
# Cost of new hashes (setting password_hash_profile); verifying reads the cost stored in the hash itself,
# and a login whose hash was made at another cost stores a new one (`PasswordCheck.rehashed`).
HASH_PROFILES = {
    # argon2id at the OWASP Password Storage Cheat Sheet's minimum m=19 MiB, t=2, p=1 (ADR 0016)
    "production": replace(profiles.RFC_9106_LOW_MEMORY, time_cost=2, memory_cost=19 * 1024, parallelism=1),
    "test": replace(profiles.RFC_9106_LOW_MEMORY, time_cost=1, memory_cost=8, parallelism=1),
}
WAITING_PER_THREAD = 4  # default admission: about four hash times of queueing, then 429
RETRY_AFTER_SECONDS = 1
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def weaknesses(password: str, *, email: str, phone: str) -> list[str]:
    """Machine codes of every rule the password breaks; empty when it is acceptable."""
    found = []
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        found.append("PASSWORD_TOO_SHORT")
    local_part = email.split("@", 1)[0].lower()
    digits = "".join(c for c in phone if c.isdigit())
    if (len(local_part) >= 3 and local_part in lowered) or email.lower() in lowered or \
            (len(digits) >= 6 and digits[-6:] in "".join(c for c in password if c.isdigit())):
        found.append("PASSWORD_CONTAINS_IDENTIFIER")
    if lowered in common_passwords() or lowered.rstrip("0123456789!") in common_passwords():
        found.append("PASSWORD_TOO_COMMON")
    return found


def password_checks_busy() -> ProblemError:
    return ProblemError(429, "PASSWORD_CHECKS_BUSY", "Too many requests",
                        "The server is checking too many passwords right now; retry after Retry-After seconds.",
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)}, settles_request=False)


class PasswordPool:
    """Threads that run argon2, and the admission that keeps their queue short."""

    def __init__(self, threads: int, max_waiting: int) -> None:
        self.threads = threads
        self.limit = threads + max_waiting  # running and waiting
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="password-hash")
        self._admitted = 0
        self._lock = threading.Lock()  # admissions come from any event loop of the process

    @property
    def admitted(self) -> int:
        """Checks running or waiting."""
        return self._admitted

    def submit(self, work: Callable[[], T]) -> asyncio.Future[T]:
        """`work()` on a pool thread, to be awaited on the running loop; 429 PASSWORD_CHECKS_BUSY at once,
        instead, when the queue is full."""
        with self._lock:
            if self._admitted >= self.limit:
                raise password_checks_busy()
            self._admitted += 1
        try:
            job = self._executor.submit(work)
        except BaseException:
            self._release()
            raise
        # the place is given back when the work ends, or when a caller that went away cancels it unstarted
        job.add_done_callback(self._release)
        return asyncio.wrap_future(job)

    def _release(self, _: Future[object] | None = None) -> None:
        with self._lock:
            self._admitted -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


_pool: PasswordPool | None = None
_pool_lock = threading.Lock()


def password_pool() -> PasswordPool:
    """The process's pool, sized by the settings password_hash_threads and password_hash_max_waiting."""
    global _pool
    with _pool_lock:
        if _pool is None:
            settings = get_settings()
            threads = settings.password_hash_threads or cores()
            waiting = settings.password_hash_max_waiting
            _pool = PasswordPool(threads, WAITING_PER_THREAD * threads if waiting is None else waiting)
        return _pool


def install_pool(pool: PasswordPool | None) -> PasswordPool | None:
    """Replace the process's pool (None: the next check builds one from the settings); returns the old one."""
    global _pool
    with _pool_lock:
        previous, _pool = _pool, pool
    return previous


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(HASH_PROFILES[get_settings().password_hash_profile])


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("no-such-user-placeholder")


async def hash_password(password: str) -> str:
    """An argon2id hash of the password at today's cost, made on the pool (429 PASSWORD_CHECKS_BUSY when full)."""
    return await password_pool().submit(partial(_hasher().hash, password))


@dataclass(frozen=True)
class PasswordCheck:
    matches: bool
    rehashed: str | None = None  # the password hashed at today's cost, when it matched a hash made at another


async def check_password(password_hash: str | None, password: str) -> PasswordCheck:
    """Whether the password matches the hash, checked on the pool (429 PASSWORD_CHECKS_BUSY when full).
    Without a hash (no such user) it is checked against a dummy hash of the same cost, so the answer takes
    as long whether or not the user exists."""
    return await password_pool().submit(partial(_check, password_hash, password))


def _check(password_hash: str | None, password: str) -> PasswordCheck:
    hasher = _hasher()
    try:
        hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return PasswordCheck(matches=False)
    if password_hash is None:
        return PasswordCheck(matches=False)
    return PasswordCheck(matches=True,
                         rehashed=hasher.hash(password) if hasher.check_needs_rehash(password_hash) else None)
