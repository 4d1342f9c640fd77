"""argon2id cost per hash for the OWASP minimums, and what the password pool does to the event loop (ADR 0016).

    .venv/bin/python -m bench.passwords [--rounds 15]

Writes bench/results/passwords.json:
- per candidate parameter set (interleaved rounds): median wall and CPU milliseconds per hash on one thread;
- the production profile through the password pool: hashes/s with one thread and with one per core
  (argon2-cffi releases the GIL, so threads scale with cores), and the event loop's lag (how late a
  1 ms timer fires, p99 and max) while the pool is saturated, against the same loop idle, and against
  hashing on the loop itself as before.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from core.identity.passwords import HASH_PROFILES, PasswordPool, cores
from core.platform.problems import ProblemError

RESULTS = Path(__file__).parent / "results" / "passwords.json"
CANDIDATES = {  # (time_cost, memory KiB, parallelism)
    "RFC 9106 low-memory (before)": (3, 65536, 4),
    "OWASP m=46 MiB t=1": (1, 47104, 1),
    "OWASP m=19 MiB t=2 (production)": (2, 19456, 1),
    "OWASP m=12 MiB t=3": (3, 12288, 1),
    "OWASP m=9 MiB t=4": (4, 9216, 1),
    "OWASP m=7 MiB t=5": (5, 7168, 1),
}
PASSWORD = "violet-harbour-lantern-42"


def per_hash(rounds: int) -> dict[str, Any]:
    hashers = {name: PasswordHasher(time_cost=t, memory_cost=m, parallelism=p) for name, (t, m, p) in CANDIDATES.items()}
    wall: dict[str, list[float]] = {name: [] for name in hashers}
    cpu: dict[str, list[float]] = {name: [] for name in hashers}
    for _ in range(rounds):  # interleaved, so machine noise falls on every candidate alike
        for name, hasher in hashers.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            hasher.hash(PASSWORD)
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - cpu_started)
    return {name: {"wall_ms": round(statistics.median(wall[name]) * 1000, 1),
                   "cpu_ms": round(statistics.median(cpu[name]) * 1000, 1)} for name in hashers}


async def throughput(threads: int, seconds: float) -> float:
    pool = PasswordPool(threads, max_waiting=threads)
    hasher = PasswordHasher.from_parameters(HASH_PROFILES["production"])
    done, deadline = 0, time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await pool.submit(lambda: hasher.hash(PASSWORD))
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(threads)))
    pool.shutdown()
    return done / (time.perf_counter() - started)


async def loop_lag(mode: str, seconds: float) -> dict[str, float]:
    """How late a 1 ms timer fires while `mode`: idle, the pool saturated, or hashing on the loop itself."""
    hasher = PasswordHasher.from_parameters(HASH_PROFILES["production"])
    pool = PasswordPool(cores(), max_waiting=cores())
    stop = asyncio.Event()

    async def load() -> None:
        while not stop.is_set():
            if mode == "pool":
                try:
                    await pool.submit(lambda: hasher.hash(PASSWORD))
                except ProblemError:
                    await asyncio.sleep(0)
            elif mode == "on the loop":
                hasher.hash(PASSWORD)
                await asyncio.sleep(0)
            else:
                await stop.wait()

    loaders = [asyncio.create_task(load()) for _ in range(cores() if mode == "pool" else 1)]
    lags, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        before = time.perf_counter()
        await asyncio.sleep(0.001)
        lags.append(time.perf_counter() - before - 0.001)
    stop.set()
    await asyncio.gather(*loaders)
    pool.shutdown()
    lags.sort()
    return {"p99_ms": round(lags[int(len(lags) * 0.99)] * 1000, 2), "max_ms": round(lags[-1] * 1000, 2)}


async def pool_figures(seconds: float) -> dict[str, Any]:
    figures: dict[str, Any] = {"cores": cores(), "hashes_per_s": {}, "loop_lag": {}}
    for _ in range(2):  # interleaved, twice
        for threads in (1, cores()):
            figures["hashes_per_s"].setdefault(f"{threads} thread(s)", []).append(round(await throughput(threads, seconds), 1))
        for mode in ("idle", "pool", "on the loop"):
            figures["loop_lag"].setdefault(mode, []).append(await loop_lag(mode, seconds))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    results = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": platform.platform(),
               "per_hash": per_hash(args.rounds), "pool": asyncio.run(pool_figures(args.seconds))}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
