"""The one path every operation takes: authenticate, parse the body, claim the Idempotency-Key,
run the handler in a unit of work (events go to the outbox in the same transaction), render
the contract's response, and store it for replays.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, NamedTuple

import structlog
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.context import RequestContext
from core.platform.db import Database, wrote
from core.platform.idempotency import IdempotencyService, StoredResponse, fingerprint
from core.platform.observability import current_trace_id, current_traceparent
from core.platform.outbox import publishers_for
from core.platform.problems import ProblemError, validation_failed
from core.platform.security import Authenticator
from generated.openapi.routes import Operation, Reply

from . import deprecation
from .json_body import decode_json
from .problems import PROBLEM_JSON, field_problems, problem_bytes, problem_response

log = structlog.get_logger("darca.invoke")


def _json_media_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def parse_body(op: Operation, request: Request) -> tuple[BaseModel | None, Any]:
    if op.body_model is None:
        return None, None
    if not _json_media_type(request.headers.get("content-type")):
        raise ProblemError(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type",
                           "Send the request body as application/json.")
    data = decode_json(await request.body())
    try:
        model = op.body_model.model_validate(data)
    except ValidationError as exc:
        errors = field_problems([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])
        raise validation_failed(errors) from None
    return model, data


class Invoker:
    def __init__(self, db: Database, idempotency: IdempotencyService, authenticator: Authenticator,
                 on_commit: Callable[[], None]) -> None:
        self.db = db
        self.idempotency = idempotency
        self.authenticator = authenticator
        self.on_commit = on_commit

    def render(self, op: Operation, result: Any) -> StoredResponse:
        reply = result if isinstance(result, Reply) else Reply(result)
        status = reply.status or op.success_status
        body = "" if reply.body is None else reply.body.model_dump_json(by_alias=True)
        return StoredResponse(status, body, dict(reply.headers))

    @staticmethod
    def respond(op: Operation, stored: StoredResponse, *, replayed: bool = False) -> Response:
        headers = dict(stored.headers)
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        media = PROBLEM_JSON if stored.status >= 400 else (op.media_type or "application/json")
        return Response(stored.body or None, status_code=stored.status, headers=headers,
                        media_type=media if stored.body else None)

    async def __call__(self, op: Operation, request: Request, call: Callable[[Any, Any], Awaitable[Any]],
                       notice: dict[str, str] | None = None) -> Response:
        if op.deprecations and notice is None:  # the one cost of deprecation for every other operation
            return await self._announcing(op, request, call)
        principal = await self.authenticator.authenticate(op.security, request.headers)
        body, raw_body = await parse_body(op, request)
        if notice is not None:
            notice.update(deprecation.announce(op, request, raw_body, principal))
        request_id = getattr(request.state, "request_id", "")
        key = request.headers.get("idempotency-key") if op.idempotent else None
        sessions: list[AsyncSession] = []

        async def run(session: AsyncSession) -> StoredResponse:
            sessions.append(session)
            ctx = RequestContext(session=session, principal=principal, request_id=request_id,
                                 trace_id=current_trace_id(), events=publishers_for(session, current_traceparent()),
                                 client_address=request.client.host if request.client else None,
                                 user_agent=request.headers.get("user-agent"))
            try:
                return self.render(op, await call(ctx, body))
            except ProblemError as problem:
                if not problem.keeps_effects:
                    raise  # the unit of work rolls back
                # the refusal's side effects are committed with the unit of work; it is the answer
                rendered = problem_response(problem, path=request.url.path, request_id=request_id)
                return StoredResponse(problem.status, bytes(rendered.body).decode(), dict(problem.headers))

        if key is None:
            async with self.db.unit_of_work() as session:
                stored = await run(session)
        else:
            claim = _Claim(f"{principal.kind}:{principal.id}", key, op.operation_id,
                           fingerprint(op.operation_id, request.url.path, raw_body))
            execute = self._in_transaction if self.idempotency.transactional else self._with_timed_lock
            stored, replayed = await execute(claim, run, request.url.path, request_id)
            if replayed:
                return self.respond(op, stored, replayed=True)
        if any(wrote(session) for session in sessions):
            self.on_commit()  # wake the relay only when there may be something to publish
        return self.respond(op, stored)

    async def _announcing(self, op: Operation, request: Request,
                          call: Callable[[Any, Any], Awaitable[Any]]) -> Response:
        """An operation with deprecated parts: its answer, replays and refusals included, carries the
        Deprecation, Sunset and Link headers of what the request used (docs/versioning.md)."""
        notice: dict[str, str] = {}
        try:
            response = await self(op, request, call, notice)
        except ProblemError as problem:
            # Refused before the request was read (credentials, body): the operation's own deprecation.
            announced = notice or deprecation.operation_headers(op)
            if not announced:
                raise
            raise replace(problem, headers={**problem.headers, **announced}) from None
        response.headers.update(notice)
        return response

    async def _in_transaction(self, claim: _Claim, run: Callable[[AsyncSession], Awaitable[StoredResponse]],
                              path: str, request_id: str) -> tuple[StoredResponse, bool]:
        """PostgreSQL: the key is held by the request's own transaction (ADR 0014), so it is free
        again the moment that transaction ends, committed, rolled back or cut off by a crash."""
        refusal: ProblemError | None = None
        async with self.db.unit_of_work() as session:
            replay = await self.idempotency.hold(session, *claim)
            if replay is not None:
                return replay, True
            try:
                # A savepoint, so a business refusal is undone and stored while the key is still held.
                async with session.begin_nested():
                    stored = await run(session)
            except ProblemError as problem:
                if not problem.stored_for_idempotency:
                    raise  # nothing stored: the key is free when the transaction ends
                refusal = problem
                stored = StoredResponse(problem.status, problem_bytes(problem, path=path, request_id=request_id).decode(),
                                        dict(problem.headers))
            await self.idempotency.store(session, *claim, stored)
        if refusal is not None:
            raise refusal
        return stored, False

    async def _with_timed_lock(self, claim: _Claim, run: Callable[[AsyncSession], Awaitable[StoredResponse]],
                               path: str, request_id: str) -> tuple[StoredResponse, bool]:
        """SQLite: the key is claimed in a transaction of its own, with a lock that lapses after a crash."""
        scope, key = claim.scope, claim.key
        replay = await self.idempotency.begin(*claim)
        if replay is not None:
            return replay, True
        try:
            async with self.db.unit_of_work() as session:
                stored = await run(session)
                await self.idempotency.complete(session, scope, key, stored)
        except ProblemError as problem:
            if not problem.stored_for_idempotency:
                await self.idempotency.release(scope, key)
            else:
                await self.idempotency.fail(scope, key, problem,
                                            problem_bytes(problem, path=path, request_id=request_id).decode())
            raise
        except BaseException:
            await self.idempotency.release(scope, key)
            raise
        return stored, False


class _Claim(NamedTuple):
    scope: str
    key: str
    operation_id: str
    request_hash: str
