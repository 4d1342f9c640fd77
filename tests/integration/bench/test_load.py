"""The benchmarks' load generator (bench/load.py) against a small HTTP server in this process: it
counts answers by status, measures open-loop latency from the intended send time (a stall of the
server shows in every request that was due during it, not in one), and gives up on requests never
answered instead of waiting for them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from bench.load import Load, encode, run

STALL_S = 0.5


class _Server:
    """Answers `GET /ok` (and `/stall-once`, stalling STALL_S the first time) with 200, `GET /missing`
    with 404; `GET /never` is never answered."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.stalled = False
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        assert ready.wait(10)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ")[1]
                if path == b"/never":
                    await asyncio.Event().wait()
                if path == b"/stall-once" and not self.stalled:
                    self.stalled = True
                    await asyncio.sleep(STALL_S)  # the server's stall, which the measurement must show
                status = b"404 Not Found" if path == b"/missing" else b"200 OK"
                writer.write(b"HTTP/1.1 " + status + b"\r\ncontent-length: 2\r\n\r\nok")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def server() -> Iterator[_Server]:
    served = _Server()
    yield served
    served.stop()


def test_a_closed_loop_counts_answers_by_status(server: _Server) -> None:
    figures = run(Load(server.port, [encode("GET", "/ok"), encode("GET", "/missing")], seconds=0.3, connections=2,
                       warmup=0.1))
    assert figures["mode"] == "closed" and figures["errors"] == 0 and figures["unfinished"] == 0
    assert set(figures["statuses"]) == {"200", "404"} and figures["answered"] == sum(figures["statuses"].values())
    assert figures["latency_ms"]["p50"] is not None and figures["generator_cpu_share"] is not None


def test_an_open_loop_counts_a_stall_in_every_request_due_during_it(server: _Server) -> None:
    # One connection, 100 requests/s: while the server stalls, about STALL_S x 100 requests fall due and
    # wait for it. Measured from when each was sent, only the stalled one would be late.
    figures = run(Load(server.port, [encode("GET", "/stall-once")], seconds=1.0, connections=1, rate=100,
                       warmup=0.0))
    assert figures["answered"] == 100 and figures["unfinished"] == 0
    assert figures["latency_ms"]["p90"] >= STALL_S * 1000 / 4  # ≥ 10 requests waited ≥ a quarter of the stall


def test_an_open_loop_gives_up_on_requests_never_answered(server: _Server) -> None:
    figures = run(Load(server.port, [encode("GET", "/never")], seconds=0.5, connections=2, rate=20, warmup=0.0,
                       grace=0.2))
    assert figures["answered"] == 0 and figures["unfinished"] == 10
