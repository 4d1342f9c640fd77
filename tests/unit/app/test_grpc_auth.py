"""Service credentials and the scopes of the contract, without a server."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool

from app import grpc_auth
from app.grpc_auth import (
    CallerAuthInterceptor,
    GrpcAuthNotConfigured,
    MalformedCredential,
    ServiceCredentials,
    credentials_for,
    darca_services,
    known_scopes,
    new_credential,
    required_scopes,
    sandbox_token,
)
from core.platform.security import Principal
from core.platform.settings import Settings


def test_every_method_of_the_contract_declares_its_scope() -> None:
    scopes = required_scopes(darca_services())
    assert scopes["/darca.ledger.v1.LedgerService/CreateTransactions"] == "ledger:write"
    assert scopes["/darca.ledger.v1.LedgerService/GetBalance"] == "ledger:read"
    assert scopes["/darca.platform.v1.AssetRegistryService/ListAssets"] == "assets:read"
    assert len(scopes) == 18 and known_scopes() == {"ledger:read", "ledger:write", "assets:read"}
    writes = {m.rsplit("/", 1)[1] for m, s in scopes.items() if s == "ledger:write"}
    assert writes == {"OpenAccount", "FreezeAccount", "CloseAccount", "CreateTransactions", "ReverseTransaction",
                      "CreateHolds", "PostHold", "VoidHold", "PostHoldChain", "VoidHoldChain"}


def test_a_method_without_a_scope_is_refused_at_start_up() -> None:
    pool = descriptor_pool.DescriptorPool()
    pool.Add(descriptor_pb2.FileDescriptorProto(
        name="probe.proto", package="probe.v1",
        message_type=[descriptor_pb2.DescriptorProto(name="Empty")],
        service=[descriptor_pb2.ServiceDescriptorProto(name="ProbeService", method=[
            descriptor_pb2.MethodDescriptorProto(name="Poke", input_type=".probe.v1.Empty", output_type=".probe.v1.Empty")])]))
    with pytest.raises(ValueError, match="probe.v1.ProbeService/Poke declares no darca.auth.v1.required_scope"):
        required_scopes([pool.FindServiceByName("probe.v1.ProbeService")])


def test_a_token_resolves_to_its_caller_and_only_its_digest_is_configured() -> None:
    token, entry = new_credential("payments", ["ledger:write"])
    assert token.startswith("dsvc_") and len(token) == 5 + 43
    assert entry.token_sha256 == hashlib.sha256(token.encode()).hexdigest() and token not in entry.model_dump_json()
    other, other_entry = new_credential("fx", ["ledger:read"])
    credentials = ServiceCredentials([entry, other_entry])
    accepted = credentials.resolve(f"Bearer {token}")
    assert accepted is not None
    assert accepted.principal == Principal("payments", "SERVICE", frozenset({"ledger:write"}))
    assert credentials.resolve(f"BEARER  {other} ").principal.id == "fx"  # type: ignore[union-attr]
    assert credentials.resolve(f"Bearer {token[:-1]}") is None
    assert credentials.resolve("Bearer dsvc_unknown") is None
    for malformed in ("", "Bearer", "Bearer ", token, f"Basic {token}", f"Bearer {token} extra"):
        with pytest.raises(MalformedCredential):
            credentials.resolve(malformed)


def test_an_accepted_credential_is_checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    token, entry = new_credential("payments", ["ledger:write"])
    credentials = ServiceCredentials([entry])
    first = credentials.resolve(f"Bearer {token}")
    monkeypatch.setattr(grpc_auth.hmac, "compare_digest", lambda *_: pytest.fail("compared again"))
    assert credentials.resolve(f"Bearer {token}") is first
    monkeypatch.undo()
    for _ in range(3):  # unknown tokens are not remembered (an attacker cannot fill the memory)
        assert credentials.resolve("Bearer dsvc_unknown") is None
    assert len(credentials._known) == 1


def test_production_without_callers_is_not_configured(tmp_path: Path) -> None:
    settings = Settings(environment="PRODUCTION", grpc_sandbox_token_file=str(tmp_path / "token"))
    with pytest.raises(GrpcAuthNotConfigured, match="DARCA_GRPC_CALLERS"):
        credentials_for(settings, known_scopes())
    assert not (tmp_path / "token").exists()  # and no sandbox credential is made there


def test_sandbox_without_callers_gets_one_development_caller(tmp_path: Path) -> None:
    path = tmp_path / "var" / "grpc-sandbox-token"
    credentials = credentials_for(Settings(grpc_sandbox_token_file=str(path)), known_scopes())
    token = path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    accepted = credentials.resolve(f"Bearer {token}")
    assert accepted is not None and accepted.principal == Principal("sandbox", "SERVICE", known_scopes())
    assert sandbox_token(path) == token  # kept across restarts and shared by processes
    assert [p.name for p in path.parent.iterdir()] == ["grpc-sandbox-token"]


def test_configured_callers_replace_the_sandbox_credential(tmp_path: Path) -> None:
    token, entry = new_credential("payments", ["ledger:write"])
    settings = Settings(grpc_callers=[entry], grpc_sandbox_token_file=str(tmp_path / "token"))
    credentials = credentials_for(settings, known_scopes())
    assert len(credentials) == 1 and credentials.resolve(f"Bearer {token}") is not None
    assert not (tmp_path / "token").exists()


class _Details:
    def __init__(self, method: str, metadata: tuple[tuple[str, str], ...]) -> None:
        self.method, self.invocation_metadata = method, metadata


class _Context:
    aborted: tuple[grpc.StatusCode, str] | None = None

    def peer(self) -> str:
        return "ipv4:127.0.0.1:1"

    async def abort(self, code: grpc.StatusCode, details: str, trailing_metadata: object = ()) -> None:
        self.aborted = (code, details)
        raise RuntimeError("aborted")


async def test_a_served_method_without_a_declared_scope_is_refused_to_every_caller() -> None:
    token, entry = new_credential("payments", ["ledger:write"])
    interceptor = CallerAuthInterceptor(ServiceCredentials([entry]), {})

    async def behavior(request: object, context: object) -> object:
        raise AssertionError("must not run")

    async def continuation(_: object) -> grpc.RpcMethodHandler:
        return grpc.unary_unary_rpc_method_handler(behavior)

    handler = await interceptor.intercept_service(
        continuation, _Details("/darca.x.v1.XService/Do", (("authorization", f"Bearer {token}"),)))  # type: ignore[arg-type]
    assert handler is not None and handler.request_streaming and handler.stream_unary is not None
    context = _Context()
    with pytest.raises(RuntimeError, match="aborted"):
        await handler.stream_unary(iter(()), context)
    assert context.aborted == (grpc.StatusCode.PERMISSION_DENIED, "darca.x.v1.XService/Do declares no scope.")
