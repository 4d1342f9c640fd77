"""Schemathesis over the bundled OpenAPI contract against the app in-process.

Every check schemathesis has is run, with the operator API key configured for the operations
that need `apiKeyAuth`. The seed and example counts are fixed (derandomized), so a CI run
repeats exactly. The stateless part runs on SQLite and PostgreSQL; the stateful part
(createAsset -> getAsset through the OpenAPI link) on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
from app.runtime import build_runtime, load_spec
from tests.conftest import OPERATOR_KEY, make_settings

SEED = 20261128
MAX_EXAMPLES = 30
STATEFUL_SCENARIOS = 15
STATEFUL_STEPS = 8

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

CONFIG = {
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
    "checks": {"enabled": True},
    "auth": {"openapi": {"apiKeyAuth": {"api_key": OPERATOR_KEY}}},
    "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
}


def load_schema(app: object) -> schemathesis.BaseSchema:
    """The bundled source spec (what /openapi.json serves), bound to the in-process app."""
    schema = schemathesis.openapi.from_dict(load_spec("openapi.json"), config=schemathesis.Config.from_dict(CONFIG))
    schema.app = app
    return schema


@contextmanager
def running(app: object) -> Iterator[None]:
    """Starts the app's lifespan on schemathesis' event-loop thread, where every request of the run is served."""
    try:
        with asgi.get_client(app):
            yield
    finally:
        asgi.shutdown_lifespans()


@pytest.fixture
def api_schema(database_url: str) -> Iterator[schemathesis.BaseSchema]:
    app = create_app(make_settings(database_url))
    with running(app):
        yield load_schema(app)


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@lazy_schema.parametrize()
def test_every_operation_honours_the_contract(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=ALL_CHECKS)


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'darca.db'}"
    await migrate(make_settings(url))
    return url


def test_stateful_links_hold(sqlite_url: str) -> None:
    """createAsset -> getAsset through the `GetCreatedAsset` link, with every check on each step."""
    app = create_app(make_settings(sqlite_url))
    with running(app):
        machine = load_schema(app).as_state_machine()
        machine.run(
            settings=hypothesis.settings(
                max_examples=STATEFUL_SCENARIOS,
                stateful_step_count=STATEFUL_STEPS,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HypothesisHealthCheck),
            )
        )
