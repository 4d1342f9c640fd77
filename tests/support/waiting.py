"""Waiting in tests for something another task or process brings about."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


def until(check: Callable[[], object], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll the plain `check` until it is truthy; fail after `timeout` seconds (for code outside the loop)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} not reached in time"
        time.sleep(0.02)


async def eventually(check: Callable[[], Awaitable[object]], timeout: float = 10.0) -> None:
    """Poll the async `check` until it is truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)
