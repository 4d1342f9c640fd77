"""An HTTP/1.1 load generator for the benchmarks: closed loop (N connections, each sending its next
request when the previous answer arrived) and open loop (a fixed arrival rate).

Open loop is coordinated-omission safe: request i is due at start + i/rate, and its latency is
measured from that intended time, not from when a connection was free to send it. A server (or a
generator) that falls behind shows up as latency, not as fewer, later requests.

Each run happens in a process of its own (forked: nothing to import before it starts), so the
generator's CPU is its own: `generator_cpu_share` is the process's user + system CPU over the run's
wall time, where 1.0 is one core. A generator near 1.0 is saturated and its figures tell more about
it than about the server.

A run ends `grace` seconds after its last request was due at the latest: the requests not answered by
then are `unfinished`, and count in the latencies with the time they had waited (so a percentile
that includes them is a lower bound). A closed loop drops the requests in flight when it ends.

Requests are encoded once, before the run; answers are parsed only as far as the status line and
Content-Length (keep-alive connections, no chunked bodies: the platform answers with a length).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any


def encode(method: str, path: str, *, host: str = "127.0.0.1", headers: dict[str, str] | None = None,
           body: bytes = b"") -> bytes:
    """One HTTP/1.1 request, ready to write."""
    lines = [f"{method} {path} HTTP/1.1", f"host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass(frozen=True)
class Load:
    """What one run sends: `requests` in turn, on `connections` keep-alive connections, either as fast
    as answers come back (`rate` None) or at `rate` requests per second; `warmup` seconds first, at the
    same pace, are not counted."""

    port: int
    requests: Sequence[bytes]
    seconds: float
    connections: int
    rate: float | None = None
    warmup: float = 1.0
    grace: float = 2.0
    host: str = "127.0.0.1"


@dataclass
class Outcome:
    latencies_ns: list[int] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0  # connection failures
    unfinished: int = 0  # open loop: not answered within the grace after the last was due
    wall_s: float = 0.0
    cpu_s: float = 0.0

    def summary(self, load: Load) -> dict[str, Any]:
        done = sorted(self.latencies_ns)
        ok = sum(n for status, n in self.statuses.items() if 200 <= status < 300)

        def ms(q: float) -> float | None:
            return round(done[min(len(done) - 1, int(q * len(done)))] / 1e6, 2) if done else None

        answered = sum(self.statuses.values())
        return {
            "mode": "closed" if load.rate is None else "open",
            "connections": load.connections,
            "offered_per_s": load.rate,
            "seconds": round(self.wall_s, 2),
            "answered": answered,
            "per_s": round(answered / self.wall_s, 1) if self.wall_s else 0.0,
            "ok_per_s": round(ok / self.wall_s, 1) if self.wall_s else 0.0,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": self.errors,
            "unfinished": self.unfinished,
            "latency_ms": {"p50": ms(0.5), "p90": ms(0.9), "p99": ms(0.99), "p999": ms(0.999),
                           "max": round(done[-1] / 1e6, 2) if done else None},
            "generator_cpu_share": round(self.cpu_s / self.wall_s, 3) if self.wall_s else None,
        }


class _Connection(asyncio.Protocol):
    """A keep-alive connection with one request in flight at a time."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[int] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None:
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        start = head.find(b"\r\ncontent-length:")
        length = 0
        if start >= 0:
            stop = head.find(b"\r\n", start + 2)
            length = int(head[start + 17:stop if stop >= 0 else len(head)])
        elif b"transfer-encoding: chunked" in head:
            self._fail(ValueError("chunked answers are not supported"))
            return
        if len(self.buffer) < end + 4 + length:
            return
        status = int(self.buffer[9:12])
        del self.buffer[:end + 4 + length]
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():  # a request given up on (its waiter cancelled)
            waiter.set_result(status)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionError("connection closed"))

    def _fail(self, error: Exception) -> None:
        self.transport = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)
        self.waiter = None

    async def send(self, request: bytes) -> int:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


async def _connect(load: Load) -> _Connection:
    _, connection = await asyncio.get_running_loop().create_connection(_Connection, load.host, load.port)
    return connection


class _Recorder:
    def __init__(self) -> None:
        self.counting = False
        self.outcome = Outcome()

    def record(self, latency_ns: int, status: int | None) -> None:
        if not self.counting:
            return
        if status is None:
            self.outcome.errors += 1
        else:
            self.outcome.latencies_ns.append(latency_ns)
            self.outcome.statuses[status] += 1


async def _exchange(connection: _Connection | None, load: Load, request: bytes) -> tuple[_Connection | None, int | None]:
    try:
        connection = connection if connection is not None and connection.transport is not None else await _connect(load)
        return connection, await connection.send(request)
    except (OSError, ValueError):
        return None, None


async def _closed(load: Load) -> Outcome:
    recorder = _Recorder()
    stop_at = time.perf_counter() + load.warmup + load.seconds

    async def client(index: int) -> None:
        connection: _Connection | None = await _connect(load)
        i = index
        while time.perf_counter() < stop_at:
            request = load.requests[i % len(load.requests)]
            i += load.connections
            sent = time.perf_counter_ns()
            connection, status = await _exchange(connection, load, request)
            recorder.record(time.perf_counter_ns() - sent, status)

    async def measure() -> None:
        await asyncio.sleep(load.warmup)
        recorder.counting, started, cpu = True, time.perf_counter(), _cpu()
        await asyncio.sleep(load.seconds)
        recorder.counting = False
        recorder.outcome.wall_s, recorder.outcome.cpu_s = time.perf_counter() - started, _cpu() - cpu

    clients = [asyncio.create_task(client(i)) for i in range(load.connections)]
    await measure()
    for task in clients:  # what is still in flight is not waited for
        task.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    return recorder.outcome


async def _open(load: Load) -> Outcome:
    assert load.rate is not None
    recorder = _Recorder()
    queue: asyncio.Queue[tuple[int, bytes, bool] | None] = asyncio.Queue()
    interval_ns = int(1e9 / load.rate)
    warmup_n, counted_n = int(load.warmup * load.rate), int(load.seconds * load.rate)
    connections = [await _connect(load) for _ in range(load.connections)]
    start_ns = time.perf_counter_ns() + 10_000_000

    async def schedule() -> None:
        for i in range(warmup_n + counted_n):
            intended = start_ns + i * interval_ns
            delay = (intended - time.perf_counter_ns()) / 1e9
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((intended, load.requests[i % len(load.requests)], i >= warmup_n))
        for _ in connections:
            queue.put_nowait(None)

    deadline_ns = start_ns + (warmup_n + counted_n) * interval_ns + int(load.grace * 1e9)

    async def client(connection: _Connection | None) -> None:
        while (item := await queue.get()) is not None:
            intended, request, counted = item
            left = (deadline_ns - time.perf_counter_ns()) / 1e9
            try:
                if left <= 0:
                    raise TimeoutError
                connection, status = await asyncio.wait_for(_exchange(connection, load, request), left)
            except TimeoutError:
                if connection is not None and connection.transport is not None:
                    connection.transport.close()  # its answer may still come: not on this connection
                connection = None
                if counted:
                    recorder.outcome.unfinished += 1
                    recorder.outcome.latencies_ns.append(deadline_ns - intended)
                continue
            if counted:  # from the intended send time: waiting for a free connection counts
                recorder.counting = True
                recorder.record(time.perf_counter_ns() - intended, status)

    cpu = _cpu()
    await asyncio.gather(schedule(), *(client(c) for c in connections))
    finished = time.perf_counter_ns()
    counted_start = start_ns + warmup_n * interval_ns
    recorder.outcome.wall_s = (finished - counted_start) / 1e9
    # the warm-up's share of the CPU is left out in proportion to its share of the requests
    recorder.outcome.cpu_s = (_cpu() - cpu) * counted_n / max(1, warmup_n + counted_n)
    return recorder.outcome


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_here(load: Load) -> Outcome:
    try:
        import uvloop  # a faster event loop where installed: the generator should outrun the server

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    return runner(_closed(load) if load.rate is None else _open(load))


def start(load: Load) -> Future[Outcome]:
    """Begin `load` in a process of its own; `.result()` is the Outcome. Several may run at once."""
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    future = executor.submit(_run_here, load)
    executor.shutdown(wait=False)  # the process ends when the run does
    return future


def run(load: Load) -> dict[str, Any]:
    """Run `load` in a process of its own and summarise it."""
    return start(load).result().summary(load)
