"""How many processes serve the platform, and running them (ADR 0018).

One worker serves in this process. Several run under uvicorn's supervisor: it binds the HTTP port
once, starts `workers` processes that each build the whole platform (HTTP, gRPC on a port they share
through SO_REUSEPORT, outbox relay and the background jobs), replaces a worker that dies, and stops
them all on SIGINT/SIGTERM."""

from __future__ import annotations

import uvicorn
from uvicorn.supervisors import Multiprocess

from core.platform.settings import Settings

from .main import create_app
from .server import server_config

# Each worker process builds its own app (and runtime) from the DARCA_* environment.
APP_FACTORY = "app.main:create_app"


def worker_count(settings: Settings) -> tuple[int, str | None]:
    """How many processes serve, and why that is fewer than `settings.workers` when it is.

    On SQLite one process serves: the outbox relay elects its leader with a PostgreSQL advisory
    lock only, so several processes on one SQLite file would each publish every event."""
    if settings.workers > 1 and not settings.is_postgres:
        return 1, f"DARCA_WORKERS={settings.workers} applies on PostgreSQL; SQLite is served by one process"
    return settings.workers, None


def serve(settings: Settings) -> None:
    """Serve until SIGINT/SIGTERM."""
    workers, _ = worker_count(settings)
    if workers == 1:
        uvicorn.Server(server_config(create_app(settings), settings)).run()
        return
    config = server_config(APP_FACTORY, settings)  # type: ignore[arg-type]  # an import string, loaded per worker
    config.workers, config.factory = workers, True
    Multiprocess(config, sockets=[config.bind_socket()]).run()
