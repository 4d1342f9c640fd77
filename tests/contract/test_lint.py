"""Contract lint: `buf lint` (STANDARD) on the protobuf specs and `redocly lint` on the bundled
OpenAPI and AsyncAPI documents. The tools come from node_modules (`make node`); without them the
tests skip, or fail under DARCA_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.services import require

pytestmark = pytest.mark.timeout(300)  # a Node.js linter may take up to 120 s on a busy runner

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"


def tool(name: str) -> Path:
    path = BIN / name
    require(path.exists(), f"{name} from node_modules (run `make node`)")
    return path


def run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_buf_lint_passes() -> None:
    result = run([tool("buf"), "lint"], ROOT / "specs" / "proto")
    assert result.returncode == 0, result.stdout + result.stderr


def test_buf_lint_catches_a_violation(tmp_path: Path) -> None:
    shutil.copy(ROOT / "specs" / "proto" / "buf.yaml", tmp_path / "buf.yaml")
    package = tmp_path / "darca" / "probe" / "v1"
    package.mkdir(parents=True)
    (package / "probe.proto").write_text('syntax = "proto3";\npackage darca.probe.v1;\nmessage bad_name {}\n')
    result = run([tool("buf"), "lint"], tmp_path)
    assert result.returncode != 0 and "bad_name" in result.stdout + result.stderr


def test_redocly_lint_openapi_passes() -> None:
    result = run([tool("redocly"), "lint", "--config", "redocly.yaml", "generated/specs/openapi.json"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_redocly_lint_asyncapi_passes() -> None:
    # Its AsyncAPI 3 rules (structure, channels, operations); the OpenAPI rule set does not apply.
    result = run([tool("redocly"), "lint", "generated/specs/asyncapi.json"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_redocly_lint_catches_a_violation(tmp_path: Path) -> None:
    spec = json.loads((ROOT / "generated" / "specs" / "openapi.json").read_text())
    operation = spec["paths"]["/v1/assets/{code}"]["get"]
    operation["responses"] = {"200": operation["responses"]["200"]}  # no 4xx: the config makes that an error
    (tmp_path / "openapi.json").write_text(json.dumps(spec))
    shutil.copy(ROOT / "redocly.yaml", tmp_path / "redocly.yaml")
    result = run([tool("redocly"), "lint", "--config", "redocly.yaml", "openapi.json"], tmp_path)
    assert result.returncode != 0 and "operation-4xx-response" in result.stdout + result.stderr

