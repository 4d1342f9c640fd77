"""64 concurrent writers moving money among a few hot and many cold accounts, retrying the same ids.

Afterwards: the total per asset is conserved, no customer balance was ever below zero (every
running balance is checked, not just the final one), every balance is the fold of its entries
with contiguous versions, and no client id was posted twice.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from core.ledger.api import Ledger, NewAccount, Transaction
from core.ledger.verify import verify
from core.platform.db import Database
from core.platform.problems import ProblemError

WRITERS = 64
HOT, COLD = 4, 60
START = 10_000


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def test_64_concurrent_writers(db: Database, backend: str) -> None:
    rounds = 25 if backend == "postgresql" else 6
    ledger = Ledger(db)
    accounts = []
    for i in range(HOT + COLD):
        account = await ledger.open_account(NewAccount(f"open-{i}", "PERSON", f"usr_{i}", "EUR"))
        await ledger.top_up(f"fund-{i}", account.id, START)
        accounts.append(account.id)
    hot, cold = accounts[:HOT], accounts[HOT:]
    applied: dict[str, Transaction] = {}
    refused: dict[str, str] = {}

    async def send(client_id: str, source: str, target: str, amount: int) -> None:
        try:
            txn = await ledger.transfer(client_id, source, target, amount)
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

    report = await verify(db)
    assert report.ok, report.problems
    async with db.unit_of_work() as session:
        postings = (await session.execute(text(
            "SELECT count(*), count(DISTINCT client_id) FROM ledger_transactions WHERE type = 'TRANSFER'"))).one()
        assert postings == (len(applied), len(applied))
        running = (await session.execute(text(
            "SELECT e.balance_after FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id "
            "WHERE a.type = 'CUSTOMER_WALLET'"))).scalars().all()
    assert min(int(v) for v in running) >= 0
    balances = [(await ledger.get_account(a)).posted for a in accounts]
    assert sum(balances) == START * len(accounts)
    world = await ledger.system_account("EXTERNAL_WORLD", "EUR")
    assert sum(balances) + world.posted == 0
