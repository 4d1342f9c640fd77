"""The network to the broker drops while events are pending (RabbitMQ and NATS): the bus reconnects
by itself, the relay catches up, nothing is lost or applied twice, order per aggregate holds.

The broker itself keeps running: a local TCP forwarder between bus and broker is cut and resumed,
so this runs beside other users of the broker (unlike test_broker_restart.py).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select

from core.platform.brokers import BrokerUnavailable
from core.platform.db import Database
from core.platform.outbox import OutboxRelay, publishers_for
from core.platform.tables import OutboxEvent
from generated.asyncapi import events
from tests.bus_helpers import (
    BROKERS,
    AppliedLog,
    TcpForwarder,
    delete_broker_objects,
    make_bus,
    require_broker,
    wait_settled,
)

pytestmark = pytest.mark.timeout(300)  # outages and restarts wait up to 120 s by design

ASSET_CHANGED = "darca.platform.asset_registry_changed.v1"


async def write_events(db: Database, first: int, count: int) -> None:
    async with db.unit_of_work() as session:
        publish = publishers_for(session)
        for n in range(first, first + count):
            code = f"L{n % 4}"
            publish.asset_registry_changed(
                events.AssetRegistryChangedData(change=events.AssetChange.UPDATED, asset=events.AssetSnapshot(
                    code=code, name=code, kind=events.AssetKind.FIAT, scale=2,
                    status=events.AssetStatus.ACTIVE, version=n + 1)),
                subject=f"asset/{code}", partition_key=f"asset:{code}",
            )


async def state(db: Database) -> tuple[int, set[str]]:
    async with db.unit_of_work() as session:
        pending = (await session.execute(
            select(func.count()).where(OutboxEvent.published_at.is_(None)))).scalar_one()  # type: ignore[union-attr]
        ids = set((await session.execute(select(OutboxEvent.event_id))).scalars().all())
    return pending, ids


async def eventually(check: Any, what: str, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, f"{what} not reached within {timeout}s"
        await asyncio.sleep(0.1)


async def ping_ok(bus: Any) -> bool:
    try:
        await bus.ping()
    except BrokerUnavailable:
        return False
    return True


@pytest.mark.parametrize("kind", BROKERS)
async def test_bus_reconnects_after_the_connection_drops(kind: str, database_url: str) -> None:
    target = urlparse(require_broker(kind))
    forwarder = TcpForwarder(target.port or (5672 if kind == "rabbitmq" else 4222))
    await forwarder.resume()
    url = (f"amqp://guest:guest@127.0.0.1:{forwarder.port}/" if kind == "rabbitmq"
           else f"nats://127.0.0.1:{forwarder.port}")
    db = Database(database_url)
    bus = make_bus(kind, url=url, publish_timeout=2.0)
    log = AppliedLog()
    bus.subscribe("netloss", [ASSET_CHANGED], log.consumer(db, "netloss"))
    relay = OutboxRelay(db, bus, poll_seconds=0.05)
    try:
        await write_events(db, 0, 40)
        await bus.start()
        relay.start()
        await log.wait_for((await state(db))[1])

        await forwarder.cut()
        await eventually(lambda: _not(ping_ok(bus)), "ping failing")
        await write_events(db, 40, 40)
        relay.notify()
        await asyncio.sleep(1.0)
        assert (await state(db))[0] == 40  # kept pending while the broker is unreachable

        await forwarder.resume()
        await eventually(lambda: ping_ok(bus), "reconnected")
        _, ids = await state(db)
        await log.wait_for(ids)
        total, inbox = await wait_settled(db, "netloss")
        assert total == inbox == len(ids) == 88
        assert all(log.count[i] == 1 for i in ids), "an event was applied twice"
        for key, sequences in log.by_key.items():
            assert sequences == sorted(sequences), f"out of order for {key}"
    finally:
        await relay.stop()
        await bus.stop()
        await forwarder.cut()
        await db.dispose()
        await delete_broker_objects(bus)


async def _not(awaitable: Any) -> bool:
    return not await awaitable

