"""RabbitMQ goes away while events are pending: nothing is lost, nothing is applied twice, order holds.

This stops and starts the local RabbitMQ application (`rabbitmqctl stop_app` / `start_app`), so
other RabbitMQ users on this machine see a short outage while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from sqlalchemy import func, select

from core.platform.brokers import BrokerUnavailable
from core.platform.db import Database
from core.platform.outbox import OutboxRelay, publishers_for
from core.platform.tables import InboxEvent, OutboxEvent
from generated.asyncapi import events
from tests.bus_helpers import AppliedLog, delete_broker_objects, make_bus, require_broker, wait_settled
from tests.services import require_program

pytestmark = pytest.mark.timeout(300)  # outages and restarts wait up to 120 s by design

ASSET_CHANGED = "darca.platform.asset_registry_changed.v1"
KEYS = 5
LOCK_FILE = Path(tempfile.gettempdir()) / "darca-rabbitmq-restart.lock"


@contextlib.asynccontextmanager
async def exclusive_restart() -> AsyncIterator[None]:
    """One broker restart at a time on this machine, across parallel test runs."""
    with LOCK_FILE.open("a") as handle:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def rabbitmqctl(rabbitmqctl_path: str, *args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        rabbitmqctl_path, *args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, f"rabbitmqctl {' '.join(args)} failed: {output.decode()[-500:]}"


async def write_events(db: Database, first: int, count: int) -> None:
    async with db.unit_of_work() as session:
        publish = publishers_for(session)
        for n in range(first, first + count):
            code = f"R{n % KEYS}"
            publish.asset_registry_changed(
                events.AssetRegistryChangedData(change=events.AssetChange.UPDATED, asset=events.AssetSnapshot(
                    code=code, name=code, kind=events.AssetKind.FIAT, scale=2,
                    status=events.AssetStatus.ACTIVE, version=n + 1)),
                subject=f"asset/{code}", partition_key=f"asset:{code}",
            )


async def outbox_state(db: Database) -> dict[str, Any]:
    async with db.unit_of_work() as session:
        pending = (await session.execute(
            select(func.count()).where(OutboxEvent.published_at.is_(None)))).scalar_one()  # type: ignore[union-attr]
        failed = (await session.execute(
            select(func.count()).where(OutboxEvent.last_error.is_not(None)))).scalar_one()  # type: ignore[union-attr]
        ids = (await session.execute(select(OutboxEvent.event_id))).scalars().all()
        inbox = (await session.execute(
            select(func.count()).select_from(InboxEvent).where(InboxEvent.consumer == "restart"))).scalar_one()
    return {"pending": pending, "failed": failed, "ids": set(ids), "inbox": inbox}


async def eventually(check: Any, timeout: float = 90.0, what: str = "condition") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, f"{what} not reached within {timeout}s"
        await asyncio.sleep(0.2)


async def ping_fails(bus: Any) -> bool:
    try:
        await bus.ping()
    except BrokerUnavailable:
        return True
    return False


async def test_events_survive_a_rabbitmq_restart(database_url: str) -> None:
    require_broker("rabbitmq")
    ctl = require_program("rabbitmqctl")
    db = Database(database_url)
    bus = make_bus("rabbitmq", publish_timeout=3.0)
    log = AppliedLog()
    bus.subscribe("restart", [ASSET_CHANGED], log.consumer(db, "restart"))
    relay = OutboxRelay(db, bus, poll_seconds=0.05)
    async with exclusive_restart():
        await _restart_scenario(ctl, db, bus, log, relay)


async def _restart_scenario(ctl: str, db: Database, bus: Any, log: AppliedLog, relay: OutboxRelay) -> None:
    stopped = False
    try:
        await write_events(db, 0, 60)
        await bus.start()
        relay.start()
        before = await outbox_state(db)
        await log.wait_for(before["ids"])  # the 8 default-asset events of the migration and our 60

        with structlog.testing.capture_logs() as logs:
            await rabbitmqctl(ctl, "stop_app")
            stopped = True
            await eventually(lambda: ping_fails(bus), timeout=30, what="readiness ping failing")
            await write_events(db, 60, 60)
            relay.notify()
            # The relay tries, fails, and keeps every new event pending in the outbox.
            await eventually(lambda: _failed_and_pending(db, 60), timeout=30, what="relay failures recorded")
            with pytest.raises(BrokerUnavailable):
                await bus.ping()
        # One line for the outage, however many polls failed (the relay backs off meanwhile).
        began = [e for e in logs if e["event"] == "background.outage" and e.get("job") == "outbox-relay"]
        assert [e["dependency"] for e in began] == ["BROKER"]

        await rabbitmqctl(ctl, "start_app")
        stopped = False
        await eventually(lambda: _ping_ok(bus), timeout=120, what="bus reconnected")

        after = await outbox_state(db)
        await log.wait_for(after["ids"], timeout=120)
        total, inbox = await wait_settled(db, "restart")
        final = await outbox_state(db)
        assert final["pending"] == 0
        assert total == inbox == len(final["ids"]) == 128
        assert all(log.count[i] == 1 for i in final["ids"]), "an event was applied twice"
        for key, sequences in log.by_key.items():
            assert sequences == sorted(sequences), f"out of order for {key}"
        assert sum(len(s) for k, s in log.by_key.items() if k.startswith("asset:R")) == 120
    finally:
        if stopped:
            await rabbitmqctl(ctl, "start_app")
        await relay.stop()
        await bus.stop()
        await db.dispose()
        await delete_broker_objects(bus)


async def _failed_and_pending(db: Database, expected_pending: int) -> bool:
    state = await outbox_state(db)
    return state["pending"] == expected_pending and state["failed"] >= 1


async def _ping_ok(bus: Any) -> bool:
    return not await ping_fails(bus)
