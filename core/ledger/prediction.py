"""Predicted account states: the units of work of one process take turns to compute, and a unit
may compute on the account rows the previous unit left in memory while that unit's write and
commit are still on their way. Its write is then one statement (the checked write,
core/ledger/repository.py) that locks its rows as always, compares them with what it predicted
and writes only if they are equal; any other row (the previous unit rolled back, another process
or a hold changed the account) means nothing is written and the unit runs again on the locked
rows. Correctness stays with the locked rows; only work is at stake (ADR 0005, fifth and sixth
passes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

MAX_REMEMBERED = 50_000  # account rows kept per process, ~0.9 KB each (oldest dropped first)


class Mispredicted(Exception):
    """The locked rows differ from the predicted ones: the unit runs again without prediction."""


class AccountStates:
    """The account rows as the last unit of this process to compute on them left them."""

    def __init__(self, limit: int = MAX_REMEMBERED) -> None:
        self.turn = asyncio.Lock()  # held by a unit from its lock until its state is remembered
        self.limit = limit
        self._rows: dict[str, dict[str, Any]] = {}
        self.predicted = self.mispredicted = 0

    def predict(self, ids: Iterable[str]) -> dict[str, Mapping[str, Any]] | None:
        """The remembered rows, or None when one of them is not remembered. They are never changed
        once remembered (`remember` stores copies, and replaces rather than updates them): a unit
        computes on copies of its own."""
        rows = self._rows
        found = {}
        for account_id in ids:
            row = rows.get(account_id)
            if row is None:
                return None
            found[account_id] = row
        return found

    def remember(self, rows: Iterable[Mapping[str, Any]]) -> None:
        remembered = self._rows
        for row in rows:
            remembered.pop(row["id"], None)  # re-inserted last: the oldest rows go first
            remembered[row["id"]] = dict(row)
        while len(remembered) > self.limit:
            del remembered[next(iter(remembered))]

    def forget(self, ids: Iterable[str]) -> None:
        for account_id in ids:
            self._rows.pop(account_id, None)
