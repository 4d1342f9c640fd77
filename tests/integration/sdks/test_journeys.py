"""Both SDKs drive the customer journey against one live `app run` server: the TypeScript one compiled with
tsc and run with node, the Python one imported from sdks/python."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.running import ROOT, LivePlatform, live_platform, wait_ready
from tests.services import require

# one server for both journeys; compiling the SDK and the program with tsc takes a while on a busy machine
pytestmark = [pytest.mark.timeout(300), pytest.mark.xdist_group("sdk-journeys")]

HERE = Path(__file__).resolve().parent
NODE_BIN = ROOT / "node_modules" / ".bin"


class Sandbox:
    """The live server and where its sandbox keeps the messages it sent (no message API yet)."""

    def __init__(self, live: LivePlatform, database: Path) -> None:
        self.live = live
        self.database = database

    def code(self, channel: str, recipient: str) -> str:
        """The code in the newest EMAIL or SMS to a recipient (written with the request that sent it)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with sqlite3.connect(self.database) as db:
                row = db.execute("SELECT body FROM notifications WHERE channel = ? AND recipient = ? "
                                 "ORDER BY id DESC LIMIT 1", (channel, recipient)).fetchone()
            if row is not None and (found := re.search(r"\b(\d{6})\b", row[0])):
                return found.group(1)
            time.sleep(0.1)
        raise AssertionError(f"no {channel} code for {recipient}")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    folder = tmp_path_factory.mktemp("sdk-journeys")
    database = folder / "darca.db"
    env = {"DARCA_DATABASE_URL": f"sqlite:///{database}", "DARCA_BROKER_URL": "memory://",
           "DARCA_ENVIRONMENT": "SANDBOX", "DARCA_GRPC_PORT": "0", "DARCA_MAIL_SPOOL_DIR": str(folder / "mail")}
    with live_platform(env) as live:
        wait_ready(live)
        yield Sandbox(live, database)


def check_journey(result: dict) -> None:
    assert result["registered_status"] == "PENDING_VERIFICATION"
    assert result["status"] == "ACTIVE"
    assert result["refusal"] == "INVALID_CREDENTIALS"
    assert result["token_type"] == "Bearer"
    assert {"EUR", "BTC", "JPY"} <= set(result["assets"])  # all of them, over several pages of two
    assert len(result["assets"]) > 2
    assert result["logged_out"] is True
    if result["accounts"]:  # wallets exist: the top-up shows in the balance and the history
        funded = result["funded"]
        assert funded["balance"] == funded["amount"] and funded["entries"] == 1, result


def test_python_sdk_journey(sandbox: Sandbox) -> None:
    sys.path.insert(0, str(ROOT / "sdks" / "python"))
    try:
        from tests.integration.sdks import journey
    finally:
        sys.path.remove(str(ROOT / "sdks" / "python"))
    check_journey(journey.run(sandbox.live.base, sandbox.code))


def tsc(*args: str) -> None:
    result = subprocess.run([str(NODE_BIN / "tsc"), *args], capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The TypeScript programs of this folder compiled against @darca/sdk, laid out as npm installs it."""
    require((NODE_BIN / "tsc").exists() and shutil.which("node") is not None, "Node.js and tsc (run `make node`)")
    project = tmp_path_factory.mktemp("sdk-typescript")
    package = project / "node_modules" / "@darca" / "sdk"
    package.mkdir(parents=True)
    shutil.copy(ROOT / "sdks" / "typescript" / "package.json", package / "package.json")
    # its one dependency, and Node's types for the programs, from the project's node_modules
    (project / "node_modules" / "openapi-fetch").symlink_to(ROOT / "node_modules" / "openapi-fetch")
    (project / "node_modules" / "@types").symlink_to(ROOT / "node_modules" / "@types")
    tsc("-p", str(ROOT / "sdks" / "typescript"), "--outDir", str(package / "dist"))
    (project / "src").mkdir()
    for program in HERE.glob("*.ts"):
        shutil.copy(program, project / "src" / program.name)
    (project / "package.json").write_text(json.dumps({"type": "module", "private": True}))
    (project / "tsconfig.json").write_text(json.dumps({"compilerOptions": {
        "strict": True, "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
        "lib": ["ES2022", "DOM"], "types": ["node"], "rootDir": "src", "outDir": "out"}, "include": ["src"]}))
    tsc("-p", str(project))
    return project / "out"


def test_typescript_sdk_helpers(compiled: Path) -> None:
    result = subprocess.run(["node", "--test", str(compiled / "helpers.test.js")], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 3" in result.stdout and "# fail 0" in result.stdout


def test_typescript_sdk_journey(sandbox: Sandbox, compiled: Path) -> None:
    program = subprocess.Popen(["node", str(compiled / "journey.js"), sandbox.live.base], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert program.stdin is not None and program.stdout is not None
    result = None
    for line in program.stdout:  # answers its questions for codes, reads its result
        if line.startswith("CODE? "):
            _, channel, recipient = line.split()
            program.stdin.write(sandbox.code(channel, recipient) + "\n")
            program.stdin.flush()
        elif line.startswith("RESULT "):
            result = json.loads(line.removeprefix("RESULT "))
    assert program.wait(timeout=60) == 0, program.stderr.read() if program.stderr else ""
    assert result is not None
    check_journey(result)
