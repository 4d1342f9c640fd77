"""Generate FastAPI routes and one typed handler interface per tag from the bundled OpenAPI.

The generated module imports nothing of ours: the composition root hands `build_router` the
handler objects and an `invoke` callable (unit of work, security, idempotency, errors).
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from .deprecations import Deprecated, DeprecationMarkupError, operation_deprecations, schema_markup

# Headers the platform consumes itself (middleware / invoke); handlers never see them.
PLATFORM_HEADERS = {"x-request-id", "idempotency-key"}
MIDDLEWARE_HEADERS = {"x-request-id"}  # not even a route parameter


def snake(name: str) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower().strip("_")
    return name + "_" if keyword.iskeyword(name) else name


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


class _Spec:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"].lstrip("#/").split("/")
            target: Any = self.doc
            for token in pointer:
                target = target[token.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    @staticmethod
    def ref_name(node: dict[str, Any]) -> str | None:
        ref = node.get("$ref") if isinstance(node, dict) else None
        return ref.rsplit("/", 1)[-1] if ref and ref.startswith("#/components/schemas/") else None


def _py_type(spec: _Spec, schema: dict[str, Any]) -> str:
    name = spec.ref_name(schema)
    resolved = spec.deref(schema)
    if "enum" in resolved:
        if name:
            return f"models.{name}"
        return "Literal[" + ", ".join(repr(v) for v in resolved["enum"]) + "]"
    kind = resolved.get("type")
    return {"integer": "int", "boolean": "bool", "string": "str", "number": "Decimal"}.get(kind, "str")


def _constraints(spec: _Spec, schema: dict[str, Any]) -> dict[str, Any]:
    resolved = spec.deref(schema)
    mapping = {
        "minimum": "ge",
        "maximum": "le",
        "exclusiveMinimum": "gt",
        "exclusiveMaximum": "lt",
        "minLength": "min_length",
        "maxLength": "max_length",
        "pattern": "pattern",
    }
    return {arg: resolved[key] for key, arg in mapping.items() if key in resolved}


def _param_code(spec: _Spec, param: dict[str, Any]) -> tuple[str, str, str, bool]:
    """(python name, route signature fragment, handler annotation, passed to handler)."""
    param = spec.deref(param)
    location = param["in"]
    schema = param.get("schema", {})
    py_name = snake(param["name"])
    base = _py_type(spec, schema)
    kwargs = _constraints(spec, schema)
    fastapi_cls = {"query": "Query", "path": "Path", "header": "Header", "cookie": "Cookie"}[location]
    if location in ("header", "cookie") or py_name != param["name"]:
        kwargs = {"alias": param["name"], **kwargs}
    arg_text = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    required = param.get("required", False) or location == "path"
    default = spec.deref(schema).get("default")
    if required:
        fragment = f"{py_name}: Annotated[{base}, {fastapi_cls}({arg_text})]"
        handler_type = base
    elif default is not None:
        fragment = f"{py_name}: Annotated[{base}, {fastapi_cls}({arg_text})] = {default!r}"
        handler_type = base
    else:
        fragment = f"{py_name}: Annotated[{base} | None, {fastapi_cls}({arg_text})] = None"
        handler_type = f"{base} | None"
    passed = not (location == "header" and param["name"].lower() in PLATFORM_HEADERS)
    return py_name, fragment, handler_type, passed


def _operations(spec: _Spec) -> list[dict[str, Any]]:
    ops = []
    problems: list[str] = []
    global_security = spec.doc.get("security", [])
    for path, item in spec.doc.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in ("get", "put", "post", "patch", "delete"):
            if method not in item:
                continue
            op = item[method]
            tags = op.get("tags") or ["default"]
            # X-Request-Id is read and checked by the middleware alone: as a route parameter it cost
            # every request a header lookup in FastAPI's dependency resolution (ADR 0017).
            params = [_param_code(spec, p) for p in shared + op.get("parameters", [])
                      if spec.deref(p)["name"].lower() not in MIDDLEWARE_HEADERS]
            params.sort(key=lambda p: "=" in p[1])  # required parameters first
            body_model = None
            if "requestBody" in op:
                body = spec.deref(op["requestBody"])
                schema = body["content"]["application/json"]["schema"]
                body_model = spec.ref_name(schema)
                if body_model is None:
                    raise ValueError(f"{op['operationId']}: request body must reference a named schema")
            successes = sorted(code for code in op["responses"] if code.startswith("2"))
            if not successes:
                raise ValueError(f"{op['operationId']}: no 2xx response")
            success = successes[0]
            response = spec.deref(op["responses"][success])
            content = response.get("content", {})
            response_model = None
            media_type = None
            if content:
                media_type, media = next(iter(content.items()))
                response_model = spec.ref_name(media.get("schema", {}))
            param_names = [p[0] for p in params]
            ops.append(
                {
                    "operation_id": op["operationId"],
                    "method_name": snake(op["operationId"]),
                    "tag": tags[0],
                    "http_method": method.upper(),
                    "path": path,
                    "params": params,
                    "body_model": body_model,
                    "success_status": int(success),
                    "response_model": response_model,
                    "media_type": media_type,
                    "security": op.get("security", global_security),
                    "idempotent": "idempotency-key"
                    in {spec.deref(p)["name"].lower() for p in shared + op.get("parameters", []) if spec.deref(p)["in"] == "header"},
                    "summary": op.get("summary", ""),
                    "param_names": param_names,
                    "deprecations": operation_deprecations(spec.doc, op, shared, problems),
                }
            )
    schema_markup(spec.doc, problems)
    if problems:
        raise DeprecationMarkupError(sorted(set(problems)))
    return ops


def _deprecation_lines(deprecations: list[Deprecated]) -> list[str]:
    """The `deprecations=` argument of a deprecated operation (nothing for the others)."""
    if not deprecations:
        return []
    lines = ["        deprecations=("]
    for item in deprecations:
        headers = (("Deprecation", item.deprecation_header), ("Sunset", item.sunset_header),
                   ("Link", f'<{item.link}>; rel="deprecation"'))
        lines += [
            "            Deprecation(",
            f"                element={item.element!r},",
            f"                location={item.location!r},",
            f"                name={item.name!r},",
            f"                sunset_at={int(item.sunset.timestamp())},",
            f"                headers={headers!r},",
            "            ),",
        ]
    return [*lines, "        ),"]


def render(doc: dict[str, Any], source: str) -> str:
    spec = _Spec(doc)
    ops = _operations(spec)
    tags = sorted({op["tag"] for op in ops}, key=lambda t: [x["name"] for x in doc.get("tags", [])].index(t) if t in [x["name"] for x in doc.get("tags", [])] else 999)
    out: list[str] = [
        f'# generated by tools/codegen from {source} — run make generate',
        '"""FastAPI routes and typed handler interfaces for the DARCA OpenAPI contract."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Awaitable, Callable, Mapping",
        "from dataclasses import dataclass, field",
        "from decimal import Decimal",
        "from typing import Annotated, Any, Literal, Protocol",
        "",
        "from fastapi import APIRouter, Cookie, Header, Path, Query, Request",
        "from fastapi.responses import Response",
        "from pydantic import BaseModel",
        "",
        "from . import models",
        "",
        "__all__ = [\"OPERATIONS\", \"HANDLER_INTERFACES\", \"Deprecation\", \"Operation\", \"Reply\", \"MissingHandlerError\", \"build_router\", \"check_handlers\"]",
        "",
        "_ = (Decimal, Literal, Cookie, Header, Path, Query)  # used by some contracts, not all",
        "",
        "",
        "@dataclass(frozen=True)",
        "class Deprecation:",
        '    """A deprecated operation or input (`location` None: the operation) and the headers that announce it."""',
        "",
        "    element: str",
        "    location: str | None",
        "    name: str",
        "    sunset_at: int",
        "    headers: tuple[tuple[str, str], ...]",
        "",
        "",
        "@dataclass(frozen=True)",
        "class Operation:",
        '    """What the contract says about one operation."""',
        "",
        "    operation_id: str",
        "    tag: str",
        "    method: str",
        "    path: str",
        "    handler_method: str",
        "    success_status: int",
        "    media_type: str | None",
        "    security: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]",
        "    idempotent: bool",
        "    body_model: type[BaseModel] | None",
        "    response_model: type[BaseModel] | None",
        "    deprecations: tuple[Deprecation, ...] = ()",
        "",
        "",
        "@dataclass",
        "class Reply:",
        '    """A handler result with a status or headers other than the contract\'s default."""',
        "",
        "    body: BaseModel | None",
        "    status: int | None = None",
        "    headers: dict[str, str] = field(default_factory=dict)",
        "",
        "",
        "class MissingHandlerError(RuntimeError):",
        '    """An operation of the contract has no implementation."""',
        "",
        "",
        "class Invoke(Protocol):",
        "    def __call__(",
        "        self, operation: Operation, request: Request, call: Callable[[Any, Any], Awaitable[Any]]",
        "    ) -> Awaitable[Response]: ...",
        "",
        "",
        "OPERATIONS: dict[str, Operation] = {",
    ]
    for op in ops:
        security = tuple(tuple((name, tuple(scopes)) for name, scopes in req.items()) for req in op["security"])
        body = f"models.{op['body_model']}" if op["body_model"] else "None"
        resp = f"models.{op['response_model']}" if op["response_model"] else "None"
        out += [
            f"    {op['operation_id']!r}: Operation(",
            f"        operation_id={op['operation_id']!r},",
            f"        tag={op['tag']!r},",
            f"        method={op['http_method']!r},",
            f"        path={op['path']!r},",
            f"        handler_method={op['method_name']!r},",
            f"        success_status={op['success_status']},",
            f"        media_type={op['media_type']!r},",
            f"        security={security!r},",
            f"        idempotent={op['idempotent']!r},",
            f"        body_model={body},",
            f"        response_model={resp},",
            *_deprecation_lines(op["deprecations"]),
            "    ),",
        ]
    out += ["}", ""]
    for tag in tags:
        cls = pascal(tag) + "Handlers"
        out += ["", f"class {cls}:", f'    """Operations tagged `{tag}`. Subclass and implement every method."""', ""]
        for op in [o for o in ops if o["tag"] == tag]:
            args = ["self", "ctx: Any"]
            kw = [f"{name}: {handler_type}" for name, _, handler_type, passed in op["params"] if passed]
            if op["body_model"]:
                kw.append(f"body: models.{op['body_model']}")
            sig = ", ".join(args + (["*"] + kw if kw else []))
            ret = f"models.{op['response_model']} | Reply" if op["response_model"] else "Reply | None"
            out += [
                f"    async def {op['method_name']}({sig}) -> {ret}:",
                f'        """{op["operation_id"]}: {op["summary"]}"""',
                "        raise NotImplementedError",
                "",
                f"    {op['method_name']}.__darca_unimplemented__ = True  # type: ignore[attr-defined]",
                "",
            ]
    out += ["", "HANDLER_INTERFACES: dict[str, type] = {"]
    out += [f"    {tag!r}: {pascal(tag)}Handlers," for tag in tags]
    out += [
        "}",
        "",
        "",
        "def check_handlers(handlers: Mapping[str, object]) -> None:",
        '    """Refuse to go on unless every operation of the contract has an implementation."""',
        "    for op in OPERATIONS.values():",
        "        impl = handlers.get(op.tag)",
        "        interface = HANDLER_INTERFACES[op.tag]",
        "        if impl is None or not isinstance(impl, interface):",
        "            raise MissingHandlerError(",
        "                f\"operation {op.operation_id} ({op.method} {op.path}) has no handler: \"",
        "                f\"no {interface.__name__} implementation registered for tag {op.tag!r}\"",
        "            )",
        "        method = getattr(type(impl), op.handler_method, None)",
        "        if method is None or getattr(method, '__darca_unimplemented__', False):",
        "            raise MissingHandlerError(",
        "                f\"operation {op.operation_id} ({op.method} {op.path}) has no handler: \"",
        "                f\"{type(impl).__name__}.{op.handler_method} is not implemented\"",
        "            )",
        "",
        "",
        "def build_router(handlers: Mapping[str, object], invoke: Invoke) -> APIRouter:",
        '    """Routes for every operation, each calling `invoke` with its handler method."""',
        "    check_handlers(handlers)",
        "    router = APIRouter()",
    ]
    for op in ops:
        fn = "route_" + op["method_name"]
        sig = ["request: Request"] + [frag for _, frag, _, _ in op["params"]]
        passed = [name for name, _, _, p in op["params"] if p]
        call_kwargs = ", ".join([f"{n}={n}" for n in passed] + (["body=body"] if op["body_model"] else []))
        sep = ", " if call_kwargs else ""
        out += [
            "",
            f"    @router.api_route({op['path']!r}, methods=[{op['http_method']!r}], name={op['operation_id']!r}, include_in_schema=False)",
            f"    async def {fn}(",
            *[f"        {s}," for s in sig],
            "    ) -> Response:",
            f"        handler = handlers[{op['tag']!r}]",
            "        return await invoke(",
            f"            OPERATIONS[{op['operation_id']!r}],",
            "            request,",
            f"            lambda ctx, body: handler.{op['method_name']}(ctx{sep}{call_kwargs}),",
            "        )",
        ]
    out += ["", "    return router", ""]
    return "\n".join(out)
