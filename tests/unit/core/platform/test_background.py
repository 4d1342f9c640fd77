"""Background jobs stop even when a driver turns the stop into its own error or swallows it."""

from __future__ import annotations

import asyncio
import time

from core.platform.background import raise_if_stopping, stop_job, stopping


class DriverError(Exception):
    """What a database driver may raise instead of CancelledError when the await it was in is cancelled."""


async def job_whose_driver_converts_cancellation(log: list[str]) -> None:
    while not stopping():
        try:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                raise DriverError("connection was closed in the middle of operation") from None
        except Exception:
            raise_if_stopping()
            log.append("swallowed a stop")  # what a job without the check would do, forever
        await asyncio.sleep(0)


async def job_whose_driver_swallows_cancellation(log: list[str]) -> None:
    while not stopping():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("cancellation swallowed")  # no exception reaches the job at all
    log.append("left the loop")


async def test_a_converted_cancellation_still_stops_the_job() -> None:
    log: list[str] = []
    task = asyncio.create_task(job_whose_driver_converts_cancellation(log))
    await asyncio.sleep(0.01)
    started = time.monotonic()
    await stop_job(task, timeout=5)
    assert task.cancelled() and log == [] and time.monotonic() - started < 1


async def test_a_swallowed_cancellation_still_stops_the_job() -> None:
    log: list[str] = []
    task = asyncio.create_task(job_whose_driver_swallows_cancellation(log))
    await asyncio.sleep(0.01)
    await stop_job(task, timeout=5)
    assert task.done() and log == ["cancellation swallowed", "left the loop"]


async def test_a_stuck_job_is_given_up_on_after_the_timeout() -> None:
    release = asyncio.Event()

    async def stuck() -> None:
        while not release.is_set():
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                continue  # ignores every stop and never checks

    task = asyncio.create_task(stuck())
    await asyncio.sleep(0.01)
    started = time.monotonic()
    await stop_job(task, timeout=0.2)
    assert not task.done() and 0.2 <= time.monotonic() - started < 2
    release.set()  # let it finish so nothing outlives the test
    await asyncio.wait([task], timeout=1)
    assert task.done()


async def test_stopping_nothing_or_a_finished_job_is_a_no_op() -> None:
    await stop_job(None)
    done = asyncio.create_task(asyncio.sleep(0))
    await done
    await stop_job(done)
    assert done.done() and not done.cancelled()
