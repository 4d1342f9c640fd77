"""The outbox relay on the in-process bus: only committed events leave, in sequence order."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.platform.bus import InProcessBus
from core.platform.db import Database
from core.platform.outbox import OutboxRelay, publishers_for
from core.platform.tables import OutboxEvent
from generated.asyncapi import events
from generated.asyncapi.publishers import EVENT_TYPES

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the relay claims and orders outbox rows in SQL

ASSET_CHANGED = "darca.platform.asset_registry_changed.v1"
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class Rollback(Exception):
    pass


def collecting_bus() -> tuple[InProcessBus, list[dict[str, Any]]]:
    """An in-process bus and the asset events it delivers, in delivery order."""
    bus = InProcessBus()
    received: list[dict[str, Any]] = []

    async def collect(envelope: dict[str, Any]) -> None:
        received.append(envelope)

    bus.subscribe("collector", [ASSET_CHANGED], collect)
    return bus, received


def emit(session: Any, code: str, version: int, traceparent: str | None = None) -> None:
    publishers_for(session, traceparent).asset_registry_changed(
        events.AssetRegistryChangedData(change=events.AssetChange.UPDATED, asset=events.AssetSnapshot(
            code=code, name=code, kind=events.AssetKind.FIAT, scale=2, status=events.AssetStatus.ACTIVE,
            version=version)),
        subject=f"asset/{code}", partition_key=f"asset:{code}",
    )


async def test_rolled_back_events_never_appear_committed_ones_arrive_in_sequence(database_url: str) -> None:
    db = Database(database_url)
    bus, received = collecting_bus()
    relay = OutboxRelay(db, bus, batch_size=7)
    try:
        async with db.unit_of_work() as session:
            emit(session, "AAA", 1)
            emit(session, "BBB", 1)
        with pytest.raises(Rollback):
            async with db.unit_of_work() as session:
                emit(session, "AAA", 99)
                emit(session, "ZZZ", 99)
                raise Rollback
        async with db.unit_of_work() as session:
            emit(session, "AAA", 2)
        for n in range(3, 20):
            async with db.unit_of_work() as session:
                emit(session, "BBB" if n % 2 else "AAA", n)

        while await relay.relay_once():
            pass

        async with db.unit_of_work() as session:
            rows = (await session.execute(select(OutboxEvent).order_by(OutboxEvent.sequence))).scalars().all()  # type: ignore[arg-type]
        ours = [e for e in received if e["partitionkey"] in {"asset:AAA", "asset:BBB", "asset:ZZZ"}]
        assert [e["data"]["asset"]["version"] for e in ours] == [1, 1, 2, *range(3, 20)]
        assert all(e["data"]["asset"]["code"] != "ZZZ" and e["data"]["asset"]["version"] != 99 for e in received)
        # Delivered in exactly the outbox's sequence order, every row published once.
        assert [e["sequence"] for e in received] == [r.sequence for r in rows]
        assert [e["id"] for e in received] == [r.event_id for r in rows]
        assert all(r.published_at is not None for r in rows)
        assert await relay.pending() == 0
    finally:
        await db.dispose()


async def test_a_failing_subscriber_keeps_the_event_pending_and_stops_the_batch(database_url: str) -> None:
    db = Database(database_url)
    bus = InProcessBus()
    seen: list[int] = []
    fail = {"on": True}

    async def flaky(envelope: dict[str, Any]) -> None:
        if fail["on"] and envelope["data"]["asset"]["code"] == "BAD":
            raise RuntimeError("consumer down")
        seen.append(envelope["sequence"])

    bus.subscribe("flaky", [ASSET_CHANGED], flaky)
    relay = OutboxRelay(db, bus)
    try:
        while await relay.relay_once():  # the migration's default-asset events first
            pass
        seen.clear()
        async with db.unit_of_work() as session:
            emit(session, "OK1", 1)
            emit(session, "BAD", 1)
            emit(session, "OK2", 1)
        assert await relay.relay_once() == 1  # stops at BAD: OK2 must not overtake it
        assert await relay.pending() == 2
        async with db.unit_of_work() as session:
            bad = (await session.execute(select(OutboxEvent).where(OutboxEvent.partition_key == "asset:BAD"))).scalar_one()
        assert bad.published_at is None and bad.attempts == 1 and "consumer down" in (bad.last_error or "")
        fail["on"] = False
        assert await relay.relay_once() == 2
        assert seen == sorted(seen) and len(seen) == 3
        assert await relay.pending() == 0
    finally:
        await db.dispose()


async def test_published_envelopes_are_rebuilt_whole_and_an_unknown_type_waits_in_order(database_url: str) -> None:
    """A row keeps what varies; the relay publishes the full CloudEvents envelope, checked here
    against the contract. A type the contract no longer has cannot be rebuilt: the row stays
    pending with the reason, and nothing after it overtakes it."""
    db = Database(database_url)
    bus, received = collecting_bus()
    relay = OutboxRelay(db, bus)
    try:
        while await relay.relay_once():  # the migration's default-asset events first
            pass
        received.clear()
        async with db.unit_of_work() as session:
            emit(session, "TRC", 1, TRACEPARENT)
            emit(session, "AAA", 1)
        async with db.unit_of_work() as session:
            first = (await session.execute(select(OutboxEvent).where(OutboxEvent.partition_key == "asset:AAA"))).scalar_one()
            first.event_type = "darca.platform.retired_event.v1"
            emit(session, "BBB", 1)

        assert await relay.relay_once() == 1
        [traced] = received
        EVENT_TYPES[ASSET_CHANGED].envelope_model.model_validate(traced)
        assert traced["traceparent"] == TRACEPARENT
        assert (traced["specversion"], traced["source"], traced["type"], traced["subject"], traced["partitionkey"]) == \
            ("1.0", "/darca/core", ASSET_CHANGED, "asset/TRC", "asset:TRC")
        assert traced["dataschema"] == EVENT_TYPES[ASSET_CHANGED].dataschema
        assert traced["time"].endswith("Z") and traced["sequence"] > 0
        assert await relay.pending() == 2
        async with db.unit_of_work() as session:
            stuck = (await session.execute(select(OutboxEvent).where(OutboxEvent.partition_key == "asset:AAA"))).scalar_one()
        assert stuck.published_at is None and stuck.attempts == 1 and "retired_event" in (stuck.last_error or "")
    finally:
        await db.dispose()
