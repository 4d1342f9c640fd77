"""Every problem code the code can raise, found by reading the source (no import, no run).

A code reaches a client through a *sink*: `ProblemError(status, code, …)`, `FieldProblem(field, code, …)`
or a helper of `core/platform/problems.py` (`bad_request(code, …)`, `not_found`, `conflict`,
`unprocessable`). The scan resolves what stands in the code position:

- a string literal, or a module-level constant bound to one (`CHALLENGE_INVALID = "PASSKEY_…"`);
- a parameter of the enclosing function: that function becomes a sink itself (`too_many_requests(code, …)`),
  so its callers' literals are collected in turn, to a fixed point;
- a name unpacked from a module-level table (`code, detail = _REFUSALS[key]`): every entry of the table.

Anything else (an f-string, an attribute, a value computed at run time) is a *dynamic* site. Each one
must be declared in `DYNAMIC` with the codes it can produce, so a new dynamic site fails the test
until someone says what it raises. `python -m tools.problemscan` (run by `make check`) compares the
source with the catalogue, `specs/problems.yaml`; `-v` also prints what it found.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("core", "handlers", "app", "modules")
CATALOGUE = "specs/problems.yaml"

STATUS_ARG = -1  # the HTTP status is the call's first argument
# sink name -> (position of the code argument, whether the code is a field-level one, HTTP status)
BASE_SINKS: dict[str, tuple[int, bool, int | None]] = {
    "ProblemError": (1, False, STATUS_ARG),
    "FieldProblem": (1, True, None),
    "bad_request": (0, False, 400),
    "not_found": (0, False, 404),
    "conflict": (0, False, 409),
    "unprocessable": (0, False, 422),
    "abort_with": (2, False, None),  # handlers/common.py: a gRPC status with the code as ErrorInfo.reason
}

# Sites whose code is computed at run time: "path::function" -> the codes it can produce (problem codes,
# or field codes for a FieldProblem site). "pydantic" stands for every validation error type of pydantic
# (upper-cased), which the catalogue describes as one family.
DYNAMIC: dict[str, tuple[str, ...]] = {
    # the outage kinds of core/platform/outages.py: DATABASE, BROKER, DEPENDENCY
    "core/platform/outages.py::unavailable": ("DATABASE_UNAVAILABLE", "BROKER_UNAVAILABLE", "DEPENDENCY_UNAVAILABLE"),
    # a problem stored with an idempotency record and replayed: any code, already raised elsewhere
    "core/ledger/unit_of_work.py::stored_problem": (),
    # pydantic's validation errors, upper-cased
    "app/problems.py::field_problems": ("pydantic",),
    # the gRPC twin of outages.unavailable
    "app/grpc_outages.py::call": ("DATABASE_UNAVAILABLE", "BROKER_UNAVAILABLE", "DEPENDENCY_UNAVAILABLE"),
    # a ProblemError's own code, already raised elsewhere, as a gRPC status
    "handlers/common.py::abort": (),
    # the password checks of core/identity/users/service.py (field codes, keys of `_WEAK`)
    "core/identity/users/errors.py::weak_password": ("PASSWORD_TOO_SHORT", "PASSWORD_CONTAINS_IDENTIFIER",
                                                     "PASSWORD_TOO_COMMON"),
    # login_refused(outcome.failure): the passkey failure constants of core/identity/passkeys/errors.py
    "core/identity/passkeys/service.py::login": ("PASSKEY_CHALLENGE_INVALID", "PASSKEY_ASSERTION_INVALID",
                                                 "PASSKEY_SIGN_COUNT_REGRESSED"),
}


@dataclass(frozen=True)
class Use:
    code: str
    path: str
    line: int
    field_level: bool
    status: int | None = None  # the HTTP status, where the source fixes it


@dataclass(frozen=True)
class DynamicSite:
    key: str  # "path::function"
    line: int
    source: str
    field_level: bool


@dataclass
class Scan:
    uses: list[Use] = field(default_factory=list)
    dynamic: list[DynamicSite] = field(default_factory=list)

    def codes(self, *, field_level: bool = False) -> set[str]:
        return {u.code for u in self.uses if u.field_level == field_level}


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _code_arg(call: ast.Call, position: int, param: str) -> ast.expr | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    for keyword in call.keywords:
        if keyword.arg == param:
            return keyword.value
    return None


Function = ast.FunctionDef | ast.AsyncFunctionDef


class _Module:
    def __init__(self, path: Path, root: Path) -> None:
        self.rel = path.relative_to(root).as_posix()
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=self.rel)
        self.constants: dict[str, str] = {}
        self.tables: dict[str, ast.Dict] = {}
        for node in self.tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            value = getattr(node, "value", None)
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    self.constants[target.id] = value.value
                elif isinstance(value, ast.Dict):
                    self.tables[target.id] = value
        # every function with the calls of its own body and its enclosing functions, innermost first
        self.functions: list[tuple[Function, list[ast.Call], list[Function]]] = []
        self.defined = {n.name for n in self.tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        self._collect(self.tree, [])
        self.top_calls = _own_calls(self.tree)

    def _collect(self, node: ast.AST, outer: list[Function]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.append((child, _own_calls(child), outer))
                self._collect(child, [child, *outer])
            else:
                self._collect(child, outer)

    def strings(self, node: ast.expr) -> list[str] | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name) and node.id in self.constants:
            return [self.constants[node.id]]
        return None


def _own_calls(scope: ast.AST) -> list[ast.Call]:
    """Calls in this scope, not in functions nested inside it."""
    calls: list[ast.Call] = []
    pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            calls.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return calls


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    if names and names[0] in {"self", "cls"}:
        names = names[1:]
    return names


def _table_entries(module: _Module, func: ast.AST, name: str) -> list[str] | None:
    """`name` unpacked from a module-level table in this function: `code, detail = _TABLE[key]`."""
    for node in ast.walk(func):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Subscript):
            continue
        table = node.value.value
        if not isinstance(table, ast.Name) or table.id not in module.tables:
            continue
        for target in node.targets:
            index = None
            if isinstance(target, ast.Name) and target.id == name:
                index = -1
            elif isinstance(target, ast.Tuple):
                index = next((i for i, t in enumerate(target.elts) if isinstance(t, ast.Name) and t.id == name), None)
            if index is None:
                continue
            found: list[str] = []
            for value in module.tables[table.id].values:
                item = value if index == -1 else value.elts[index] if isinstance(value, ast.Tuple) and len(value.elts) > index else None
                strings = module.strings(item) if item is not None else None
                if strings is None:
                    return None
                found += strings
            return found
    return None


def source_files(root: Path) -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        base = root / folder
        if base.is_dir():
            yield from sorted(p for p in base.rglob("*.py") if "__pycache__" not in p.parts)


def _owner(func: Function, outer: list[Function], name: str) -> tuple[Function, int] | None:
    """The function (this one or one around it, for a closure) whose parameter `name` is, and its position."""
    for candidate in (func, *outer):
        params = _params(candidate)
        if name in params:
            return candidate, params.index(name)
        if any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) for n in ast.walk(candidate)):
            return None  # bound in this body: a local, not a parameter
    return None


class _Sinks:
    """Sink functions by name, each with the places its code goes (a helper such as
    `amount_problem(field, code, message)` hands its code to a problem and to a field problem). A derived
    sink counts in the module that defines it and wherever no function of that name is defined locally
    (imports keep their names here)."""

    def __init__(self) -> None:
        self.by_name: dict[str, dict[tuple[int, bool], tuple[str, str | None, int | None]]] = {
            name: {(pos, level): ("code", None, status)} for name, (pos, level, status) in BASE_SINKS.items()}

    def add(self, name: str, position: int, field_level: bool, param: str, module: str, status: int | None) -> bool:
        entries = self.by_name.setdefault(name, {})
        if (position, field_level) in entries:
            return False
        entries[(position, field_level)] = (param, module, status)
        return True

    def match(self, call: ast.Call, module: _Module) -> list[tuple[ast.expr | None, bool, int | None]]:
        """For each place this call hands a code to: the code's expression, field level, HTTP status."""
        name = _call_name(call)
        found: list[tuple[ast.expr | None, bool, int | None]] = []
        for (position, field_level), (param, home, status) in self.by_name.get(name or "", {}).items():
            if home is not None and home != module.rel and name in module.defined:
                continue  # a different function of the same name
            if status == STATUS_ARG:
                first = call.args[0] if call.args else None
                status = first.value if isinstance(first, ast.Constant) and type(first.value) is int else None
            found.append((_code_arg(call, position, param), field_level, status))
        return found


def scan(root: Path = ROOT, files: Iterable[Path] | None = None) -> Scan:
    modules = [_Module(p, root) for p in (files if files is not None else source_files(root))]
    sinks = _Sinks()
    # Fixed point: a function that hands one of its parameters to a sink's code position is a sink.
    changed = True
    while changed:
        changed = False
        for module in modules:
            for func, calls, outer in module.functions:
                for call in calls:
                    for arg, field_level, status in sinks.match(call, module):
                        owner = _owner(func, outer, arg.id) if isinstance(arg, ast.Name) else None
                        if owner is not None and isinstance(arg, ast.Name):
                            changed |= sinks.add(owner[0].name, owner[1], field_level, arg.id, module.rel, status)
    result = Scan()
    for module in modules:
        scopes: list[tuple[ast.AST, str, list[ast.Call], list[Function]]] = [
            (func, func.name, calls, outer) for func, calls, outer in module.functions]
        scopes.append((module.tree, "<module>", module.top_calls, []))
        for scope, scope_name, calls, outer in scopes:
            for call, arg, field_level, status in ((c, *m) for c in calls for m in sinks.match(c, module)):
                if arg is None:
                    continue
                if isinstance(arg, ast.Name) and isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) \
                        and _owner(scope, outer, arg.id) is not None:
                    continue  # a forwarding helper: its callers are scanned instead
                strings = module.strings(arg)
                if strings is None and isinstance(arg, ast.Name):
                    strings = _table_entries(module, scope, arg.id)
                if strings is None:
                    result.dynamic.append(DynamicSite(f"{module.rel}::{scope_name}", call.lineno,
                                                      ast.unparse(arg), field_level))
                    continue
                result.uses += [Use(code, module.rel, call.lineno, field_level, status) for code in strings]
    return result


def load_catalogue(root: Path = ROOT) -> dict[str, Any]:
    with (root / CATALOGUE).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def pydantic_error_types() -> set[str]:
    """pydantic's validation error types as field codes (upper-cased, `.` as `_`; app/problems.py)."""
    from pydantic_core.core_schema import ErrorType

    return {t.upper().replace(".", "_") for t in get_args(ErrorType)}


def findings(found: Scan, catalogue: dict[str, Any]) -> list[str]:
    """Codes the source can raise that the catalogue lacks (or with a status it does not list), and
    run-time codes nobody declared. Empty when the catalogue covers the source."""
    problems, fields = catalogue["problems"], catalogue["field_problems"]
    out: list[str] = []
    for use in found.uses:
        if use.code not in (fields if use.field_level else problems):
            kind = "field code" if use.field_level else "problem code"
            out.append(f"{use.path}:{use.line}: {kind} {use.code} is not in {CATALOGUE}")
        elif not use.field_level and use.status is not None and use.status not in problems[use.code]["status"]:
            out.append(f"{use.path}:{use.line}: {use.code} is raised with status {use.status}, "
                       f"which {CATALOGUE} does not list for it")
    for site in found.dynamic:
        if site.key not in DYNAMIC:
            out.append(f"{site.key.replace('::', ':')}:{site.line}: the code `{site.source}` is computed at run "
                       "time: declare the codes it can be in DYNAMIC (tools/problemscan.py)")
            continue
        for code in DYNAMIC[site.key]:
            if code == "pydantic":
                if "pydantic" not in catalogue.get("field_problem_families", {}):
                    out.append(f"{site.key}: the field code family `pydantic` is not in {CATALOGUE}")
            elif code not in (fields if site.field_level else problems):
                out.append(f"{site.key}: {code} (declared in DYNAMIC) is not in {CATALOGUE}")
    live = {site.key for site in found.dynamic}
    out += [f"DYNAMIC declares {key}, which raises nothing at run time any more: remove it"
            for key in sorted(set(DYNAMIC) - live)]
    return out


def unused(found: Scan, catalogue: dict[str, Any]) -> list[str]:
    """Catalogue codes no code raises and that are not marked `reserved`."""
    declared = {site.key: site.field_level for site in found.dynamic}
    dynamic_problems = {c for key, codes in DYNAMIC.items() if declared.get(key) is False for c in codes}
    dynamic_fields = {c for key, codes in DYNAMIC.items() if declared.get(key) is True for c in codes}
    raised = found.codes() | dynamic_problems
    out = [f"problem code {code} is raised nowhere: remove it or mark it `reserved` with the reason"
           for code, entry in catalogue["problems"].items() if code not in raised and "reserved" not in entry]
    field_raised = found.codes(field_level=True) | dynamic_fields
    if "pydantic" in dynamic_fields:
        field_raised |= pydantic_error_types()
    out += [f"field code {code} is raised nowhere (and is no pydantic error type): remove it"
            for code in catalogue["field_problems"] if code not in field_raised]
    return out


def main() -> int:
    """Print every finding; exit 1 when the catalogue and the source disagree (`make check`)."""
    found = scan()
    catalogue = load_catalogue()
    wrong = findings(found, catalogue) + unused(found, catalogue)
    if "-v" in sys.argv[1:]:
        for level, label in ((False, "problem codes"), (True, "field codes")):
            codes = sorted(found.codes(field_level=level))
            print(f"{label} ({len(codes)}):", *codes, sep="\n  ")
        print("dynamic sites:", *(f"{d.key}:{d.line} {d.source}" for d in found.dynamic), sep="\n  ")
    if wrong:
        print(f"{CATALOGUE} and the source disagree:", *wrong, sep="\n  ")
        return 1
    print(f"{CATALOGUE} lists every code the source can raise ({len(found.codes())} problem codes seen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
