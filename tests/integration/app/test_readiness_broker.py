"""The platform starts with its broker down, reports not-ready, and connects once the broker appears;
readiness also fails while the stream or exchange it publishes to is missing."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlparse

import aio_pika
import httpx
import nats
import pytest

from app.main import create_app
from tests.bus_helpers import BROKERS, TcpForwarder, require_broker
from tests.conftest import OPERATOR_KEY, make_settings
from tests.services import NATS_URL, RABBITMQ_URL
from tests.support.waiting import eventually


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_ready_is_503_while_the_broker_is_down(database_url: str) -> None:
    settings = make_settings(database_url, broker_url="amqp://guest:guest@127.0.0.1:1/")
    app = create_app(settings)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    async with app.app.router.lifespan_context(app.app), client:  # must neither hang nor crash
        ready = await client.get("/v1/health/ready")
        live = await client.get("/v1/health/live")
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    body = ready.json()
    assert body["code"] == "SERVICE_UNAVAILABLE"
    assert {c["name"]: c["status"] for c in body["checks"]} == {"database": "PASS", "broker": "FAIL"}
    assert live.status_code == 200


async def test_platform_connects_when_the_broker_comes_up_later(database_url: str) -> None:
    target = urlparse(require_broker("rabbitmq"))
    port = free_port()
    settings = make_settings(database_url, broker_url=f"amqp://guest:guest@127.0.0.1:{port}/")
    app = create_app(settings)
    forwarder = TcpForwarder(target.port or 5672, port)
    try:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        async with app.app.router.lifespan_context(app.app), client:
            assert (await client.get("/v1/health/ready")).status_code == 503
            await forwarder.resume()
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            while (ready := await client.get("/v1/health/ready")).status_code != 200:
                assert loop.time() < deadline, ready.json()
                await asyncio.sleep(0.2)
            # The relay got the migration's pending events out once the broker was there.
            relay = app.app.state.runtime.relay
            while await relay.pending():
                assert loop.time() < deadline, "outbox not drained after the broker came up"
                await asyncio.sleep(0.2)
    finally:
        await forwarder.cut()


async def delete_destination(kind: str) -> None:
    """Remove what the platform publishes to, as an operator (or a broker that lost its store) might."""
    if kind == "rabbitmq":
        connection = await aio_pika.connect(RABBITMQ_URL, timeout=5)
        async with connection:
            await (await connection.channel()).exchange_delete("darca.events")
        return
    client = await nats.connect(NATS_URL, connect_timeout=5)
    try:
        await client.jetstream().delete_stream("DARCA_EVENTS")
    finally:
        await client.close()


@pytest.mark.parametrize("kind", BROKERS)
async def test_ready_fails_while_publishes_cannot_land_and_the_platform_declares_again(
        database_url: str, kind: str) -> None:
    settings = make_settings(database_url, broker_url=require_broker(kind))
    app = create_app(settings)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    relay = app.app.state.runtime.relay
    async with app.app.router.lifespan_context(app.app), client:
        async def ready() -> bool:
            return (await client.get("/v1/health/ready")).status_code == 200

        async def drained() -> bool:
            return not await relay.pending()

        await eventually(ready, timeout=30)
        await eventually(drained, timeout=30)
        await delete_destination(kind)

        refused = await client.get("/v1/health/ready")
        assert refused.status_code == 503
        broker = {c["name"]: c for c in refused.json()["checks"]}["broker"]
        assert broker["status"] == "FAIL" and "does not exist" in broker["detail"]

        # The next event's first publish fails and declares the stream/exchange again; the relay retries.
        created = await client.post("/v1/assets", json={"code": "GONE", "name": "Gone", "kind": "CRYPTO", "scale": 6},
                                    headers={"X-API-Key": OPERATOR_KEY, "Idempotency-Key": f"k-{kind}"})
        assert created.status_code == 201, created.text
        await eventually(drained, timeout=30)
        await eventually(ready, timeout=30)
