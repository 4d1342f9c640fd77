"""Broker buses on throw-away names (so parallel runs never see each other's events), and tear-down."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import aio_pika
import nats

from core.platform.brokers import RabbitBus, create_broker_bus
from core.platform.db import Database
from core.platform.inbox import idempotent_consumer
from tests.services import NATS_URL, RABBITMQ_URL, port_open, require_port

BROKERS = ["rabbitmq", "nats"]


def require_broker(kind: str) -> str:
    url = RABBITMQ_URL if kind == "rabbitmq" else NATS_URL
    parsed = urlparse(url)
    # A broker-restart test of a parallel run may have it down for a few seconds: wait that out.
    deadline = time.monotonic() + 20
    while not port_open(parsed.hostname or "127.0.0.1", parsed.port or 0) and time.monotonic() < deadline:
        time.sleep(0.5)
    require_port("RabbitMQ" if kind == "rabbitmq" else "NATS", parsed.hostname or "127.0.0.1",
                 parsed.port or (5672 if kind == "rabbitmq" else 4222))
    return url


def isolated_options(kind: str) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:10]
    if kind == "rabbitmq":
        return {"exchange": f"test.{tag}.events", "queue_prefix": f"test.{tag}."}
    return {"stream": f"TEST_{tag.upper()}", "subject_root": f"test{tag}"}


def make_bus(kind: str, url: str | None = None, **overrides: Any) -> Any:
    options = {**isolated_options(kind), "retry_delay": 0.05, **overrides}
    broker_url = require_broker(kind)
    return create_broker_bus(url or broker_url, **options)


async def delete_broker_objects(bus: Any) -> None:
    """Remove the exchange/queues or stream a test bus declared."""
    with contextlib.suppress(Exception):
        if isinstance(bus, RabbitBus):
            connection = await aio_pika.connect(RABBITMQ_URL, timeout=5)
            async with connection:
                channel = await connection.channel()
                for sub in bus.subscriptions:
                    await channel.queue_delete(bus.queue_name(sub.consumer))
                await channel.exchange_delete(bus.exchange_name)
        else:
            client = await nats.connect(NATS_URL, connect_timeout=5)
            try:
                await client.jetstream().delete_stream(bus.stream_name)
            finally:
                await client.close()


class AppliedLog:
    """What a consumer applied, per event id and per partition key (in order)."""

    def __init__(self) -> None:
        self.count: dict[str, int] = defaultdict(int)
        self.by_key: dict[str, list[int]] = defaultdict(list)

    def consumer(self, db: Database, name: str, fail_once: set[str] | None = None) -> Callable[..., Any]:
        """An inbox-deduplicated handler; events in `fail_once` raise after they were applied,
        so the broker redelivers something the inbox has already seen."""
        failing = set(fail_once or ())

        async def apply(_session: Any, envelope: dict[str, Any]) -> None:
            self.count[envelope["id"]] += 1
            self.by_key[envelope["partitionkey"]].append(envelope["sequence"])

        inner = idempotent_consumer(db, name, apply)

        async def handle(envelope: dict[str, Any]) -> None:
            await inner(envelope)
            if envelope["id"] in failing:
                failing.discard(envelope["id"])
                raise RuntimeError("simulated crash after commit, before ack")

        return handle

    async def wait_for(self, ids: set[str], timeout: float = 60.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not ids <= self.count.keys():
            if loop.time() > deadline:
                missing = len(ids - self.count.keys())
                raise AssertionError(f"{missing} of {len(ids)} events never arrived")
            await asyncio.sleep(0.05)


class TcpForwarder:
    """A TCP relay on a local port to a real broker; `cut()` drops every connection and stops
    listening (the broker 'goes away' for this client only), `resume()` listens again."""

    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target_port = target_port
        self.port = port
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers |= {client_w, server_w}
        await asyncio.gather(self._pipe(client_r, server_w), self._pipe(server_r, client_w))

    async def resume(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()


async def wait_settled(db: Database, consumer: str, timeout: float = 60.0) -> tuple[int, int]:
    """Wait until the relay marked every outbox row published and `consumer` committed an inbox row
    per outbox row (the handler's effect commits a moment after the in-memory log saw it).
    Returns (outbox rows, inbox rows of the consumer)."""
    from sqlalchemy import func, select

    from core.platform.tables import InboxEvent, OutboxEvent

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        async with db.unit_of_work() as session:
            total = (await session.execute(select(func.count()).select_from(OutboxEvent))).scalar_one()
            pending = (await session.execute(
                select(func.count()).where(OutboxEvent.published_at.is_(None)))).scalar_one()  # type: ignore[union-attr]
            inbox = (await session.execute(
                select(func.count()).select_from(InboxEvent).where(InboxEvent.consumer == consumer))).scalar_one()
        if (pending == 0 and inbox >= total) or loop.time() > deadline:
            assert pending == 0, f"{pending} outbox rows still pending"
            return total, inbox
        await asyncio.sleep(0.05)
