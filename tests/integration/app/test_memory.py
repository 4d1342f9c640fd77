"""Memory stays flat under the main read and write paths (issue 23).

Thousands of in-process requests (balance, history, account, sessions list, sandbox top-up, password
login) through the whole platform; traced Python memory (tracemalloc) is compared over two equal
rounds after a warm-up. Memory retained per request grows in every round; one-off growth (a dict or
cache that resizes once, a pool connection opened, a background job caught mid-pass on a busy machine)
shows in one round only, so the smallest of three must stay under the bound. RSS under a sustained load is measured by `python -m bench.soak`.

Garbage in reference cycles is counted too: it is freed only by the collector, whose first
generation runs once 200,000 containers have piled up (core/platform/process.py), so a few cyclic
objects per request made RSS climb by tens of MB over a soak before each collection. The requests
are made by a bare ASGI caller (`_call`): httpx's own request and response objects are cycles.

The measurement runs in a fresh interpreter (`python -m tests.integration.app.test_memory DB`): traced
memory is the whole process's, and in a test worker it would count what earlier tests left running.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
from starlette.types import ASGIApp, Message

from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.ledger.api import NewAccount
from core.platform.clock import utcnow
from core.platform.ids import new_id
from tests.conftest import Platform, make_settings

PASSWORD = "violet-harbour-lantern-42"
ROUND = 400  # requests per measured round (a mix of all six operations)
WARM_UP = 150
# Retained bytes per request that fail the test (48 KB per round). A flat round still moves by tens
# of KB either way: the weak-reference registries of SQLAlchemy sessions and pool checkouts resize
# as they fill and drain, sqlite3 prunes its cursor references every 200 cursors (bench/NOTES.md).
BOUND_PER_REQUEST = 120
# Objects in reference cycles per request that fail the test. The platform's own paths make none; a
# login leaves a few now and then (asyncpg's statement cache entries hold a timer handle to themselves).
CYCLIC_PER_REQUEST = 0.5
_KEYS = itertools.count()


def _mix() -> Iterator[str]:
    """Reads dominate, as in the seed's traffic; every operation shows up in every round."""
    return itertools.cycle(["balance", "entries", "balance", "account", "entries", "sessions", "balance",
                            "top_up", "entries", "balance", "account", "balance"] * 4 + ["login"])


async def _call(app: ASGIApp, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    """One request to the ASGI app, as a server would hand it over; its status and body."""
    raw = [(k.lower().encode(), v.encode()) for k, v in {"host": "darca.test", **headers}.items()]
    if body:
        raw += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
             "client": ("127.0.0.1", 40000), "server": ("darca.test", 80)}
    answered = asyncio.Event()
    request = [{"type": "http.request", "body": body, "more_body": False}]
    status, chunks = 0, []

    async def receive() -> Message:
        if request:
            return request.pop()
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                answered.set()

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def _caller(platform: Platform) -> tuple[str, str, str]:
    user_id, now = new_id("usr"), utcnow()
    email = f"{user_id}@darca.test"
    async with platform.runtime.db.unit_of_work() as session:
        session.add(UserRow(id=user_id, phone="+447700911111", email=email, email_normalised=email,
                            display_name="Memory", country="GB", locale="en", password_hash=await hash_password(PASSWORD),
                            status="ACTIVE", phone_verified=True, email_verified=True, created_at=now,
                            updated_at=now))
    assert platform.runtime.ledger is not None
    account = await platform.runtime.ledger.open_account(None, NewAccount("memory-1", "PERSON", user_id, "EUR"))
    return email, account.id, await _login(platform, email)


async def _login(platform: Platform, email: str) -> str:
    status, body = await _call(platform.app, "POST", "/v1/sessions", {},
                               json.dumps({"identifier": email, "password": PASSWORD}).encode())
    assert status == 201, body
    return str(json.loads(body)["access_token"])


async def _run(platform: Platform, operations: Iterator[str], count: int, email: str, account_id: str,
               token: str) -> str:
    for op in itertools.islice(operations, count):
        headers = {"authorization": f"Bearer {token}"}
        if op == "login":
            token = await _login(platform, email)
            continue
        if op == "top_up":
            status, body = await _call(platform.app, "POST", "/v1/sandbox/top-ups",
                                       {**headers, "idempotency-key": f"m-{next(_KEYS)}"},
                                       json.dumps({"account_id": account_id,
                                                   "amount": {"amount": "1.00", "asset": "EUR"}}).encode())
            assert status == 201, body
            continue
        path = {"balance": f"/v1/ledger/accounts/{account_id}/balance",
                "entries": f"/v1/ledger/accounts/{account_id}/entries",
                "account": f"/v1/ledger/accounts/{account_id}", "sessions": "/v1/sessions"}[op]
        status, body = await _call(platform.app, "GET", path, headers)
        assert status == 200, body
    return token


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def measure(platform: Platform) -> tuple[int, int, int, int]:
    """Traced growth over three equal rounds of requests, after a warm-up; then the objects in
    reference cycles that a fourth round left for the collector."""
    email, account_id, token = await _caller(platform)
    operations = _mix()
    token = await _run(platform, operations, WARM_UP, email, account_id, token)
    tracemalloc.start(1)
    try:
        first = _traced()
        token = await _run(platform, operations, ROUND, email, account_id, token)
        second = _traced()
        token = await _run(platform, operations, ROUND, email, account_id, token)
        third = _traced()
        token = await _run(platform, operations, ROUND, email, account_id, token)
        fourth = _traced()
    finally:
        tracemalloc.stop()
    gc.collect()
    gc.disable()  # only this collection frees what the round leaves in cycles
    try:
        await _run(platform, operations, ROUND, email, account_id, token)
        cyclic = gc.collect()
    finally:
        gc.enable()
    return second - first, third - second, fourth - third, cyclic


async def _measure_on(database: Path) -> tuple[int, int, int, int]:
    from app.main import create_app
    from app.migrate import migrate
    from app.runtime import build_runtime

    settings = make_settings(f"sqlite+aiosqlite:///{database}")
    await migrate(settings)
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    async with app.app.router.lifespan_context(app.app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as client:
            return await measure(Platform(runtime=runtime, client=client, app=app, settings=settings))


def test_memory_stays_flat_over_thousands_of_reads_and_writes(tmp_path: Path) -> None:
    probe = subprocess.run([sys.executable, "-m", "tests.integration.app.test_memory", str(tmp_path / "memory.db")],
                           capture_output=True, text=True, timeout=110, check=False)
    assert probe.returncode == 0, probe.stdout + probe.stderr
    *rounds, cyclic = (int(n) for n in probe.stdout.split()[-4:])
    assert min(rounds) < BOUND_PER_REQUEST * ROUND, (
        f"traced memory grew by {', '.join(f'{r:,}' for r in rounds)} bytes over three rounds of {ROUND} requests "
        f"(bound {BOUND_PER_REQUEST * ROUND:,}): something keeps memory per request")
    assert cyclic < CYCLIC_PER_REQUEST * ROUND, (
        f"{ROUND} requests left {cyclic:,} objects in reference cycles (bound {int(CYCLIC_PER_REQUEST * ROUND)}): "
        "something makes a cycle per request, which only the collector frees")


if __name__ == "__main__":
    grown = asyncio.run(_measure_on(Path(sys.argv[1])))
    print(*grown)
