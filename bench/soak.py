"""Memory under a steady load: does one `python -m app run` process on PostgreSQL stay flat?

    .venv/bin/python -m bench.soak [--seconds 300] [--rate 40] [--users 20] [--warmup SECONDS]

One server process, started as the platform starts (its own PostgreSQL database, migrated first),
is driven at a FIXED ARRIVAL RATE (open loop: request i is sent at start + i/rate whether or not
the ones before it have been answered, as real clients do) by authenticated callers, DARCA ID users
logged in with their password. The mix (`MIX`): balance, history (entries), account, sessions
list, sandbox top-ups (each with its own Idempotency-Key) and password logins. The server's
resident set size (RSS, /proc) is sampled every `SAMPLE_SECONDS` (the lowest of the readings taken
every `READ_SECONDS` in that window: argon2id's working memory comes and goes with each login),
with the server's database connections beside it. The warm-up begins with `BURST_ROUNDS` bursts of
`BURST_WIDTH` requests at once (`burst`), so the pool holds the connections a burst needs, each with
its prepared statements, before the fixed rate starts. The default rate (40/s) is one a two-core
machine of the slower kind answers with room to spare (a server that falls behind queues requests,
and its RSS grows with the queue).

The warm-up goes on for the first two fifths of the fixed rate (at least 60 s): pooled connections
that the bursts did not reach prepare their statements during the first two minutes or so, ~0.8 MB in
all on a pool of 30 (seen with a probe in the server counting prepared statements, bench/NOTES.md).

Figures, over the requests answered (not the seconds: a slower run answers fewer):
  * `growth_mb_per_10k_requests`: RSS growth after the warm-up, as the least-squares slope of
    RSS over requests answered (MB per 10,000), and the same from the first and last samples;
  * `last_half`: the trend over the last half of the run, as the Theil-Sen slope (the median of the
    slopes between every two samples), upward when it exceeds `TREND_FLOOR_MB` per 10,000; the
    least-squares slope and its standard error are given beside it. RSS moves in steps as the
    allocator reaches a new high-water mark, and a least-squares line reads one step late in a run
    as a slope over the whole half; the median of pairwise slopes is not moved by one step, and
    follows a leak, whether it moves RSS on a line or in steps that keep coming;
  * `target_met`: growth < TARGET_MB_PER_10K (issue 23: 0.5 MB per 10,000 requests) and no upward
    trend, as `ratio_to_target` (growth / target, below 1 meets it); a run whose server answered
    under 90% of the requests asked for, or more than 1% with an unexpected status, does not
    count (`valid`), as its load was not the one asked for;
  * per operation: requests, statuses, p50/p99 latency; the rate achieved, requests not sent
    because `MAX_IN_FLIGHT` were still waiting (the server fell behind).
Writes bench/results/soak.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from app.migrate import migrate
from bench.ledger import ADMIN_URL, admin
from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.ledger.api import Ledger, NewAccount
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "soak.json"
PASSWORD = "soak-harbour-lantern-42"
SAMPLE_SECONDS = 10.0
# RSS is read every READ_SECONDS and a sample keeps the lowest reading of its window: a login in
# flight holds argon2id's 64 MiB working memory for a moment, which is not memory kept.
READ_SECONDS = 1.0
TARGET_MB_PER_10K = 0.5
TREND_FLOOR_MB = 0.1  # per 10,000 requests: a last-half slope below this is flat, whatever its error
MAX_IN_FLIGHT = 256
BURST_WIDTH = 64  # requests at once in the warm-up's bursts (the client's connections)
BURST_ROUNDS = 12
BURST_LOGINS = 4  # of each burst's requests
# Share of the arrivals per operation (reads dominate, as in the seed's traffic).
# A password login verifies an argon2id hash (64 MiB, three passes): 1% of arrivals.
MIX = {"balance": 40, "entries": 30, "account": 10, "sessions": 6, "top_up": 13, "login": 1}
EXPECTED = {"balance": 200, "entries": 200, "account": 200, "sessions": 200, "top_up": 201, "login": 201}


# --- figures -----------------------------------------------------------------------------------
def slope(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least-squares slope of ys over xs and its standard error (0 with fewer than 3 points)."""
    n = len(xs)
    if n < 2:
        return 0.0, 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return 0.0, 0.0
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    if n < 3:
        return b, 0.0
    residuals = sum((y - my - b * (x - mx)) ** 2 for x, y in zip(xs, ys, strict=True))
    return b, (residuals / (n - 2) / sxx) ** 0.5


def theil_sen(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The median of the slopes between every two points with different xs (0 with none)."""
    slopes = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs))
              if xs[j] != xs[i]]
    return statistics.median(slopes) if slopes else 0.0


@dataclass(frozen=True)
class Sample:
    seconds: float  # since the load began
    answered: int  # requests answered so far
    rss_bytes: int
    connections: int = 0  # the server's connections to its database (each keeps its prepared statements)


def growth(samples: Sequence[Sample], warmup_seconds: float) -> dict[str, Any]:
    """RSS growth per 10,000 requests after the warm-up, and the trend over the last half of the run."""
    after = [s for s in samples if s.seconds >= warmup_seconds]
    end = samples[-1].seconds if samples else 0.0
    last_half = [s for s in samples if s.seconds >= end / 2]
    if len(after) < 2 or after[-1].answered == after[0].answered:
        return {"error": "too few samples after the warm-up; run longer or lower --warmup"}

    def per_10k(points: Sequence[Sample]) -> tuple[float, float]:
        b, err = slope([p.answered / 10_000 for p in points], [p.rss_bytes / 2**20 for p in points])
        return round(b, 4), round(err, 4)

    overall, overall_err = per_10k(after)
    endpoints = (after[-1].rss_bytes - after[0].rss_bytes) / 2**20 / ((after[-1].answered - after[0].answered) / 10_000)
    half_ls, half_err = per_10k(last_half)
    half = round(theil_sen([p.answered / 10_000 for p in last_half], [p.rss_bytes / 2**20 for p in last_half]), 4)
    upward = half > TREND_FLOOR_MB
    met = overall < TARGET_MB_PER_10K and not upward
    return {"warmup_seconds": warmup_seconds, "samples_after_warmup": len(after),
            "requests_after_warmup": after[-1].answered - after[0].answered,
            "rss_mb_after_warmup": round(after[0].rss_bytes / 2**20, 2), "rss_mb_end": round(after[-1].rss_bytes / 2**20, 2),
            "growth_mb_per_10k_requests": overall, "growth_stderr": overall_err,
            "growth_mb_per_10k_requests_endpoints": round(endpoints, 4),
            "last_half": {"from_seconds": round(last_half[0].seconds, 1), "samples": len(last_half),
                          "slope_mb_per_10k_requests": half, "least_squares_mb_per_10k_requests": half_ls,
                          "least_squares_stderr": half_err, "upward": upward},
            "target_mb_per_10k_requests": TARGET_MB_PER_10K, "ratio_to_target": round(overall / TARGET_MB_PER_10K, 3),
            "target_met": met}


def rss_bytes(pid: int) -> int:
    """Resident set size of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


# --- the platform under test -------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    email: str
    account_id: str


async def prepare(name: str, users: int) -> tuple[str, list[Caller]]:
    """A migrated database with `users` ACTIVE users (one password) and a EUR wallet each."""
    await admin(f'CREATE DATABASE "{name}"')
    url = f"{ADMIN_URL.rsplit('/', 1)[0].replace('postgresql', 'postgresql+asyncpg', 1)}/{name}"
    await migrate(Settings(database_url=url, grpc_port=0, log_level="WARNING"))  # type: ignore[call-arg]
    db = Database(url)
    ledger = Ledger(db)
    password_hash, now, callers = await hash_password(PASSWORD), utcnow(), []
    try:
        for i in range(users):
            user_id = new_id("usr")
            email = f"{user_id}@soak.darca.test"
            async with db.unit_of_work() as session:
                session.add(UserRow(id=user_id, phone=f"+44770090{i:04d}", email=email, email_normalised=email,
                                    display_name="Soak caller", country="GB", locale="en", password_hash=password_hash,
                                    status="ACTIVE", phone_verified=True, email_verified=True, created_at=now,
                                    updated_at=now))
            account = await ledger.open_account(None, NewAccount(f"soak-{i}", "PERSON", user_id, "EUR"))
            callers.append(Caller(email, account.id))
    finally:
        await db.dispose()
    return url, callers


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(database_url: str, log_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`python -m app run` on the database, with the platform's default settings otherwise (its
    request log at INFO included, written to `log_path`); no gRPC listener, the in-process bus."""
    port = free_port()
    env = {**os.environ, "DARCA_DATABASE_URL": database_url, "DARCA_HTTP_PORT": str(port), "DARCA_GRPC_PORT": "0",
           "DARCA_BROKER_URL": "memory://",
           "DARCA_WORKERS": "1"}  # one process, whose RSS is the one sampled (as issue 23 measured)
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "app", "run", "--skip-migrations"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process, f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def wait_ready(client: httpx.AsyncClient, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if (await client.get("/v1/health/ready", timeout=2)).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.3)
    raise RuntimeError("the server did not become ready")


# --- the load ------------------------------------------------------------------------------------
@dataclass
class Tally:
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[str] = field(default_factory=Counter)  # transport errors by kind
    answered: int = 0
    unexpected: int = 0
    not_sent: int = 0

    def record(self, op: str, status: int, seconds: float) -> None:
        self.answered += 1
        self.statuses[op][status] += 1
        self.latencies[op].append(seconds)
        if status != EXPECTED[op]:
            self.unexpected += 1

    def by_operation(self) -> dict[str, Any]:
        out = {}
        for op in MIX:
            lat = sorted(self.latencies[op])
            out[op] = {"requests": len(lat), "statuses": {str(k): v for k, v in sorted(self.statuses[op].items())},
                       **({"p50_ms": round(lat[len(lat) // 2] * 1000, 1),
                           "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, 1)} if lat else {})}
        return out


class Load:
    """The callers' requests. Each caller holds the access token of its latest login."""

    def __init__(self, client: httpx.AsyncClient, callers: Sequence[Caller], tally: Tally) -> None:
        self.client = client
        self.callers = callers
        self.tally = tally
        self.tokens: dict[str, str] = {}
        self.keys = itertools.count()

    async def login(self, caller: Caller) -> int:
        response = await self.client.post("/v1/sessions", json={"identifier": caller.email, "password": PASSWORD})
        if response.status_code == 201:
            self.tokens[caller.email] = response.json()["access_token"]
        return response.status_code

    def _auth(self, caller: Caller) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[caller.email]}"}

    async def request(self, op: str, caller: Caller) -> int:
        account = f"/v1/ledger/accounts/{caller.account_id}"
        if op == "login":
            return await self.login(caller)
        if op == "top_up":
            response = await self.client.post(
                "/v1/sandbox/top-ups", headers={**self._auth(caller), "Idempotency-Key": f"soak-{next(self.keys)}"},
                json={"account_id": caller.account_id, "amount": {"amount": "1.00", "asset": "EUR"}})
        else:
            path = {"balance": f"{account}/balance", "entries": f"{account}/entries", "account": account,
                    "sessions": "/v1/sessions"}[op]
            response = await self.client.get(path, headers=self._auth(caller))
        return response.status_code

    async def one(self, op: str, caller: Caller) -> None:
        started = time.perf_counter()
        try:
            status = await self.request(op, caller)
        except httpx.TransportError as exc:
            self.tally.failures[type(exc).__name__] += 1
            return
        self.tally.record(op, status, time.perf_counter() - started)


async def drive(load: Load, rate: float, seconds: float, seed: int = 23) -> None:
    """Open loop: arrival i at start + i / rate, whatever is still waiting (up to MAX_IN_FLIGHT)."""
    rng = random.Random(seed)
    ops, weights = list(MIX), list(MIX.values())
    loop = asyncio.get_running_loop()
    start = loop.time()
    in_flight: set[asyncio.Task[None]] = set()
    for i in itertools.count():
        at = start + i / rate
        if at >= start + seconds:
            break
        if (delay := at - loop.time()) > 0:
            await asyncio.sleep(delay)
        op, caller = rng.choices(ops, weights)[0], rng.choice(load.callers)
        if len(in_flight) >= MAX_IN_FLIGHT:
            load.tally.not_sent += 1
            continue
        task = asyncio.create_task(load.one(op, caller))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.wait(in_flight, timeout=30)


async def burst(load: Load, width: int = BURST_WIDTH, rounds: int = BURST_ROUNDS) -> None:
    """Part of the warm-up: rounds of `width` requests at once, every operation in each (a few
    logins). A server reaches its working size at the widest bursts it has answered: its pool keeps
    the connections they opened (up to DARCA_DATABASE_POOL_SIZE), each with the statements it has
    prepared (PostgreSQL prepares per connection: ~45 statements, ~6 KB each on the client), and
    its heap keeps the high-water mark. Under the fixed rate, a stall of the machine makes such a
    burst at a random moment, and a connection deep in the pool prepares its statements then: a
    step in RSS, bounded by the pool's size, that is not growth per request. The rounds give every
    pooled connection its statements first."""
    others = [op for op in MIX if op != "login"]
    rng = random.Random(BURST_ROUNDS)
    for _ in range(rounds):
        ops = [*(rng.choice(others) for _ in range(width - BURST_LOGINS)), *["login"] * BURST_LOGINS]
        await asyncio.gather(*(load.one(op, rng.choice(load.callers)) for op in ops))


async def server_connections(watcher: asyncpg.Connection, database: str) -> int:
    """The server's connections to its database, as PostgreSQL counts them."""
    return int(await watcher.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", database))


async def sample_every(pid: int, watcher: asyncpg.Connection, database: str, tally: Tally, started: float,
                       into: list[Sample]) -> None:
    """Every SAMPLE_SECONDS, the lowest RSS read in the window (see READ_SECONDS), and the server's
    database connections: its pool opens them as bursts need them and keeps them, each with its
    buffers and prepared statements, so RSS steps up with them until the pool is full."""
    while True:
        readings = []
        for _ in range(int(SAMPLE_SECONDS / READ_SECONDS)):
            readings.append(rss_bytes(pid))
            await asyncio.sleep(READ_SECONDS)
        connections = await server_connections(watcher, database)
        into.append(Sample(round(time.monotonic() - started, 2), tally.answered, min(readings), connections))


async def soak(seconds: float, rate: float, users: int, warmup: float) -> dict[str, Any]:
    name = f"darca_soak_{uuid.uuid4().hex[:10]}"
    url, callers = await prepare(name, users)
    try:
        with tempfile.TemporaryDirectory() as workdir, server(url, Path(workdir) / "server.log") as (process, base):
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
            watcher = await asyncpg.connect(ADMIN_URL)  # counts the server's connections
            try:
                async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
                    await wait_ready(client, process)
                    tally, burst_tally = Tally(), Tally()
                    load = Load(client, callers, burst_tally)
                    for caller in callers:
                        status = await load.login(caller)
                        if status != 201:
                            raise RuntimeError(f"login answered {status}")
                    await burst(load)
                    burst_connections = await server_connections(watcher, name)
                    load.tally = tally
                    samples = [Sample(0.0, 0, rss_bytes(process.pid), burst_connections)]
                    started = time.monotonic()
                    sampler = asyncio.create_task(sample_every(process.pid, watcher, name, tally, started, samples))
                    try:
                        await drive(load, rate, seconds)
                    finally:
                        sampler.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await sampler
                    elapsed = time.monotonic() - started
                    if process.poll() is not None:
                        raise RuntimeError(f"the server exited with {process.returncode} during the run")
            finally:
                await watcher.close()
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    asked = int(seconds * rate)
    memory = growth(samples, warmup)
    valid = tally.answered >= 0.9 * asked and tally.unexpected <= 0.01 * max(tally.answered, 1)
    return {
        "database": "postgresql", "seconds": seconds, "rate_per_second": rate, "users": users,
        "mix_percent": MIX, "requests_asked": asked, "requests_answered": tally.answered,
        "requests_not_sent_server_behind": tally.not_sent, "transport_errors": dict(tally.failures),
        "unexpected_statuses": tally.unexpected, "achieved_rate_per_second": round(tally.answered / elapsed, 1),
        "ratio_achieved_to_asked": round(tally.answered / max(asked, 1), 3),
        "warm_up_burst": {"width": BURST_WIDTH, "rounds": BURST_ROUNDS, "transport_errors": dict(burst_tally.failures),
                          "statuses": {op: dict(c) for op, c in burst_tally.statuses.items()},
                          "server_connections_after": burst_connections},
        "operations": tally.by_operation(), "memory": memory, "valid": valid,
        "target_met": bool(valid and memory.get("target_met")),
        "samples": [{"seconds": s.seconds, "answered": s.answered, "rss_mb": round(s.rss_bytes / 2**20, 2),
                     "connections": s.connections} for s in samples],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the load (default 5 minutes)")
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second, fixed arrival rate")
    parser.add_argument("--users", type=int, default=20, help="callers, each with a wallet and a session")
    parser.add_argument("--warmup", type=float, default=None,
                        help="seconds of the fixed rate left out of the growth figure (default: two fifths of the "
                             "run, at least 60)")
    args = parser.parse_args()
    warmup = args.warmup if args.warmup is not None else max(60.0, args.seconds * 2 / 5)
    result = asyncio.run(soak(args.seconds, args.rate, args.users, warmup))
    result = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": platform.platform(),
              **result}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    memory = result["memory"]
    print(json.dumps({k: v for k, v in result.items() if k not in ("samples", "operations")}, indent=2))
    print(f"growth {memory.get('growth_mb_per_10k_requests')} MB per 10,000 requests "
          f"(target < {TARGET_MB_PER_10K}); target {'met' if result['target_met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
