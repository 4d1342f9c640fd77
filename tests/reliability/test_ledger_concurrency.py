"""64 concurrent writers moving money among a few hot and many cold accounts, retrying the same ids;
and two processes posting batches that compute on predicted rows over the same accounts.

Afterwards: the total per asset is conserved, no customer balance was ever below zero (every
running balance is checked, not just the final one), every balance is the fold of its entries
with contiguous versions, and no client id was posted twice.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import text

from core.ledger.api import HoldSpec, Ledger, NewAccount, Transaction, TransactionSpec
from core.ledger.models import transfer
from core.ledger.verify import verify
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.problems import ProblemError

# concurrent writers, on both engines; long by design
pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.timeout(300)]

WRITERS = 64
HOT, COLD = 4, 60
START = 10_000


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def funded_accounts(ledger: Ledger, count: int) -> list[str]:
    accounts = []
    for i in range(count):
        account = await ledger.open_account(None, NewAccount(f"open-{i}", "PERSON", f"usr_{i}", "EUR"))
        await ledger.top_up(None, f"fund-{i}", account.id, START)
        accounts.append(account.id)
    return accounts


async def check_invariants(db: Database, ledger: Ledger, accounts: list[str], applied: int) -> None:
    """The verifier's checks; each applied transfer posted once; no running balance below zero;
    the money of `accounts` conserved, and the external world's the negative of it."""
    report = await verify(db)
    assert report.ok, report.problems
    async with db.unit_of_work() as session:
        postings = (await session.execute(text(
            "SELECT count(*), count(DISTINCT client_id) FROM ledger_transactions WHERE type = 'TRANSFER'"))).one()
        assert postings == (applied, applied)
        running = (await session.execute(text(
            "SELECT e.balance_after FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id "
            "WHERE a.type = 'CUSTOMER_WALLET'"))).scalars().all()
    assert min(int(v) for v in running) >= 0
    balances = [(await ledger.get_account(None, a)).posted for a in accounts]
    assert sum(balances) == START * len(accounts)
    world = await ledger.system_account(None, "EXTERNAL_WORLD", "EUR")
    assert sum(balances) + world.posted == 0


async def test_64_concurrent_writers(db: Database, backend: str) -> None:
    rounds = 25 if backend == "postgresql" else 6
    ledger = Ledger(db)
    accounts = await funded_accounts(ledger, HOT + COLD)
    hot, cold = accounts[:HOT], accounts[HOT:]
    applied: dict[str, Transaction] = {}
    refused: dict[str, str] = {}

    async def send(client_id: str, source: str, target: str, amount: int) -> None:
        try:
            txn = await ledger.transfer(None, client_id, source, target, amount)
        except ProblemError as problem:
            assert problem.code == "INSUFFICIENT_FUNDS", problem
            assert refused.setdefault(client_id, problem.code) == problem.code
            assert client_id not in applied
            return
        assert applied.setdefault(client_id, txn).id == txn.id, "a retry of the same id gave another transaction"
        assert client_id not in refused

    async def writer(number: int) -> None:
        rng = random.Random(number)
        for step in range(rounds):
            pool = hot if rng.random() < 0.6 else cold
            source, target = rng.sample(pool, 2) if rng.random() < 0.5 else (rng.choice(hot), rng.choice(cold))
            if rng.random() < 0.5:
                source, target = target, source
            client_id = f"w{number}-{step}"
            amount = rng.randint(1, 4_000)
            if step % 4 == 0:  # a client retrying while its first attempt is still in flight
                await asyncio.gather(send(client_id, source, target, amount), send(client_id, source, target, amount))
            else:
                await send(client_id, source, target, amount)
            if step % 5 == 0:  # and a late retry
                await send(client_id, source, target, amount)

    await asyncio.gather(*(writer(n) for n in range(WRITERS)))
    assert applied, "nothing was applied"
    await check_invariants(db, ledger, accounts, len(applied))


@pytest.mark.backends("postgresql")
async def test_two_processes_predicting_over_the_same_accounts(db: Database) -> None:
    """Batches computing on predicted rows, from two processes (two facades, each its
    own memory) over the same hot accounts, with holds changing them behind both, and batches
    retried while in flight and late: predictions miss, units run again, and nothing is lost."""
    first, second = Ledger(db), Ledger(db)
    accounts = await funded_accounts(first, HOT + 8)
    hot = accounts[:HOT]
    applied: dict[str, str] = {}
    refused: set[str] = set()

    async def send(ledger: Ledger, specs: list[TransactionSpec]) -> None:
        for spec, result in zip(specs, await ledger.post_transactions(None, specs, linked=False), strict=True):
            if isinstance(result, ProblemError):
                assert result.code == "INSUFFICIENT_FUNDS", result
                refused.add(spec.client_id)
                assert spec.client_id not in applied
            else:
                assert applied.setdefault(spec.client_id, result.id) == result.id, "a retry gave another transaction"
                assert spec.client_id not in refused

    async def sender(ledger: Ledger, name: str) -> None:
        rng = random.Random(name)
        for step in range(12):
            specs = []
            for i in range(rng.randint(6, 12)):
                source, target = rng.sample(hot if rng.random() < 0.7 else accounts, 2)
                specs.append(transfer(f"{name}-{step}-{i}", source, target, rng.randint(1, 3_000)))
            if step % 3 == 0:  # the same batch retried while the first attempt is in flight
                await asyncio.gather(send(ledger, specs), send(ledger, specs))
            else:
                await send(ledger, specs)
            if step % 4 == 1:  # a hold reserves and releases funds behind both processes' memories
                [hold] = await ledger.create_holds(None, [HoldSpec(f"{name}-hold-{step}", rng.choice(hot), accounts[-1], 1,
                                                             utcnow() + timedelta(hours=1))])
                if not isinstance(hold, ProblemError):
                    await ledger.void_hold(None, f"{name}-void-{step}", hold.id)
            if step % 5 == 2:  # and a late retry
                await send(ledger, specs)

    await asyncio.gather(*(sender(ledger, f"{label}{n}") for label, ledger in (("a", first), ("b", second))
                           for n in range(4)))
    assert applied, "nothing was applied"
    states = (first.states(), second.states())
    assert sum(s.predicted for s in states) > 0 and sum(s.mispredicted for s in states) > 0
    await check_invariants(db, first, accounts, len(applied))
    assert [(await second.get_account(None, a)).pending for a in hot] == [0] * HOT  # every hold voided
