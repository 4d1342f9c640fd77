"""Helpers several handlers share (never one handler importing another)."""

from __future__ import annotations

import contextvars

import grpc

from core.identity.api import Tokens
from core.platform.api import Principal, ProblemError, RequestContext, unauthenticated
from generated.openapi import models

# A domain's problem as a gRPC status: the same decision as the HTTP status of problem+json.
GRPC_STATUS = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    403: grpc.StatusCode.PERMISSION_DENIED,
    404: grpc.StatusCode.NOT_FOUND,
    409: grpc.StatusCode.ALREADY_EXISTS,
    422: grpc.StatusCode.FAILED_PRECONDITION,
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,
    503: grpc.StatusCode.UNAVAILABLE,
}


# The authenticated caller of the gRPC call being served, set by the server's authentication interceptor.
GRPC_CALLER: contextvars.ContextVar[Principal] = contextvars.ContextVar("grpc_caller")


def grpc_caller() -> Principal:
    """The authenticated caller of the gRPC call being served (LookupError outside one: fail closed)."""
    return GRPC_CALLER.get()


async def abort(context: grpc.aio.ServicerContext, problem: ProblemError) -> None:
    """End a gRPC call with the problem's status and `CODE: detail` as its message."""
    await context.abort(GRPC_STATUS.get(problem.status, grpc.StatusCode.INTERNAL), f"{problem.code}: {problem.detail}")


def user_id(ctx: RequestContext) -> str:
    """The calling user's id; 401 for any other kind of caller."""
    if ctx.principal.kind != "USER":
        raise unauthenticated("This operation needs a user's access token.", "Bearer")
    return ctx.principal.id


def token_pair(tokens: Tokens) -> models.TokenPair:
    return models.TokenPair(access_token=tokens.access_token, token_type="Bearer", expires_in=tokens.expires_in,
                            refresh_token=tokens.refresh_token, session_id=tokens.session_id)
