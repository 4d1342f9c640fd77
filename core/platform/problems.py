"""Problem errors (RFC 9457): every refusal the platform makes carries a stable machine code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str


@dataclass
class ProblemError(Exception):
    """Raised by services and the platform; rendered as `application/problem+json`."""

    status: int
    code: str
    title: str
    detail: str | None = None
    errors: list[FieldProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    # Whether this answer settles the request's Idempotency-Key. A request refused before it did
    # anything (invalid input, a rate limit) stores no result, so the corrected or later retry
    # with the same key runs; a business refusal stays the answer for the key.
    settles_request: bool | None = None
    # A refusal whose side effects must stay (a used-up code, a counted failure, a revoked token
    # family): the invoker commits the unit of work and answers with it. Set through `keeping_effects`.
    keeps_effects: bool = False

    @property
    def stored_for_idempotency(self) -> bool:
        if self.settles_request is not None:
            return self.settles_request
        return self.status < 500 and self.status != 429

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.detail or self.title}"


def keeping_effects(problem: ProblemError) -> ProblemError:
    """Record, then raise: `raise keeping_effects(problem)` refuses the request but commits what the
    service wrote before refusing, so a failed attempt is counted even though the answer is an error."""
    problem.keeps_effects = True
    return problem


def bad_request(code: str, detail: str, title: str = "Bad request") -> ProblemError:
    return ProblemError(400, code, title, detail)


def not_found(code: str, detail: str) -> ProblemError:
    return ProblemError(404, code, "Not found", detail)


def conflict(code: str, detail: str) -> ProblemError:
    return ProblemError(409, code, "Conflict", detail)


def unprocessable(code: str, detail: str, errors: list[FieldProblem] | None = None) -> ProblemError:
    return ProblemError(422, code, "Unprocessable request", detail, errors or [])


def validation_failed(errors: list[FieldProblem]) -> ProblemError:
    return ProblemError(
        422, "VALIDATION_FAILED", "Validation failed", "The request has invalid values; see `errors`.", errors,
        settles_request=False,
    )
