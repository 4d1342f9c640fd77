"""Schemathesis over the bundled OpenAPI contract against the app in-process.

Every check schemathesis has is run, with the operator API key configured for the operations
that need `apiKeyAuth` and a real user's access token (schemathesis logs in as the seeded contract
user) for the operations that need `bearerAuth`. Configuration (seed, example counts, per-operation expectations) is
tests/contract/schemathesis.toml, the same file a `schemathesis run` against a live platform
uses; the seed is fixed and generation derandomized, so a CI run repeats exactly. The stateless
part runs on SQLite and PostgreSQL; the stateful part (createAsset -> getAsset through the
OpenAPI link) on SQLite, each scenario on a fresh database.
"""

from __future__ import annotations

import os
import shutil
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck as HypothesisHealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    object_level_authorization,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from app.main import create_app
from app.migrate import migrate
from app.runtime import load_spec
from tests.conftest import OPERATOR_KEY, make_settings

from . import schemathesis_hooks  # registers the before_call hook (one request per Idempotency-Key)
from .contract_user import IDENTIFIER, PASSWORD, seed_contract_user

CONFIG_FILE = Path(__file__).with_name("schemathesis.toml")
STATEFUL_SCENARIOS = 15

ALL_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    use_after_free,
    ensure_resource_availability,
    ignored_auth,
    object_level_authorization,
]


def load_config() -> dict[str, Any]:
    config = tomllib.loads(CONFIG_FILE.read_text())
    del config["hooks"]  # imported above; the CLI imports it by name
    # The users file is the CLI's (schemathesis_users.yaml, object-level authorization across two users is
    # checked there): cases here are built before a platform serves, so the operator key is set per
    # scheme and the contract user's token is a placeholder the before_call hook makes real.
    del config["auth"]["wfc"]
    config["auth"]["openapi"] = {"apiKeyAuth": {"api_key": OPERATOR_KEY},
                                 "bearerAuth": {"bearer": schemathesis_hooks.PLACEHOLDER_TOKEN}}
    # Fixed for CI; raise them locally to search harder (e.g. DARCA_CONTRACT_MAX_EXAMPLES=500).
    config["seed"] = int(os.environ.get("DARCA_CONTRACT_SEED", config["seed"]))
    config["generation"]["max-examples"] = int(
        os.environ.get("DARCA_CONTRACT_MAX_EXAMPLES", config["generation"]["max-examples"])
    )
    # The coverage phase (every boundary value of every schema, deterministic) runs in the live CLI run
    # against PostgreSQL (test_schemathesis_live.py); here the examples and the fuzzing phases run on SQLite.
    config.setdefault("phases", {})["coverage"] = {"enabled": False}
    return config


CONFIG = load_config()
SPEC = load_spec("openapi.json")


class AppUnderTest:
    """The ASGI app schemathesis calls. A schema is bound to one app when it is loaded (at import,
    for `parametrize`), so it is bound to this slot and each test plugs in a fresh platform."""

    app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


APP = AppUnderTest()
schema = schemathesis.openapi.from_dict(SPEC, config=schemathesis.Config.from_dict(CONFIG))
schema.app = APP


@contextmanager
def serving(database_url: str) -> Iterator[None]:
    """A platform on `database_url`, its lifespan started on schemathesis' event-loop thread, where
    every request of the run is served (the database pool lives on that loop)."""
    APP.app = create_app(make_settings(database_url))
    try:
        with asgi.get_client(APP) as client:
            schemathesis_hooks.reset(login=lambda: contract_login(client))
            yield
    finally:
        asgi.shutdown_lifespans()
        APP.app = None


def contract_login(client: Any) -> str:
    response = client.post("http://testserver/v1/sessions", json={"identifier": IDENTIFIER, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response.json()["access_token"]


@pytest.fixture
async def contract_database(database_url: str) -> str:
    await seed_contract_user(database_url)
    return database_url


@pytest.fixture
def platform_app(contract_database: str) -> Iterator[None]:
    with serving(contract_database):
        yield


# SQLite here; PostgreSQL's types (NUL, ranges, lengths) meet the same fuzzing in test_schemathesis_live.py,
# against a real server on PostgreSQL.
@pytest.mark.backends("sqlite")
@schema.parametrize()
@hypothesis.settings(suppress_health_check=[HypothesisHealthCheck.function_scoped_fixture])
def test_every_operation_honours_the_contract(case: schemathesis.Case, platform_app: None) -> None:
    case.call_and_validate(checks=ALL_CHECKS)


class PlatformStateMachine(schema.as_state_machine()):  # type: ignore[misc]
    """Each scenario starts on its own copy of a freshly migrated database: Hypothesis replays
    scenarios (to shrink a failure) and needs each one to behave the same every time."""

    template: ClassVar[Path]

    def setup(self) -> None:
        database = self.template.with_name(f"scenario-{uuid.uuid4().hex}.db")
        shutil.copyfile(self.template, database)
        self.platform = serving(f"sqlite+aiosqlite:///{database}")
        self.platform.__enter__()

    def teardown(self) -> None:
        self.platform.__exit__(None, None, None)


@pytest.fixture
async def sqlite_template(tmp_path: Path) -> Path:
    path = tmp_path / "template.db"
    await migrate(make_settings(f"sqlite+aiosqlite:///{path}"))
    await seed_contract_user(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.mark.timeout(600)  # fifteen scenarios of up to eight steps, each on a fresh database
def test_stateful_links_hold(sqlite_template: Path) -> None:
    """createAsset -> getAsset through the `GetCreatedAsset` link, with every check on each step."""
    PlatformStateMachine.template = sqlite_template
    PlatformStateMachine.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=CONFIG["phases"]["stateful"]["max-steps"],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HypothesisHealthCheck),
        )
    )


def test_every_paginated_operation_may_refuse_a_foreign_cursor() -> None:
    """The configuration names each operation with a `cursor` (an unknown one is a 400 by contract)."""
    def parameter_names(operation: dict[str, Any]) -> set[str]:
        names = set()
        for parameter in operation.get("parameters", []):
            if "$ref" in parameter:
                parameter = SPEC["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
            names.add(parameter["name"])
        return names

    paginated = {
        operation["operationId"]
        for item in SPEC["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "cursor" in parameter_names(operation)
    }
    configured = {op for entry in CONFIG["operations"] for op in entry["include-operation-id"]
                  if "400" in entry["checks"]["positive_data_acceptance"]["expected-statuses"]}
    assert configured == paginated


def test_valid_input_is_expected_only_to_get_statuses_its_operation_declares() -> None:
    """No operation accepts a 5xx or a 3xx for valid input, and each per-operation allowance in
    schemathesis.toml names statuses that every operation it lists declares."""
    declared = {operation["operationId"]: set(operation["responses"])
                for item in SPEC["paths"].values() for operation in item.values()
                if isinstance(operation, dict) and "operationId" in operation}
    default = CONFIG["checks"]["positive_data_acceptance"]["expected-statuses"]
    assert default == ["2xx", "401", "403", "404", "409"]
    for entry in CONFIG["operations"]:
        statuses = entry["checks"]["positive_data_acceptance"]["expected-statuses"]
        for operation in entry["include-operation-id"]:
            for status in statuses:
                assert status[0] in "24", (operation, status)
                codes = {s for s in declared[operation] if s[0] == "2"} if status == "2xx" else {status}
                assert codes and codes <= declared[operation], (operation, status)
