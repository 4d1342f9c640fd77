"""Units of work computing on predicted rows (PostgreSQL's transaction path): a unit computes on the
account rows the previous unit of the process left, then one statement locks its rows, compares
them and writes only if they are equal. Whatever changed the accounts meanwhile — another process,
a hold, a unit that failed — the outcome must be exactly that of computing on the locked rows."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.ledger.api import Ledger, TransactionSpec
from core.ledger.driver_repository import DriverLedgerRepository
from core.ledger.models import HoldSpec, transfer
from core.ledger.repository import CHECKED_LOCK_GATE, LOCK_JOIN_FROM
from core.ledger.verify import verify
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.problems import ProblemError
from tests.support.waiting import eventually

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("postgresql")


async def _batch(ledger: Ledger, source: str, target: str, amounts: list[int]) -> list[TransactionSpec]:
    specs = [transfer(new_id("cid"), source, target, amount) for amount in amounts]
    results = await ledger.post_transactions(None, specs, linked=False)
    assert not [r for r in results if isinstance(r, ProblemError)]
    return specs


async def test_a_unit_computes_on_the_rows_the_previous_one_left(ledger: Ledger, db: Database) -> None:
    alice, bob = await funded(ledger, 10_000), await wallet(ledger)
    states = ledger.states()
    await _batch(ledger, alice.id, bob.id, [100, 200])  # bob is new to this process: locked, then remembered
    before = states.predicted
    await _batch(ledger, alice.id, bob.id, [300])
    await _batch(ledger, bob.id, alice.id, [50, 25])
    assert (states.predicted - before, states.mispredicted) == (2, 0)
    assert (await ledger.get_account(None, alice.id)).posted == 10_000 - 600 + 75
    bob_now = await ledger.get_account(None, bob.id)
    assert (bob_now.posted, bob_now.version) == (600 - 75, 5)
    report = await verify(db)
    assert report.ok, report.problems


async def test_a_change_by_another_process_is_found_and_the_unit_runs_on_the_locked_rows(
        ledger: Ledger, db: Database) -> None:
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])  # this process remembers alice at 900
    other = Ledger(db)  # another API process: its own memory
    await other.transfer(None, new_id("cid"), alice.id, bob.id, 850)  # alice at 50, behind this process's back
    states = ledger.states()
    before = states.mispredicted
    results = await ledger.post_transactions(None, [transfer(new_id("cid"), alice.id, bob.id, 40),
                                              transfer(new_id("cid"), alice.id, bob.id, 40)], linked=False)
    assert states.mispredicted == before + 1
    # Computed on the locked rows: the second transfer finds 10 left, not the 860 the memory promised.
    assert not isinstance(results[0], ProblemError)
    assert isinstance(results[1], ProblemError) and results[1].code == "INSUFFICIENT_FUNDS"
    assert [e.balance_after for e in results[0].entries if e.account_id == alice.id] == [10]  # type: ignore[union-attr]
    alice_now = await ledger.get_account(None, alice.id)
    assert (alice_now.posted, alice_now.version) == (10, 4)
    report = await verify(db)
    assert report.ok, report.problems


async def test_a_unit_that_missed_runs_again_in_its_turn(ledger: Ledger, db: Database,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Its rows are the ones the units after it predict on, so it locks them holding the turn to
    compute: a unit after it cannot compute meanwhile on rows it is about to change."""
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])
    await Ledger(db).transfer(None, new_id("cid"), alice.id, bob.id, 50)  # another process: the next prediction misses
    states = ledger.states()
    turn_held: list[bool] = []
    original = DriverLedgerRepository.lock_accounts

    async def lock_accounts(self: DriverLedgerRepository, ids: Any) -> dict[str, dict[str, Any]]:
        turn_held.append(states.turn.locked())
        return await original(self, ids)

    monkeypatch.setattr(DriverLedgerRepository, "lock_accounts", lock_accounts)
    mispredicted = states.mispredicted
    await _batch(ledger, alice.id, bob.id, [10])
    assert states.mispredicted == mispredicted + 1
    assert turn_held == [True]  # the run on locked rows, in its turn
    assert (await ledger.get_account(None, alice.id)).posted == 1_000 - 160
    report = await verify(db)
    assert report.ok, report.problems


async def _waiting(db: Database, event: str) -> int:
    """How many of the ledger's statements wait in the server on `event` ("advisory", "transactionid", …)."""
    async with db.engine.connect() as connection:
        return (await connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = :event"
            " AND query LIKE '%ledger_accounts%'"), {"event": event})).scalar_one()


async def _gate_holders(db: Database) -> int:
    async with db.engine.connect() as connection:
        return (await connection.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND (classid::bigint << 32) + objid::bigint = :key"), {"key": CHECKED_LOCK_GATE})).scalar_one()


async def _gate_open(db: Database) -> bool:
    return await _gate_holders(db) == 0


async def test_a_checked_write_locks_only_once_the_write_before_it_holds_its_rows(ledger: Ledger,
                                                                                 db: Database) -> None:
    """Unit B computed on the rows unit A leaves. A's write waits in the server for a row another
    transaction holds, and the rows B shares with A lie beyond it: had B's write locked them first,
    it would have found them as they were before A, and missed. It waits at the gate instead, until
    A holds every row it needs; then both are written as predicted."""
    low, middle, high = sorted([await funded(ledger, 1_000) for _ in range(3)], key=lambda a: a.id)
    await ledger.post_transactions(None, [transfer(new_id("cid"), low.id, middle.id, 1),
                                    transfer(new_id("cid"), middle.id, high.id, 1)], linked=False)  # all remembered
    states = ledger.states()
    predicted, mispredicted = states.predicted, states.mispredicted
    async with db.engine.connect() as other:
        holding = await other.begin()  # holds the lowest row, changes nothing
        await other.execute(text("SELECT id FROM ledger_accounts WHERE id = :id FOR UPDATE"), {"id": low.id})
        a = asyncio.create_task(_batch(ledger, low.id, middle.id, [100]))
        await eventually(lambda: _waiting(db, "transactionid"))  # A's write holds the gate, waits for `low`
        b = asyncio.create_task(_batch(ledger, middle.id, high.id, [50]))
        await eventually(lambda: _waiting(db, "advisory"))  # B's write waits at the gate, not on `middle`
        assert not a.done() and not b.done()
        await holding.rollback()
    await asyncio.gather(a, b)
    assert (states.predicted, states.mispredicted) == (predicted + 2, mispredicted)
    assert [(await ledger.get_account(None, x.id)).posted for x in (low, middle, high)] == [899, 1_050, 1_051]
    assert await _gate_holders(db) == 0  # each statement that took the gate let it go
    report = await verify(db)
    assert report.ok, report.problems


@pytest.mark.parametrize("ending", ["cancelled_by_the_server", "cancelled_by_the_caller"])
async def test_a_checked_write_ended_while_it_holds_the_gate_does_not_keep_it(ledger: Ledger, db: Database,
                                                                              ending: str) -> None:
    """A write that ends between taking the gate and letting it go (here while it waits for a row)
    would keep the gate with its session: its connection is closed rather than given back to the
    pool, so the next checked writes get through."""
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])
    async with db.engine.connect() as other:
        holding = await other.begin()
        await other.execute(text("SELECT id FROM ledger_accounts WHERE id = :id FOR UPDATE"), {"id": alice.id})
        unit = asyncio.create_task(_batch(ledger, alice.id, bob.id, [10]))
        await eventually(lambda: _waiting(db, "transactionid"))  # it holds the gate and waits for alice's row
        if ending == "cancelled_by_the_server":  # a statement timeout, an operator: an error, not a cancellation
            await other.execute(text("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                                     " WHERE datname = current_database() AND wait_event = 'transactionid'"))
            with pytest.raises(DBAPIError):
                await unit
        else:
            unit.cancel()
            with pytest.raises(asyncio.CancelledError):
                await unit
        await holding.rollback()
    await eventually(lambda: _gate_open(db))
    states = ledger.states()
    predicted = states.predicted
    await asyncio.wait_for(_batch(ledger, bob.id, alice.id, [5]), 10)
    await asyncio.wait_for(_batch(ledger, alice.id, bob.id, [20]), 10)
    assert states.predicted > predicted  # checked writes, through the gate
    posted = (await ledger.get_account(None, alice.id)).posted
    assert posted in (1_000 - 115, 1_000 - 125)  # whether a cancelled unit committed is the server's call
    report = await verify(db)
    assert report.ok, report.problems


async def test_a_unit_waiting_in_the_server_for_its_rows_writes_on_their_latest_version(ledger: Ledger,
                                                                                       db: Database) -> None:
    """The checked write's snapshot is older than the rows it gets once another transaction lets them
    go: it compares and updates their latest version (READ COMMITTED re-checks them)."""
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])
    states = ledger.states()
    predicted, mispredicted = states.predicted, states.mispredicted
    async with db.engine.connect() as other:
        holding = await other.begin()  # a new version of alice's row, same values, not yet committed
        await other.execute(text("UPDATE ledger_accounts SET posted = posted WHERE id = :id"), {"id": alice.id})
        unit = asyncio.create_task(_batch(ledger, alice.id, bob.id, [50]))
        await asyncio.sleep(0.3)
        assert not unit.done()  # its statement waits in the server for alice's row
        await holding.commit()
    await unit
    assert (states.predicted, states.mispredicted) == (predicted + 1, mispredicted)
    alice_now = await ledger.get_account(None, alice.id)
    assert (alice_now.posted, alice_now.version) == (850, 3)
    report = await verify(db)
    assert report.ok, report.problems


@pytest.mark.parametrize("reference", [None, "unit\x1fseparator"], ids=["packed", "arrays"])
@pytest.mark.parametrize("accounts", [LOCK_JOIN_FROM - 2, LOCK_JOIN_FROM + 6], ids=["few", "many"])
async def test_every_form_of_the_checked_write_writes_exactly_what_was_computed(
        ledger: Ledger, db: Database, reference: str | None, accounts: int) -> None:
    """Accounts locked by index probes or through a join; columns packed, or arrays when client text
    holds a separator. Each form writes the same journal, or nothing when a row differs."""
    payer = await funded(ledger, 1_000_000)
    payees = [await wallet(ledger) for _ in range(accounts - 1)]
    first = [transfer(new_id("cid"), payer.id, payee.id, 10) for payee in payees]
    await ledger.post_transactions(None, first, linked=False)  # every account remembered from now on
    states = ledger.states()
    predicted, mispredicted = states.predicted, states.mispredicted
    specs = [transfer(new_id("cid"), payer.id, payee.id, 1 + i, external_reference=reference)
             for i, payee in enumerate(payees)]
    results = await ledger.post_transactions(None, specs, linked=False)
    assert (states.predicted, states.mispredicted) == (predicted + 1, mispredicted)
    stored = await ledger.transactions(None, [r.id for r in results])  # type: ignore[union-attr]
    assert sorted((t.client_id, t.external_reference) for t in stored) == sorted((s.client_id, reference) for s in specs)
    payer_now = await ledger.get_account(None, payer.id)
    assert payer_now.version == 1 + 2 * len(payees)
    assert payer_now.posted == 1_000_000 - 10 * len(payees) - sum(range(1, len(payees) + 1))
    other = Ledger(db)  # behind this process's back: the next prediction misses, in the same form
    await other.transfer(None, new_id("cid"), payer.id, payees[0].id, 5)
    again = await ledger.post_transactions(None, [transfer(new_id("cid"), payer.id, payee.id, 1, external_reference=reference)
                                            for payee in payees], linked=False)
    assert states.mispredicted == mispredicted + 1
    assert not [r for r in again if isinstance(r, ProblemError)]
    report = await verify(db)
    assert report.ok, report.problems


async def test_a_hold_makes_the_process_forget_its_accounts(ledger: Ledger, db: Database) -> None:
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])
    await ledger.create_holds(None, [HoldSpec(new_id("cid"), alice.id, bob.id, 800, utcnow().replace(year=2100))])
    states = ledger.states()
    predicted, mispredicted = states.predicted, states.mispredicted
    results = await ledger.post_transactions(None, [transfer(new_id("cid"), alice.id, bob.id, 150)], linked=False)
    assert isinstance(results[0], ProblemError) and results[0].code == "INSUFFICIENT_FUNDS"  # 100 available
    assert (states.predicted, states.mispredicted) == (predicted, mispredicted)  # read from the locked rows
    report = await verify(db)
    assert report.ok, report.problems


@pytest.mark.parametrize("failure", ["before_commit", "linked_refusal"])
async def test_a_failed_unit_leaves_nothing_to_compute_on(ledger: Ledger, db: Database, failure: str) -> None:
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])
    states = ledger.states()
    mispredicted = states.mispredicted
    if failure == "before_commit":
        def crash(point: str) -> None:
            raise RuntimeError(point)

        ledger.fault = crash
        with pytest.raises(RuntimeError):
            await ledger.post_transactions(None, [transfer(new_id("cid"), alice.id, bob.id, 500)])
        ledger.fault = None
    else:  # the second transfer is refused, so the first is not kept either
        with pytest.raises(ProblemError):
            await ledger.post_transactions(None, [transfer(new_id("cid"), alice.id, bob.id, 500),
                                            transfer(new_id("cid"), alice.id, bob.id, 500)])
    [result] = await ledger.post_transactions(None, [transfer(new_id("cid"), alice.id, bob.id, 700)], linked=False)
    assert not isinstance(result, ProblemError)
    assert states.mispredicted == mispredicted  # the failed unit's rows were forgotten, not predicted on
    assert (await ledger.get_account(None, alice.id)).posted == 200
    report = await verify(db)
    assert report.ok, report.problems


async def test_a_predicted_unit_is_one_statement_outside_a_transaction(ledger: Ledger, db: Database,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [1])  # bob is remembered from now on
    sent: list[str] = []
    for name in ("execute", "fetch", "fetchval", "fetchrow"):
        original = getattr(asyncpg.Connection, name)

        async def spy(self: asyncpg.Connection, query: str, *args: object, _original: Any = original) -> Any:
            sent.append(query.strip().upper())
            return await _original(self, query, *args)

        monkeypatch.setattr(asyncpg.Connection, name, spy)
    states = ledger.states()
    before = states.predicted
    await _batch(ledger, alice.id, bob.id, [1, 2, 3])
    assert states.predicted == before + 1
    # Besides the pool's liveness check: one statement, and no lock statement or COMMIT of its own.
    ledger_statements = [q for q in sent if q not in ("BEGIN;", ";", "ROLLBACK;")]
    assert len(ledger_statements) == 1 and ledger_statements[0].startswith("WITH")
    assert "FOR UPDATE" in ledger_statements[0] and "INSERT INTO LEDGER_ENTRIES" in ledger_statements[0]
    assert (await ledger.get_account(None, alice.id)).posted == 1_000 - 7
    report = await verify(db)
    assert report.ok, report.problems
