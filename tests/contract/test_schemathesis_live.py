"""`schemathesis run` with every check against a running platform (the CLI a partner or CI would use), as
the two seeded users (object_level_authorization probes each one's reads as the other) and the operator."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.running import ROOT, live_platform, wait_ready

from .contract_user import seed_contract_user

OPERATOR_KEY = "contract-operator-key"  # the operator identity of schemathesis_users.yaml


@pytest.mark.timeout(900)  # the CLI run itself may take up to 600 s
def test_schemathesis_cli_finds_no_failures_against_the_running_app(tmp_path: Path) -> None:
    asyncio.run(seed_contract_user(f"sqlite+aiosqlite:///{tmp_path / 'darca.db'}", migrate_first=True))
    env = {
        "DARCA_DATABASE_URL": f"sqlite:///{tmp_path / 'darca.db'}",
        "DARCA_OPERATOR_API_KEY": OPERATOR_KEY,
        "DARCA_LOG_LEVEL": "WARNING",
    }
    with live_platform(env) as live:
        wait_ready(live)
        result = subprocess.run(
            [str(ROOT / ".venv/bin/schemathesis"), "--config-file", "tests/contract/schemathesis.toml", "run",
             f"{live.base}/openapi.json", "--checks", "all", "--workers", "1", "--max-examples", "15"],
            check=False, cwd=ROOT, env={**os.environ, "DARCA_OPERATOR_API_KEY": OPERATOR_KEY, "NO_COLOR": "1"},
            capture_output=True, text=True, timeout=600,
        )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-6000:]
    summary = re.search(r"(\d+) generated, (\d+) passed", report)
    assert summary is not None, report[-3000:]
    generated, passed = map(int, summary.groups())
    assert generated > 500 and passed == generated, report[-3000:]
