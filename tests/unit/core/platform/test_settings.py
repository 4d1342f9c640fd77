from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.platform.settings import Settings


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_database_urls_get_the_async_driver(given: str, expected: str) -> None:
    assert Settings(database_url=given).database_url == expected


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DARCA_ENVIRONMENT", "PRODUCTION")
    monkeypatch.setenv("DARCA_MAX_BODY_BYTES", "2048")
    settings = Settings()
    assert settings.environment == "PRODUCTION" and not settings.sandbox
    assert settings.max_body_bytes == 2048


def test_embedded_default_needs_no_services(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DARCA_DATABASE_URL", "DARCA_BROKER_URL", "DARCA_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite+aiosqlite:///var/darca.db"
    assert settings.broker_url == "memory://"
    assert settings.sandbox


def test_grpc_callers_are_read_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    digest = "ab" * 32
    monkeypatch.setenv("DARCA_GRPC_CALLERS",
                       f'[{{"name": "payments", "token_sha256": "{digest}", "scopes": ["ledger:read", "ledger:write"]}}]')
    (caller,) = Settings().grpc_callers
    assert (caller.name, caller.token_sha256, caller.scopes) == ("payments", digest, {"ledger:read", "ledger:write"})


@pytest.mark.parametrize(
    "callers",
    [
        '[{"name": "payments", "token_sha256": "not-hex", "scopes": ["ledger:read"]}]',
        '[{"name": "payments", "token": "dsvc_plain", "scopes": ["ledger:read"]}]',  # never the token itself
        '[{"name": "payments", "token_sha256": "' + "ab" * 32 + '", "scopes": []}]',
        '[{"name": "payments", "token_sha256": "' + "ab" * 32 + '", "scopes": ["ledger"]}]',
        '[{"name": "Payments Team", "token_sha256": "' + "ab" * 32 + '", "scopes": ["ledger:read"]}]',
        '[{"name": "a", "token_sha256": "' + "ab" * 32 + '", "scopes": ["ledger:read"]},'
        ' {"name": "b", "token_sha256": "' + "ab" * 32 + '", "scopes": ["ledger:write"]}]',
    ],
)
def test_grpc_callers_are_validated(monkeypatch: pytest.MonkeyPatch, callers: str) -> None:
    monkeypatch.setenv("DARCA_GRPC_CALLERS", callers)
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize("files", [{"grpc_tls_cert_file": "server.crt"}, {"grpc_tls_key_file": "server.key"}])
def test_a_grpc_certificate_and_its_key_go_together(files: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="go together"):
        Settings(**files)  # type: ignore[arg-type]
    assert Settings(grpc_tls_cert_file="server.crt", grpc_tls_key_file="server.key").grpc_tls_key_file == "server.key"
