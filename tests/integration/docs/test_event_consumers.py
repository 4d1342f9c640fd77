"""The consumer programs of docs/events.md, run as written against the real brokers, receive an
event a live platform published (NATS on a server where the platform had to declare the stream)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aio_pika
import httpx
import nats
import pytest
from nats.js.errors import NotFoundError

from app.main import create_app
from tests.bus_helpers import require_broker
from tests.conftest import OPERATOR_KEY, make_settings
from tests.services import RABBITMQ_URL
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[3]
ASSET_CHANGED = "darca.platform.asset_registry_changed.v1"


def example(name: str) -> str:
    """The program of docs/events.md whose first line names it."""
    found = re.search(rf"```python\n(# {re.escape(name)}:.*?)```", (ROOT / "docs/events.md").read_text(), re.DOTALL)
    assert found, f"docs/events.md has no {name}"
    return found.group(1)


class Consumer:
    """An example program running in its own process, its output collected line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            self.lines.append(line.decode().strip())

    async def saw(self, text: str) -> bool:
        assert self.process.returncode is None, f"consumer exited: {self.lines}"
        return any(text in line for line in self.lines)


@contextlib.asynccontextmanager
async def running(program: str, tmp_path: Path, env: dict[str, str]) -> AsyncIterator[Consumer]:
    script = tmp_path / program.split(":", 1)[0].removeprefix("# ")
    script.write_text(program)
    process = await asyncio.create_subprocess_exec(sys.executable, str(script), env=env,
                                                   stdout=asyncio.subprocess.PIPE)
    consumer = Consumer(process)
    try:
        await eventually(lambda: consumer.saw("listening"), timeout=30)
        yield consumer
    finally:
        process.kill()
        await process.wait()
        await consumer._reader


@contextlib.asynccontextmanager
async def platform(database_url: str, broker_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(database_url, broker_url=broker_url))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    async with app.app.router.lifespan_context(app.app), client:
        async def ready() -> bool:
            return (await client.get("/v1/health/ready")).status_code == 200

        await eventually(ready, timeout=30)
        yield client


async def add_asset(client: httpx.AsyncClient, code: str) -> None:
    created = await client.post("/v1/assets", json={"code": code, "name": "Example", "kind": "CRYPTO", "scale": 6},
                                headers={"X-API-Key": OPERATOR_KEY, "Idempotency-Key": uuid.uuid4().hex})
    assert created.status_code == 201, created.text


async def test_the_nats_example_receives_what_a_publisher_only_platform_sent(database_url: str,
                                                                              tmp_path: Path) -> None:
    url = require_broker("nats")
    client = await nats.connect(url, connect_timeout=5)
    js = client.jetstream()
    durable = f"test-{uuid.uuid4().hex[:10]}"
    with contextlib.suppress(NotFoundError):
        await js.delete_stream("DARCA_EVENTS")  # a fresh server: the stream can only come from the platform
    try:
        async with platform(database_url, url) as api:  # the platform itself consumes nothing
            assert (await js.stream_info("DARCA_EVENTS")).config.subjects == ["darca.>"]
            env = {"NATS_URL": url, "CONSUMER": durable, "SUBJECTS": "darca.platform.>"}
            async with running(example("consume_nats.py"), tmp_path, env) as consumer:
                await add_asset(api, "NATSX")
                await eventually(lambda: consumer.saw(f"{ASSET_CHANGED} asset/NATSX evt_"), timeout=30)
    finally:
        with contextlib.suppress(NotFoundError):
            await js.delete_consumer("DARCA_EVENTS", durable)
        await client.close()


async def test_the_rabbitmq_example_receives_what_the_platform_sent(database_url: str, tmp_path: Path) -> None:
    url = require_broker("rabbitmq")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    try:
        async with platform(database_url, url) as api:
            env = {"AMQP_URL": url, "QUEUE": queue, "ROUTING_KEY": ASSET_CHANGED}
            async with running(example("consume_rabbitmq.py"), tmp_path, env) as consumer:
                await add_asset(api, "AMQPX")
                await eventually(lambda: consumer.saw(f"{ASSET_CHANGED} asset/AMQPX evt_"), timeout=30)
    finally:
        connection = await aio_pika.connect(RABBITMQ_URL, timeout=5)
        async with connection:
            await (await connection.channel()).queue_delete(queue)


@pytest.mark.parametrize("program", ["consume_nats.py", "consume_rabbitmq.py"])
def test_the_examples_need_only_the_broker_client(program: str) -> None:
    imports = set(re.findall(r"^(?:import|from) ([a-z_]+)", example(program), re.MULTILINE))
    assert imports - {"asyncio", "json", "os"} == ({"nats"} if "nats" in program else {"aio_pika"})
