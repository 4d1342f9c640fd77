"""Delivers PENDING email and SMS rows after their unit of work committed.

Each pass claims due rows (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several API processes share
the work) by moving their `next_attempt_at` to the end of a lease and counting the attempt, then
sends outside any transaction. Success marks the row SENT; a failure schedules a retry with
exponential back-off, and after `max_attempts` the row is FAILED. A process dying mid-send leaves
the row to be taken again when its lease runs out (at-least-once).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import structlog

from core.platform.background import Outage, raise_if_stopping, stop_job, stopping
from core.platform.clock import utcnow
from core.platform.db import Database

from .mailer import Mailer
from .repository import NotificationRepository
from .tables import NotificationRow

log = structlog.get_logger("darca.notifications")

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)


async def record_sms(row: NotificationRow) -> None:
    """Sandbox SMS gateway: there is no provider yet, the row in the table is the message."""


class NotificationDispatcher:
    def __init__(self, db: Database, mailer: Mailer, *, sms: Callable[[NotificationRow], Awaitable[None]] = record_sms,
                 batch_size: int = 50, poll_seconds: float = 1.0, max_attempts: int = 8,
                 retry_base: timedelta = timedelta(seconds=5)) -> None:
        self.db = db
        self.mailer = mailer
        self.sms = sms
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._busy = 0
        self.outage = Outage("notification-dispatcher", base=poll_seconds)

    def notify(self) -> None:
        """Something was committed: deliver now instead of at the next poll."""
        self._wake.set()

    def backoff(self, attempts: int) -> timedelta:
        return min(self.retry_base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)

    async def _claim(self) -> list[NotificationRow]:
        now = utcnow()
        async with self.db.unit_of_work() as session:
            repository = NotificationRepository(session)
            rows = await repository.due_rows(now, self.batch_size, skip_locked=self.db.dialect == "postgresql")
            claimed = []
            for row in rows:
                if await repository.lease(row, now + LEASE):
                    row.attempts += 1
                    claimed.append(row)
        return claimed

    async def _deliver(self, row: NotificationRow) -> None:
        if row.channel == "EMAIL":
            await self.mailer.send(row.recipient, row.subject, row.body)
        elif row.channel == "SMS":
            await self.sms(row)

    async def dispatch_once(self) -> int:
        """One pass; returns how many rows were delivered."""
        self._busy += 1
        try:
            delivered = 0
            for row in await self._claim():
                try:
                    await self._deliver(row)
                except Exception as exc:  # SMTP down, refused, timed out: keep the row, try later
                    failed = row.attempts >= self.max_attempts
                    values = {"last_error": f"{type(exc).__name__}: {exc}"[:1000],
                              "status": "FAILED" if failed else "PENDING",
                              "next_attempt_at": None if failed else utcnow() + self.backoff(row.attempts)}
                    log.warning("notifications.delivery_failed", notification_id=row.id, attempts=row.attempts,
                                final=failed, error=values["last_error"])
                else:
                    values = {"status": "SENT", "sent_at": utcnow(), "next_attempt_at": None, "last_error": None}
                    delivered += 1
                async with self.db.unit_of_work() as session:
                    await NotificationRepository(session).settle(row.id, values)
            return delivered
        finally:
            self._busy -= 1

    async def due(self) -> int:
        async with self.db.unit_of_work() as session:
            return await NotificationRepository(session).due_count(utcnow())

    async def settle(self, timeout: float = 5.0) -> None:
        """Waits until nothing due is left and no pass is running (for tests and the CLI)."""
        deadline = time.monotonic() + timeout
        self.notify()
        while time.monotonic() < deadline:
            # `due` first: a pass can claim the last row (its lease makes it not due) while `due` awaits
            # the database, and is then still delivering; busy is only telling once `due` is known.
            if await self.due() == 0 and not self._busy:
                return
            await asyncio.sleep(0.02)

    async def run(self) -> None:
        outage = self.outage
        while not stopping():
            self._wake.clear()  # before the pass, so a commit during it wakes the next one
            try:
                sent = await self.dispatch_once()
                outage.succeeded()
            except Exception as exc:  # database down: back off, go on
                raise_if_stopping()
                outage.failed(exc)
                sent = 0
            if sent >= self.batch_size:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=outage.delay)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="notification-dispatcher")

    async def stop(self) -> None:
        await stop_job(self._task)
        self._task = None
