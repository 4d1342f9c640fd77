"""`python -m tools.release cut|check|changelog`: released contracts and the breaking-change gate (ADR 0027).

- `cut X.Y.Z [--replace]` copies the bundled OpenAPI and AsyncAPI documents and the protobuf tree into
  `specs/released/X.Y.Z/`. All three contracts must carry X.Y.Z (`info.version`, `specs/proto/VERSION`),
  `generated/specs/` must be current, X.Y.Z must be higher than the last release (or equal to it with
  `--replace`, to re-cut a release nothing depends on yet), and the gate must pass against the release before.
- `check` (run by `make check`) compares each contract with the last release and fails on a breaking
  change unless that contract's major version is higher than the release's.
- `changelog` prints a draft `CHANGELOG.md` entry from the same diff, to be edited by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tools.codegen import problems
from tools.codegen.bundle import bundle

from .compat import Change, compare_asyncapi, compare_openapi

TOOL_ROOT = Path(__file__).resolve().parents[2]
OPENAPI_ROOT = "specs/openapi/darca.yaml"
ASYNCAPI_ROOT = "specs/asyncapi/darca.yaml"
PROTO_ROOT = "specs/proto"
PROTO_VERSION = "specs/proto/VERSION"
RELEASED = "specs/released"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class ReleaseError(Exception):
    """A cut or a gate that must not go ahead; the message says why and what to do."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = SEMVER.match(text.strip())
    if not match:
        raise ReleaseError(f"{text!r} is not a release version: use MAJOR.MINOR.PATCH, e.g. 1.2.0")
    return int(match[1]), int(match[2]), int(match[3])


def _plain_json(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def current_specs(root: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The OpenAPI and AsyncAPI documents bundled from `specs/` exactly as `make generate` bundles them."""
    openapi = bundle(root / OPENAPI_ROOT)
    problems.annotate_openapi(openapi, problems.load(root))
    asyncapi = bundle(root / ASYNCAPI_ROOT)
    # Through JSON, as in generated/specs/: YAML dates become the ISO strings the served document has.
    return (json.loads(json.dumps(openapi, default=_plain_json)), json.loads(json.dumps(asyncapi, default=_plain_json)))


def proto_version(root: Path) -> str:
    path = root / PROTO_VERSION
    if not path.is_file():
        raise ReleaseError(f"{PROTO_VERSION} is missing: it holds the protobuf contract's version (X.Y.Z)")
    return path.read_text(encoding="utf-8").strip()


def releases(root: Path) -> list[str]:
    folder = root / RELEASED
    found = [p.name for p in folder.iterdir() if p.is_dir() and SEMVER.match(p.name)] if folder.is_dir() else []
    return sorted(found, key=parse_version)


def _buf() -> str:
    buf = TOOL_ROOT / "node_modules" / ".bin" / "buf"
    if not buf.exists():
        raise ReleaseError("buf is not installed: run `make node` (it comes with the project's Node tools)")
    return str(buf)


def start_proto_breaking(root: Path, release: Path) -> subprocess.Popen[str]:
    """`buf breaking` of specs/proto against a released proto tree, started (it runs while the specs compare)."""
    return subprocess.Popen([_buf(), "breaking", str(root / PROTO_ROOT), "--against", str(release / "proto"),
                             "--error-format", "text"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=root)


def proto_breaking(root: Path, run: subprocess.Popen[str]) -> list[str]:
    """One line per breaking change `buf breaking` found."""
    stdout, stderr = run.communicate(timeout=120)
    if run.returncode == 0:
        return []
    lines = [line for line in (stdout + stderr).splitlines() if line.strip()]
    if run.returncode != 100:  # 100: breaking changes found; anything else: buf could not run
        raise ReleaseError("buf breaking failed:\n  " + "\n  ".join(lines))
    return [line.replace(str(root) + "/", "") for line in lines]


def proto_inventory(proto_dir: Path) -> set[str]:
    """Every service, rpc, message, field, enum and enum value of a proto tree, by full name."""
    result = subprocess.run([_buf(), "build", str(proto_dir), "--exclude-source-info", "-o", "-#format=json"],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ReleaseError(f"buf build {proto_dir} failed:\n{result.stderr}")
    names: set[str] = set()

    def messages(prefix: str, items: list[dict[str, Any]]) -> None:
        for m in items:
            full = f"{prefix}.{m['name']}"
            names.add(f"message {full}")
            names.update(f"field {full}.{f['name']} = {f['number']}" for f in m.get("field", []))
            enums(full, m.get("enumType", []))
            messages(full, m.get("nestedType", []))

    def enums(prefix: str, items: list[dict[str, Any]]) -> None:
        for e in items:
            full = f"{prefix}.{e['name']}"
            names.add(f"enum {full}")
            names.update(f"enum value {full}.{v['name']} = {v.get('number', 0)}" for v in e.get("value", []))

    for file in json.loads(result.stdout).get("file", []):
        package = file.get("package", "")
        messages(package, file.get("messageType", []))
        enums(package, file.get("enumType", []))
        for service in file.get("service", []):
            full = f"{package}.{service['name']}"
            names.add(f"service {full}")
            names.update(f"rpc {full}.{m['name']}" for m in service.get("method", []))
    return names


@dataclass
class GateResult:
    against: str | None
    lines: list[str] = field(default_factory=list)  # what to print
    failures: list[str] = field(default_factory=list)  # breaking changes not allowed by the version
    changes: dict[str, list[Change]] = field(default_factory=dict)  # per contract, for the changelog


def gate(root: Path, against: str | None = None, proto_additions: bool = False) -> GateResult:
    """Compare each contract with a release (default: the last one); breaking needs a higher major.

    `proto_additions` also lists what the protobuf contract gained (for the changelog; two more buf runs).
    """
    known = releases(root)
    against = against or (known[-1] if known else None)
    result = GateResult(against)
    if against is None:
        result.lines.append("no release in specs/released/ yet: nothing to compare with")
        return result
    release = root / RELEASED / against
    buf_run = start_proto_breaking(root, release)
    try:
        openapi, asyncapi = current_specs(root)
    except BaseException:
        buf_run.kill()
        buf_run.communicate()
        raise
    released_major = parse_version(against)[0]
    contracts: list[tuple[str, str, list[Change]]] = []
    for name, doc, compare in (("OpenAPI", openapi, compare_openapi), ("AsyncAPI", asyncapi, compare_asyncapi)):
        old = json.loads((release / f"{name.lower()}.json").read_text(encoding="utf-8"))
        contracts.append((name, doc["info"]["version"], compare(old, doc)))
    proto_changes = [Change("protobuf", line, True) for line in proto_breaking(root, buf_run)]
    if proto_additions:
        old_inv, new_inv = proto_inventory(release / "proto"), proto_inventory(root / PROTO_ROOT)
        proto_changes += [Change("protobuf", f"{item} added", False) for item in sorted(new_inv - old_inv)]
    contracts.append(("protobuf", proto_version(root), proto_changes))

    for name, version, changes in contracts:
        result.changes[name] = changes
        major = parse_version(version)[0]
        if parse_version(version) < parse_version(against):
            result.failures.append(f"{name}: version {version} is lower than the release {against}")
        breaking = [c for c in changes if c.breaking]
        additions = len(changes) - len(breaking)
        if not breaking:
            counted = f" ({additions} non-breaking change(s))" if name != "protobuf" or proto_additions else ""
            result.lines.append(f"{name} {version}: compatible with {against}{counted}")
        elif major > released_major:
            result.lines.append(f"{name} {version}: {len(breaking)} breaking change(s) against {against}, "
                                f"allowed by the new major version")
        else:
            result.lines.append(f"{name} {version}: {len(breaking)} BREAKING change(s) against {against}:")
            result.lines += [f"  {c}" for c in breaking]
            result.failures.append(
                f"{name}: breaking changes need a new major version ({released_major + 1}.0.0) and the "
                f"deprecation of docs/versioning.md; otherwise extend instead of changing")
    return result


def cut(root: Path, version: str, replace: bool = False) -> Path:
    parse_version(version)
    known = releases(root)
    last = known[-1] if known else None
    if replace and version != last:
        raise ReleaseError(f"cannot re-cut {version}: --replace only re-cuts the last release ({last or 'none yet'})")
    if last and parse_version(version) < parse_version(last):
        raise ReleaseError(f"cannot cut {version}: it is lower than the last release {last}")
    if version == last:
        if not replace:
            raise ReleaseError(f"cannot cut {version}: it is already released. Cut a higher version, or re-cut it "
                               f"with --replace if nothing depends on it yet")
        known = known[:-1]  # the gate compares with the release before the one replaced
    versions = {"OpenAPI info.version": None, "AsyncAPI info.version": None, PROTO_VERSION: proto_version(root)}
    openapi, asyncapi = current_specs(root)
    versions["OpenAPI info.version"] = openapi["info"]["version"]
    versions["AsyncAPI info.version"] = asyncapi["info"]["version"]
    wrong = [f"{what} is {have!r}" for what, have in versions.items() if have != version]
    if wrong:
        raise ReleaseError(f"cannot cut {version}: " + "; ".join(wrong) + f" — set them to {version} in "
                           f"{OPENAPI_ROOT}, {ASYNCAPI_ROOT} and {PROTO_VERSION}, then run `make generate`")
    for name, doc in (("openapi.json", openapi), ("asyncapi.json", asyncapi)):
        committed = root / "generated" / "specs" / name
        if not committed.is_file() or json.loads(committed.read_text(encoding="utf-8")) != doc:
            raise ReleaseError(f"cannot cut {version}: generated/specs/{name} is stale — run `make generate`")
    target = root / RELEASED / version
    if known:
        checked = gate(root, known[-1])
        if checked.failures:
            raise ReleaseError(f"cannot cut {version}:\n" + "\n".join(checked.lines + checked.failures))
    if target.exists():
        shutil.rmtree(target)
    (target / "proto").parent.mkdir(parents=True, exist_ok=True)
    for name, doc in (("openapi.json", openapi), ("asyncapi.json", asyncapi)):
        (target / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copytree(root / PROTO_ROOT, target / "proto", ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return target


def changelog_draft(root: Path) -> str:
    result = gate(root, proto_additions=True)
    if result.against is None:
        return "No release yet: cut the first one with `make release VERSION=1.0.0`.\n"
    every = [c for changes in result.changes.values() for c in changes]
    major, minor, patch = parse_version(result.against)
    if any(c.breaking for c in every):
        suggested = f"{major + 1}.0.0"
    elif every:
        suggested = f"{major}.{minor + 1}.0"
    else:
        suggested = f"{major}.{minor}.{patch + 1}"
    lines = [f"## [{suggested}] — YYYY-MM-DD", "",
             (f"<!-- draft from `python -m tools.release changelog` against {result.against}: say what it means for "
             f"clients, what to use instead of anything deprecated or removed, then cut it -->"), ""]
    sections = [("Breaking", lambda c: c.breaking),
                ("Deprecated", lambda c: not c.breaking and "deprecated" in c.message),
                ("Added and changed", lambda c: not c.breaking and "deprecated" not in c.message)]
    for title, keep in sections:
        picked = [(name, c) for name, changes in result.changes.items() for c in changes if keep(c)]
        if picked:
            lines += [f"### {title}", ""]
            lines += [f"- {name}: {c.where} — {c.message}" if c.where != name else f"- {name}: {c.message}"
                      for name, c in picked]
            lines.append("")
    if not every:
        lines += ["No contract change since the last release: fixes and documentation only.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.release")
    parser.add_argument("--root", type=Path, default=TOOL_ROOT, help="project folder (default: this checkout)")
    sub = parser.add_subparsers(dest="action", required=True)
    cut_cmd = sub.add_parser("cut", help="release the contracts as specs/released/VERSION/")
    cut_cmd.add_argument("version")
    cut_cmd.add_argument("--replace", action="store_true",
                         help="re-cut the last release in place (only before anything depends on it)")
    sub.add_parser("check", help="fail on a breaking change against the last release without a major bump")
    sub.add_parser("changelog", help="print a draft CHANGELOG.md entry from the diff against the last release")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.action == "cut":
            target = cut(root, args.version, args.replace)
            print(f"released {args.version} into {target.relative_to(root)}/ — add its CHANGELOG.md entry "
                  f"(`python -m tools.release changelog` drafts the next one)")
            return 0
        if args.action == "changelog":
            sys.stdout.write(changelog_draft(root))
            return 0
        result = gate(root)
        print(*result.lines, sep="\n")
        if result.failures:
            print("breaking-change gate failed:", *result.failures, sep="\n  ", file=sys.stderr)
            return 1
        return 0
    except (ReleaseError, problems.CatalogueError) as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
