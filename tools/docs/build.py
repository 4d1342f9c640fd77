"""`python -m tools.docs.build`: render the bundled contracts into self-contained HTML, offline.

redocly 2.x renders with Redoc 3, which reads OpenAPI 3.1 and AsyncAPI 3.0 alike, so both pages
come from `redocly build-docs --inlineBundle` (the viewer's JavaScript is inlined, not loaded
from a CDN). Two things in that output would still reach the network from a reader's browser:
telemetry (turned off with REDOCLY_TELEMETRY=off, which also sets disableTelemetry in the page)
and the "API docs by Redocly" footer logo, an <img> from Redocly's CDN. A Content-Security-Policy
that allows only inline code and data: URIs blocks the logo (the page hides it on error) and
anything else a future Redoc might add.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = ROOT / "generated" / "specs"
OUT_DIR = ROOT / "build" / "docs"
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"

# output page -> bundled spec it renders
PAGES = {"api.html": "openapi.json", "events.html": "asyncapi.json"}

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

# An element that loads a resource from another origin (script/link/img/... with an absolute URL).
# Inline <script> bodies are cut out first: the viewer's code mentions URLs in strings.
EXTERNAL_RESOURCE = re.compile(
    r"<(script|link|img|iframe|source|audio|video|embed|object)\b[^>]*\b(src|href|srcset|data)\s*=\s*[\"']?(https?:)?//",
    re.IGNORECASE,
)
EXTERNAL_CSS = re.compile(r"(@import|url\()\s*[\"']?(https?:)?//", re.IGNORECASE)
INLINE_SCRIPT_BODY = re.compile(r"(<script\b[^>]*>).*?(</script>)", re.IGNORECASE | re.DOTALL)


class DocsBuildError(RuntimeError):
    pass


def find_redocly() -> Path:
    if shutil.which("node") is None:
        raise DocsBuildError("Node.js is not installed: install Node.js >= 20.19 and npm, then run `make docs`")
    if not REDOCLY.exists():
        raise DocsBuildError(f"{REDOCLY} is missing: run `npm ci` (or `make docs`, which runs it)")
    return REDOCLY


def external_resources(html: str) -> list[str]:
    """Every place in the page (outside inline scripts) that would load something from the network."""
    markup = INLINE_SCRIPT_BODY.sub(r"\1\2", html)
    return [m.group(0) for m in EXTERNAL_RESOURCE.finditer(markup)] + [
        m.group(0) for m in EXTERNAL_CSS.finditer(markup)
    ]


def make_offline(html: str) -> str:
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head is None:
        raise DocsBuildError("redocly output has no <head>: cannot add the Content-Security-Policy")
    return html[: head.end()] + "\n  " + CSP_META + html[head.end() :]


def render(redocly: Path, spec: Path, out: Path) -> None:
    env = {
        **os.environ,
        "REDOCLY_TELEMETRY": "off",  # no CLI telemetry, and disableTelemetry in the page
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",  # no version check against the registry
        "NO_COLOR": "1",
    }
    cmd = [str(redocly), "build-docs", str(spec), "--inlineBundle", "--output", str(out), "--lint-config", "off"]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not out.is_file():
        raise DocsBuildError(f"redocly build-docs failed for {spec.name}:\n{result.stdout}{result.stderr}")
    html = make_offline(out.read_text(encoding="utf-8"))
    if found := external_resources(html):
        raise DocsBuildError(f"{out.name} would load external resources: {found[:5]}")
    out.write_text(html, encoding="utf-8")


def build(out_dir: Path = OUT_DIR, specs_dir: Path = SPECS_DIR) -> list[Path]:
    """Render every page into out_dir; returns the written files."""
    redocly = find_redocly()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for page, spec_name in PAGES.items():
        spec = specs_dir / spec_name
        if not spec.is_file():
            raise DocsBuildError(f"{spec} is missing: run `make generate`")
        render(redocly, spec, out_dir / page)
        written.append(out_dir / page)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docs.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: build/docs)")
    parser.add_argument("--specs", type=Path, default=SPECS_DIR, help="bundled specs (default: generated/specs)")
    args = parser.parse_args(argv)
    try:
        for path in build(args.out, args.specs):
            print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
    except DocsBuildError as exc:
        print(f"docs build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
