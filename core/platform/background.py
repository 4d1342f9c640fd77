"""Background jobs (outbox relay, notification dispatcher, workers, schedulers): one way for a job to
notice it is being stopped, and one way to stop it.

A job catches `Exception` so a database hiccup does not kill it. A database driver may turn the
cancellation that stops the job into its own error, or swallow it, and the job would then run on and
its `stop()` would wait forever. The task's cancellation request stays counted, so a job checks
`stopping()` instead of trusting the CancelledError to reach it.

While the database or the broker is down every pass of a job fails. `Outage` turns that into one
warning when the failures begin and one line when a pass succeeds again, with a back-off that
doubles up to a cap in between, rather than a line (and a full-speed retry) per poll."""

from __future__ import annotations

import asyncio
from datetime import datetime

import structlog

from .clock import utcnow
from .outages import outage_of

log = structlog.get_logger("darca.background")
STOP_TIMEOUT = 10.0


def stopping() -> bool:
    """True inside a job's task once someone asked it to stop (cancelled it)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def raise_if_stopping() -> None:
    """For a job's `except Exception`: a caught error during a stop ends the job."""
    if stopping():
        raise asyncio.CancelledError


async def stop_job(task: asyncio.Task[None] | None, *, timeout: float = STOP_TIMEOUT) -> None:
    """Cancel the job and wait for it, at most `timeout` seconds (a stuck job is logged, not waited on)."""
    if task is None or task.done():
        return
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=timeout)
    if not done:
        log.error("background.stop_timeout", job=task.get_name(), timeout=timeout)
    elif not task.cancelled() and task.exception() is not None:
        log.error("background.failed", job=task.get_name(), error=repr(task.exception()))


class Outage:
    """The failures of one job's passes: what to log, and how long to wait before the next pass."""

    def __init__(self, job: str, *, base: float, cap: float = 30.0) -> None:
        self.job = job
        self.base = base
        self.cap = max(cap, base)
        self.failures = 0
        self.since: datetime | None = None

    def failed(self, error: BaseException) -> float:
        """A pass failed: log it if it is the first of a run of failures; the seconds to wait."""
        self.failures += 1
        if self.failures == 1:
            self.since = utcnow()
            dependency = outage_of(error)
            # An outage is expected weather (one line); anything else is a bug and keeps its traceback.
            log.warning("background.outage", job=self.job, dependency=dependency or "UNKNOWN",
                        error=repr(error)[:300], exc_info=None if dependency else error)
        else:
            log.debug("background.still_failing", job=self.job, failures=self.failures, error=repr(error)[:300])
        return self.delay

    def succeeded(self) -> None:
        """A pass went through: the end of the outage, if there was one."""
        if self.failures:
            seconds = (utcnow() - self.since).total_seconds() if self.since else 0.0
            log.info("background.recovered", job=self.job, failures=self.failures, seconds=round(seconds, 3))
        self.failures = 0
        self.since = None

    @property
    def delay(self) -> float:
        """`base` while passes succeed; then doubling with each failure in a row, at most `cap`."""
        if not self.failures:
            return self.base
        return min(self.base * 2 ** min(self.failures, 20), self.cap)
