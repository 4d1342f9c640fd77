"""Background jobs (outbox relay, notification dispatcher, workers, schedulers): one way for a job to
notice it is being stopped, and one way to stop it.

A job catches `Exception` so a database hiccup does not kill it. A database driver may turn the
cancellation that stops the job into its own error, or swallow it, and the job would then run on and
its `stop()` would wait forever. The task's cancellation request stays counted, so a job checks
`stopping()` instead of trusting the CancelledError to reach it."""

from __future__ import annotations

import asyncio

import structlog

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
