"""The ledger bench's database figures: PostgreSQL's CPU share read off the server's own processes,
its WAL and checkpoints off its statistics views."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.engine import make_url

import bench.ledger as bench_ledger
from bench.ledger import postgres_cpu, postgres_cpu_since, wal_counters, wal_since
from tests.services import POSTGRES_ADMIN_URL, require, require_port


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
