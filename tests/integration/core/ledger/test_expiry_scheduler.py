"""Hold expiry is a durable runtime job: due holds are expired without any request, even after a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.runtime import build_runtime
from core.ledger.api import HoldSpec, Ledger
from core.platform.clock import Clock, utcnow
from tests.conftest import make_settings

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # expiry job selects due holds in SQL


async def _status(ledger: Ledger, hold_id: str, wanted: str, seconds: float = 10.0) -> str:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        status = (await ledger.get_hold(None, hold_id)).status
        if status == wanted or asyncio.get_running_loop().time() > deadline:
            return status
        await asyncio.sleep(0.02)


async def test_due_hold_expires_after_a_restart_without_requests(database_url: str, ledger: Ledger,
                                                                 clock: Clock) -> None:
    alice = await funded(ledger, 100)
    shop = await wallet(ledger)
    # Created while no runtime runs; its deadline passes while the platform is "down".
    hold = await ledger.create_hold(None, HoldSpec("x-1", alice.id, shop.id, 40, utcnow() + timedelta(milliseconds=30)))
    clock.advance(timedelta(milliseconds=50))
    assert (await ledger.get_hold(None, hold.id)).status == "PENDING"

    runtime = build_runtime(make_settings(database_url, ledger_expiry_poll_ms=20))
    await runtime.start(grpc=False)
    try:
        assert await _status(ledger, hold.id, "EXPIRED") == "EXPIRED"
        later = await ledger.create_hold(None, HoldSpec("x-2", alice.id, shop.id, 10, utcnow() + timedelta(milliseconds=50)))
        clock.advance(timedelta(milliseconds=50))
        assert await _status(ledger, later.id, "EXPIRED") == "EXPIRED"
        async with runtime.db.unit_of_work() as session:
            kinds = (await session.execute(text(
                "SELECT event_type FROM outbox_events WHERE event_type LIKE 'darca.ledger.hold_%' ORDER BY sequence"
            ))).scalars().all()
        assert kinds.count("darca.ledger.hold_expired.v1") == 2
    finally:
        await runtime.stop()
    assert (await ledger.balance(None, alice.id)).available == 100
