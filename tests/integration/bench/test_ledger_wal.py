"""The WAL breakdown of batched transfers, read back from a real PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

import bench.ledger as bench_ledger
from bench.ledger_wal import measure
from tests.services import POSTGRES_ADMIN_URL, require_port


def inserts(figures: dict, relation: str) -> float:
    """Heap inserts per transfer into `relation` (INSERT, and INSERT+INIT where a page began)."""
    return sum(row["records_per_unit"] for row in figures["by_relation"]
               if row["relation"] == relation and row["resource_manager"] == "Heap"
               and row["record_type"].startswith("INSERT"))


async def test_every_transfer_shows_its_journal_rows_in_the_wal(monkeypatch: pytest.MonkeyPatch) -> None:
    url = make_url(POSTGRES_ADMIN_URL)
    require_port("PostgreSQL", url.host or "127.0.0.1", url.port or 5432)
    monkeypatch.setattr(bench_ledger, "ADMIN_URL", POSTGRES_ADMIN_URL)
    figures = await measure(batches=2, batch=20, accounts=30)
    assert "unavailable" not in figures, figures
    assert figures["transfers"] == 40
    assert inserts(figures, "ledger_transactions") == pytest.approx(1.0)
    assert inserts(figures, "ledger_entries") == pytest.approx(2.0)
    # its transaction_posted, and one balance_changed per account per unit of work
    assert 1.0 < inserts(figures, "outbox_events") <= 3.0
    assert figures["bytes_per_transfer"] > 0
