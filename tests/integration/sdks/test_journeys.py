"""Both SDKs drive the customer journey through the public API alone against one live `app run` server: the
TypeScript one compiled with tsc and run with node, the Python one imported from sdks/python. The harness only
starts the server and checks what each journey reports; the journeys read their codes from the sandbox's messages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.running import ROOT, LivePlatform, live_platform, wait_ready
from tests.services import require

# one server for both journeys; compiling the SDK and the program with tsc takes a while on a busy machine
pytestmark = [pytest.mark.timeout(300), pytest.mark.xdist_group("sdk-journeys")]

HERE = Path(__file__).resolve().parent
NODE_BIN = ROOT / "node_modules" / ".bin"
DEFAULT_WALLETS = ["EUR", "USD"]  # so that each journey has assets of the registry left to open a wallet in


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePlatform]:
    folder = tmp_path_factory.mktemp("sdk-journeys")
    env = {"DARCA_DATABASE_URL": f"sqlite:///{folder / 'darca.db'}", "DARCA_BROKER_URL": "memory://",
           "DARCA_ENVIRONMENT": "SANDBOX", "DARCA_GRPC_PORT": "0", "DARCA_MAIL_SPOOL_DIR": str(folder / "mail"),
           "DARCA_DEFAULT_WALLET_ASSETS": ",".join(DEFAULT_WALLETS)}
    with live_platform(env) as live:
        wait_ready(live)
        yield live


def check_journey(result: dict) -> None:
    user_id = result["user_id"]
    assert result["registered_status"] == "PENDING_VERIFICATION"
    assert result["pending"]["user_id"] == user_id and sorted(result["pending"]["unverified_channels"]) == ["EMAIL", "SMS"]
    assert result["status"] == "ACTIVE"
    assert result["profile"]["id"] == user_id and result["profile"]["status"] == "ACTIVE"
    assert result["profile"]["email_verified"] is True and result["profile"]["phone_verified"] is True
    assets = result["assets"]  # all of them, over several pages of two
    assert {"EUR", "USD", "BTC", "JPY"} <= set(assets) and len(assets) == len(set(assets))
    # the default wallets opened on activation, and one more in an asset that had none
    assert sorted(result["default_wallets"]) == DEFAULT_WALLETS
    opened = result["opened"]
    assert opened["asset"] in assets and opened["asset"] not in DEFAULT_WALLETS
    assert opened["type"] == "CUSTOMER_WALLET"
    assert sorted(result["wallets"]) == sorted([*DEFAULT_WALLETS, opened["asset"]])
    # two top-ups: the balance is their sum, the history has both (newest first, a page each), so has the statement
    funded = result["funded"]
    first, second = funded["amounts"]
    total = Decimal(first) + Decimal(second)
    assert Decimal(funded["balance"]) == total and funded["balance"] == str(total), funded
    assert funded["history"] == [{"type": "TOP_UP", "direction": "CREDIT", "amount": amount}
                                 for amount in (second, first)], funded
    statement = funded["statement"]
    assert Decimal(statement["opening"]) == 0 and statement["closing"] == statement["credits"] == funded["balance"]
    assert statement["entries"] == 2
    # the changed password ends the old one; the reset ends every session; the new one logs in, then out
    assert result["old_password"] == "INVALID_CREDENTIALS"
    assert result["reset_channel"] == "EMAIL"
    assert result["revoked_by_reset"] == "UNAUTHENTICATED"
    assert result["relogin"] == {"token_type": "Bearer", "user_id": user_id}
    assert result["logged_out"] == "UNAUTHENTICATED"


def test_python_sdk_journey(platform: LivePlatform) -> None:
    sys.path.insert(0, str(ROOT / "sdks" / "python"))
    try:
        from tests.integration.sdks import journey
    finally:
        sys.path.remove(str(ROOT / "sdks" / "python"))
    check_journey(journey.run(platform.base))


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
        "strict": True, "noUncheckedIndexedAccess": True, "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
        "lib": ["ES2022", "DOM"], "types": ["node"], "rootDir": "src", "outDir": "out"}, "include": ["src"]}))
    tsc("-p", str(project))
    return project / "out"


def test_typescript_sdk_helpers(compiled: Path) -> None:
    result = subprocess.run(["node", "--test", str(compiled / "helpers.test.js")], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 3" in result.stdout and "# fail 0" in result.stdout


def test_typescript_sdk_journey(platform: LivePlatform, compiled: Path) -> None:
    program = subprocess.run(["node", str(compiled / "journey.js"), platform.base], capture_output=True, text=True,
                             timeout=60, check=False)
    assert program.returncode == 0, program.stdout + program.stderr
    results = [line.removeprefix("RESULT ") for line in program.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(results) == 1, program.stdout
    check_journey(json.loads(results[0]))
