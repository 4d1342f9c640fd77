"""Platform settings from `DARCA_*` environment variables, with embedded defaults."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class GrpcCaller(BaseModel):
    """One service credential of the gRPC server: only the SHA-256 of the token is configured."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,62}$", description="The caller, such as payments or fx.")
    token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Lower-case hex SHA-256 of the bearer token.")
    scopes: frozenset[str] = Field(min_length=1, description="Scopes granted, such as ledger:read, ledger:write.")

    @field_validator("scopes")
    @classmethod
    def _scope_names(cls, value: frozenset[str]) -> frozenset[str]:
        for scope in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*:[a-z][a-z0-9_]*", scope):
                raise ValueError(f"{scope!r} is not a scope (such as ledger:read)")
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DARCA_", extra="ignore")

    environment: Literal["SANDBOX", "PRODUCTION"] = Field(
        "SANDBOX", description="SANDBOX enables test-only operations; PRODUCTION refuses them."
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///var/darca.db",
        description="SQLAlchemy URL; postgresql://… is run through asyncpg.",
    )
    database_pool_size: int = Field(
        30, ge=1, description="PostgreSQL: connections each process may hold. They are opened as load needs them "
        "and kept; a request that finds all of them busy waits (database_pool_timeout_seconds).")
    database_pool_timeout_seconds: float = Field(
        5.0, gt=0, description="PostgreSQL: how long a request waits for a free pooled connection before it is "
        "answered 503 DATABASE_UNAVAILABLE.")
    database_connect_timeout_seconds: float = Field(
        5.0, gt=0, description="PostgreSQL: how long opening a connection may take before it counts as an outage.")
    broker_url: str = Field(
        "memory://", description="memory:// (in-process bus), amqp://… (RabbitMQ), nats://… (NATS JetStream)."
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    public_url: str | None = Field(
        None, description="The URL clients reach the API at (scheme, host, optional port and path prefix), as a "
        "proxy or load balancer publishes it; the served OpenAPI's `servers` and the docs show it. Default: "
        "http://<DARCA_HTTP_HOST>:<DARCA_HTTP_PORT>.")
    cors_origins: str = Field(
        "", description="Comma-separated browser origins (scheme://host[:port]) allowed to call the API from "
        "another origin (CORS). Empty: no cross-origin access.")
    workers: int = Field(
        default_factory=available_cores, ge=1,
        description="Processes serving the HTTP and gRPC ports, each with the whole runtime (default: the cores "
        "this process may run on). PostgreSQL only: on SQLite the platform runs one process and says so.")
    grpc_port: int = Field(50051, description="Port of the gRPC server; 0 turns it off.")
    grpc_callers: list[GrpcCaller] = Field(
        default_factory=list,
        description="Service credentials of gRPC callers, as JSON: "
        '[{"name": "payments", "token_sha256": "<hex>", "scopes": ["ledger:read", "ledger:write"]}]. '
        "Empty: SANDBOX serves one generated development credential, PRODUCTION does not start gRPC.",
    )
    grpc_sandbox_token_file: str = Field(
        "var/grpc-sandbox-token",
        description="SANDBOX without grpc_callers: where the generated development credential is kept.",
    )
    grpc_tls_cert_file: str | None = Field(
        None, description="PEM certificate chain of the gRPC server; with grpc_tls_key_file the port speaks TLS only."
    )
    grpc_tls_key_file: str | None = Field(None, description="PEM private key of grpc_tls_cert_file.")
    grpc_plaintext: bool = Field(
        False,
        description="PRODUCTION: serve gRPC without TLS, for a port only reachable through a proxy or service "
        "mesh that encrypts the traffic. SANDBOX serves plaintext without TLS files anyway.",
    )
    operator_api_key: SecretStr | None = Field(
        None, description="API key with the platform:admin scope; operator operations are refused without it."
    )
    max_body_bytes: int = Field(1_048_576, ge=1, description="Largest request body accepted.")
    body_read_timeout_seconds: float = Field(
        10.0, gt=0, description="How long a request body may take to arrive in full (408 after that), so a client "
        "whose Content-Length overstates its body cannot hold a connection.")
    trusted_proxies: str = Field(
        "", description="Comma-separated addresses or CIDR networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed. Empty: forwarded headers never count, the peer address is the client.")
    idempotency_retention_hours: int = Field(24, ge=1)
    idempotency_lock_seconds: int = Field(60, ge=1, description="After this, an in-flight key of a crashed request can be taken over.")
    auth_cache_stale_after_ms: int = Field(
        800, ge=0, description="How long a cached session or API key may be served without the revocation channel "
        "vouching for it (ADR 0015): the bound on a revocation the channel lost. 0 turns the cache off.")
    relay_poll_ms: int = Field(500, ge=10, description="Outbox relay poll interval when idle.")
    relay_batch_size: int = Field(200, ge=1)
    relay_enabled: bool = True
    ledger_expiry_poll_ms: int = Field(1000, ge=0, description="How often held funds past their deadline are released; 0 turns the job off.")
    ledger_predict: bool = Field(True, description="Ledger units of work compute on the account rows the previous unit of the process left, and write only if the locked rows are the ones they computed on (ADR 0005). Turn off where several processes write the same accounts so often that predictions keep missing (metric darca_ledger_predictions).")
    kyc_poll_ms: int = Field(1000, ge=0, description="How often the KYC worker polls the provider for pending checks; 0 turns the worker off.")
    kyc_sandbox_delay_ms: int = Field(2000, ge=0, description="How long the sandbox KYC provider takes to decide a check.")
    password_hash_profile: Literal["production", "test"] = Field(
        "production", description="argon2id cost of new password hashes: production (the OWASP minimum m=19 MiB, "
        "t=2, p=1; ADR 0016) or test (cheapest: only for the test suite, never for real passwords).")
    password_hash_threads: int | None = Field(
        None, ge=1, description="Threads that hash and verify passwords, off the event loop. Default: the cores "
        "this process may use.")
    password_hash_max_waiting: int | None = Field(
        None, ge=0, description="Password checks (logins, registrations) that may wait for a hashing thread; one "
        "more is refused at once with 429 PASSWORD_CHECKS_BUSY and Retry-After. Default: 4 per thread.")
    log_level: str = "INFO"
    log_json: bool = True
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    otel_endpoint: str | None = None
    docs_dir: str = "build/docs"
    modules_dir: str = "modules"
    disabled_modules: str = Field("", description="Comma-separated module ids switched off on this deployment.")
    smtp_host: str | None = Field(None, description="SMTP server for email; without it mail lands in the local spool.")
    smtp_port: int = 25
    mail_from: str = "DARCA <no-reply@darca.local>"
    mail_spool_dir: str = Field("var/mail", description="Where email goes (one .eml per message) when no SMTP host is set.")
    notification_poll_ms: int = Field(1000, ge=10, description="How often the notification dispatcher looks for due messages when idle.")
    notification_max_attempts: int = Field(8, ge=1, description="Delivery attempts of one email or SMS before it is FAILED.")
    notification_retry_base_ms: int = Field(5000, ge=1, description="Back-off after the first failed delivery; doubles with each attempt (at most 1 h).")
    notification_dispatch_enabled: bool = Field(True, description="Run the notification dispatcher in this process.")
    webauthn_rp_id: str = Field("localhost", min_length=1, description="WebAuthn relying party id: the domain passkeys are bound to.")
    webauthn_rp_name: str = Field("DARCA", min_length=1, description="Relying party name shown by the authenticator.")
    default_wallet_assets: str | None = Field(
        None, description="Comma-separated asset codes of the wallets a person gets when they become ACTIVE "
        "(e.g. EUR,USD). Unset: every asset of the default registry (core/assets/registry.yaml); empty: none.")
    webauthn_origins: str = Field("http://localhost:8000", min_length=1, description="Comma-separated origins passkey ceremonies may come from.")

    @field_validator("default_wallet_assets")
    @classmethod
    def _asset_codes(cls, value: str | None) -> str | None:
        if value is None:
            return None
        codes = [c.strip() for c in value.split(",") if c.strip()]
        for code in codes:
            if not re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", code):
                raise ValueError(f"{code!r} is not an asset code (such as EUR)")
        return ",".join(dict.fromkeys(codes))

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        for plain, driver in (("postgresql://", "postgresql+asyncpg://"), ("postgres://", "postgresql+asyncpg://"),
                              ("sqlite://", "sqlite+aiosqlite://")):
            if value.startswith(plain):
                return driver + value[len(plain):]
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("public_url must be an http(s) URL without query or fragment, e.g. https://api.bank.example")
        return value.rstrip("/")

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for origin in _split(value):
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
                raise ValueError(f"CORS origin {origin!r} is not scheme://host[:port]")
        return value

    @field_validator("grpc_callers")
    @classmethod
    def _distinct_tokens(cls, value: list[GrpcCaller]) -> list[GrpcCaller]:
        digests = [c.token_sha256 for c in value]
        if len(set(digests)) != len(digests):
            raise ValueError("two gRPC callers share one token")
        return value

    @model_validator(mode="after")
    def _tls_pair(self) -> Settings:
        if (self.grpc_tls_cert_file is None) != (self.grpc_tls_key_file is None):
            raise ValueError("grpc_tls_cert_file and grpc_tls_key_file go together")
        return self

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def sandbox(self) -> bool:
        return self.environment == "SANDBOX"

    @property
    def api_base_url(self) -> str:
        """Where clients reach the API: the configured public URL, else the HTTP listener's address."""
        return self.public_url or f"http://{self.http_host}:{self.http_port}"

    @property
    def cors_origin_list(self) -> list[str]:
        return _split(self.cors_origins)


def _split(value: str) -> list[str]:
    return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
