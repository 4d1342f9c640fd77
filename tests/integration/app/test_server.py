"""The HTTP listener as `python -m app run` configures it (uvicorn on a real socket): whose
X-Forwarded-For counts, and how long a request body may take to arrive."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn

from app.main import create_app
from app.server import server_config
from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.platform.clock import utcnow
from core.platform.ids import new_id
from tests.conftest import make_settings
from tests.support.waiting import eventually

pytestmark = pytest.mark.backends("sqlite")  # about the listener, not the database

PASSWORD = "violet-harbour-lantern-42"
FORGED = "203.0.113.9"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def listening(database_url: str, **overrides: object) -> AsyncIterator[tuple[str, object]]:
    settings = make_settings(database_url, http_host="127.0.0.1", http_port=free_port(), **overrides)
    app = create_app(settings)
    server = uvicorn.Server(server_config(app, settings))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # pytest owns the signals
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started)
    try:
        yield f"http://127.0.0.1:{settings.http_port}", app
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def last_client_address(base: str, app: object) -> str:
    """Log in (the session's device records the client address) and read it back."""
    user_id, now = new_id("usr"), utcnow()
    email = f"{user_id}@darca.test"
    runtime = app.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.db.unit_of_work() as session:
        session.add(UserRow(id=user_id, phone="+442079460088", email=email, email_normalised=email,
                            display_name="Proxy Prober", country="GB", locale="en",
                            password_hash=await hash_password(PASSWORD), status="ACTIVE", phone_verified=True,
                            email_verified=True, created_at=now, updated_at=now))
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        login = await client.post("/v1/sessions", json={"identifier": email, "password": PASSWORD},
                                  headers={"X-Forwarded-For": FORGED, "X-Device-Id": "proxy-probe-device-0001"})
        assert login.status_code == 201, login.text
        devices = await client.get("/v1/devices", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
        assert devices.status_code == 200, devices.text
        return devices.json()["data"][0]["last_client_address"]


async def test_forwarded_headers_do_not_count_without_trusted_proxies(database_url: str) -> None:
    async with listening(database_url) as (base, app):
        assert await last_client_address(base, app) == "127.0.0.1"


async def test_forwarded_headers_count_from_a_trusted_proxy(database_url: str) -> None:
    async with listening(database_url, trusted_proxies="127.0.0.1") as (base, app):
        assert await last_client_address(base, app) == FORGED


async def test_a_body_shorter_than_its_content_length_gets_408_not_a_held_connection(database_url: str) -> None:
    async with listening(database_url, body_read_timeout_seconds=0.5) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /v1/sessions HTTP/1.1\r\nHost: darca.test\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"identifier\":")
        await writer.drain()
        async with asyncio.timeout(5):  # the server answers by itself; the client does not give up
            head = await reader.readuntil(b"\r\n\r\n")
            rest = await reader.read(4096)
        writer.close()
        assert head.startswith(b"HTTP/1.1 408 ")
        assert b"application/problem+json" in head
        assert b'"code":"REQUEST_BODY_TIMEOUT"' in rest.replace(b" ", b"")
