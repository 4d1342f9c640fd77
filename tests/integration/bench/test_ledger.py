"""The ledger bench's CPU figures: PostgreSQL's share is read off the server's own processes."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url

from bench.ledger import postgres_cpu, postgres_cpu_since
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
