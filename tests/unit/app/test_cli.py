"""`python -m app grpc-credential`: a token for the caller, and only its digest for the configuration;
`python -m app run`: a banner without secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.grpc_auth import ServiceCredentials, token_digest
from core.platform.settings import Settings, get_settings


def test_grpc_credential_prints_a_token_and_its_configuration_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(cli, ["grpc-credential", "payments", "--scope", "ledger:write", "--scope", "ledger:read"])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    token = lines[1]
    entry = json.loads(lines[3])
    assert entry == {"name": "payments", "token_sha256": token_digest(token), "scopes": ["ledger:read", "ledger:write"]}
    monkeypatch.setenv("DARCA_GRPC_CALLERS", json.dumps([entry]))  # the entry is what the setting reads
    accepted = ServiceCredentials(Settings().grpc_callers).resolve(f"Bearer {token}")
    assert accepted is not None and accepted.principal.id == "payments"


@pytest.mark.parametrize(("args", "message"), [
    (["payments", "--scope", "ledger:wirte"], "unknown scope(s) ledger:wirte"),
    (["Payments Team", "--scope", "ledger:read"], "String should match pattern"),
])
def test_grpc_credential_refuses_what_the_server_would_not_accept(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["grpc-credential", *args])
    assert result.exit_code == 2 and message in result.output


def test_run_banner_shows_no_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    async def migrated(_settings: Settings) -> list[str]:
        return []

    served: list[object] = []
    monkeypatch.setattr("app.cli.run_migrations", migrated)
    # no app is built and no server started: building one configures logging onto the runner's stream,
    # closed after the run
    monkeypatch.setattr("app.workers.serve", served.append)
    token_file = tmp_path / "grpc-sandbox-token"
    env = {"DARCA_DATABASE_URL": "postgresql://darca:db-s3cret@db.internal:5432/darca",
           "DARCA_BROKER_URL": "amqp://darca:mq-s3cret@mq.internal:5672/", "DARCA_ENVIRONMENT": "SANDBOX",
           "DARCA_GRPC_CALLERS": "[]", "DARCA_GRPC_SANDBOX_TOKEN_FILE": str(token_file)}
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["run"], env=env)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert len(served) == 1  # the banner came before the server would have started
    assert "database     postgresql+asyncpg://darca:***@db.internal:5432/darca" in result.output
    assert "event bus    amqp://darca:***@mq.internal:5672/" in result.output
    assert f"authorization: Bearer $(cat {token_file})" in result.output
    for secret in ("db-s3cret", "mq-s3cret", token_file.read_text().strip()):
        assert secret not in result.output
