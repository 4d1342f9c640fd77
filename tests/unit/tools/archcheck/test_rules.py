"""Each house rule of tools/archcheck catches a violation planted in a small tree, and lets the
allowed shape through; and the real tree holds every rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from textwrap import dedent

from tools.archcheck.rules import check

ROOT = Path(__file__).resolve().parents[4]


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
    for package in ("core", "core/ledger", "core/identity", "core/platform", "core/assets", "handlers",
                    "handlers/ledger", "app"):
        init = tmp_path / package / "__init__.py"
        init.parent.mkdir(parents=True, exist_ok=True)
        init.touch()
    return tmp_path


def rules_hit(root: Path) -> set[tuple[str, str]]:
    return {(v.rule, v.path) for v in check(root)}


class TestImportCycles:
    def test_a_cycle_hidden_by_an_import_inside_a_function_is_found(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/identity/sessions.py": "from core.identity import mfa\n",
            "core/identity/mfa.py": "def later():\n    from core.identity import sessions\n",
        })
        violations = [v for v in check(root) if v.rule == "import-cycle"]
        assert len(violations) == 1
        assert "core.identity.mfa -> core.identity.sessions -> core.identity.mfa" in violations[0].message

    def test_imports_for_type_checking_only_make_no_cycle(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "app/runtime.py": "from app import server\n",
            "app/server.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import runtime\n",
        })
        assert not [v for v in check(root) if v.rule == "import-cycle"]


class TestQueries:
    def test_a_query_outside_a_repository_is_refused(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/ledger/service.py": "async def f(session, q):\n    return await session.execute(q)\n",
            "core/ledger/repository.py": "from sqlalchemy import select\nQ = select(1)\n",
        })
        assert rules_hit(root) == {("query-outside-repository", "core/ledger/service.py")}


class TestCommits:
    def test_a_service_that_commits_is_refused(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/ledger/service.py": "async def f(session):\n    await session.commit()\n",
            "core/platform/db.py": "async def unit_of_work(session):\n    await session.commit()\n",
        })
        assert rules_hit(root) == {("commit-outside-unit-of-work", "core/ledger/service.py")}


class TestFacadeSignatures:
    def test_dict_of_any_across_a_facade_is_refused_but_private_helpers_are_not(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/ledger/api.py": """
                from typing import Any
                async def balance(ctx, account_id: str) -> "dict[str, Any]": ...
                class Ledger:
                    async def post(self, ctx, *, metadata: dict[str, Any]) -> None: ...
                    async def _work(self, rows: dict[str, Any]) -> None: ...
                def _helper(x: dict[str, Any]) -> None: ...
                async def typed(ctx, account_id: str) -> int: ...
            """,
        })
        lines = sorted(v.line for v in check(root) if v.rule == "loose-facade-signature")
        assert lines == [3, 5]


class TestFacadeResults:
    def test_a_table_row_across_a_facade_is_refused_and_a_dataclass_is_not(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/identity/api.py": """
                async def list_sessions(ctx, user_id: str) -> "PageSlice[SessionRow]": ...
                async def register(ctx, new: NewUser) -> tables.UserRow: ...
                async def get_device(ctx, device_id: str) -> Device: ...
                def _of_session(row: SessionRow) -> Session: ...
            """,
        })
        violations = [v for v in check(root) if v.rule == "row-across-facade"]
        assert [v.line for v in violations] == [2, 3]
        assert "(SessionRow)" in violations[0].message and "(UserRow)" in violations[1].message


class TestFacadeContext:
    def test_a_facade_function_without_the_context_first_is_refused(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/identity/api.py": """
                async def kyc_level(session, user_id: str) -> str: ...
                async def jwks(ctx) -> list[str]: ...
                async def _helper(session) -> None: ...
                def prefix_of(key: str) -> str: ...
            """,
            "core/assets/api.py": "async def asset_scales(session) -> dict[str, int]: ...\n",  # allowed, listed
            "core/platform/api.py": "async def ping(db) -> None: ...\n",  # the kernel holds the machinery
        })
        violations = [v for v in check(root) if v.rule == "facade-without-context"]
        assert [(v.path, v.line) for v in violations] == [("core/identity/api.py", 2)]
        assert "RequestContext.of_work" in violations[0].message

    def test_a_facade_class_method_without_the_context_first_is_refused(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/ledger/api.py": """
                class Ledger:
                    async def transfer(self, client_id: str, amount: int) -> None: ...
                    async def get_account(self, account_id: str, *, ctx=None) -> None: ...
                    async def post_transaction(self, ctx, spec) -> None: ...
                    async def scales(self) -> dict[str, int]: ...
                    async def _post_one(self, spec) -> None: ...
                    def states(self) -> None: ...
                    @staticmethod
                    async def check(ctx, amount: int) -> None: ...
                class _Batcher:
                    async def submit(self, spec) -> None: ...
            """,
        })
        violations = [v for v in check(root) if v.rule == "facade-without-context"]
        assert [(v.path, v.line) for v in violations] == [("core/ledger/api.py", 3), ("core/ledger/api.py", 4)]
        assert "`Ledger.transfer`" in violations[0].message
        assert "async def transfer(self, ctx: RequestContext | None, ...)" in violations[0].message


class TestFacades:
    def test_reaching_into_another_domain_is_refused_and_the_facade_is_not(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "core/ledger/api.py": "X = 1\n",
            "core/ledger/repository.py": "Y = 1\n",
            "core/identity/stepup.py": "from core.ledger.repository import Y\nfrom core.ledger.api import X\n"
                                       "from core.platform import ids\n",
            "handlers/ledger/handler.py": "from core.ledger import repository\nfrom core.ledger.api import X\n",
            "app/main.py": "from core.ledger.repository import Y\n",  # the composition root wires anything
        })
        violations = [v for v in check(root) if v.rule == "facade-bypassed"]
        assert {(v.path, v.line) for v in violations} == {("core/identity/stepup.py", 1),
                                                          ("handlers/ledger/handler.py", 1)}
        assert all("use `core.ledger.api`" in v.message for v in violations)


def test_the_tree_holds_every_house_rule() -> None:
    result = subprocess.run([sys.executable, "-m", "tools.archcheck"], check=False, cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:]


class TestAdapters:
    def test_servicers_in_app_and_handlers_importing_handlers_are_refused(self, tmp_path: Path) -> None:
        root = tree(tmp_path, {
            "app/grpc_server.py": "import x_pb2_grpc\nclass AssetsServicer(x_pb2_grpc.AssetRegistryServiceServicer):\n"
                                  "    pass\n",
            "handlers/assets/handler.py": "from handlers.ledger.handler import money\nfrom handlers.common import abort\n",
            "handlers/ledger/handler.py": "money = 1\n",
            "handlers/common.py": "abort = 1\n",
        })
        assert rules_hit(root) == {("adapter-outside-handlers", "app/grpc_server.py"),
                                   ("handler-imports-handler", "handlers/assets/handler.py")}
