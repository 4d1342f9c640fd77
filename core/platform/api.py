"""The shared kernel's facade for handlers and product modules: the request context, problems,
ids, the clock, money and settings. Core domains may also import the kernel's modules directly."""

from core.platform.clock import as_utc, utcnow
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.money import format_amount, parse_amount
from core.platform.outbox import publishers_for
from core.platform.pagination import PageSlice
from core.platform.problems import (
    FieldProblem,
    ProblemError,
    bad_request,
    conflict,
    not_found,
    unprocessable,
    validation_failed,
)
from core.platform.security import Principal, unauthenticated
from core.platform.settings import Settings

__all__ = [
    "Database", "FieldProblem", "PageSlice", "Principal", "ProblemError", "RequestContext", "Settings", "as_utc",
    "bad_request", "conflict", "format_amount", "new_id", "not_found", "parse_amount", "publishers_for", "unauthenticated",
    "unprocessable", "utcnow", "validation_failed",
]
