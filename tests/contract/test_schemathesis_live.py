"""`schemathesis run` with every check against a running platform (the CLI a partner or CI would use), as
the two seeded users (object_level_authorization probes each one's reads as the other) and the operator."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess

import pytest

from tests.running import ROOT, live_platform, wait_ready

from .contract_user import seed_contract_user

OPERATOR_KEY = "contract-operator-key"  # the operator identity of schemathesis_users.yaml


# On PostgreSQL: the in-process run (test_openapi_schemathesis.py) fuzzes every operation on SQLite, this
# one puts the same checks, and object-level authorization across two users, to PostgreSQL's types
# (NUL bytes, ranges, lengths) through a real server.
@pytest.mark.backends("postgresql")
@pytest.mark.timeout(900)  # the CLI run itself may take up to 600 s
def test_schemathesis_cli_finds_no_failures_against_the_running_app(database_url: str) -> None:
    asyncio.run(seed_contract_user(database_url))
    env = {
        "DARCA_DATABASE_URL": database_url,
        "DARCA_WORKERS": "1",
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
