"""The audit chain on SQLite and PostgreSQL: appends link up, verify finds the first broken link,
PostgreSQL refuses UPDATE/DELETE/TRUNCATE, and `python -m app audit verify` reports the verdict."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from app.cli import cli
from core.audit.api import AuditEntry, record, verify
from core.audit.hashing import GENESIS
from core.platform.db import Database
from core.platform.settings import get_settings

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the chain is appended under a lock; triggers on PostgreSQL


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def _append(db: Database, count: int) -> list[str]:
    hashes = []
    for n in range(count):
        async with db.unit_of_work() as session:
            row = await record(
                session,
                AuditEntry(
                    actor_id="usr_a",
                    actor_kind="USER",
                    action="identity.login",
                    result="SUCCESS" if n % 2 else "FAILURE",
                    target=f"ses_{n}",
                    reason=None if n % 2 else "WRONG_PASSWORD",
                    device_id="dev_1",
                    client_ip="198.51.100.7",
                    details={"n": n, "aal": "AAL1"},
                ),
            )
            hashes.append((row.previous_hash, row.hash))
    return hashes


async def test_entries_link_to_the_previous_one_and_verify(db: Database) -> None:
    links = await _append(db, 4)
    assert links[0][0] == GENESIS
    assert all(links[i][0] == links[i - 1][1] for i in range(1, 4))
    report = await verify(db)
    assert report.ok and report.checked == 4, report.verdict()


async def test_an_empty_log_verifies(db: Database) -> None:
    report = await verify(db)
    assert report.ok and report.checked == 0


async def test_an_unknown_result_is_refused(db: Database) -> None:
    with pytest.raises(ValueError):
        async with db.unit_of_work() as session:
            await record(session, AuditEntry(actor_id="u", actor_kind="USER", action="x", result="MAYBE"))


@pytest.mark.backends("postgresql")  # append-only triggers exist on PostgreSQL only
async def test_postgres_refuses_update_delete_and_truncate(db: Database) -> None:
    await _append(db, 1)
    for statement in (
        "UPDATE audit_entries SET result = 'SUCCESS'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.unit_of_work() as session:
                await session.execute(text(statement))
    assert (await verify(db)).checked == 1


async def _tamper(db: Database, statement: str) -> None:
    # Only possible where no trigger guards the table: SQLite, or PostgreSQL with triggers disabled by a superuser.
    async with db.unit_of_work() as session:
        if db.dialect == "postgresql":
            await session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
        await session.execute(text(statement))
        if db.dialect == "postgresql":
            await session.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER USER"))


async def test_verify_reports_the_first_edited_entry(db: Database) -> None:
    await _append(db, 5)
    await _tamper(
        db,
        "UPDATE audit_entries SET result = 'SUCCESS' WHERE sequence IN "
        "(SELECT sequence FROM audit_entries ORDER BY sequence LIMIT 1 OFFSET 2)",
    )
    report = await verify(db)
    assert not report.ok
    assert report.checked == 2
    assert report.problem == "content does not match its hash"


async def test_verify_reports_a_removed_entry_at_the_link_after_it(db: Database) -> None:
    await _append(db, 5)
    await _tamper(
        db,
        "DELETE FROM audit_entries WHERE sequence IN "
        "(SELECT sequence FROM audit_entries ORDER BY sequence LIMIT 1 OFFSET 1)",
    )
    report = await verify(db)
    assert not report.ok and report.checked == 1
    assert report.problem == "previous_hash does not match the entry before it"


async def test_cli_verify_prints_the_verdict_and_exit_code(
    db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _append(db, 3)
    monkeypatch.setenv("DARCA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        # The CLI runs its own event loop, so run it in a worker thread off the test's loop.
        import asyncio

        runner = CliRunner()
        good = await asyncio.to_thread(runner.invoke, cli, ["audit", "verify"])
        assert good.exit_code == 0, good.output
        assert "audit chain OK: 3 entries verified" in good.output
        await _tamper(
            db,
            "UPDATE audit_entries SET actor_id = 'usr_b' WHERE sequence IN (SELECT max(sequence) FROM audit_entries)",
        )
        bad = await asyncio.to_thread(runner.invoke, cli, ["audit", "verify"])
        assert bad.exit_code == 1, bad.output
        assert "BROKEN at entry #" in bad.output and "2 verified before it" in bad.output
    finally:
        get_settings.cache_clear()
