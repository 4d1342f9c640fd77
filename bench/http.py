"""The platform's HTTP hot paths on PostgreSQL, against a bare FastAPI endpoint in the same run.

    .venv/bin/python -m bench.http [--seconds 4] [--workers N]

One run, on a fresh migrated database:
  * a bare FastAPI `GET /hello` (bench/http_bare.py) served with the platform's server configuration
    (app/server.py), one process: the baseline;
  * `python -m app run` with DARCA_WORKERS=1, then with the default workers (the cores, or --workers);
  * per endpoint — liveness, an authenticated balance read, a page of history (20 entries), a password
    login — a closed loop (connections sending back to back: requests/s at saturation) and an open
    loop at a fixed arrival rate (latency from the intended send time, so a server that falls
    behind shows as latency: coordinated-omission safe); the bare endpoint is measured before and
    after the platform's closed loops and the ratios are to the mean of the two;
  * with the default workers, balance reads at 500/s alone, with logins at 20/s running at the same
    time, and alone again (the baseline is the mean of the two alone).
Every figure carries the generator's CPU (`generator_cpu_share`, 1.0 = a whole core: near it, the
client, not the server, set the pace) and the server's (`server_cpu_share`, all its processes).
The generator is bench/load.py, in processes of its own. `targets` states issue 24's targets, the
figure and whether it was met. Writes bench/results/http.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from app.migrate import migrate
from bench.ledger import ADMIN_URL, admin
from bench.load import Load, encode, run, start
from core.ledger.api import Ledger, NewAccount, Posting, TransactionSpec
from core.platform.db import Database
from core.platform.settings import Settings, available_cores

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "http.json"
PASSWORD = "quartz-meadow-lantern-1987"
LOGIN_USERS = 4  # logins rotate over several users, as real logins do (one user's logins queue on its throttle row)
HISTORY = 40  # transfers into the reader's account: a page of 20 is a full page
CONNECTIONS = 32  # closed loop
LOGIN_CONNECTIONS = 4  # enough to keep the cores hashing; more only queue
# Fixed arrival rates (requests/s) of the open loops.
RATE = {"bare": 1000, "liveness": 1000, "balance": 1000, "history": 200, "login": 20}
MIXED_BALANCE_RATE, MIXED_LOGIN_RATE = 500, 20


def db_url(name: str) -> str:
    return f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- servers ------------------------------------------------------------------------------
def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants alive now (Linux /proc)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return total
    return total + sum(_cpu_seconds(int(child)) for child in children)


class Server:
    def __init__(self, name: str, args: list[str], env: dict[str, str], port: int, ready_path: str) -> None:
        self.name, self.port, self.ready_path = name, port, ready_path
        self.log = open(RESULTS.parent / f"http-{name}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**os.environ, **env},
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log.name}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready in {timeout} s")

    def cpu(self) -> float:
        return _cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def platform_server(url: str, workers: int, spool: Path) -> Server:
    port = free_port()
    env = {"DARCA_DATABASE_URL": url, "DARCA_BROKER_URL": "memory://", "DARCA_HTTP_PORT": str(port),
           "DARCA_GRPC_PORT": "0", "DARCA_WORKERS": str(workers), "DARCA_ENVIRONMENT": "SANDBOX",
           "DARCA_MAIL_SPOOL_DIR": str(spool)}
    return Server(f"platform-{workers}", ["-m", "app", "run", "--skip-migrations"], env, port, "/v1/health/ready")


# --- what the load sends --------------------------------------------------------------------
async def _code(url: str, user_id: str, channel: str) -> str:
    connection = await asyncpg.connect(url)
    try:
        body = await connection.fetchval("SELECT body FROM notifications WHERE user_id = $1 AND channel = $2 "
                                         "ORDER BY id DESC LIMIT 1", user_id, channel)
    finally:
        await connection.close()
    return re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]


def register(base: str, url: str, n: int) -> tuple[str, str]:
    """An ACTIVE user through the public API (the codes read where the sandbox keeps them); (id, email)."""
    run_id = uuid.uuid4().hex[:8]
    email = f"bench-{run_id}-{n}@example.com"
    body = {"phone": f"+44207946{n:04d}", "email": email, "display_name": "Bench User", "country": "GB",
            "password": PASSWORD}
    with httpx.Client(base_url=base, timeout=30) as client:
        created = client.post("/v1/users", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        if created.status_code != 201:
            raise RuntimeError(f"registration refused: {created.text}")
        user_id = created.json()["id"]
        for channel in ("EMAIL", "SMS"):  # the verification channel is the notification channel
            client.post(f"/v1/users/{user_id}/verifications", json={"channel": channel}).raise_for_status()
            code = asyncio.run(_code(url, user_id, channel))
            client.post(f"/v1/users/{user_id}/verifications/confirm",
                        json={"channel": channel, "code": code}).raise_for_status()
    return user_id, email


def login_body(email: str) -> bytes:
    return json.dumps({"identifier": email, "password": PASSWORD}).encode()


def access_token(base: str, email: str) -> str:
    response = httpx.post(f"{base}/v1/sessions", json={"identifier": email, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return str(response.json()["access_token"])


async def fund(url: str, owner: str) -> str:
    """The reader's wallet, funded, with HISTORY transfers in (so a page of history is a full one)."""
    db = Database(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        ledger = Ledger(db, sandbox=True)
        # the EUR wallet activation opened (DARCA_DEFAULT_WALLET_ASSETS), or one of its own if not configured
        wallets = (await ledger.accounts_of(None, "PERSON", owner, limit=1, asset="EUR")).items
        mine = wallets[0] if wallets else await ledger.open_account(
            None, NewAccount(f"bench-{uuid.uuid4().hex}", "PERSON", owner, "EUR"))
        other = await ledger.open_account(None, NewAccount(f"bench-{uuid.uuid4().hex}", "PERSON",
                                                           f"usr_{uuid.uuid4().hex}", "EUR"))
        await ledger.top_up(None, f"bench-{uuid.uuid4().hex}", other.id, 1_000_000)
        await ledger.post_transactions(None, [TransactionSpec(f"bench-{uuid.uuid4().hex}",
                                                        (Posting(other.id, -100 - i), Posting(mine.id, 100 + i)))
                                        for i in range(HISTORY)], linked=False)
        return mine.id
    finally:
        await db.dispose()


# --- measuring ------------------------------------------------------------------------------
def measured(server: Server, load: Load, *, also: Load | None = None) -> dict[str, Any]:
    """One run of `load` (and `also`, at the same time, in a process of its own), with the server's CPU."""
    cpu, started = server.cpu(), time.monotonic()
    other = start(also) if also is not None else None
    figures = run(load)
    other_figures = other.result().summary(also) if other is not None and also is not None else None
    wall = time.monotonic() - started
    figures["server_cpu_share"] = round((server.cpu() - cpu) / wall, 3)
    if other_figures is not None:
        figures["while"] = other_figures
    return figures


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def requests_for(token: str, account: str, emails: list[str]) -> dict[str, list[bytes]]:
    auth = {"authorization": f"Bearer {token}"}
    login_headers = {"content-type": "application/json"}
    return {
        "bare": [encode("GET", "/hello")],
        "liveness": [encode("GET", "/v1/health/live")],
        "balance": [encode("GET", f"/v1/ledger/accounts/{account}/balance", headers=auth)],
        "history": [encode("GET", f"/v1/ledger/accounts/{account}/entries?limit=20", headers=auth)],
        "login": [encode("POST", "/v1/sessions", headers=login_headers, body=login_body(e)) for e in emails],
    }


def closed(port: int, requests: list[bytes], seconds: float, connections: int = CONNECTIONS) -> Load:
    return Load(port, requests, seconds, connections)


def opened(port: int, requests: list[bytes], seconds: float, rate: float) -> Load:
    return Load(port, requests, seconds, connections=max(8, min(128, int(rate / 10))), rate=rate)


def p99(figures: dict[str, Any]) -> float:
    return float(figures["latency_ms"]["p99"])


def clean(figures: dict[str, Any]) -> bool:
    """Every request answered 2xx and the offered rate was kept up with."""
    ok = figures["errors"] == 0 and figures["unfinished"] == 0 and set(figures["statuses"]) <= {"200", "201"}
    offered = figures.get("offered_per_s")
    return ok and (offered is None or figures["per_s"] >= 0.95 * offered)


def targets(one: dict[str, Any], many: dict[str, Any], workers: int) -> list[dict[str, Any]]:
    """Issue 24's targets: each with its figure and whether it was met."""
    ratios = one["ratios"]
    alone = (p99(many["open"]["balance@500 alone"]) + p99(many["open"]["balance@500 alone, again"])) / 2
    mixed = many["open"]["balance@500 while login@20"]
    rows = [
        ("liveness >= 0.8x the bare endpoint, one process (closed loop)", ratios["liveness"], ">=", 0.8, True),
        ("authenticated balance read >= 0.3x the bare endpoint, one process (closed loop)", ratios["balance"],
         ">=", 0.3, True),
        (f"balance reads at 1,000/s, p99 <= 10 ms, {workers} workers (ms)", p99(many["open"]["balance@1000"]),
         "<=", 10.0, clean(many["open"]["balance@1000"])),
        (f"login at 20/s, p99 <= 300 ms, {workers} workers (ms)", p99(many["open"]["login@20"]), "<=", 300.0,
         clean(many["open"]["login@20"])),
        (f"balance-read p99 at 500/s with logins at 20/s <= 1.2x without, {workers} workers (ratio)",
         round(p99(mixed) / alone, 3) if alone else None, "<=", 1.2, clean(mixed) and clean(mixed["while"])),
    ]
    verdicts = []
    for target, figure, op, bound, answered in rows:
        met = figure is not None and answered and (figure >= bound if op == ">=" else figure <= bound)
        verdicts.append({"target": target, "figure": figure, "bound": f"{op} {bound}", "met": met,
                         **({} if answered else {"note": "errors, unanswered requests, or the offered rate not kept up with"})})
    return verdicts


def one_process(url: str, spool: Path, seconds: float, setup: Callable[[str], dict[str, list[bytes]]]) -> tuple[
        dict[str, Any], dict[str, list[bytes]]]:
    bare = Server("bare", ["-m", "bench.http_bare", str(port := free_port())], {}, port, "/hello")
    platform_1 = platform_server(url, 1, spool)
    with serving(bare), serving(platform_1):
        requests = setup(f"http://127.0.0.1:{platform_1.port}")
        out: dict[str, Any] = {"closed": {}, "open": {}}
        print("  one process: closed loops", flush=True)
        out["closed"]["bare"] = measured(bare, closed(bare.port, requests["bare"], seconds))
        for name in ("liveness", "balance", "history", "login"):
            out["closed"][name] = measured(platform_1, closed(
                platform_1.port, requests[name], seconds, LOGIN_CONNECTIONS if name == "login" else CONNECTIONS))
        out["closed"]["bare, again"] = measured(bare, closed(bare.port, requests["bare"], seconds))
        print("  one process: open loops", flush=True)
        out["open"][f"bare@{RATE['bare']}"] = measured(bare, opened(bare.port, requests["bare"], seconds, RATE["bare"]))
        for name in ("liveness", "balance", "history", "login"):
            out["open"][f"{name}@{RATE[name]}"] = measured(platform_1, opened(platform_1.port, requests[name], seconds,
                                                                            RATE[name]))
    baseline = (out["closed"]["bare"]["ok_per_s"] + out["closed"]["bare, again"]["ok_per_s"]) / 2
    out["bare_ok_per_s"] = round(baseline, 1)
    out["ratios"] = {name: round(out["closed"][name]["ok_per_s"] / baseline, 3)
                     for name in ("liveness", "balance", "history", "login")}
    return out, requests


def several(url: str, spool: Path, seconds: float, workers: int, requests: dict[str, list[bytes]]) -> dict[str, Any]:
    server = platform_server(url, workers, spool)
    out: dict[str, Any] = {"workers": workers, "closed": {}, "open": {}}
    with serving(server):
        print(f"  {workers} workers: closed loops", flush=True)
        for name in ("liveness", "balance", "history", "login"):
            out["closed"][name] = measured(server, closed(
                server.port, requests[name], seconds, LOGIN_CONNECTIONS if name == "login" else CONNECTIONS))
        print(f"  {workers} workers: open loops", flush=True)
        for name in ("balance", "history", "login"):
            out["open"][f"{name}@{RATE[name]}"] = measured(server, opened(server.port, requests[name], seconds,
                                                                          RATE[name]))
        balance = opened(server.port, requests["balance"], seconds, MIXED_BALANCE_RATE)
        logins = opened(server.port, requests["login"], seconds, MIXED_LOGIN_RATE)
        out["open"]["balance@500 alone"] = measured(server, balance)
        out["open"]["balance@500 while login@20"] = measured(server, balance, also=logins)
        out["open"]["balance@500 alone, again"] = measured(server, balance)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0, help="measured seconds of each run (plus 1 s warm-up)")
    parser.add_argument("--workers", type=int, default=available_cores(), help="the several-process runs")
    args = parser.parse_args()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    name = f"darca_bench_http_{uuid.uuid4().hex[:8]}"
    spool = RESULTS.parent / "http-mail"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = db_url(name)
    try:
        asyncio.run(migrate(Settings(database_url=url, grpc_port=0)))

        def setup(base: str) -> dict[str, list[bytes]]:
            reader, reader_email = register(base, url, 0)
            emails = [register(base, url, n)[1] for n in range(1, LOGIN_USERS + 1)]
            account = asyncio.run(fund(url, reader))
            return requests_for(access_token(base, reader_email), account, emails)

        started = time.monotonic()
        one, requests = one_process(url, spool, args.seconds, setup)
        many = several(url, spool, args.seconds, args.workers, requests)
        result = {
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": platform.platform(), "cores": available_cores(), "python": platform.python_version(),
            "seconds_per_run": args.seconds, "elapsed_s": round(time.monotonic() - started, 1),
            "one_process": one, "several_processes": many,
            "targets": targets(one, many, args.workers),
        }
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for verdict in result["targets"]:
        print(f"  {'met    ' if verdict['met'] else 'NOT MET'}  {verdict['target']}: {verdict['figure']}")
    print(f"results in {RESULTS}")


if __name__ == "__main__":
    main()
