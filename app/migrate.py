"""Schema migrations (Alembic) plus the reference data every deployment needs (default assets)."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config

from core.assets.api import sync_default_assets
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.outbox import publishers_for
from core.platform.security import Principal
from core.platform.settings import Settings

from .runtime import ROOT

SYSTEM = Principal("system", "SYSTEM")


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    return config


async def migrate(settings: Settings) -> list[str]:
    """Bring the schema to head and register missing default assets; returns the codes added."""
    await asyncio.to_thread(command.upgrade, alembic_config(settings.database_url), "heads")
    db = Database(settings.database_url)
    try:
        async with db.unit_of_work() as session:
            ctx = RequestContext(session=session, principal=SYSTEM, request_id="migrate", trace_id=None,
                                 events=publishers_for(session))
            return await sync_default_assets(ctx)
    finally:
        await db.dispose()
