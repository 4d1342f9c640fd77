"""PostgreSQL is killed (SIGKILL, postmaster and backends) and restarted under a live server while
clients send idempotent sandbox top-ups, each retrying its Idempotency-Key until acknowledged
(issue 22, in small). Every answer is a success or `503` with `Retry-After`, never a 500; no key
is left `IN_USE` by a request that died; the server recovers by itself; every top-up happened
exactly once and `python -m app ledger verify` is clean.

The test runs its own PostgreSQL cluster in a temporary directory (initdb/pg_ctl of the local
server; as root, through `runuser -u postgres`), on a free loopback port, so killing it disturbs
no one. With DARCA_REQUIRE_SERVICES=1 missing server programs fail the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from core.ledger.api import Ledger, NewAccount
from core.ledger.tables import LedgerEntry
from core.platform.db import Database
from core.platform.ids import new_id
from tests.running import ROOT, free_port
from tests.services import require
from tests.support.waiting import eventually, until

pytestmark = pytest.mark.timeout(300)  # outages and restarts wait up to 120 s by design

OPERATOR_KEY = "smoke-operator-key"
CLIENTS = 6
ACKNOWLEDGED_EACH_SIDE = 30  # top-ups acknowledged before the kill, and again after the restart
REQUEST_TIMEOUT = 10.0


def _server_programs() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Cluster:
    """A throw-away PostgreSQL cluster on a loopback port."""

    bin: Path
    root: Path
    port: int
    as_postgres: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/darca"

    def run(self, *args: str, timeout: float = 60) -> None:
        done = subprocess.run([*self.as_postgres, *args], capture_output=True, text=True, timeout=timeout,
                              cwd=self.root, check=False)
        log = self.root / "server.log"
        assert done.returncode == 0, (f"{args[0]} failed: {done.stdout[-800:]}{done.stderr[-800:]}"
                                      f"{log.read_text()[-1500:] if log.exists() else ''}")

    def init(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--no-sync", "--no-instructions")

    def start(self) -> None:
        # fsync off: a killed process loses nothing the kernel already has; only a machine crash would.
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
                   "-c full_page_writes=off -c max_connections=60")
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                 "-o", options, "-w", "-t", "30", "start")

    def kill(self) -> int:
        """SIGKILL to the postmaster and every backend of it at once (no shutdown, no goodbye)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGSTOP)  # no new backend while the others are found
        victims = [postmaster, *_children(postmaster)]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        # gone, so the restart finds neither the old postmaster nor its memory
        until(lambda: not any(_alive(pid) for pid in victims), what="the killed server processes gone")
        return len(victims)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=30)


def _alive(pid: int) -> bool:
    """Still in the process table, a zombie included: the server refuses to start while the pid in
    its lock file exists."""
    return Path(f"/proc/{pid}").exists()


def _children(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                children.append(int(stat.parent.name))
    return children


@contextlib.contextmanager
def own_cluster() -> Iterator[Cluster]:
    programs = _server_programs()
    require(programs is not None, "PostgreSQL server programs (initdb, pg_ctl)")
    assert programs is not None
    as_postgres: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="darca-pg-"))
    if os.geteuid() == 0:  # the server refuses to run as root
        require(shutil.which("runuser") is not None, "program runuser (to run PostgreSQL as postgres)")
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    cluster = Cluster(programs, root, free_port(), as_postgres)
    try:
        cluster.init()
        cluster.start()
        cluster.run(str(programs / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "darca")
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def live_server(database_url: str, log: Path) -> Iterator[str]:
    """`python -m app run` on the cluster (it migrates first); its output goes to `log`."""
    port = free_port()
    env = {**os.environ, "DARCA_DATABASE_URL": database_url, "DARCA_BROKER_URL": "memory://",
           "DARCA_HTTP_PORT": str(port), "DARCA_GRPC_PORT": "0", "DARCA_OPERATOR_API_KEY": OPERATOR_KEY,
           "DARCA_LOG_LEVEL": "WARNING", "DARCA_MAIL_SPOOL_DIR": str(log.parent / "mail")}
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "app", "run"], cwd=ROOT, env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            assert process.poll() is None, log.read_text()[-2000:]
            with contextlib.suppress(httpx.TransportError):
                return httpx.get(f"{base}/v1/health/ready", timeout=2).status_code == 200
            return False

        until(ready, timeout=60, what="the server ready")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> cents
    transport_errors: int = 0
    missing_retry_after: int = 0


async def client(http: httpx.AsyncClient, number: int, account_id: str, stop: asyncio.Event, tally: Tally) -> None:
    """Top-ups one after the other; each key is retried until the platform acknowledges it."""
    sequence = 0
    while not stop.is_set():
        sequence += 1
        # Every key has an amount of its own, so the journal shows which keys took effect, and how often.
        key, cents = f"smoke-{number}-{sequence}", 100_000 * (number + 1) + sequence
        body = {"account_id": account_id, "amount": {"amount": f"{cents // 100}.{cents % 100:02d}", "asset": "EUR"}}
        deadline = time.monotonic() + 30
        while True:
            assert time.monotonic() < deadline, f"{key} was never acknowledged"
            try:
                response = await http.post("/v1/sandbox/top-ups", json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError:
                tally.transport_errors += 1
                await asyncio.sleep(0.1)
                continue
            tally.statuses[response.status_code] += 1
            if response.status_code == 201:
                tally.acknowledged[key] = cents
                break
            tally.problems[response.json().get("code", "?")] += 1
            if response.status_code == 503 and "retry-after" not in response.headers:
                tally.missing_retry_after += 1
            await asyncio.sleep(0.1)  # Retry-After says 2 s; a shorter pause keeps the test short


async def outage_answers(http: httpx.AsyncClient) -> dict[str, tuple[int, str]]:
    """What some other operations answer while the database is down."""
    answers = {}
    for name, method, path, body in (
        ("readiness", "GET", "/v1/health/ready", None),
        ("liveness", "GET", "/v1/health/live", None),
        ("assets", "GET", "/v1/assets", None),
        ("asset", "POST", "/v1/assets", {"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9}),
        ("login", "POST", "/v1/sessions", {"identifier": "nobody@darca.test", "password": "violet-harbour-lantern-42"}),
    ):
        response = await http.request(method, path, json=body, headers={"Idempotency-Key": f"outage-{name}"})
        code = response.json().get("code", "") if response.status_code >= 400 else ""
        answers[name] = (response.status_code, code)
    return answers


async def test_killing_the_database_during_idempotent_top_ups(tmp_path: Path) -> None:
    with own_cluster() as cluster:
        url = cluster.url.replace("postgresql://", "postgresql+asyncpg://", 1)
        with live_server(cluster.url, tmp_path / "server.log") as base:
            db = Database(url)
            try:
                account = await Ledger(db, sandbox=True).open_account(None, 
                    NewAccount(new_id("cli"), "PERSON", new_id("usr"), "EUR"))
            finally:
                await db.dispose()
            tally, stop = Tally(), asyncio.Event()
            async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": OPERATOR_KEY},
                                         timeout=REQUEST_TIMEOUT) as http:
                clients = [asyncio.create_task(client(http, n, account.id, stop, tally)) for n in range(CLIENTS)]

                def acknowledged_at_least(count: int) -> Callable[[], Awaitable[bool]]:
                    async def check() -> bool:
                        return len(tally.acknowledged) >= count
                    return check

                await eventually(acknowledged_at_least(ACKNOWLEDGED_EACH_SIDE), timeout=30)  # writes under way
                killed = await asyncio.to_thread(cluster.kill)  # returns once the processes are gone (~2 s)
                during = await outage_answers(http)
                before_restart = len(tally.acknowledged)
                await asyncio.to_thread(cluster.start)
                # the retried keys and new ones go through again on the restarted server
                await eventually(acknowledged_at_least(before_restart + ACKNOWLEDGED_EACH_SIDE), timeout=30)
                stop.set()
                await asyncio.wait_for(asyncio.gather(*clients), timeout=60)
                ready = await http.get("/v1/health/ready")

        print(f"\nkilled {killed} processes; answers by status: {dict(sorted(tally.statuses.items()))}; "
              f"problem codes: {dict(tally.problems)}; acknowledged: {len(tally.acknowledged)}; "
              f"transport errors: {tally.transport_errors}; during the outage: {during}")
        assert ready.status_code == 200, ready.text  # recovered by itself
        assert during["readiness"][0] == 503
        assert during["liveness"][0] == 200
        for name in ("assets", "asset", "login"):
            assert during[name] == (503, "DATABASE_UNAVAILABLE"), (name, during[name])
        assert set(tally.statuses) <= {201, 503}, tally.statuses  # never a 500, no key left IN_USE
        assert tally.statuses[503] > 0, "the outage was not seen"
        assert set(tally.problems) == {"DATABASE_UNAVAILABLE"}
        assert tally.missing_retry_after == 0 and tally.transport_errors == 0

        db = Database(url)
        try:
            balance = await Ledger(db, sandbox=True).balance(None, account.id)
            async with db.unit_of_work() as session:
                credits = (await session.execute(
                    select(LedgerEntry.amount).where(LedgerEntry.account_id == account.id))).scalars().all()
        finally:
            await db.dispose()
        assert balance.posted == sum(tally.acknowledged.values())
        assert sorted(credits) == sorted(tally.acknowledged.values())  # each acknowledged key exactly once

        verify = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "app", "ledger", "verify"], cwd=ROOT, capture_output=True,
            text=True, timeout=120, check=False, env={**os.environ, "DARCA_DATABASE_URL": cluster.url})
        assert verify.returncode == 0, verify.stdout + verify.stderr

    server_log = (tmp_path / "server.log").read_text()
    assert "http.unhandled_error" not in server_log and "Traceback" not in server_log, server_log[-3000:]
