"""`python -m app ledger …`: operator tools for the ledger."""

from __future__ import annotations

import typer

from core.ledger.verify import verify

from .db_command import run_on_database

ledger_cli = typer.Typer(help="Ledger operator tools", no_args_is_help=True, add_completion=False)


@ledger_cli.command("verify")
def verify_command(details: bool = typer.Option(False, "--details", help="List the first problems found.")) -> None:
    """Recompute every balance from the journal, check zero sums, the trial balance and the hash chains."""
    report = run_on_database(verify)
    typer.echo(report.verdict())
    if details:
        for problem in report.problems:
            typer.echo(f"  - {problem}")
    raise typer.Exit(0 if report.ok else 1)
