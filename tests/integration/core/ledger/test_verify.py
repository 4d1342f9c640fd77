"""`python -m app ledger verify`: a clean ledger passes; any tampering through raw SQL is caught."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tracemalloc
from datetime import timedelta

import pytest

from app.runtime import ROOT
from core.ledger import verify as verify_module
from core.ledger.api import HoldSpec, Ledger
from core.ledger.models import transfer
from core.ledger.repository import LedgerRepository
from core.ledger.verify import Report, verify
from core.platform.clock import utcnow
from core.platform.db import Database

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # verification reads the journal through SQL


def run_verify(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DARCA_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "app", "ledger", "verify"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


async def _populate(ledger: Ledger) -> tuple[str, str]:
    alice = await funded(ledger, 10_000)
    bob = await wallet(ledger)
    for i in range(5):
        await ledger.transfer(None, f"v-{i}", alice.id, bob.id, 100 + i)
    await ledger.create_hold(None, HoldSpec("v-hold", alice.id, bob.id, 500, utcnow() + timedelta(hours=1)))
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


def _tamper(database_url: str, statement: str, alice: str, bob: str) -> None:
    with sqlite3.connect(database_url.split("///", 1)[1]) as raw:
        raw.execute(statement, {"alice": alice, "bob": bob})


def _bobs_second_transaction(database_url: str, bob: str) -> str:
    with sqlite3.connect(database_url.split("///", 1)[1]) as raw:
        return raw.execute("SELECT transaction_id FROM ledger_entries WHERE account_id = ? AND account_version = 2",
                           (bob,)).fetchone()[0]


def _named(report: Report, **names: str) -> list[str]:
    problems = report.problems
    for name, id_ in names.items():
        problems = [p.replace(id_, name) for p in problems]
    return problems


@pytest.mark.backends("sqlite")
async def test_changed_transaction_breaks_the_chain_of_each_of_its_entries(ledger: Ledger, db: Database,
                                                                           database_url: str) -> None:
    """The chain is checked against the digest recomputed from the journal, not the stored one."""
    alice, bob = await _populate(ledger)
    _tamper(database_url, TAMPERING[3][0], alice, bob)
    report = await verify(db)
    txn = _bobs_second_transaction(database_url, bob)
    assert _named(report, alice=alice, bob=bob, txn=txn) == [
        "transaction txn does not match its sealed digest",
        "account alice v3: hash chain broken",
        "account bob v2: hash chain broken",
    ]


@pytest.mark.backends("sqlite")
async def test_changed_digest_is_one_problem(ledger: Ledger, db: Database, database_url: str) -> None:
    alice, bob = await _populate(ledger)
    _tamper(database_url, "UPDATE ledger_transactions SET digest = 'x' WHERE id = (SELECT transaction_id"
                          " FROM ledger_entries WHERE account_id = :bob AND account_version = 2)", alice, bob)
    report = await verify(db)
    txn = _bobs_second_transaction(database_url, bob)
    assert _named(report, txn=txn) == ["transaction txn does not match its sealed digest"]


@pytest.mark.backends("sqlite")
async def test_beyond_the_kept_digests_the_chain_uses_the_stored_one(ledger: Ledger, db: Database, database_url: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Recomputed digests are kept for at most MAX_RESEALED unsealed transactions (memory stays bounded
    however many are broken); past that, each is still reported, its entries' chains are not."""
    monkeypatch.setattr(verify_module, "MAX_RESEALED", 0)
    alice, bob = await _populate(ledger)
    _tamper(database_url, TAMPERING[3][0], alice, bob)
    report = await verify(db)
    assert _named(report, txn=_bobs_second_transaction(database_url, bob)) == [
        "transaction txn does not match its sealed digest"]


@pytest.mark.backends("sqlite")
@pytest.mark.parametrize(("statement", "symptom"), TAMPERING)
async def test_batches_of_one_row_find_the_same_problems(ledger: Ledger, db: Database, database_url: str,
                                                         monkeypatch: pytest.MonkeyPatch, statement: str,
                                                         symptom: str) -> None:
    """A transaction's rows split across partitions are still one transaction."""
    alice, bob = await _populate(ledger)
    _tamper(database_url, statement, alice, bob)
    expected = await verify(db)
    monkeypatch.setattr(verify_module, "BATCH", 1, raising=False)
    assert await verify(db) == expected
    assert any(symptom in p for p in expected.problems)


async def _peak_of_verify(db: Database) -> int:
    """Bytes allocated at the peak of a verify run, above what was allocated when it started."""
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        report = await verify(db)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.ok, report.problems
    return peak - start


async def test_memory_does_not_grow_with_the_journal(ledger: Ledger, db: Database,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Verify streams the journal: 3,000 more transactions over the same accounts cost it no more
    memory than the rows of a batch (holding every transaction costs over 3 KB each)."""
    monkeypatch.setattr(verify_module, "BATCH", 50, raising=False)
    wallets = [(await funded(ledger, 10**9)).id for _ in range(10)]

    async def post(first: int, count: int) -> None:
        for start in range(first, first + count, 500):
            await ledger.post_transactions(None, [transfer(f"m-{i}", wallets[i % 10], wallets[(i * 3 + 1) % 10], 1 + i % 7)
                                            for i in range(start, start + 500)])

    await post(0, 500)
    await verify(db)  # statements compiled and cached
    small = await _peak_of_verify(db)
    await post(500, 3000)
    large = await _peak_of_verify(db)
    assert large - small < 3000 * 100, (small, large)


@pytest.mark.backends("postgresql")  # SQLite has one writer and its readers see one snapshot anyway
async def test_writes_during_a_run_are_not_discrepancies(ledger: Ledger, db: Database,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await ledger.transfer(None, "before", alice.id, bob.id, 10)
    read = LedgerRepository.transactions_with_entries
    writer = Ledger(Database(db.url))

    async def meanwhile(self: LedgerRepository, batch: int):  # type: ignore[no-untyped-def]
        await writer.transfer(None, "during", alice.id, bob.id, 25)  # commits between reading accounts and journal
        async for partition in read(self, batch):
            yield partition

    monkeypatch.setattr(LedgerRepository, "transactions_with_entries", meanwhile)
    try:
        report = await verify(db)
    finally:
        await writer.db.dispose()
    assert report.ok, report.problems
    assert (await ledger.balance(None, bob.id)).posted == 35
