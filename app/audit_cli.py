"""`python -m app audit …`: operator tools for the audit trail."""

from __future__ import annotations

import typer

from core.audit.verify import verify

from .db_command import run_on_database

audit_cli = typer.Typer(help="Audit trail tools", no_args_is_help=True, add_completion=False)


@audit_cli.command("verify")
def verify_command() -> None:
    """Recompute the audit hash chain and report the first broken link (exit code 1 when broken)."""
    report = run_on_database(verify)
    typer.echo(report.verdict())
    raise typer.Exit(0 if report.ok else 1)
