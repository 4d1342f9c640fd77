"""The durable KYC processor: polls the provider for pending checks and applies its decisions.

Durable because its whole state is in the database (pending checks and when to poll them
next). Each check is handled in its own unit of work that holds the check's row lock from the
poll to the commit of the decision: a crash in between rolls everything back and the check,
still PENDING, is polled again (provider polls are repeatable). Several processes may run it;
PostgreSQL's SKIP LOCKED lets them share the work without waiting on each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import structlog

from core.platform.background import Outage, raise_if_stopping, stop_job, stopping
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.outbox import publishers_for
from core.platform.security import Principal

from .provider import KycProvider
from .service import SYSTEM, KycService, claim_due_check, due_check_ids

log = structlog.get_logger("darca.identity.kyc")
WORKER = Principal("kyc-worker", "SERVICE")  # the background worker acting on a provider decision


class KycWorker:
    def __init__(self, db: Database, provider: KycProvider, *, poll_ms: int = 1000,
                 batch: int = 50, on_commit: Callable[[], None] | None = None) -> None:
        self.db = db
        self.provider = provider
        self.poll_ms = poll_ms
        self.batch = batch
        self.on_commit = on_commit
        self._task: asyncio.Task[None] | None = None
        self.outage = Outage("identity-kyc-worker", base=poll_ms / 1000)

    @property
    def retry_after(self) -> timedelta:
        return timedelta(milliseconds=self.poll_ms)

    async def process(self, check_id: str) -> bool:
        """Poll one due check; True when a decision was applied."""
        async with self.db.unit_of_work() as session:
            now = utcnow()
            check = await claim_due_check(session, check_id, now)
            if check is None:
                return False
            try:
                decision = await self.provider.poll(check.provider_reference)
            except Exception as exc:  # noqa: BLE001 - a provider outage must not stop the other checks
                log.warning("kyc.poll_failed", check_id=check.id, error=type(exc).__name__)
                decision = None
            check.polls += 1
            if decision is None:
                check.next_poll_at = now + self.retry_after
                session.add(check)
                return False
            ctx = RequestContext(session=session, principal=WORKER, request_id="", trace_id=None,
                                 events=publishers_for(session))
            await KycService(ctx).apply(check, decision, SYSTEM)
        log.info("kyc.check_decided", check_id=check_id, outcome=decision.outcome)
        return True

    async def run_once(self) -> int:
        async with self.db.unit_of_work() as session:
            due = await due_check_ids(session, utcnow(), self.batch)
        decided = 0
        for check_id in due:
            try:
                decided += await self.process(check_id)
            except Exception as exc:  # noqa: BLE001 - one bad check must not hold up the others
                log.warning("kyc.apply_failed", check_id=check_id, error=str(exc))
        if decided and self.on_commit is not None:
            self.on_commit()
        return decided

    async def run(self) -> None:
        outage = self.outage
        while not stopping():
            try:
                await self.run_once()
                outage.succeeded()
            except Exception as exc:  # noqa: BLE001 - a database outage must not kill the job; back off
                raise_if_stopping()
                outage.failed(exc)
            await asyncio.sleep(outage.delay)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="identity-kyc-worker")

    async def stop(self) -> None:
        await stop_job(self._task)
        self._task = None
