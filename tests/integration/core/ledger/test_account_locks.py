"""The lock statement of a unit of work: few accounts by index probes, many by a join (PostgreSQL)."""

from __future__ import annotations

import asyncpg
import pytest

from core.ledger.api import Ledger
from core.ledger.repository import LOCK_JOIN_FROM
from core.platform.db import Database

from .conftest import wallet


def _driver_url(db: Database) -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.backends("postgresql")
# The unit asks for `count` accounts and one unknown id: both statements, and the sizes on either side of the switch.
@pytest.mark.parametrize("count", [3, LOCK_JOIN_FROM - 2, LOCK_JOIN_FROM - 1, 150])
@pytest.mark.parametrize("driver", [True, False], ids=["driver", "session"])
async def test_a_unit_locks_exactly_its_accounts_in_id_order(ledger: Ledger, db: Database, count: int,
                                                             driver: bool) -> None:
    accounts = [(await wallet(ledger)).id for _ in range(count + 2)]
    wanted, others = accounts[:count], accounts[count:]
    other = await asyncpg.connect(_driver_url(db))
    try:
        async with ledger.units.unit(driver=driver) as service:
            await service.lock(set(wanted) | {"acc_missing"})  # a set (no order) and an unknown id
            assert list(service.accounts) == sorted(wanted)
            assert all(service.accounts[i]["id"] == i and service.accounts[i]["posted"] == 0 for i in wanted)
            for account_id in (wanted[0], wanted[-1]):  # held until the unit ends
                with pytest.raises(asyncpg.LockNotAvailableError):
                    await other.fetch("SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE NOWAIT", account_id)
            assert await other.fetch("SELECT id FROM ledger_accounts WHERE id = ANY($1) FOR UPDATE NOWAIT", others)
        assert await other.fetch("SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE NOWAIT", wanted[0])
    finally:
        await other.close()
