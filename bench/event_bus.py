"""Outbox -> bus -> inbox consumer throughput, per bus and database.

    .venv/bin/python -m bench.event_bus [--events 1000] [--postgres]

Writes bench/results/event_bus.json. Needs RabbitMQ and NATS on localhost (and PostgreSQL with
--postgres). Broker objects get throw-away names and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from app.migrate import migrate
from core.platform.brokers import create_broker_bus
from core.platform.bus import InProcessBus
from core.platform.db import Database
from core.platform.outbox import OutboxRelay, publishers_for
from core.platform.settings import Settings
from generated.asyncapi import events
from tests.bus_helpers import AppliedLog, delete_broker_objects, isolated_options

RESULTS = Path(__file__).parent / "results" / "event_bus.json"
URLS = {"rabbitmq": "amqp://guest:guest@127.0.0.1:5672/", "nats": "nats://127.0.0.1:4222"}


async def fresh_database(kind: str, workdir: Path) -> tuple[str, Any]:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / f'{uuid.uuid4().hex}.db'}"
        cleanup = None
    else:
        name = f"darca_bench_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"

        async def cleanup() -> None:
            admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
    await migrate(Settings(database_url=url, broker_url="memory://", log_level="WARNING"))  # type: ignore[call-arg]
    return url, cleanup


async def run_one(bus_kind: str, db_kind: str, count: int, workdir: Path) -> dict[str, Any]:
    url, cleanup = await fresh_database(db_kind, workdir)
    db = Database(url)
    bus: Any = InProcessBus() if bus_kind == "memory" else create_broker_bus(URLS[bus_kind], **isolated_options(bus_kind))
    log = AppliedLog()
    bus.subscribe("bench", ["darca.platform.asset_registry_changed.v1"], log.consumer(db, "bench"))
    for start in range(0, count, 100):
        async with db.unit_of_work() as session:
            publish = publishers_for(session)
            for n in range(start, min(start + 100, count)):
                code = f"B{n % 16}"
                publish.asset_registry_changed(
                    events.AssetRegistryChangedData(change=events.AssetChange.UPDATED, asset=events.AssetSnapshot(
                        code=code, name=code, kind=events.AssetKind.FIAT, scale=2,
                        status=events.AssetStatus.ACTIVE, version=n + 1)),
                    subject=f"asset/{code}", partition_key=f"asset:{code}")
    relay = OutboxRelay(db, bus, poll_seconds=0.01)
    try:
        await bus.start()
        started = time.perf_counter()
        relay.start()
        while sum(1 for k in log.count) < count + 8:  # + the migration's default-asset events
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
    finally:
        await relay.stop()
        await bus.stop()
        await db.dispose()
        if bus_kind != "memory":
            await delete_broker_objects(bus)
        if cleanup:
            await cleanup()
    return {"bus": bus_kind, "database": db_kind, "events": count + 8, "seconds": round(elapsed, 3),
            "events_per_second": round((count + 8) / elapsed, 1)}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for db_kind in ["sqlite", *(["postgresql"] if args.postgres else [])]:
            for bus_kind in ["memory", "rabbitmq", "nats"]:
                result = await run_one(bus_kind, db_kind, args.events, Path(tmp))
                print(json.dumps(result))
                results.append(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                                   "note": "relay publishes one event at a time and waits for each confirm",
                                   "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
