"""`python -m app ledger verify`: a clean ledger passes; any tampering through raw SQL is caught."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest

from app.runtime import ROOT
from core.ledger.api import HoldSpec, Ledger
from core.ledger.verify import verify
from core.platform.clock import utcnow
from core.platform.db import Database

from .conftest import funded, wallet


def run_verify(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DARCA_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "app", "ledger", "verify"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


async def _populate(ledger: Ledger) -> tuple[str, str]:
    alice = await funded(ledger, 10_000)
    bob = await wallet(ledger)
    for i in range(5):
        await ledger.transfer(f"v-{i}", alice.id, bob.id, 100 + i)
    await ledger.create_hold(HoldSpec("v-hold", alice.id, bob.id, 500, utcnow() + timedelta(hours=1)))
    return alice.id, bob.id


TAMPERING = [
    ("UPDATE ledger_accounts SET posted = '1' WHERE id = :alice", "stored balance"),
    ("UPDATE ledger_entries SET amount = '-101', balance_after = '9899' WHERE account_id = :alice AND account_version = 2",
     "sums to"),
    ("DELETE FROM ledger_entries WHERE account_id = :bob AND account_version = 3", "version"),
    (("UPDATE ledger_transactions SET metadata = '{\"x\": \"y\"}' WHERE id = (SELECT transaction_id FROM ledger_entries"
      " WHERE account_id = :bob AND account_version = 2)"), "digest"),
    ("UPDATE ledger_accounts SET pending_debits = '0' WHERE id = :alice", "pending"),
]


async def test_clean_ledger_passes(ledger: Ledger, db: Database) -> None:
    await _populate(ledger)
    report = await verify(db)
    assert report.ok, report.problems
    assert report.transactions == 6 and report.entries == 12


@pytest.mark.backends("sqlite")  # tampered through a raw SQLite connection (PostgreSQL's triggers forbid most of it)
@pytest.mark.parametrize(("statement", "symptom"), TAMPERING)
async def test_cli_catches_tampering(ledger: Ledger, database_url: str, statement: str, symptom: str) -> None:
    alice, bob = await _populate(ledger)
    clean = run_verify(database_url)
    assert clean.returncode == 0 and clean.stdout.startswith("ledger OK"), clean.stdout + clean.stderr
    assert len(clean.stdout.strip().splitlines()) == 1

    path = database_url.split("///", 1)[1]
    with sqlite3.connect(path) as raw:
        raw.execute(statement, {"alice": alice, "bob": bob})
    broken = run_verify(database_url)
    assert broken.returncode == 1
    assert broken.stdout.startswith("ledger DISCREPANCY") and len(broken.stdout.strip().splitlines()) == 1
    report = await verify(Database(database_url))
    assert any(symptom in p for p in report.problems), report.problems
