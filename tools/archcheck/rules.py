"""The house rules of DESIGN.md §2 that a tool can check, each as a function over parsed sources.

Every violation names the file and line and says how to fix it. What each rule allows is listed
here, next to the rule, so an exception is a reviewed line in this file, not a silent skip.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHECKED_ROOTS = ("core", "handlers", "app", "modules")
CYCLE_ROOTS = ("core", "handlers", "app")
# The shared kernel: value types and machinery every domain may use directly (DESIGN §2).
KERNEL = "platform"
# Modules that gather every domain's tables or wire every domain together (not domain code).
AGGREGATORS = frozenset({"core.schema"})
# Where queries may be built and run: repositories, and the platform's own machinery (unit of work,
# outbox, inbox, idempotency), which is the repository of the platform's tables.
QUERY_FILES_SUFFIXES = ("repository.py", "repositories.py")  # also driver_repository.py and the like
QUERY_PACKAGES = ("core/platform/",)
# The unit-of-work runners: the only places that commit. The kernel's machinery (the unit of work, the
# relay's leader lease) and the ledger's runner, whose driver path holds its transaction on a raw
# connection in the driver repository.
COMMIT_FILES = frozenset({"core/ledger/unit_of_work.py", "core/ledger/driver_repository.py"})
COMMIT_PACKAGES = ("core/platform/",)
# Facade functions that take a session instead of the request context: the ledger's repository reads
# the asset registry's scales in its own unit of work, where no request context exists.
SESSION_FACADE_FUNCTIONS = frozenset({"core.assets.api.asset_scales"})
# Facade methods without a unit of work: the ledger's asset scales, reference data cached once per
# process (read on a unit of their own the first time, then from memory).
REFERENCE_DATA_METHODS = frozenset({"core.ledger.api.Ledger.scales", "core.ledger.api.Ledger.scale_of",
                                    "core.ledger.api.Ledger.parse"})
QUERY_FUNCTIONS = frozenset({"select"})
QUERY_METHODS = frozenset({"execute"})


@dataclass(frozen=True)
class Violation:
    rule: str
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


@dataclass
class Source:
    path: str  # relative, with forward slashes
    module: str
    tree: ast.Module
    is_package: bool = False
    imports: list[tuple[str, int, bool]] = field(default_factory=list)  # (module, line, runtime)


def module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def load(root: Path, roots: Iterable[str] = CHECKED_ROOTS) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for top in roots:
        for file in sorted((root / top).rglob("*.py")) if (root / top).is_dir() else ():
            relative = file.relative_to(root)
            module, is_package = module_name(relative)
            tree = ast.parse(file.read_text(), filename=str(relative))
            sources[module] = Source(relative.as_posix(), module, tree, is_package)
    for source in sources.values():
        source.imports = list(dict.fromkeys(_imports(source, sources)))  # `from x import a, b`: one import of x
    return sources


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, runtime: bool = True) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        child_runtime = runtime and not (isinstance(child, ast.If) and _type_checking_only(child))
        yield child, child_runtime
        yield from _walk(child, child_runtime)


def _imports(source: Source, known: dict[str, Source]) -> Iterator[tuple[str, int, bool]]:
    package = source.module if source.is_package else source.module.rpartition(".")[0]
    for node, runtime in _walk(source.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, runtime
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield (candidate if candidate in known else base), node.lineno, runtime


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "core" and len(parts) > 1 else None


def cycles(sources: dict[str, Source]) -> list[Violation]:
    """Import cycles among our modules (an import inside a function still counts: it only hides one)."""
    graph: dict[str, set[str]] = {m: set() for m, s in sources.items() if s.path.split("/")[0] in CYCLE_ROOTS}
    lines: dict[tuple[str, str], int] = {}
    for module, targets in graph.items():
        for target, line, runtime in sources[module].imports:
            if runtime and target in graph and target != module:
                targets.add(target)
                lines.setdefault((module, target), line)
    violations = []
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        cycle = _one_cycle(graph, sorted(component))
        first = cycle[0]
        violations.append(Violation(
            "import-cycle", sources[first].path, lines[(first, cycle[1])],
            "import cycle " + " -> ".join([*cycle, first]) + ". Move what these modules share into a lower "
            "module (or the facade of the domain below) so imports point one way; an import inside a "
            "function does not break a cycle, it hides it."))
    return violations


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _one_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest path from the component's first module back to itself."""
    start, members = component[0], set(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return component


def _calls(tree: ast.AST, names: frozenset[str], methods: frozenset[str] = frozenset()) -> Iterator[tuple[str, int]]:
    """Calls of the functions `names` (`select(...)`, `sa.select(...)`) and of the methods `methods`
    (`session.execute(...)`; a local variable named like one is not a query)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in names:
                yield func.id, node.lineno
            elif isinstance(func, ast.Attribute) and (func.attr in names or func.attr in methods):
                yield func.attr, node.lineno


def queries_outside_repositories(sources: dict[str, Source]) -> list[Violation]:
    violations = []
    for source in sources.values():
        if source.path.endswith(QUERY_FILES_SUFFIXES) or source.path.startswith(QUERY_PACKAGES):
            continue
        for name, line in _calls(source.tree, QUERY_FUNCTIONS, QUERY_METHODS):
            violations.append(Violation(
                "query-outside-repository", source.path, line,
                f"`{name}(` outside a repository. Put the query in the domain's repository.py as a named method "
                "and call that; every query of a domain lives in its repository."))
    return violations


def commits_outside_unit_of_work(sources: dict[str, Source]) -> list[Violation]:
    violations = []
    for source in sources.values():
        if source.path in COMMIT_FILES or source.path.startswith(COMMIT_PACKAGES):
            continue
        for _, line in _calls(source.tree, frozenset(), frozenset({"commit"})):
            violations.append(Violation(
                "commit-outside-unit-of-work", source.path, line,
                "`commit()` outside the unit-of-work runner. Services never commit: the invoker (app/invoke.py) "
                "or the background job runs the work in `db.unit_of_work()`, which commits once at the end."))
    return violations


def _loose_mapping(annotation: ast.AST | None) -> bool:
    """`dict[str, Any]`, `Dict[str, Any]`, `Mapping[str, Any]` (or the same inside another type)."""
    if annotation is None:
        return False
    for node in ast.walk(annotation):
        if isinstance(node, ast.Subscript):
            base = node.value
            name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
            if name in ("dict", "Dict", "Mapping", "MutableMapping") and isinstance(node.slice, ast.Tuple):
                value = node.slice.elts[-1]
                if isinstance(value, ast.Name) and value.id == "Any":
                    return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a string annotation
            try:
                if _loose_mapping(ast.parse(node.value, mode="eval").body):
                    return True
            except SyntaxError:
                pass
    return False


def _public_functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The facade's functions and its public classes' methods (not helpers nested inside them)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            yield node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield from (item for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                        and (not item.name.startswith("_") or item.name == "__init__"))


def loose_facade_signatures(sources: dict[str, Source]) -> list[Violation]:
    violations = []
    for source in sources.values():
        if not (source.module.startswith("core.") and source.module.endswith(".api")):
            continue
        for node in _public_functions(source.tree):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            annotations = [a.annotation for a in arguments] + [node.returns]
            if any(_loose_mapping(a) for a in annotations):
                violations.append(Violation(
                    "loose-facade-signature", source.path, node.lineno,
                    f"facade function `{node.name}` takes or returns `dict[str, Any]`. Give it a typed input or "
                    "result (a dataclass or pydantic model) so callers in other domains see what crosses."))
    return violations


def _row_types(annotation: ast.AST | None) -> Iterator[str]:
    """Table row types named in an annotation (`SessionRow`, `list[PasskeyRow]`, "PageSlice[DeviceRow]")."""
    if annotation is None:
        return
    for node in ast.walk(annotation):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if name.endswith("Row"):
            yield name
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                yield from _row_types(ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                pass


def rows_across_facades(sources: dict[str, Source]) -> list[Violation]:
    violations = []
    for source in sources.values():
        if not (source.module.startswith("core.") and source.module.endswith(".api")):
            continue
        for node in _public_functions(source.tree):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            rows = sorted({r for a in [*(a.annotation for a in arguments), node.returns] for r in _row_types(a)})
            if rows:
                violations.append(Violation(
                    "row-across-facade", source.path, node.lineno,
                    f"facade function `{node.name}` hands out or takes a table row ({', '.join(rows)}). Rows stay "
                    "inside their domain: map them to a frozen dataclass (see core/identity/results.py)."))
    return violations


def _facade_coroutines(source: Source) -> Iterator[tuple[str, ast.AsyncFunctionDef, bool]]:
    """(name in the module, node, whether it takes `self` first) of a facade's public async functions
    and of the public async methods of its public classes (the ledger's facade is the class `Ledger`)."""
    for node in source.tree.body:
        if isinstance(node, ast.AsyncFunctionDef) and not node.name.startswith("_"):
            yield node.name, node, False
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, ast.AsyncFunctionDef) and not item.name.startswith("_"):
                    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in item.decorator_list)
                    yield f"{node.name}.{item.name}", item, not static


def facades_without_context(sources: dict[str, Source]) -> list[Violation]:
    """A facade's functions and its classes' methods take the request context first (DESIGN §2,
    "Services, facades and units of work"); the kernel's facade (core.platform.api) holds the
    machinery itself and is exempt. A method whose work may run outside a request takes
    `ctx: RequestContext | None` (the ledger's: None runs it in a unit of work of the ledger's own)."""
    violations = []
    for source in sources.values():
        if not (source.module.startswith("core.") and source.module.endswith(".api")) or _domain(
                source.module) == KERNEL:
            continue
        for name, node, method in _facade_coroutines(source):
            if f"{source.module}.{name}" in SESSION_FACADE_FUNCTIONS | REFERENCE_DATA_METHODS:
                continue
            first = [*node.args.posonlyargs, *node.args.args][1 if method else 0:][:1]
            if not first or first[0].arg != "ctx":
                shape = f"{node.name}(self, ctx: RequestContext | None, ...)" if method else \
                    f"{node.name}(ctx: RequestContext, ...)"
                violations.append(Violation(
                    "facade-without-context", source.path, node.lineno,
                    f"facade {'method' if method else 'function'} `{name}` does not take the request context "
                    f"first. Make it `async def {shape}` and use `ctx.session` as the unit of work (work outside "
                    "a request builds one with `RequestContext.of_work`)."))
    return violations


def imports_bypassing_facades(sources: dict[str, Source]) -> list[Violation]:
    """Core domains reach each other, and handlers and modules reach the core, through `core.<domain>.api`
    only (the kernel, core.platform, is open to core domains). The composition root (app/) wires
    everything and is exempt."""
    violations = []
    for source in sources.values():
        layer = source.path.split("/")[0]
        if layer == "app" or source.module in AGGREGATORS:
            continue
        own = _domain(source.module)
        for target, line, _ in source.imports:
            parts = target.split(".")
            if parts[0] != "core" or len(parts) < 2:
                continue
            domain = parts[1]
            if layer == "core" and (domain == own or domain == KERNEL):
                continue
            if parts[2:3] == ["api"]:
                continue
            who = f"core.{own}" if layer == "core" else layer
            violations.append(Violation(
                "facade-bypassed", source.path, line,
                f"{who} imports `{target}`: use `core.{domain}.api` (add what you need to that facade, typed) "
                "instead of reaching into another domain."))
    return violations


def adapters_outside_handlers(sources: dict[str, Source]) -> list[Violation]:
    """HTTP handlers and gRPC servicers live in handlers/<domain>/; a handler never imports another one
    (what several share goes in handlers/common.py); app/ only wires them."""
    violations = []
    for source in sources.values():
        layer = source.path.split("/")[0]
        if layer == "app":
            for node in ast.walk(source.tree):
                bases = [b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "")
                         for b in getattr(node, "bases", [])]
                if isinstance(node, ast.ClassDef) and any(b.endswith(("Servicer", "Handlers")) for b in bases):
                    violations.append(Violation(
                        "adapter-outside-handlers", source.path, node.lineno,
                        f"`{node.name}` is an HTTP handler or gRPC servicer: move it to handlers/<domain>/ "
                        "(handler.py or grpc.py) and let app/ only register it."))
        elif layer == "handlers":
            own = source.module.split(".")[1] if source.module.count(".") else None
            for target, line, _ in source.imports:
                parts = target.split(".")
                if parts[0] == "handlers" and len(parts) > 1 and parts[1] not in (own, "common"):
                    violations.append(Violation(
                        "handler-imports-handler", source.path, line,
                        f"a handler imports `{target}`: move what both need into handlers/common.py."))
    return violations


RULES = (cycles, adapters_outside_handlers, queries_outside_repositories, commits_outside_unit_of_work, loose_facade_signatures,
         rows_across_facades, facades_without_context, imports_bypassing_facades)


def check(root: Path) -> list[Violation]:
    sources = load(root)
    return [violation for rule in RULES for violation in rule(sources)]
