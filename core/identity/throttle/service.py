"""Failed-attempt throttling with exponential back-off and temporary lockout.

Keys are normalised identifiers (so letter case or spaces never open a fresh counter) and client
addresses. The first `free` failures cost nothing; each further one locks the key for
`base * 2**(n - free)`, capped at `cap`. A counter quiet for `forget_after` (and not locked) starts
again from zero, so old mistakes do not haunt an account for ever. Counters are rows in the database,
so every process of the platform shares them.

The same rows also carry two other kinds of limit (each key is used by one kind only): a *hold*, a key
locked until a moment whatever else happens (the wait before another code may be sent), and a *quota*,
at most `limit` events per fixed `window` (codes sent per hour and per day), where `failures` counts
the events and `updated_at` is when the window began.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.throttle.repository import ThrottleRepository
from core.identity.throttle.tables import ThrottleRow
from core.platform.clock import utcnow
from core.platform.problems import ProblemError


@dataclass(frozen=True)
class Policy:
    free: int
    base: timedelta
    cap: timedelta
    forget_after: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Quota:
    limit: int
    window: timedelta


ACCOUNT = Policy(free=4, base=timedelta(seconds=30), cap=timedelta(minutes=15))
ADDRESS = Policy(free=20, base=timedelta(seconds=30), cap=timedelta(minutes=15))


def throttled(wait: timedelta) -> ProblemError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return ProblemError(429, "TOO_MANY_ATTEMPTS", "Too many attempts",
                        "Too many failed attempts; try again later.", headers={"Retry-After": str(seconds)})


class Throttle:
    def __init__(self, session: AsyncSession) -> None:
        self.repository = ThrottleRepository(session)

    async def _row(self, key: str) -> ThrottleRow | None:
        return await self.repository.get(key)

    async def wait(self, keys: list[str]) -> timedelta:
        """How long the longest lock among `keys` still lasts (zero when none is locked)."""
        now = utcnow()
        wait = timedelta(0)
        for key in keys:
            row = await self._row(key)
            if row is not None and row.locked_until is not None:
                wait = max(wait, row.locked_until - now)
        return wait

    async def check(self, keys: list[str]) -> ProblemError | None:
        """The 429 to answer while any key is locked, else None."""
        wait = await self.wait(keys)
        return throttled(wait) if wait > timedelta(0) else None

    async def hold(self, key: str, wait: timedelta) -> None:
        """Lock `key` for `wait` from now (never shortening a longer lock already there)."""
        now = utcnow()
        row = await self._row(key) or ThrottleRow(key=key, failures=0, updated_at=now)
        until = now + wait
        if row.locked_until is None or row.locked_until < until:
            row.locked_until = until
        row.updated_at = now
        await self.repository.save(row)

    async def quota_wait(self, quotas: dict[str, Quota]) -> timedelta:
        """Zero if every quota has room for one more event, else how long until the fullest one has."""
        now = utcnow()
        wait = timedelta(0)
        for key, quota in quotas.items():
            row = await self._row(key)
            if row is not None and row.updated_at + quota.window > now and row.failures >= quota.limit:
                wait = max(wait, row.updated_at + quota.window - now)
        return wait

    async def count(self, quotas: dict[str, Quota]) -> None:
        """Count one event against each quota (a window that has ended starts again from now)."""
        now = utcnow()
        rows = []
        for key, quota in quotas.items():
            row = await self._row(key) or ThrottleRow(key=key, failures=0, updated_at=now)
            if row.updated_at + quota.window <= now:
                row.failures, row.updated_at = 0, now
            row.failures += 1
            rows.append(row)
        await self.repository.save(*rows)

    async def fail(self, key: str, policy: Policy) -> None:
        now = utcnow()
        row = await self._row(key) or ThrottleRow(key=key, failures=0, updated_at=now)
        locked = row.locked_until is not None and row.locked_until > now
        if not locked and now - row.updated_at > policy.forget_after:
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.updated_at = now
        over = row.failures - policy.free
        if over > 0:
            row.locked_until = now + min(policy.cap, policy.base * (2 ** min(over - 1, 20)))
        await self.repository.save(row)

    async def succeed(self, key: str) -> None:
        row = await self._row(key)
        if row is not None:
            await self.repository.delete(row)
