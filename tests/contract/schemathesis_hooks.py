"""Schemathesis hooks shared by the pytest contract tests and `schemathesis run` (SCHEMATHESIS_HOOKS).

Behave like a correct client: never send one Idempotency-Key with two different requests.
Schemathesis draws keys from a small space, so a key comes back with another body; the platform
rightly refuses that with 422 IDEMPOTENCY_KEY_REUSED, which `positive_data_acceptance` would
report as a failure although it is the contract's documented answer. Such a key gets a suffix;
a key repeated with the same request stays as it is (an idempotent replay, also exercised).
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis

KEYS: dict[str, str] = {}  # Idempotency-Key -> the request it was first sent with


def reset() -> None:
    """Forget the keys: the platform under test starts on a fresh database."""
    KEYS.clear()


def one_request_per_key(case: schemathesis.Case) -> None:
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if not isinstance(key, str) or not key:
        return
    request = json.dumps([case.method, case.formatted_path, repr(case.body)])
    while KEYS.setdefault(key, request) != request:
        key = f"{key[:240]}~{len(KEYS)}"
    case.headers["Idempotency-Key"] = key


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    one_request_per_key(case)
