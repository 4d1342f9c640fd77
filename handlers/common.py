"""Helpers several handlers share (never one handler importing another)."""

from __future__ import annotations

import contextvars

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from core.identity.api import Tokens
from core.platform.api import Principal, ProblemError, RequestContext, unauthenticated
from generated.openapi import models
from generated.problems import GRPC_STATUS as CATALOGUE_GRPC_STATUS

# A domain's problem as a gRPC status: the same decision as the HTTP status of problem+json, from the
# error catalogue (specs/problems.yaml `grpc_status`).
GRPC_STATUS = {status: getattr(grpc.StatusCode, name) for status, name in CATALOGUE_GRPC_STATUS.items()}


# The authenticated caller of the gRPC call being served, set by the server's authentication interceptor.
GRPC_CALLER: contextvars.ContextVar[Principal] = contextvars.ContextVar("grpc_caller")


def grpc_caller() -> Principal:
    """The authenticated caller of the gRPC call being served (LookupError outside one: fail closed)."""
    return GRPC_CALLER.get()


PROBLEM_DOMAIN = "darca"  # google.rpc.ErrorInfo.domain of every problem the platform reports


def problem_status(status: grpc.StatusCode, code: str, detail: str) -> grpc.Status:
    """gRPC's rich error model (google.rpc.Status, AIP-193): the message is the human detail alone
    (clients print `STATUS: message`, so a code in front would say it twice), the stable machine code
    is `google.rpc.ErrorInfo.reason` in the `grpc-status-details-bin` trailer. docs/adr/0020."""
    info = any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason=code, domain=PROBLEM_DOMAIN))
    return rpc_status.to_status(status_pb2.Status(code=status.value[0], message=detail, details=[info]))


async def abort_with(context: grpc.aio.ServicerContext, status: grpc.StatusCode, code: str, detail: str,
                     metadata: tuple[tuple[str, str], ...] = ()) -> None:
    """End a gRPC call with `status`, the human `detail` and the problem `code` (plus trailing `metadata`)."""
    rich = problem_status(status, code, detail)
    await context.abort(rich.code, rich.details, trailing_metadata=(*rich.trailing_metadata, *metadata))


async def abort(context: grpc.aio.ServicerContext, problem: ProblemError) -> None:
    """End a gRPC call with the problem: its status, its detail as message, its code as ErrorInfo.reason."""
    await abort_with(context, GRPC_STATUS.get(problem.status, grpc.StatusCode.INTERNAL), problem.code, problem.detail)


def user_id(ctx: RequestContext) -> str:
    """The calling user's id; 401 for any other kind of caller."""
    if ctx.principal.kind != "USER":
        raise unauthenticated("This operation needs a user's access token.", "Bearer")
    return ctx.principal.id


def token_pair(tokens: Tokens) -> models.TokenPair:
    return models.TokenPair(access_token=tokens.access_token, token_type="Bearer", expires_in=tokens.expires_in,
                            refresh_token=tokens.refresh_token, session_id=tokens.session_id)
