"""The durable hold-expiry job: holds past their deadline are expired by the runtime, not by requests.

Durable because its whole state is in the database (pending holds and their deadlines): after
a restart the first pass expires whatever fell due meanwhile. Several processes may run it;
PostgreSQL's SKIP LOCKED lets them share the work without waiting on each other.
"""

from __future__ import annotations

import asyncio

import structlog

from core.platform.background import Outage, raise_if_stopping, stop_job, stopping

from .api import Ledger

log = structlog.get_logger("darca.ledger.expiry")


class HoldExpiryScheduler:
    def __init__(self, ledger: Ledger, *, poll_ms: int = 1000, batch: int = 200) -> None:
        self.ledger = ledger
        self.poll_ms = poll_ms
        self.batch = batch
        self._task: asyncio.Task[None] | None = None
        self.outage = Outage("ledger-hold-expiry", base=poll_ms / 1000)

    async def run_once(self) -> int:
        expired = await self.ledger.expire_due(None, limit=self.batch)
        if expired:
            log.info("ledger.holds_expired", count=expired)  # the ledger's commit woke the relay
        return expired

    async def run(self) -> None:
        outage = self.outage
        while not stopping():
            try:
                expired = await self.run_once()
                outage.succeeded()
            except Exception as exc:  # noqa: BLE001 - a database outage must not kill the job; back off
                raise_if_stopping()
                outage.failed(exc)
                expired = 0
            if expired < self.batch:
                await asyncio.sleep(outage.delay)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="ledger-hold-expiry")

    async def stop(self) -> None:
        await stop_job(self._task)
        self._task = None
