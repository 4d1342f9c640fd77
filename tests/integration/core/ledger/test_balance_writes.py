"""The balance updates of a unit of work over few accounts go through the primary key (PostgreSQL):
a unit that moves money between two accounts never reads the whole accounts table.

With the bench's 1,000 accounts and the statement's generic plan, PostgreSQL 15 priced a hash join
over a full read of the table below the unit's few key probes, and read every account (dead
versions included) for every unit of work; with a few hundred accounts it reads them whole either
way, cheaply, and from a few thousand on it probes either way."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from core.ledger.api import Ledger, Posting, TransactionSpec
from core.platform.db import Database
from core.platform.ids import new_id

from .conftest import funded

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # balance rows written by the ledger's SQL

OTHER_ACCOUNTS = 1_000  # as many as the bench opens
COLUMNS = ("owner_type", "type", "rail", "asset", "status", "freeze", "allow_negative", "credit_limit", "max_balance",
           "posted", "pending_debits", "pending_credits", "version", "last_hash", "label", "created_at", "updated_at")


async def account_reads(connection: asyncpg.Connection) -> tuple[int, int]:
    """Whole reads and index reads of ledger_accounts, once every other session of the database has
    ended (a session reports what it read as it exits)."""
    for _ in range(200):
        others = await connection.fetchval("SELECT count(*) FROM pg_stat_activity "
                                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        if not others:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("sessions of the test database did not end")
    row = await connection.fetchrow(
        "SELECT seq_scan, idx_scan FROM pg_stat_user_tables WHERE relname = 'ledger_accounts'")
    return int(row["seq_scan"]), int(row["idx_scan"])


@pytest.mark.backends("postgresql")
async def test_units_over_two_accounts_update_them_by_key(database_url: str) -> None:
    driver_url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    name = make_url(database_url).database
    admin = await asyncpg.connect(driver_url)
    try:
        # Every statement on its generic plan (as a pooled connection's prepared statements soon are):
        # the one planned without the unit's rows, whose count the planner then guesses.
        await admin.execute(f'ALTER DATABASE "{name}" SET plan_cache_mode = force_generic_plan')
        setup = Database(database_url)
        source, target = await funded(Ledger(setup, sandbox=True), 1_000), await funded(Ledger(setup, sandbox=True), 0)
        await setup.dispose()
        names = ", ".join(f'"{column}"' for column in COLUMNS)  # quoted: "freeze" is a keyword
        await admin.execute(f"INSERT INTO ledger_accounts (id, owner_id, {names}) "
                            f"SELECT 'acc_other_' || n, 'usr_other_' || n, {names} "
                            "FROM ledger_accounts, generate_series(1, $2) AS n WHERE id = $1", target.id, OTHER_ACCOUNTS)
        await admin.execute("VACUUM ANALYZE ledger_accounts")
        before = await account_reads(admin)

        db = Database(database_url)
        ledger = Ledger(db, sandbox=True)
        for step in range(8):  # group-committed transfers (predicted, checked writes) and linked units
            await ledger.transfer(None, new_id("cid"), source.id, target.id, 10)
            await ledger.post_transactions(None, [TransactionSpec(new_id("cid"), (Posting(target.id, -5), Posting(source.id, 5)),
                                                            "TRANSFER", {"step": str(step)})])
        assert (await ledger.get_account(None, source.id)).posted == 1_000 - 8 * 5
        await db.dispose()
        after = await account_reads(admin)
        assert after[1] > before[1], "no index reads of ledger_accounts were reported"
        assert after[0] == before[0], f"{after[0] - before[0]} whole reads of ledger_accounts"
    finally:
        await admin.close()
