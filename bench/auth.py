"""Authenticated balance reads with the credential cache on and off (ADR 0015), interleaved in one run.

    .venv/bin/python -m bench.auth [--rounds 4] [--seconds 4] [--connections 16] [--before DIR]

Two `python -m app run` processes on one fresh PostgreSQL database, identical but for
DARCA_AUTH_CACHE_STALE_AFTER_MS (default: cached; 0: every request checks the session in the
database, as before the cache); with `--before`, a third process runs the source tree in DIR (say, an
export of the commit before the cache: `git archive <commit> | tar -x -C DIR`). A closed loop of keep-alive connections reads one balance with a
bearer token, alternating between the two processes round by round, so the machine's other work
weighs on both alike. Reported per variant: requests/s, p50/p99 latency, and the server process's
CPU per request (read from /proc, steadier than throughput on a shared machine), medians over the
rounds. Writes bench/results/auth.json."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from app.migrate import migrate
from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.ledger.api import Ledger, NewAccount
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "auth.json"
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "violet-harbour-lantern-42"
EMAIL = "bench-auth@darca.test"
VARIANTS: dict[str, tuple[Path, dict[str, str]]] = {
    "cached": (ROOT, {}), "database": (ROOT, {"DARCA_AUTH_CACHE_STALE_AFTER_MS": "0"})}


async def prepare(url: str) -> str:
    """A user with a EUR account on a migrated database: the account id."""
    await migrate(Settings(database_url=url, broker_url="memory://", log_level="WARNING"))  # type: ignore[call-arg]
    db, now, user_id = Database(url), utcnow(), new_id("usr")
    async with db.unit_of_work() as session:
        session.add(UserRow(id=user_id, phone="+442079460066", email=EMAIL, email_normalised=EMAIL,
                            display_name="Bench", country="GB", locale="en", password_hash=await hash_password(PASSWORD),
                            status="ACTIVE", phone_verified=True, email_verified=True, created_at=now, updated_at=now))
    account = await Ledger(db).open_account(None, NewAccount(new_id("cli"), "PERSON", user_id, "EUR"))
    await db.dispose()
    return account.id


def start(url: str, port: int, source: Path, extra: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DARCA_DATABASE_URL": url, "DARCA_BROKER_URL": "memory://", "DARCA_GRPC_PORT": "0",
           "DARCA_HTTP_PORT": str(port), "DARCA_LOG_LEVEL": "WARNING", "DARCA_WORKERS": "1", **extra}
    return subprocess.Popen([sys.executable, "-m", "app", "run", "--skip-migrations"], cwd=source, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not become ready")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def closed_loop(port: int, request: bytes, seconds: float, connections: int) -> tuple[list[float], int]:
    """Latencies of the requests answered 200 by `connections` keep-alive connections in `seconds`, and
    how many other answers came (503 when the machine is so busy that the pool wait runs out)."""
    latencies: list[float] = []
    failures = 0
    stop_at = time.perf_counter() + seconds

    async def connection() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop_at:
                sent = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                await reader.readexactly(length)
                if head[9:12] == b"200":
                    latencies.append(time.perf_counter() - sent)
                else:
                    failures += 1
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return latencies, failures


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    name = f"darca_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    servers: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}
    try:
        account_id = await prepare(url)
        variants = {**VARIANTS, **({"before": (args.before, {})} if args.before else {})}
        for offset, (variant, (source, extra)) in enumerate(variants.items()):
            port = args.port + offset
            servers[variant] = (port, start(url, port, source, extra))
        for port, _ in servers.values():
            ready(port)
        first_port = next(iter(servers.values()))[0]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{first_port}") as client:
            login = await client.post("/v1/sessions", json={"identifier": EMAIL, "password": PASSWORD})
        token = login.json()["access_token"]
        request = (f"GET /v1/ledger/accounts/{account_id}/balance HTTP/1.1\r\nHost: bench\r\n"
                   f"Authorization: Bearer {token}\r\n\r\n").encode()
        rounds: dict[str, list[dict[str, float]]] = {variant: [] for variant in servers}
        for variant, (port, _) in servers.items():  # warm-up
            await closed_loop(port, request, 1.0, args.connections)
        for _ in range(args.rounds):
            for variant, (port, process) in servers.items():
                cpu = cpu_seconds(process.pid)
                latencies, failures = await closed_loop(port, request, args.seconds, args.connections)
                cpu = cpu_seconds(process.pid) - cpu
                latencies.sort()
                rounds[variant].append({"rps": len(latencies) / args.seconds,
                                        "p50_ms": latencies[len(latencies) // 2] * 1000,
                                        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
                                        "cpu_ms_per_request": cpu / (len(latencies) + failures) * 1000,
                                        "failures": failures})
                print(variant, {k: round(v, 2) for k, v in rounds[variant][-1].items()}, flush=True)
    finally:
        for _, process in servers.values():
            process.terminate()
            process.wait(timeout=30)
        admin = await asyncpg.connect(ADMIN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    medians = {variant: {key: round(statistics.median(r[key] for r in results), 3) for key in results[0]}
               for variant, results in rounds.items()}
    for other in [v for v in rounds if v != "cached"]:
        medians[f"cached_vs_{other}"] = {
            key: round(medians["cached"][key] / medians[other][key], 2) for key in ("rps", "cpu_ms_per_request")}
    return {"medians": medians, "rounds": rounds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8471)
    parser.add_argument("--before", type=Path, help="a source tree to measure beside (the code before the cache)")
    args = parser.parse_args()
    result = asyncio.run(measure(args))
    print(json.dumps(result["medians"], indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                                   "connections": args.connections, "seconds": args.seconds, **result}, indent=2)
                       + "\n")


if __name__ == "__main__":
    main()
