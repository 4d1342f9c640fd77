"""Idempotent consumers: an event is applied at most once per consumer, by its id.

The inbox row and the consumer's own changes commit in one transaction, so a redelivered
event (at-least-once transport) finds the row and is skipped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from .bus import EventHandler
from .clock import utcnow
from .db import Database
from .tables import InboxEvent

Apply = Callable[[AsyncSession, dict[str, Any]], Awaitable[None]]


def idempotent_consumer(db: Database, consumer: str, apply: Apply) -> EventHandler:
    async def handle(envelope: dict[str, Any]) -> None:
        async with db.unit_of_work() as session:
            seen = await session.execute(
                select(InboxEvent.event_id).where(
                    InboxEvent.consumer == consumer, InboxEvent.event_id == envelope["id"]
                ).with_for_update()
            )
            if seen.first() is not None:
                return
            # Inserting first means a concurrent duplicate fails on the primary key and rolls back.
            session.add(
                InboxEvent(consumer=consumer, event_id=envelope["id"], event_type=envelope["type"], processed_at=utcnow())
            )
            await session.flush()
            await apply(session, envelope)

    return handle
