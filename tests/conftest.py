"""Shared fixtures: a fresh, migrated database per test (SQLite; PostgreSQL too where marked), and a running platform."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest

from app.main import create_app
from app.migrate import migrate
from app.runtime import Runtime, build_runtime
from core.platform.clock import CLOCK, Clock
from core.platform.settings import Settings
from tests.services import POSTGRES_ADMIN_URL, require_port
from tests.support.grpc_callers import CALLERS as GRPC_CALLERS

OPERATOR_KEY = "test-operator-key"
BACKENDS = ["sqlite", "postgresql"]
# A test runs on SQLite unless it (or its module) is marked `backends(...)`: behaviour that does not
# depend on the engine is tested once; what does (SQL, locking, triggers, concurrency, migrations,
# outages) and a smoke slice of every API area carry `backends("sqlite", "postgresql")` with a reason.
DEFAULT_BACKENDS = ("sqlite",)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "broker_url": "memory://",
        "grpc_port": 0,
        "grpc_callers": GRPC_CALLERS,
        "operator_api_key": OPERATOR_KEY,
        "relay_poll_ms": 50,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _pg_url(name: str) -> str:
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"


async def _admin(sql: str) -> None:
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(sql)
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def template_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(backend, template) migrated once per session per backend; tests copy it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
        await migrate(make_settings(f"sqlite+aiosqlite:///{path}"))
        yield ("sqlite", str(path))
        return
    require_port("PostgreSQL", "127.0.0.1", 5432)
    name = f"darca_tpl_{uuid.uuid4().hex[:10]}"
    await _admin(f'CREATE DATABASE "{name}"')
    await migrate(make_settings(_pg_url(name)))
    yield ("postgresql", name)
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backend(template_database: tuple[str, str]) -> str:
    return template_database[0]


@pytest.fixture
async def database_url(template_database: tuple[str, str], tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database at migration head (with the default assets) for one test."""
    backend, template = template_database
    if backend == "sqlite":
        target = tmp_path / "darca.db"
        shutil.copyfile(template, target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    name = f"darca_t_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _pg_url(name)
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> Iterator[Clock]:
    """The platform's clock (core.platform.clock): the test advances it instead of sleeping; wall time again after."""
    yield CLOCK
    CLOCK.reset()


@dataclass
class Platform:
    runtime: Runtime
    client: httpx.AsyncClient
    app: object
    settings: Settings


@asynccontextmanager
async def serving(database_url: str) -> AsyncIterator[Platform]:
    """The whole platform (HTTP app + runtime with the relay) on `database_url`, with a client to it."""
    settings = make_settings(database_url)
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    fastapi_app = app.app  # the FastAPI app inside the platform middleware
    async with fastapi_app.router.lifespan_context(fastapi_app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as client:
            yield Platform(runtime=runtime, client=client, app=app, settings=settings)


@pytest.fixture
async def platform(database_url: str) -> AsyncIterator[Platform]:
    """The whole platform on a fresh database."""
    async with serving(database_url) as served:
        yield served


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backends(*names): the database backends this test runs on "
                            "(default: SQLite only)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that needs a database is generated once per backend it runs on (see DEFAULT_BACKENDS);
    a test marked `backends("postgresql")` is not generated for SQLite at all (not even skipped)."""
    if "template_database" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("backends")
    names = marker.args if marker else DEFAULT_BACKENDS
    unknown = set(names) - set(BACKENDS)
    assert not unknown, f"unknown backends {unknown} on {metafunc.definition.nodeid}"
    metafunc.parametrize("template_database", names, indirect=True, scope="session")


# With `-n 2` (make test), tests that share something outside their own database run on one worker, one
# after another: the RabbitMQ and NATS servers (one test restarts RabbitMQ), live `python -m app run`
# processes (they share var/grpc-sandbox-token), and the reliability tests that cut or kill connections.
SHARED_SERVICES = (
    "tests/reliability/",
    "tests/contract/test_schemathesis_live.py",
    "tests/integration/app/test_readiness_broker.py",
    "tests/integration/app/test_run_command.py",
    "tests/integration/app/test_revocation_across_processes.py",
    "tests/integration/app/test_grpc_auth.py",
    "tests/integration/app/test_grpc_tls.py",
    "tests/integration/core/platform/test_brokers.py",
    "tests/integration/docs/test_event_consumers.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SHARED_SERVICES):
            item.add_marker(pytest.mark.xdist_group("shared-services"))
