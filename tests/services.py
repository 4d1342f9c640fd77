"""Finding the real services tests talk to; with DARCA_REQUIRE_SERVICES=1 a missing one fails the run."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

POSTGRES_ADMIN_URL = os.environ.get("DARCA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBITMQ_URL = os.environ.get("DARCA_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
NATS_URL = os.environ.get("DARCA_TEST_NATS_URL", "nats://127.0.0.1:4222")


def services_required() -> bool:
    return os.environ.get("DARCA_REQUIRE_SERVICES") == "1"


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require(available: bool, what: str) -> None:
    """Skip when `what` is missing, or fail when the run requires every service."""
    if available:
        return
    if services_required():
        pytest.fail(f"{what} is required (DARCA_REQUIRE_SERVICES=1) but not available", pytrace=False)
    pytest.skip(f"{what} not available")


def require_port(name: str, host: str, port: int) -> None:
    require(port_open(host, port), f"{name} at {host}:{port}")


def require_program(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"program {name}")
    assert path is not None
    return path
