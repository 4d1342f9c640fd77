"""The ledger bench's database figures: PostgreSQL's CPU share read off the server's own processes,
its WAL and checkpoints off its statistics views."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy.engine import make_url

import bench.ledger as bench_ledger
from bench.ledger import Tpcb, postgres_cpu, postgres_cpu_since, wal_counters, wal_since
from tests.services import POSTGRES_ADMIN_URL, require, require_port, require_program


async def test_the_work_a_query_gives_postgresql_shows_in_its_cpu() -> None:
    url = make_url(POSTGRES_ADMIN_URL)
    require_port("PostgreSQL", url.host or "127.0.0.1", url.port or 5432)
    require(bool(postgres_cpu()), "PostgreSQL running on this machine")
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        before = postgres_cpu()
        await connection.fetchval("SELECT count(*) FROM generate_series(1, 5000000)")  # ~0.4 s of a backend here
        used = postgres_cpu_since(before)
    finally:
        await connection.close()
    assert used is not None and used >= 0.05


async def test_wal_written_and_checkpoints_show_per_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    url = make_url(POSTGRES_ADMIN_URL)
    require_port("PostgreSQL", url.host or "127.0.0.1", url.port or 5432)
    monkeypatch.setattr(bench_ledger, "ADMIN_URL", POSTGRES_ADMIN_URL)
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        before = await wal_counters()
        await connection.execute("CREATE TABLE IF NOT EXISTS bench_wal_probe (n int)")  # on the admin database
        await connection.execute("INSERT INTO bench_wal_probe SELECT generate_series(1, 10000)")  # ~10,000 WAL records
        await connection.execute("CHECKPOINT")
        figures = wal_since(before, await wal_counters(), 10_000)
    finally:
        await connection.execute("DROP TABLE IF EXISTS bench_wal_probe")
        await connection.close()
    assert before is not None
    assert figures["wal_bytes_per_unit"] >= 30  # a heap insert's record is ~60 bytes
    assert figures["checkpoints"] >= 1
    assert wal_since(None, before, 10) == {} and wal_since(before, before, 0) == {}


def test_the_baseline_runs_on_one_database_as_often_as_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    url = make_url(POSTGRES_ADMIN_URL)
    require_port("PostgreSQL", url.host or "127.0.0.1", url.port or 5432)
    require_program("pgbench")
    monkeypatch.setattr(bench_ledger, "ADMIN_URL", POSTGRES_ADMIN_URL)
    with Tpcb(1, scale=1) as tpcb:
        first, second = tpcb.run(), tpcb.run()
        summary = tpcb.summary()
    assert first["tps"] > 0 and second["tps"] > 0
    assert summary["runs"] == [first, second]
    assert summary["tps_min"] <= summary["tps"] <= summary["tps_max"]
    assert summary["wal_bytes_per_unit"] > 0  # a tpcb-like transaction writes its five statements' WAL

    async def left_behind() -> bool:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            return bool(await connection.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", tpcb.name))
        finally:
            await connection.close()

    assert not asyncio.run(left_behind())
