"""Migration 0003 moves pending outbox events from stored envelopes to rows of what varies, and
back: the relay publishes the same envelope before and after (nothing in flight is lost or altered)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import JSON, column, select, table, text

from app.migrate import alembic_config
from core.platform.db import Database
from core.platform.outbox import SOURCE, envelope_of
from core.platform.tables import OutboxEvent, UtcDateTime
from generated.asyncapi.publishers import EVENT_TYPES

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # migrations run on each engine

OLD_OUTBOX = table("outbox_events", column("event_id"), column("event_type"), column("partition_key"),
                   column("envelope", JSON()), column("created_at", UtcDateTime()), column("attempts"))
CREATED = datetime(2026, 12, 2, 4, 5, 6, 789012, tzinfo=UTC)
DATAVERSION = EVENT_TYPES["darca.ledger.balance_changed.v1"].dataversion


def _envelope(event_id: str, traceparent: str | None) -> dict:
    envelope = {
        "specversion": "1.0", "id": event_id, "source": SOURCE, "type": "darca.ledger.balance_changed.v1",
        "subject": "account/acc_1", "time": "2026-12-02T04:05:06.789012Z", "datacontenttype": "application/json",
        "dataschema": "/asyncapi.json#/components/schemas/LedgerBalanceChangedData", "partitionkey": "acc_1",
        "data": {"account_id": "acc_1", "asset": "EUR", "posted": "1.00", "pending": "0.00", "available": "1.00",
                 "version": 3, "note": "naïve \"quoted\""},
    }
    if traceparent:
        envelope["traceparent"] = traceparent
    return envelope


async def _rows(db: Database) -> list:
    """The test's own events (a fresh database also holds the default assets' events)."""
    async with db.unit_of_work() as session:
        return list((await session.execute(text(
            "SELECT * FROM outbox_events WHERE event_id LIKE 'evt_0000%' ORDER BY sequence"))).mappings().all())


async def test_pending_events_keep_their_envelopes_across_the_migration(database_url: str) -> None:
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0002")
    before = [_envelope("evt_0000000000000000000000000a", None),
              _envelope("evt_0000000000000000000000000b", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    db = Database(database_url)
    try:
        async with db.unit_of_work() as session:
            for envelope in before:  # as the outbox of revision 0002 wrote them
                await session.execute(OLD_OUTBOX.insert().values(
                    event_id=envelope["id"], event_type=envelope["type"], partition_key=envelope["partitionkey"],
                    envelope=envelope, created_at=CREATED, attempts=0))
        await db.dispose()

        await asyncio.to_thread(command.upgrade, config, "heads")
        rows = await _rows(db)
        assert "envelope" not in rows[0]
        assert [r["subject"] for r in rows] == ["account/acc_1", "account/acc_1"]
        assert [r["traceparent"] for r in rows] == [None, before[1]["traceparent"]]
        async with db.unit_of_work() as session:
            models = (await session.execute(
                select(OutboxEvent).where(OutboxEvent.event_id.like("evt_0000%"))  # type: ignore[attr-defined]
                .order_by(OutboxEvent.sequence))).scalars().all()  # type: ignore[arg-type]
        # what the relay publishes: the same envelopes, plus the release of the schema the relay publishes under
        assert [envelope_of(m) for m in models] == [{**e, "dataversion": DATAVERSION} for e in before]
        await db.dispose()

        await asyncio.to_thread(command.downgrade, config, "0002")
        rows = await _rows(db)
        stored = [r["envelope"] if isinstance(r["envelope"], dict) else json.loads(r["envelope"]) for r in rows]
        assert stored == [{**e, "dataversion": DATAVERSION} for e in before]  # rebuilt as today's relay would
        assert "subject" not in rows[0]
    finally:
        await db.dispose()
