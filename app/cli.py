"""`python -m app …`: the platform's command line."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from core.platform.redaction import redacted
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
    from .workers import serve, worker_count

    settings = get_settings()
    workers, fewer = worker_count(settings)
    transport = "TLS" if settings.grpc_tls_cert_file else "plaintext"
    grpc_lines = f"  gRPC         {settings.http_host}:{settings.grpc_port} ({transport})\n" if settings.grpc_port else ""
    if settings.grpc_port:  # refused before migrating or binding anything
        from .grpc_auth import GrpcAuthNotConfigured, check_callers, sandbox_token
        from .grpc_tls import GrpcTransportNotConfigured, check_transport

        try:
            check_callers(settings)
            check_transport(settings)
        except (GrpcAuthNotConfigured, GrpcTransportNotConfigured) as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        if not settings.grpc_callers:
            token_file = settings.grpc_sandbox_token_file
            sandbox_token(Path(token_file))  # made now, so the file named below exists
            grpc_lines += (f"  gRPC caller  metadata authorization: Bearer $(cat {token_file})\n"
                           f"               (sandbox development credential, kept in {token_file})\n")
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
        + grpc_lines
        + f"  database     {redacted(settings.database_url)}\n"
        f"  event bus    {redacted(settings.broker_url)}\n"
        f"  environment  {settings.environment}\n"
        f"  workers      {workers}" + (f" ({fewer})" if fewer else "")
    )
    serve(settings)


@cli.command("grpc-credential")
def grpc_credential(
    caller: Annotated[str, typer.Argument(help="Who will call, such as payments or fx.")],
    scope: Annotated[list[str], typer.Option("--scope", help="A scope to grant, such as ledger:write; repeatable.")],
) -> None:
    """Make a gRPC service credential: the token for the caller, and the entry for DARCA_GRPC_CALLERS."""
    from pydantic import ValidationError

    from .grpc_auth import known_scopes, new_credential

    unknown = sorted(set(scope) - known_scopes())
    if unknown:
        typer.echo(f"unknown scope(s) {', '.join(unknown)}; the services declare {', '.join(sorted(known_scopes()))}",
                   err=True)
        raise typer.Exit(2)
    try:
        token, entry = new_credential(caller, scope)
    except ValidationError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"token for {caller} (give it to the caller only; it is not stored anywhere):\n  {token}\n"
               "add to the JSON list in DARCA_GRPC_CALLERS:\n  "
               + json.dumps({"name": entry.name, "token_sha256": entry.token_sha256, "scopes": sorted(entry.scopes)}))


@cli.command()
def mail(limit: int = typer.Option(20, help="How many of the newest messages to show.")) -> None:
    """Show the local mail spool (where email goes when no SMTP host is configured)."""
    from core.notifications.api import read_spool

    spool = Path(get_settings().mail_spool_dir)
    messages = read_spool(spool)
    if not messages:
        typer.echo(f"no mail in {spool}")
        return
    for msg in messages[-limit:]:
        typer.echo(f"--- To: {msg['To']}\nSubject: {msg['Subject']}\n\n{msg.get_content().strip()}\n")


@cli.command()
def messages(
    recipient: str | None = typer.Option(None, help="Only messages to this email address or phone number."),
    channel: str | None = typer.Option(None, help="Only EMAIL or only SMS."),
    limit: int = typer.Option(20, min=1, max=100, help="How many of the newest messages to show."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document (the shape of GET /v1/sandbox/messages)."),
) -> None:
    """Show the email and SMS the platform sent, newest first, with their one-time codes (SANDBOX only)."""
    from core.notifications.api import sent_messages
    from core.platform.api import ProblemError, RequestContext
    from core.platform.security import ANONYMOUS

    if channel is not None and channel not in ("EMAIL", "SMS"):
        typer.echo("--channel is EMAIL or SMS", err=True)
        raise typer.Exit(2)
    settings = get_settings()

    async def job(db):  # type: ignore[no-untyped-def]
        async with db.unit_of_work() as session:
            return await sent_messages(RequestContext.of_work(session, ANONYMOUS), sandbox=settings.sandbox,
                                       recipient=recipient, channel=channel, limit=limit, cursor=None)

    from .db_command import run_on_database

    try:
        page = run_on_database(job)
    except ProblemError as problem:
        typer.echo(f"{problem.code}: {problem.detail}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        data = [{"id": m.id, "channel": m.channel, "recipient": m.recipient, "event_type": m.event_type,
                 "subject": m.subject, "body": m.body, **({"code": m.code} if m.code else {}), "status": m.status,
                 "created_at": m.created_at.isoformat()} for m in page.items]
        typer.echo(json.dumps({"has_more": page.has_more, "data": data}, ensure_ascii=False, indent=2))
        return
    if not page.items:
        typer.echo("no messages")
        return
    for m in page.items:
        code = f"  code {m.code}" if m.code else ""
        typer.echo(f"--- {m.created_at.isoformat()} {m.channel} to {m.recipient} ({m.event_type}){code}\n{m.body}\n")


cli.add_typer(ledger_cli, name="ledger")
cli.add_typer(audit_cli, name="audit")


def main() -> None:
    cli()
