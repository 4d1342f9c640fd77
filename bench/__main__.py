"""Run every benchmark section (each in its own process) and gather the figures in results/latest.json."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
# (name, module, extra arguments, results file the section writes)
SECTIONS = [
    ("ledger", "bench.ledger", ["--adr"], "ledger.json"),
    ("ledger_wal", "bench.ledger_wal", [], "ledger_wal.json"),
    ("event_bus", "bench.event_bus", ["--postgres"], "event_bus.json"),
    ("http", "bench.http", [], "http.json"),
    ("soak", "bench.soak", [], "soak.json"),
    ("passwords", "bench.passwords", [], "passwords.json"),
]


def main() -> int:
    wanted = set(sys.argv[1:])
    gathered: dict[str, object] = {}
    failed = []
    for name, module, extra, output in SECTIONS:
        if wanted and name not in wanted:
            continue
        print(f"== {name}", flush=True)
        started = time.time()
        code = subprocess.call([sys.executable, "-m", module, *extra])
        path = RESULTS / output
        if code != 0 or not path.exists() or path.stat().st_mtime < started:
            failed.append(name)
            gathered[name] = {"error": f"exit code {code}"}
            continue
        gathered[name] = json.loads(path.read_text())
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(
        {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": platform.platform(),
         "python": platform.python_version(), "sections": gathered, "failed": failed}, indent=2) + "\n")
    print(f"results in {RESULTS / 'latest.json'}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
