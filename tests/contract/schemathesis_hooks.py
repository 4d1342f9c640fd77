"""Schemathesis hooks shared by the pytest contract tests and `schemathesis run` (SCHEMATHESIS_HOOKS).

In-process runs generate some cases (the spec's examples) before any platform is serving, so a
bearer token cannot be known when a case is built: those runs configure a placeholder token and
the hook swaps in the contract user's current one at call time, logging in again after a 401
(schemathesis may have fuzzed "log out everywhere"). The CLI uses `[auth.wfc]` (schemathesis_users.yaml).

Behave like a correct client: never send one Idempotency-Key with two different requests.
Schemathesis draws keys from a small space, so a key comes back with another body; the platform
rightly refuses that with 422 IDEMPOTENCY_KEY_REUSED, which `positive_data_acceptance` would
report as a failure although it is the contract's documented answer. Such a key gets a suffix;
a key repeated with the same request stays as it is (an idempotent replay, also exercised).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import schemathesis

KEYS: dict[str, str] = {}  # Idempotency-Key -> the request it was first sent with
PLACEHOLDER_TOKEN = "contract-user-token"


class ContractToken:
    """The contract user's access token, fetched by `login` when first needed and after a 401."""

    def __init__(self) -> None:
        self.login: Callable[[], str] | None = None
        self.value: str | None = None

    def current(self) -> str | None:
        if self.value is None and self.login is not None:
            self.value = self.login()
        return self.value


TOKEN = ContractToken()


def reset(login: Callable[[], str] | None = None) -> None:
    """Forget the keys and the token: the platform under test starts on a fresh database."""
    KEYS.clear()
    TOKEN.login, TOKEN.value = login, None


def real_bearer(case: schemathesis.Case) -> None:
    if case.headers and case.headers.get("Authorization") == f"Bearer {PLACEHOLDER_TOKEN}":
        token = TOKEN.current()
        if token is not None:
            case.headers["Authorization"] = f"Bearer {token}"


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
    real_bearer(case)


@schemathesis.hook
def after_call(context: schemathesis.HookContext, case: schemathesis.Case, response: Any) -> None:
    if response.status_code == 401 and TOKEN.value and case.headers \
            and case.headers.get("Authorization") == f"Bearer {TOKEN.value}":
        TOKEN.value = None  # the session was ended (e.g. logout everywhere): log in again next time
