"""Transport security of the gRPC port: TLS from PEM files, plaintext only where that is safe.

Callers send bearer tokens (app/grpc_auth.py); over plaintext anyone on the path could read and
replay them. So PRODUCTION serves TLS, or plaintext only when the operator says a proxy or
service mesh in front of the port encrypts the traffic (`DARCA_GRPC_PLAINTEXT=true`). SANDBOX
(the embedded default on a developer's machine) serves plaintext unless TLS files are given.
See docs/adr/0012-grpc-caller-authentication.md.
"""

from __future__ import annotations

from pathlib import Path

import grpc

from core.platform.settings import Settings


class GrpcTransportNotConfigured(RuntimeError):
    """PRODUCTION without TLS files and without the plaintext opt-in: the gRPC server does not start."""


NOT_CONFIGURED = (
    "The gRPC server carries bearer tokens and needs TLS in PRODUCTION: set DARCA_GRPC_TLS_CERT_FILE and "
    "DARCA_GRPC_TLS_KEY_FILE (PEM), or DARCA_GRPC_PLAINTEXT=true if a proxy or service mesh in front of the "
    "port encrypts the traffic, or DARCA_GRPC_PORT=0 to turn gRPC off."
)


def check_transport(settings: Settings) -> None:
    """Raise GrpcTransportNotConfigured where the port would carry tokens in clear text unannounced."""
    if settings.grpc_tls_cert_file is None and not settings.sandbox and not settings.grpc_plaintext:
        raise GrpcTransportNotConfigured(NOT_CONFIGURED)


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    """TLS credentials from the configured PEM files; None for a plaintext port (where allowed)."""
    check_transport(settings)
    if settings.grpc_tls_cert_file is None or settings.grpc_tls_key_file is None:
        return None
    try:
        chain = Path(settings.grpc_tls_cert_file).read_bytes()
        key = Path(settings.grpc_tls_key_file).read_bytes()
    except OSError as exc:
        raise GrpcTransportNotConfigured(f"The gRPC TLS files cannot be read: {exc}") from exc
    if b"-----BEGIN" not in chain or b"-----BEGIN" not in key:
        raise GrpcTransportNotConfigured("DARCA_GRPC_TLS_CERT_FILE and DARCA_GRPC_TLS_KEY_FILE must be PEM files.")
    return grpc.ssl_server_credentials([(key, chain)])
