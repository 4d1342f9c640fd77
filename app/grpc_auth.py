"""Who is calling over gRPC: service credentials, the scopes the contract asks for, and the interceptor.

Every call carries `authorization: Bearer <token>` in its metadata. The token resolves to a caller
(a core service or a module, such as "payments") configured in `DARCA_GRPC_CALLERS` by the SHA-256
of its token; the method's `darca.auth.v1.required_scope` (declared in specs/proto) must be among the
caller's scopes. Refusals report problems as the servicers do (handlers/common.py, docs/adr/0020): status
UNAUTHENTICATED with code UNAUTHENTICATED, PERMISSION_DENIED with code FORBIDDEN, in google.rpc.ErrorInfo.
docs/adr/0012-grpc-caller-authentication.md.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import os
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import structlog
from google.protobuf.descriptor import ServiceDescriptor

from core.platform.security import Principal
from core.platform.settings import GrpcCaller, Settings
from generated.proto.darca.auth.v1 import options_pb2
from handlers.common import GRPC_CALLER, abort_with, grpc_caller  # noqa: F401  (grpc_caller: callers may import it from here)

log = structlog.get_logger("darca.grpc")

TOKEN_PREFIX = "dsvc_"  # recognisable by secret scanners; the rest is 32 random bytes, base64url
SANDBOX_CALLER = "sandbox"
# Standard gRPC health checking and reflection carry no data of ours: open when they are served.
OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.v1.ServerReflection/",
                 "/grpc.reflection.v1alpha.ServerReflection/")
MAX_CACHED = 1024  # authorization values remembered as valid (a few per configured credential)

class GrpcAuthNotConfigured(RuntimeError):
    """PRODUCTION without service credentials: the gRPC server does not start rather than serve anyone."""




def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_credential(name: str, scopes: Iterable[str]) -> tuple[str, GrpcCaller]:
    """A fresh token and the `DARCA_GRPC_CALLERS` entry that admits it (only its digest)."""
    token = new_token()
    return token, GrpcCaller(name=name, token_sha256=token_digest(token), scopes=frozenset(scopes))


class MalformedCredential(ValueError):
    pass


class ServiceCredentials:
    """Configured callers by token digest. Checks compare digests in constant time, against every
    entry; an accepted authorization value is remembered, so a caller's later calls cost one dict
    lookup (no hashing, no database)."""

    def __init__(self, callers: Iterable[GrpcCaller]) -> None:
        self._entries = tuple(
            (bytes.fromhex(c.token_sha256), Principal(c.name, "SERVICE", frozenset(c.scopes))) for c in callers
        )
        self._known: dict[str, _Accepted] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(s for _, principal in self._entries for s in principal.scopes)

    def resolve(self, authorization: str) -> _Accepted | None:
        """The caller of an `authorization` metadata value; None for an unknown token."""
        accepted = self._known.get(authorization)
        if accepted is not None:
            return accepted
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise MalformedCredential
        digest = hashlib.sha256(token.encode()).digest()
        found: Principal | None = None
        for expected, principal in self._entries:  # no early exit: the time does not say which entry matched
            if hmac.compare_digest(expected, digest):
                found = principal
        if found is None:
            return None
        if len(self._known) >= MAX_CACHED:
            self._known.clear()
        accepted = self._known[authorization] = _Accepted(found)
        return accepted


@dataclass(eq=False)
class _Accepted:
    principal: Principal
    handlers: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = field(default_factory=dict)


def sandbox_token(path: Path) -> str:
    """The development credential of a SANDBOX without configured callers: made once, kept in `path`
    (mode 0600) so restarts and several processes share it."""
    try:
        token = path.read_text(encoding="ascii").strip()
        if token:
            return token
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(new_token() + "\n")
    try:
        os.link(draft, path)  # atomic: a process that lost the race reads the winner's token
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()


def check_callers(settings: Settings) -> None:
    """Raise GrpcAuthNotConfigured in PRODUCTION without configured callers."""
    if not settings.grpc_callers and not settings.sandbox:
        raise GrpcAuthNotConfigured(
            "DARCA_GRPC_CALLERS is empty: in PRODUCTION the gRPC server serves authenticated callers only. "
            "Configure service credentials (python -m app grpc-credential --help), or set DARCA_GRPC_PORT=0 "
            "to turn gRPC off."
        )


def credentials_for(settings: Settings, scopes: Iterable[str]) -> ServiceCredentials:
    """The configured callers; in SANDBOX without any, one development caller with every scope;
    in PRODUCTION without any, GrpcAuthNotConfigured."""
    check_callers(settings)
    if settings.grpc_callers:
        credentials = ServiceCredentials(settings.grpc_callers)
        unused = sorted(credentials.scopes - set(scopes))
        if unused:
            log.warning("grpc.unknown_scopes", scopes=unused, hint="no method served here needs them; a typo?")
        return credentials
    path = Path(settings.grpc_sandbox_token_file)
    token = sandbox_token(path)
    log.info("grpc.sandbox_credential", caller=SANDBOX_CALLER, token_file=str(path),
             usage=f"send metadata authorization: Bearer $(cat {path})")
    return ServiceCredentials([GrpcCaller(name=SANDBOX_CALLER, token_sha256=token_digest(token),
                                          scopes=frozenset(scopes))])


def required_scopes(services: Iterable[ServiceDescriptor]) -> dict[str, str]:
    """'/package.Service/Method' -> the scope the contract declares for it; every method must declare one."""
    scopes: dict[str, str] = {}
    for service in services:
        for method in service.methods:
            scope = method.GetOptions().Extensions[options_pb2.required_scope]
            if not scope:
                raise ValueError(f"{service.full_name}/{method.name} declares no darca.auth.v1.required_scope")
            scopes[f"/{service.full_name}/{method.name}"] = scope
    return scopes


def darca_services() -> list[ServiceDescriptor]:
    """Every gRPC service of the contract (specs/proto)."""
    from generated.proto.darca.ledger.v1 import ledger_pb2
    from generated.proto.darca.platform.v1 import assets_pb2

    return [assets_pb2.DESCRIPTOR.services_by_name["AssetRegistryService"],
            ledger_pb2.DESCRIPTOR.services_by_name["LedgerService"]]


def known_scopes() -> frozenset[str]:
    return frozenset(required_scopes(darca_services()).values())


def _refusal(status: grpc.StatusCode, code: str, detail: str, method: str, caller: str | None) -> grpc.RpcMethodHandler:
    async def refuse(request_iterator: Any, context: grpc.aio.ServicerContext) -> None:
        # Request-streaming on purpose: the refusal does not wait for (or parse) the request message.
        log.warning("grpc.call_refused", method=method, status=status.name, code=code, caller=caller,
                    peer=context.peer(), detail=detail)
        await abort_with(context, status, code, detail)

    return grpc.stream_unary_rpc_method_handler(refuse)


def _as_caller(behavior: Callable[..., Any], principal: Principal) -> Callable[..., Any]:
    """The servicer's behavior, run with `grpc_caller()` and the logs' `grpc_caller` set to the caller."""
    if inspect.isasyncgenfunction(behavior):
        async def stream(request: Any, context: grpc.aio.ServicerContext) -> Any:
            GRPC_CALLER.set(principal)
            structlog.contextvars.bind_contextvars(grpc_caller=principal.id)
            async for item in behavior(request, context):
                yield item
        return stream

    async def call(request: Any, context: grpc.aio.ServicerContext) -> Any:
        GRPC_CALLER.set(principal)  # each call is its own task: nothing leaks into the next call
        structlog.contextvars.bind_contextvars(grpc_caller=principal.id)
        return await behavior(request, context)
    return call


def _bound(handler: grpc.RpcMethodHandler, principal: Principal) -> grpc.RpcMethodHandler:
    kind = ("stream" if handler.request_streaming else "unary") + "_" + \
           ("stream" if handler.response_streaming else "unary")
    return handler._replace(**{kind: _as_caller(getattr(handler, kind), principal)})  # type: ignore[attr-defined]


class CallerAuthInterceptor(grpc.aio.ServerInterceptor):
    """Authenticates every call (but health checks and reflection) and checks the method's scope."""

    def __init__(self, credentials: ServiceCredentials, scopes: dict[str, str]) -> None:
        self.credentials = credentials
        self.scopes = scopes

    async def intercept_service(
        self, continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        method: str = handler_call_details.method  # type: ignore[attr-defined]
        if method.startswith(OPEN_PREFIXES):
            return await continuation(handler_call_details)
        authorization = None
        for key, value in handler_call_details.invocation_metadata or ():  # type: ignore[attr-defined]
            if key == "authorization":
                if authorization is not None:
                    return _refusal(grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED",
                                    "Send one authorization metadata entry.", method, None)
                authorization = value
        if authorization is None:
            return _refusal(grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED", "This call needs a service "
                            "credential: metadata authorization: Bearer <token>.", method, None)
        try:
            accepted = self.credentials.resolve(authorization if isinstance(authorization, str) else "")
        except MalformedCredential:
            return _refusal(grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED", "The authorization metadata "
                            "must be 'Bearer <token>'.", method, None)
        if accepted is None:
            return _refusal(grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED",
                            "The service credential is not valid.", method, None)
        principal = accepted.principal
        scope = self.scopes.get(method)
        handler = await continuation(handler_call_details)
        if handler is None:
            return None  # UNIMPLEMENTED, for an authenticated caller only
        if scope is None:  # served without a declared scope (start-up prevents it): nobody may call it
            return _refusal(grpc.StatusCode.PERMISSION_DENIED, "FORBIDDEN",
                            f"{method.lstrip('/')} declares no scope.", method, principal.id)
        if scope not in principal.scopes:
            return _refusal(grpc.StatusCode.PERMISSION_DENIED, "FORBIDDEN",
                            f"The caller {principal.id!r} lacks the scope {scope} for {method.lstrip('/')}.",
                            method, principal.id)
        cached = accepted.handlers.get(method)
        if cached is None or cached[0] is not handler:
            cached = accepted.handlers[method] = (handler, _bound(handler, principal))
        return cached[1]
