"""`python -m app ledger …`: operator tools for the ledger."""

from __future__ import annotations

import asyncio

import typer

from core.ledger.verify import Report, verify
from core.platform.db import Database
from core.platform.settings import get_settings

ledger_cli = typer.Typer(help="Ledger operator tools", no_args_is_help=True, add_completion=False)


async def _verify(url: str) -> Report:
    db = Database(url)
    try:
        return await verify(db)
    finally:
        await db.dispose()


@ledger_cli.command("verify")
def verify_command(details: bool = typer.Option(False, "--details", help="List the first problems found.")) -> None:
    """Recompute every balance from the journal, check zero sums, the trial balance and the hash chains."""
    report = asyncio.run(_verify(get_settings().database_url))
    typer.echo(report.verdict())
    if details:
        for problem in report.problems:
            typer.echo(f"  - {problem}")
    raise typer.Exit(0 if report.ok else 1)
