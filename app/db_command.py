"""Running one async job against the configured database from a CLI command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.platform.db import Database
from core.platform.settings import get_settings

T = TypeVar("T")


def run_on_database(job: Callable[[Database], Awaitable[T]]) -> T:
    async def main() -> T:
        db = Database(get_settings().database_url)
        try:
            return await job(db)
        finally:
            await db.dispose()

    return asyncio.run(main())
