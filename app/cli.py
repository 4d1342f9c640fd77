"""`python -m app …`: the platform's command line."""

from __future__ import annotations

import asyncio

import typer
import uvicorn

from core.platform.settings import get_settings

from .audit_cli import audit_cli
from .ledger_cli import ledger_cli
from .migrate import migrate as run_migrations

cli = typer.Typer(help="DARCA platform", no_args_is_help=True, add_completion=False)


@cli.command()
def migrate() -> None:
    """Apply database migrations and register the default assets."""
    added = asyncio.run(run_migrations(get_settings()))
    typer.echo(f"database at head; default assets added: {', '.join(added) or 'none'}")


@cli.command()
def run(skip_migrations: bool = typer.Option(False, help="Do not migrate before starting.")) -> None:
    """Start the HTTP API (and the gRPC server) on the configured database and bus."""
    from .main import create_app

    settings = get_settings()
    if not skip_migrations:
        asyncio.run(run_migrations(settings))
    base = f"http://{settings.http_host}:{settings.http_port}"
    typer.echo(
        "DARCA platform\n"
        f"  API          {base}/v1\n"
        f"  readiness    {base}/v1/health/ready\n"
        f"  OpenAPI      {base}/openapi.json\n"
        f"  AsyncAPI     {base}/asyncapi.json\n"
        f"  API docs     {base}/docs\n"
        f"  event docs   {base}/docs/events\n"
        f"  metrics      {base}/metrics\n"
        + (f"  gRPC         {settings.http_host}:{settings.grpc_port}\n" if settings.grpc_port else "")
        + f"  database     {settings.database_url}\n"
        f"  event bus    {settings.broker_url}\n"
        f"  environment  {settings.environment}"
    )
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_level="warning")


@cli.command()
def mail(limit: int = typer.Option(20, help="How many of the newest messages to show.")) -> None:
    """Show the local mail spool (where email goes when no SMTP host is configured)."""
    from pathlib import Path

    from core.notifications.mailer import read_spool

    spool = Path(get_settings().mail_spool_dir)
    messages = read_spool(spool)
    if not messages:
        typer.echo(f"no mail in {spool}")
        return
    for msg in messages[-limit:]:
        typer.echo(f"--- To: {msg['To']}\nSubject: {msg['Subject']}\n\n{msg.get_content().strip()}\n")


cli.add_typer(ledger_cli, name="ledger")
cli.add_typer(audit_cli, name="audit")


def main() -> None:
    cli()
