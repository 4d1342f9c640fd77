"""The published docs as a reader sees them: served by docs_router, rendered by headless Chromium, offline.

Chromium runs with every host but loopback unresolvable and a dead proxy, and writes a net log:
the pages must render from the one HTML file and must not even try to reach another host.
Missing Chromium or Node.js/redocly skips these tests, or fails them with DARCA_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from app.docs import docs_router
from app.errors_docs import errors_router
from app.guides_docs import guides_router
from tests.services import require
from tools.docs import build

ROOT = Path(__file__).resolve().parents[2]

# Chromium's own background services (time sync, updates, sign-in) call these despite the flags
# below; they are the browser's requests, not the page's, and are blocked anyway.
BROWSER_OWN_HOSTS = ("google.com", "googleapis.com", "gvt1.com")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-pings",
    # networking off: nothing resolves but loopback, and any proxied request hits a closed port
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1;localhost",
    "--virtual-time-budget=10000",  # let the viewer hydrate and route before the DOM is dumped
]


def find_chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Chromium (Debian package chromium)")
    assert path is not None
    return path


def docs_app(build_dir: Path) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)  # keep /docs for docs_router
    app.include_router(docs_router(build_dir))
    app.include_router(errors_router())
    app.include_router(guides_router(ROOT))
    return app


def leaves_machine(url: str) -> bool:
    """A network request of the page to another host (data:, blob: and loopback stay here)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return (
        parts.scheme in ("http", "https", "ws", "wss") and host not in LOOPBACK and not host.endswith(BROWSER_OWN_HOSTS)
    )


def visible_text(dom: str) -> str:
    """Text a reader sees: the page inlines the spec in a <script>, so scripts must not count."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.DOTALL | re.IGNORECASE)
    return " ".join(re.sub(r"<[^>]+>", " ", dom).split())


@pytest.fixture(scope="session")
def built_docs() -> Path:
    """build/docs, (re)built through the build module when missing or older than the specs."""
    pages = [build.OUT_DIR / name for name in build.PAGES]
    specs = [build.SPECS_DIR / name for name in build.PAGES.values()]
    newest_spec = max(spec.stat().st_mtime for spec in specs)
    if all(page.is_file() and page.stat().st_mtime >= newest_spec for page in pages):
        return build.OUT_DIR
    try:
        build.find_redocly()
    except build.DocsBuildError as exc:
        require(False, f"Node.js and redocly ({exc})")
    build.build()
    return build.OUT_DIR


@pytest.fixture(scope="session")
def docs_server(built_docs: Path) -> Iterator[str]:
    """The docs app under uvicorn on a free loopback port, in a background thread."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(docs_app(built_docs), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def render(url: str, tmp_path: Path) -> tuple[str, list[str]]:
    """(DOM after the page's scripts ran, URLs the page asked for off this machine)."""
    chromium = find_chromium()
    tmp_path.mkdir(parents=True, exist_ok=True)
    net_log = tmp_path / "net.json"
    cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--log-net-log={net_log}"]
    result = subprocess.run([*cmd, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0 and result.stdout, f"chromium failed: {result.stderr[-2000:]}"
    requested = set(re.findall(r'"url":"([^"]+)"', net_log.read_text(encoding="utf-8", errors="replace")))
    off_machine = sorted(u for u in requested if leaves_machine(u))
    return result.stdout, off_machine


def test_api_docs_render_operations_offline(docs_server: str, tmp_path: Path) -> None:
    # Redoc 3 routes by URL hash: one page per tag
    platform, platform_off = render(f"{docs_server}/docs#/platform", tmp_path / "platform")
    assets, assets_off = render(f"{docs_server}/docs#/assets", tmp_path / "assets")
    assert "Liveness probe" in visible_text(platform)
    assert "/v1/health/live" in visible_text(platform)
    text = visible_text(assets)
    for summary in ("List assets", "Get an asset", "Register an asset", "/v1/assets/{code}"):
        assert summary in text
    assert "eyJrIjpbIkVVUiJdfQ" in text  # the next_cursor of listAssets' response example
    assert platform_off == [] and assets_off == [], "the API docs tried to reach another host"


def test_event_docs_render_channel_offline(docs_server: str, tmp_path: Path) -> None:
    dom, off_machine = render(f"{docs_server}/docs/events#/channels/assetregistrychanged", tmp_path)
    text = visible_text(dom)
    assert "darca.platform.asset_registry_changed.v1" in text  # the channel address
    assert "Publish asset registry changes" in text  # its operation
    assert "partitionkey" in text  # the payload schema
    assert "asset:SOL" in text  # the message example's envelope
    assert off_machine == [], "the event docs tried to reach another host"


def test_error_catalogue_renders_with_an_anchor_per_code_offline(docs_server: str, tmp_path: Path) -> None:
    # where a problem's `type` link leads: /docs/errors#<code>, rendered by Python (no build step)
    dom, off_machine = render(f"{docs_server}/docs/errors#INSUFFICIENT_FUNDS", tmp_path)
    assert '<section id="INSUFFICIENT_FUNDS">' in dom
    text = visible_text(dom)
    assert "DARCA error catalogue" in text
    assert "INSUFFICIENT_FUNDS — Insufficient funds" in text and "getLedgerBalance" in text
    assert "Field-level codes" in text and "AMOUNT_TOO_PRECISE" in text
    assert off_machine == [], "the error catalogue tried to reach another host"


GUIDE_PAGES = {  # served page -> what a reader must see on it
    "quickstart": ("DARCA quickstart", "/v1/sandbox/messages"),
    "sdk-typescript": ("@darca/sdk", "createDarcaClient"),
    "sdk-python": ("darca-sdk", "AuthenticatedClient"),
    "changelog": ("DARCA changelog", "1.0.0"),
    "versioning": ("Deprecation", "Sunset"),
}


def test_guides_render_and_link_each_other_offline(docs_server: str, tmp_path: Path) -> None:
    """The quickstart, both SDK guides, the changelog and the versioning policy, as a browser shows them."""
    for page, (heading, content) in GUIDE_PAGES.items():
        dom, off_machine = render(f"{docs_server}/docs/{page}", tmp_path / page)
        text = visible_text(dom)
        assert heading in text and content in text, page
        for other in GUIDE_PAGES:
            assert f'href="{other}"' in dom, (page, other)  # the navigation reaches every guide
        assert off_machine == [], f"{page} tried to reach another host"


def test_built_pages_load_nothing_external(built_docs: Path) -> None:
    for name in build.PAGES:
        html = (built_docs / name).read_text(encoding="utf-8")
        assert build.external_resources(html) == []
        assert build.CSP_META in html  # the browser blocks anything the viewer would still fetch
        assert '"disableTelemetry":true' in html


async def test_not_built_page_says_how_to_build(tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=docs_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://docs.test") as client:
        for url in ("/docs", "/docs/events"):
            response = await client.get(url)
            assert response.status_code == 503
            assert response.headers["content-type"].startswith("text/html")
            assert "make docs" in response.text and "Node.js" in response.text
            assert str(tmp_path) not in response.text


def test_build_fails_clearly_without_redocly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build, "REDOCLY", build.ROOT / "node_modules" / ".bin" / "no-such-redocly")
    assert build.main(["--out", str(tmp_path)]) == 1
    assert "npm" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
