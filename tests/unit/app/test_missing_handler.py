"""The app refuses to start, naming the operationId, when an operation has no handler."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.main import create_app, default_handlers
from app.runtime import build_runtime
from generated.openapi.routes import OPERATIONS, AssetsHandlers, MissingHandlerError, check_handlers
from handlers.platform import PlatformHandler
from handlers.platform.handler import PlatformInfo
from tests.conftest import make_settings


def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_settings(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")


def platform_handler() -> PlatformHandler:
    return PlatformHandler(PlatformInfo("0", "0", "SANDBOX", []), {})


def test_a_missing_method_names_the_operation(tmp_path: Path) -> None:
    class WithoutGetAsset(AssetsHandlers):
        async def list_assets(self, ctx, *, limit, cursor, kind):  # type: ignore[no-untyped-def]
            raise AssertionError

        async def create_asset(self, ctx, *, body):  # type: ignore[no-untyped-def]
            raise AssertionError

    with pytest.raises(MissingHandlerError, match=r"operation getAsset \(GET /v1/assets/\{code\}\) has no handler"):
        create_app(settings(tmp_path), handlers={"platform": platform_handler(), "assets": WithoutGetAsset()})


def test_a_missing_tag_names_its_first_operation(tmp_path: Path) -> None:
    with pytest.raises(MissingHandlerError, match="operation listAssets"):
        create_app(settings(tmp_path), handlers={"platform": platform_handler()})


def test_every_operation_of_the_contract_is_implemented(tmp_path: Path) -> None:
    runtime = build_runtime(settings(tmp_path))
    handlers = default_handlers(runtime, "0")
    check_handlers(handlers)  # raises MissingHandlerError otherwise
    assert {op.tag for op in OPERATIONS.values()} <= set(handlers)
