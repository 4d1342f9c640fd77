"""`python -m app audit …`: operator tools for the audit trail."""

from __future__ import annotations

import asyncio

import typer

from core.audit.verify import Report, verify
from core.platform.db import Database
from core.platform.settings import get_settings

audit_cli = typer.Typer(help="Audit trail tools", no_args_is_help=True, add_completion=False)


async def _verify(url: str) -> Report:
    db = Database(url)
    try:
        return await verify(db)
    finally:
        await db.dispose()


@audit_cli.command("verify")
def verify_command() -> None:
    """Recompute the audit hash chain and report the first broken link (exit code 1 when broken)."""
    report = asyncio.run(_verify(get_settings().database_url))
    typer.echo(report.verdict())
    raise typer.Exit(0 if report.ok else 1)
