"""A large batch sends its journal rows while it is still being applied (PostgreSQL; a no-op on
SQLite): the outcome, the order of entries and events, and all-or-nothing must be exactly those of
one write at the end. The chunk is made tiny here so that every batch writes ahead several times."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import core.ledger.api as ledger_api
from core.ledger.api import Ledger
from core.ledger.driver_repository import DriverLedgerRepository
from core.ledger.models import transfer
from core.ledger.repository import LedgerRepository
from core.ledger.verify import verify
from core.platform.db import Database
from core.platform.problems import ProblemError

from .conftest import funded, wallet
from .test_events import _events

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the ledger's write-ahead SQL path


@pytest.fixture(autouse=True)
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_api, "WRITE_AHEAD", 2)


async def test_written_ahead_batch_keeps_order_and_refusals(ledger: Ledger, db: Database,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    alice = await funded(ledger, 500)
    bob, carol = await wallet(ledger), await wallet(ledger)
    specs = [transfer(f"wa-{i}", alice.id, bob.id if i % 2 else carol.id, 100) for i in range(7)]
    writes: list[int] = []
    repository = DriverLedgerRepository if db.dialect == "postgresql" else LedgerRepository  # the transaction path
    write = repository.write

    async def counted(self: LedgerRepository, **rows: list) -> None:  # type: ignore[type-arg]
        writes.append(len(rows["transactions"]))
        await write(self, **rows)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "write", counted)
    results = await ledger.post_transactions(None, specs, linked=False)
    assert writes == ([2, 2, 1, 0] if db.dialect == "postgresql" else [5])  # written ahead on PostgreSQL only
    refused = [i for i, r in enumerate(results) if isinstance(r, ProblemError)]
    assert refused == [5, 6] and {r.code for r in results[5:]} == {"INSUFFICIENT_FUNDS"}  # type: ignore[union-attr]
    posted = [r.id for r in results[:5]]  # type: ignore[union-attr]

    async with db.unit_of_work() as session:
        journal = (await session.execute(text(
            "SELECT e.transaction_id, e.account_id, e.account_version FROM ledger_entries e "
            "JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.client_id LIKE 'wa-%' "
            "ORDER BY e.sequence"))).all()
    assert [row[0] for row in journal][::2] == posted  # entries in the order the transactions were applied
    versions = [row[2] for row in journal if row[1] == alice.id]
    assert versions == sorted(versions) and len(versions) == 5

    events = [e for e in await _events(db) if e["data"].get("client_id", "").startswith("wa-")
              or (e["type"].endswith("balance_changed.v1") and e["data"].get("transaction_id") in posted)]
    kinds = [e["type"].rsplit(".", 2)[-2] for e in events]
    assert kinds == ["transaction_posted"] * 5 + ["balance_changed"] * 3  # one balance event per account, last
    assert [e["data"]["transaction_id"] for e in events[:5]] == posted
    report = await verify(db)
    assert report.ok, report.problems

    again = await ledger.post_transactions(None, specs, linked=False)  # replayed, whatever was written ahead
    assert [getattr(r, "id", None) for r in again[:5]] == posted
    assert [r.code for r in again[5:]] == ["INSUFFICIENT_FUNDS"] * 2  # type: ignore[union-attr]
    assert (await ledger.get_account(None, alice.id)).posted == 0


async def test_linked_batch_failing_after_writing_ahead_leaves_nothing(ledger: Ledger, db: Database) -> None:
    alice = await funded(ledger, 500)
    bob = await wallet(ledger)
    specs = [transfer(f"wl-{i}", alice.id, bob.id, 100) for i in range(6)]  # the sixth has no funds left
    with pytest.raises(ProblemError) as refused:
        await ledger.post_transactions(None, specs)
    assert refused.value.code == "INSUFFICIENT_FUNDS"
    assert (await ledger.get_account(None, bob.id)).posted == 0
    assert (await ledger.get_account(None, alice.id)).posted == 500
    async with db.unit_of_work() as session:
        count = (await session.execute(text(
            "SELECT count(*) FROM ledger_transactions WHERE client_id LIKE 'wl-%'"))).scalar_one()
    assert count == 0
    with pytest.raises(ProblemError) as again:
        await ledger.post_transaction(None, specs[0])
    assert again.value.code == "LINKED_TRANSACTION_FAILED"
    assert (await verify(db)).ok


async def test_batch_replaying_an_id_already_posted_after_writing_ahead(ledger: Ledger) -> None:
    alice = await funded(ledger, 1_000)
    bob = await wallet(ledger)
    earlier = await ledger.transfer(None, "wr-5", alice.id, bob.id, 10)
    specs = [transfer(f"wr-{i}", alice.id, bob.id, 10) for i in range(8)]
    results = await ledger.post_transactions(None, specs, linked=False)
    assert not [r for r in results if isinstance(r, ProblemError)]
    assert results[5].id == earlier.id  # type: ignore[union-attr]
    assert len({r.id for r in results}) == 8  # type: ignore[union-attr]
    assert (await ledger.get_account(None, bob.id)).posted == 80
