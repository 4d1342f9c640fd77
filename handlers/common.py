"""Helpers that several handlers need."""

from __future__ import annotations

import grpc

from core.platform.api import ProblemError

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


async def abort(context: grpc.aio.ServicerContext, problem: ProblemError) -> None:
    """End a gRPC call with the problem's status and `CODE: detail` as its message."""
    await context.abort(GRPC_STATUS.get(problem.status, grpc.StatusCode.INTERNAL), f"{problem.code}: {problem.detail}")
