"""`python -m app grpc-credential`: a token for the caller, and only its digest for the configuration."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.grpc_auth import ServiceCredentials, token_digest
from core.platform.settings import Settings


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
