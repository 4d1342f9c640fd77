"""DARCA_WORKERS: how many processes serve (ADR 0018)."""

from __future__ import annotations

import os

import pytest

from app.workers import worker_count
from core.platform.settings import Settings, available_cores

PG = "postgresql://postgres@localhost/darca"


def test_the_default_is_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DARCA_WORKERS", raising=False)
    assert Settings(database_url=PG).workers == available_cores() == len(os.sched_getaffinity(0))


def test_darca_workers_sets_the_count_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DARCA_WORKERS", "3")
    assert worker_count(Settings(database_url=PG)) == (3, None)


def test_sqlite_is_served_by_one_process_and_says_why() -> None:
    workers, why = worker_count(Settings(database_url="sqlite:///var/darca.db", workers=4))
    assert workers == 1
    assert why == "DARCA_WORKERS=4 applies on PostgreSQL; SQLite is served by one process"
    assert worker_count(Settings(database_url="sqlite:///var/darca.db", workers=1)) == (1, None)


def test_at_least_one_worker() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings(database_url=PG, workers=0)
