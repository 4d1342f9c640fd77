"""The broker buses against the real RabbitMQ and NATS: envelopes intact, order kept, redelivery harmless."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aio_pika
import nats
import pytest
from sqlalchemy import select

from core.platform.brokers import BrokerUnavailable, RabbitBus, create_broker_bus, create_bus
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.outbox import OutboxRelay, publishers_for
from core.platform.tables import OutboxEvent
from generated.asyncapi import events
from tests.bus_helpers import BROKERS, AppliedLog, delete_broker_objects, make_bus, require_broker, wait_settled
from tests.services import NATS_URL, RABBITMQ_URL

ASSET_CHANGED = "darca.platform.asset_registry_changed.v1"
BALANCE_CHANGED = "darca.ledger.balance_changed.v1"


@pytest.fixture(params=BROKERS)
async def broker_kind(request: pytest.FixtureRequest) -> str:
    require_broker(request.param)
    return request.param


def envelope(event_type: str, key: str, sequence: int) -> dict[str, Any]:
    return {
        "specversion": "1.0", "id": new_id("evt"), "source": "/darca/core", "type": event_type,
        "subject": key, "time": "2026-01-01T00:00:00Z", "datacontenttype": "application/json",
        "dataschema": "/asyncapi.json#/components/schemas/X", "partitionkey": key, "sequence": sequence,
        "data": {"n": sequence, "text": "zürich €"},
    }


async def wait_until(predicate: Any, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def test_round_trip_keeps_the_envelope_and_filters_by_type(broker_kind: str) -> None:
    bus = make_bus(broker_kind)
    assets: list[dict[str, Any]] = []
    both: list[dict[str, Any]] = []

    async def on_asset(e: dict[str, Any]) -> None:
        assets.append(e)

    async def on_both(e: dict[str, Any]) -> None:
        both.append(e)

    bus.subscribe("assets-only", [ASSET_CHANGED], on_asset)
    bus.subscribe("both", [ASSET_CHANGED, BALANCE_CHANGED], on_both)
    try:
        await bus.start()
        await bus.ping()
        sent = [envelope(ASSET_CHANGED, "asset:EUR", 1), envelope(BALANCE_CHANGED, "acc:1", 2),
                envelope(ASSET_CHANGED, "asset:EUR", 3)]
        for e in sent:
            await bus.publish(e)
        await wait_until(lambda: len(both) == 3 and len(assets) == 2)
        assert both == sent  # every field, unicode included, in publish order
        assert assets == [sent[0], sent[2]]
    finally:
        await bus.stop()
        await delete_broker_objects(bus)


async def test_rabbitmq_message_is_persistent_confirmed_cloudevent() -> None:
    require_broker("rabbitmq")
    bus = make_bus("rabbitmq")
    assert isinstance(bus, RabbitBus)
    bus.subscribe("props", [ASSET_CHANGED], lambda e: asyncio.sleep(0))
    try:
        await bus.start()
        connection = await aio_pika.connect(RABBITMQ_URL)
        async with connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange(bus.exchange_name)  # declared durable topic by the bus
            probe = await channel.declare_queue(exclusive=True)
            await probe.bind(exchange, routing_key=ASSET_CHANGED)
            sent = envelope(ASSET_CHANGED, "asset:EUR", 7)
            await bus.publish(sent)
            message = await probe.get(timeout=10)
            assert message is not None
            await message.ack()
            assert message.routing_key == ASSET_CHANGED
            assert message.message_id == sent["id"]
            assert message.content_type == "application/cloudevents+json"
            assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
            assert json.loads(message.body) == sent
            durable = await channel.declare_queue(bus.queue_name("props"), passive=True)
            assert durable.name == f"{bus.queue_prefix}props"
    finally:
        await bus.stop()
        await delete_broker_objects(bus)


async def test_default_names_follow_the_contract() -> None:
    rabbit = create_broker_bus("amqp://guest:guest@127.0.0.1:5672/")
    nats_bus = create_broker_bus("nats://127.0.0.1:4222")
    assert (rabbit.exchange_name, rabbit.queue_name("ledger")) == ("darca.events", "darca.ledger")
    assert (nats_bus.stream_name, nats_bus.subject(ASSET_CHANGED)) == (
        "DARCA_EVENTS", "darca.platform.asset_registry_changed.v1")


async def test_nats_publisher_alone_declares_the_stream_or_adds_its_subjects() -> None:
    require_broker("nats")
    fresh, shared = make_bus("nats"), make_bus("nats")
    client = await nats.connect(NATS_URL, connect_timeout=5)
    js = client.jetstream()
    # An operator made `shared`'s stream with other subjects (and settings the bus must keep).
    await js.add_stream(name=shared.stream_name, subjects=["elsewhere.>"], max_msgs=1000)
    try:
        for bus in (fresh, shared):  # neither subscribes anything
            await bus.start()
            await bus.ping()
            await bus.publish(envelope(ASSET_CHANGED, "asset:EUR", 1))
        assert (await js.stream_info(fresh.stream_name)).config.subjects == [fresh.stream_subjects]
        kept = (await js.stream_info(shared.stream_name)).config
        assert (kept.subjects, kept.max_msgs) == (["elsewhere.>", shared.stream_subjects], 1000)
    finally:
        for bus in (fresh, shared):
            await bus.stop()
            await delete_broker_objects(bus)
        await client.close()


def test_unknown_scheme_is_refused_naming_the_supported_ones() -> None:
    with pytest.raises(ValueError, match="amqp://.*nats://.*kafka://"):
        create_bus("redis://127.0.0.1:6379")


@pytest.mark.parametrize("url", ["amqp://guest:guest@127.0.0.1:1/", "nats://127.0.0.1:1", "kafka://127.0.0.1:1"])
async def test_down_broker_starts_but_ping_and_publish_raise(url: str) -> None:
    bus = create_broker_bus(url, connect_timeout=0.5)
    bus.subscribe("x", [ASSET_CHANGED], lambda e: asyncio.sleep(0))
    await bus.start()  # must return: the platform starts and reports not-ready
    try:
        with pytest.raises(BrokerUnavailable):
            await bus.ping()
        with pytest.raises(BrokerUnavailable):
            await bus.publish(envelope(ASSET_CHANGED, "asset:EUR", 1))
    finally:
        await bus.stop()


async def write_events(db: Database, count: int, keys: int) -> list[str]:
    """`count` events over `keys` aggregates, a few per transaction, through the typed publishers."""
    for start in range(0, count, 10):
        async with db.unit_of_work() as session:
            publish = publishers_for(session)
            for n in range(start, min(start + 10, count)):
                code = f"T{n % keys}"
                publish.asset_registry_changed(
                    events.AssetRegistryChangedData(change=events.AssetChange.UPDATED, asset=events.AssetSnapshot(
                        code=code, name=code, kind=events.AssetKind.FIAT, scale=2,
                        status=events.AssetStatus.ACTIVE, version=n + 1)),
                    subject=f"asset/{code}", partition_key=f"asset:{code}",
                )
    async with db.unit_of_work() as session:
        rows = await session.execute(
            select(OutboxEvent.event_id).where(OutboxEvent.partition_key.like("asset:T%"))  # type: ignore[attr-defined]
            .order_by(OutboxEvent.sequence)  # type: ignore[arg-type]
        )
        return list(rows.scalars().all())


async def test_relay_to_broker_keeps_order_per_aggregate_and_applies_each_event_once(
    broker_kind: str, database_url: str
) -> None:
    db = Database(database_url)
    bus = make_bus(broker_kind)
    log = AppliedLog()
    ids = await write_events(db, 300, keys=7)
    # Every 25th event "crashes" after its effect committed: the broker redelivers it, the inbox skips it.
    bus.subscribe("ordering", [ASSET_CHANGED], log.consumer(db, "ordering", fail_once=set(ids[::25])))
    relay = OutboxRelay(db, bus, poll_seconds=0.05)
    try:
        await bus.start()
        relay.start()
        await log.wait_for(set(ids))
        # The 8 default-asset events of the migration are in the outbox too, ahead of ours.
        total, inbox = await wait_settled(db, "ordering")
        assert all(log.count[i] == 1 for i in ids), "an event was applied twice"
        assert inbox == total == len(log.count) == 308
        for key, sequences in log.by_key.items():
            assert sequences == sorted(sequences), f"out of order for {key}"
        assert sum(len(s) for k, s in log.by_key.items() if k.startswith("asset:T")) == 300
    finally:
        await relay.stop()
        await bus.stop()
        await db.dispose()
        await delete_broker_objects(bus)


async def test_duplicate_publish_is_applied_once(broker_kind: str, database_url: str) -> None:
    """The relay may send an event twice (confirm lost, then retried): the consumer applies it once."""
    db = Database(database_url)
    bus = make_bus(broker_kind)
    log = AppliedLog()
    bus.subscribe("dupes", [ASSET_CHANGED], log.consumer(db, "dupes"))
    try:
        await bus.start()
        first, second = envelope(ASSET_CHANGED, "asset:EUR", 1), envelope(ASSET_CHANGED, "asset:EUR", 2)
        for e in (first, first, second, first):
            await bus.publish(e)
        await log.wait_for({first["id"], second["id"]})
        await asyncio.sleep(0.5)  # give a stray duplicate the chance to arrive (and be skipped)
        assert dict(log.count) == {first["id"]: 1, second["id"]: 1}
        assert log.by_key["asset:EUR"] == [1, 2]
    finally:
        await bus.stop()
        await db.dispose()
        await delete_broker_objects(bus)
