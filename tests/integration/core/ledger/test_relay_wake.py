"""A unit of work the ledger commits itself (gRPC calls, in-process callers, hold expiry) wakes the
outbox relay of its process: its events leave at once, not at the relay's next poll."""

from __future__ import annotations

import asyncio
from typing import Any

from app.runtime import build_runtime
from tests.conftest import make_settings

from .conftest import funded, wallet

TRANSACTION_POSTED = "darca.ledger.transaction_posted.v1"


async def test_a_ledger_commit_wakes_the_relay_instead_of_waiting_for_its_poll(database_url: str) -> None:
    # The relay polls every ten minutes and nothing else in the process commits (no expiry, no KYC).
    runtime = build_runtime(make_settings(database_url, relay_poll_ms=600_000, ledger_expiry_poll_ms=0, kyc_poll_ms=0,
                                          notification_dispatch_enabled=False))
    assert runtime.ledger is not None
    published: dict[str, asyncio.Event] = {}

    async def collect(envelope: dict[str, Any]) -> None:
        published.setdefault(envelope["data"]["transaction_id"], asyncio.Event()).set()

    runtime.bus.subscribe("test", [TRANSACTION_POSTED], collect)
    await runtime.start(grpc=False)
    try:
        alice, bob = await funded(runtime.ledger, 100), await wallet(runtime.ledger)
        for number in range(3):  # each commit after the relay's first pass, and after the previous wake
            txn = await runtime.ledger.transfer(None, f"wake-{number}", alice.id, bob.id, 10)
            await asyncio.wait_for(published.setdefault(txn.id, asyncio.Event()).wait(), 30)
    finally:
        await runtime.stop()
