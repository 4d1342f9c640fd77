"""Units of work computing on predicted rows (PostgreSQL's transaction path): a unit computes on the
account rows the previous unit of the process left, then locks its rows and compares them before
it writes. Whatever changed the accounts meanwhile — another process, a hold, a unit that failed —
the outcome must be exactly that of computing on the locked rows."""

from __future__ import annotations

import pytest

import core.ledger.api as ledger_api
from core.ledger.api import Ledger, TransactionSpec
from core.ledger.models import HoldSpec, transfer
from core.ledger.verify import verify
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.problems import ProblemError

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("postgresql")


@pytest.fixture(autouse=True)
def every_unit_predicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_api, "PREDICT_FROM", 1)


async def _batch(ledger: Ledger, source: str, target: str, amounts: list[int]) -> list[TransactionSpec]:
    specs = [transfer(new_id("cid"), source, target, amount) for amount in amounts]
    results = await ledger.post_transactions(specs, linked=False)
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
    assert (await ledger.get_account(alice.id)).posted == 10_000 - 600 + 75
    bob_now = await ledger.get_account(bob.id)
    assert (bob_now.posted, bob_now.version) == (600 - 75, 5)
    report = await verify(db)
    assert report.ok, report.problems


async def test_a_change_by_another_process_is_found_and_the_unit_runs_on_the_locked_rows(
        ledger: Ledger, db: Database) -> None:
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])  # this process remembers alice at 900
    other = Ledger(db)  # another API process: its own memory
    await other.transfer(new_id("cid"), alice.id, bob.id, 850)  # alice at 50, behind this process's back
    states = ledger.states()
    before = states.mispredicted
    results = await ledger.post_transactions([transfer(new_id("cid"), alice.id, bob.id, 40),
                                              transfer(new_id("cid"), alice.id, bob.id, 40)], linked=False)
    assert states.mispredicted == before + 1
    # Computed on the locked rows: the second transfer finds 10 left, not the 860 the memory promised.
    assert not isinstance(results[0], ProblemError)
    assert isinstance(results[1], ProblemError) and results[1].code == "INSUFFICIENT_FUNDS"
    assert [e.balance_after for e in results[0].entries if e.account_id == alice.id] == [10]  # type: ignore[union-attr]
    alice_now = await ledger.get_account(alice.id)
    assert (alice_now.posted, alice_now.version) == (10, 4)
    report = await verify(db)
    assert report.ok, report.problems


async def test_a_hold_makes_the_process_forget_its_accounts(ledger: Ledger, db: Database) -> None:
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [100])
    await ledger.create_holds([HoldSpec(new_id("cid"), alice.id, bob.id, 800, utcnow().replace(year=2100))])
    states = ledger.states()
    predicted, mispredicted = states.predicted, states.mispredicted
    results = await ledger.post_transactions([transfer(new_id("cid"), alice.id, bob.id, 150)], linked=False)
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
            await ledger.post_transactions([transfer(new_id("cid"), alice.id, bob.id, 500)])
        ledger.fault = None
    else:  # the second transfer is refused, so the first is not kept either
        with pytest.raises(ProblemError):
            await ledger.post_transactions([transfer(new_id("cid"), alice.id, bob.id, 500),
                                            transfer(new_id("cid"), alice.id, bob.id, 500)])
    [result] = await ledger.post_transactions([transfer(new_id("cid"), alice.id, bob.id, 700)], linked=False)
    assert not isinstance(result, ProblemError)
    assert states.mispredicted == mispredicted  # the failed unit's rows were forgotten, not predicted on
    assert (await ledger.get_account(alice.id)).posted == 200
    report = await verify(db)
    assert report.ok, report.problems


async def test_small_units_lock_before_they_compute(ledger: Ledger, db: Database,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_api, "PREDICT_FROM", 3)
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    await _batch(ledger, alice.id, bob.id, [1])
    states = ledger.states()
    before = states.predicted
    await _batch(ledger, alice.id, bob.id, [1, 2])
    assert states.predicted == before
    await _batch(ledger, alice.id, bob.id, [1, 2, 3])
    assert states.predicted == before + 1
    assert (await ledger.get_account(alice.id)).posted == 1_000 - 10
