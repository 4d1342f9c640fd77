"""A ledger facade over a fresh migrated database (SQLite and PostgreSQL), plus funding helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.ledger.api import Ledger, NewAccount
from core.platform.db import Database
from core.platform.ids import new_id


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def ledger(db: Database) -> Ledger:
    return Ledger(db, sandbox=True)


async def wallet(ledger: Ledger, asset: str = "EUR", owner: str | None = None, **extra: object):  # type: ignore[no-untyped-def]
    return await ledger.open_account(None, NewAccount(new_id("cid"), "PERSON", owner or new_id("usr"), asset, **extra))  # type: ignore[arg-type]


async def funded(ledger: Ledger, amount: int, asset: str = "EUR", **extra: object):  # type: ignore[no-untyped-def]
    account = await wallet(ledger, asset, **extra)
    if amount:
        await ledger.top_up(None, new_id("cid"), account.id, amount)
    return await ledger.get_account(None, account.id)
