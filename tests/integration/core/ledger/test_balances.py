"""Balances at past instants, history with filters and cursors, statements."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from core.ledger.api import HistoryFilter, Ledger
from core.platform.clock import Clock, utcnow

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the ledger's SQL paths (balances)


async def test_as_of_history_and_statement(ledger: Ledger, clock: Clock) -> None:
    alice = await funded(ledger, 1_000)
    bob, carol = await wallet(ledger), await wallet(ledger)
    clock.advance(timedelta(milliseconds=10))
    middle = utcnow()
    clock.advance(timedelta(milliseconds=10))
    for i in range(5):
        await ledger.transfer(None, f"hb-{i}", alice.id, bob.id, 10)
    await ledger.transfer(None, "hc-1", alice.id, carol.id, 100)
    await ledger.transfer(None, "hb-back", bob.id, alice.id, 5)

    assert (await ledger.balance(None, alice.id, as_of=middle)).posted == 1_000
    assert (await ledger.balance(None, alice.id)).posted == 1_000 - 50 - 100 + 5
    assert (await ledger.balance(None, alice.id, as_of=middle.replace(year=2000))).posted == 0

    seen, cursor = [], None
    while True:
        page = await ledger.history(None, alice.id, limit=3, cursor=cursor)
        seen += page.items
        if not page.has_more:
            break
        cursor = page.next_cursor
    versions = [e.account_version for e in seen]
    assert versions == list(range(8, 0, -1))
    for newer, older in itertools.pairwise(seen):
        assert older.balance_after + newer.amount == newer.balance_after

    credits = await ledger.history(None, alice.id, filters=HistoryFilter(direction="CREDIT"))
    assert [e.amount for e in credits.items] == [5, 1_000]
    to_carol = await ledger.history(None, alice.id, filters=HistoryFilter(counterparty_id=carol.id))
    assert [e.amount for e in to_carol.items] == [-100]
    top_ups = await ledger.history(None, alice.id, filters=HistoryFilter(type="TOP_UP"))
    assert len(top_ups.items) == 1
    recent = await ledger.history(None, alice.id, filters=HistoryFilter(start=middle))
    assert len(recent.items) == 7

    statement = await ledger.statement(None, alice.id, middle, utcnow(), limit=4)
    assert (statement.opening_balance, statement.closing_balance) == (1_000, 855)
    assert (statement.total_debits, statement.total_credits) == (150, 5)
    assert [e.account_version for e in statement.entries] == [2, 3, 4, 5] and statement.has_more
