"""Service credentials of the gRPC callers tests use (configured by `tests.conftest.make_settings`)."""

from __future__ import annotations

import grpc

from app.grpc_auth import token_digest
from core.platform.settings import GrpcCaller

PAYMENTS_TOKEN = "dsvc_test-payments-0123456789abcdefghijklmnopqrstuvwxyzAB"  # ledger read/write, assets
REPORTS_TOKEN = "dsvc_test-reports-0123456789abcdefghijklmnopqrstuvwxyzABC"  # ledger:read only

CALLERS = [
    GrpcCaller(name="payments", token_sha256=token_digest(PAYMENTS_TOKEN),
               scopes=frozenset({"ledger:read", "ledger:write", "assets:read"})),
    GrpcCaller(name="reports", token_sha256=token_digest(REPORTS_TOKEN), scopes=frozenset({"ledger:read"})),
]


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    """gRPC call metadata carrying a service credential."""
    return (("authorization", f"Bearer {token}"),)


PAYMENTS = bearer(PAYMENTS_TOKEN)
REPORTS = bearer(REPORTS_TOKEN)


class _Bearer(grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    def __init__(self, token: str) -> None:
        self.token = token

    async def intercept_unary_unary(self, continuation, client_call_details, request):  # type: ignore[no-untyped-def]
        metadata = grpc.aio.Metadata(*(client_call_details.metadata or ()))
        metadata.add("authorization", f"Bearer {self.token}")
        return await continuation(client_call_details._replace(metadata=metadata), request)


def service_channel(port: int, token: str | None = PAYMENTS_TOKEN) -> grpc.aio.Channel:
    """A channel to the local gRPC server whose calls carry `token` (none when None)."""
    return grpc.aio.insecure_channel(f"127.0.0.1:{port}", interceptors=[_Bearer(token)] if token else None)


def problem_code(error: grpc.RpcError) -> str | None:
    """The stable problem code of a refused call: google.rpc.ErrorInfo.reason in the rich status
    (grpcio-status reads it, and checks it agrees with the call's status and message)."""
    from google.rpc import error_details_pb2
    from grpc_status import rpc_status

    rich = rpc_status.from_call(error)  # type: ignore[arg-type]
    for detail in rich.details if rich is not None else ():
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info) and info.domain == "darca":
            return info.reason
    return None
