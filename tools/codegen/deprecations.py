"""Deprecation markup of the OpenAPI contract: read it for the generated route table, and refuse it when wrong.

An operation, a parameter or a schema property marked `deprecated: true` says when it was deprecated
(`x-deprecated-at`) and when it goes away (`x-sunset`), each a date (`2027-06-30`, midnight UTC) or an
RFC 3339 date-time, and optionally where to read about it (`x-deprecation-link`, default: the
versioning section of the API docs). The sunset is at least `MIN_SUPPORT` after the deprecation
(docs/versioning.md). The server announces a deprecated operation, and a request that uses a deprecated
parameter or top-level request-body field, with `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and
`Link: <...>; rel="deprecation"` headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any

MIN_SUPPORT = timedelta(days=180)  # six months between the announcement and the shutdown
DEFAULT_LINK = "/docs#/section/versioning-and-deprecation"
MARKUP = ("x-deprecated-at", "x-sunset", "x-deprecation-link")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_LINK = re.compile(r"^[^\s<>\"]+$")


class DeprecationMarkupError(ValueError):
    """The contract's deprecation markup is incomplete or wrong; one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("deprecation markup:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Deprecated:
    """One deprecated element of an operation: the operation itself or one of its inputs."""

    element: str  # "operation", "query.<name>", "header.<name>", "cookie.<name>", "body.<field>"
    location: str | None  # None for the operation; query, header, cookie or body
    name: str  # the parameter's or field's name as sent ("" for the operation)
    deprecated_at: datetime
    sunset: datetime
    link: str

    @property
    def deprecation_header(self) -> str:
        """RFC 9745: a structured-field date, `@` and Unix seconds."""
        return f"@{int(self.deprecated_at.timestamp())}"

    @property
    def sunset_header(self) -> str:
        """RFC 8594: an HTTP-date (IMF-fixdate)."""
        return format_datetime(self.sunset, usegmt=True)


def _instant(value: Any, where: str, key: str, problems: list[str]) -> datetime | None:
    if isinstance(value, datetime | date):  # an unquoted YAML date the loader already turned into one
        value = value.isoformat()
    if not isinstance(value, str) or not (_DATE.match(value) or _DATE_TIME.match(value)):
        problems.append(f"{where}: {key} must be a date (YYYY-MM-DD) or an RFC 3339 date-time, not {value!r}")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: {key} {value!r} is not a calendar date")
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _read(node: dict[str, Any], where: str, problems: list[str], *, element: str, location: str | None,
          name: str) -> Deprecated | None:
    """The deprecation of one node, or None; problems of its markup are appended."""
    marked = node.get("deprecated") is True
    present = [key for key in MARKUP if key in node]
    if not marked:
        if present:
            problems.append(f"{where}: {', '.join(present)} without `deprecated: true`")
        return None
    for key in ("x-deprecated-at", "x-sunset"):
        if key not in node:
            problems.append(f"{where}: deprecated without {key} (see docs/versioning.md)")
    if "x-deprecated-at" not in node or "x-sunset" not in node:
        return None
    deprecated_at = _instant(node["x-deprecated-at"], where, "x-deprecated-at", problems)
    sunset = _instant(node["x-sunset"], where, "x-sunset", problems)
    link = node.get("x-deprecation-link", DEFAULT_LINK)
    if not isinstance(link, str) or not _LINK.match(link):
        problems.append(f"{where}: x-deprecation-link must be a URI reference, not {link!r}")
        return None
    if deprecated_at is None or sunset is None:
        return None
    if sunset - deprecated_at < MIN_SUPPORT:
        problems.append(f"{where}: x-sunset {node['x-sunset']} is less than {MIN_SUPPORT.days} days after "
                        f"x-deprecated-at {node['x-deprecated-at']} (the minimum support period)")
        return None
    return Deprecated(element, location, name, deprecated_at, sunset, link)


def _deref(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _body_properties(doc: dict[str, Any], schema: Any) -> dict[str, Any]:
    """The top-level properties of a request body schema (through `$ref` and `allOf`)."""
    schema = _deref(doc, schema)
    properties = dict(schema.get("properties", {})) if isinstance(schema, dict) else {}
    for part in schema.get("allOf", []) if isinstance(schema, dict) else []:
        properties.update(_body_properties(doc, part))
    return properties


def operation_deprecations(doc: dict[str, Any], op: dict[str, Any], shared_params: list[Any],
                           problems: list[str]) -> list[Deprecated]:
    """What of one operation is deprecated: the operation first, then its parameters and body fields."""
    op_id = op.get("operationId", "?")
    found: list[Deprecated] = []
    whole = _read(op, op_id, problems, element="operation", location=None, name="")
    if whole is not None:
        found.append(whole)
    for param in [*shared_params, *op.get("parameters", [])]:
        param = _deref(doc, param)
        where = f"{op_id}: parameter {param['name']}"
        if param["in"] == "path" and param.get("deprecated") is True:
            problems.append(f"{where}: a path parameter cannot be deprecated alone; deprecate the operation")
            continue
        item = _read(param, where, problems, element=f"{param['in']}.{param['name']}", location=param["in"],
                     name=param["name"])
        if item is not None:
            found.append(item)
    body = _deref(doc, op.get("requestBody"))
    if isinstance(body, dict):
        for media in body.get("content", {}).values():
            for field_name, prop in sorted(_body_properties(doc, media.get("schema", {})).items()):
                item = _read(_deref(doc, prop) if "deprecated" not in prop else prop,
                             f"{op_id}: body field {field_name}", problems, element=f"body.{field_name}",
                             location="body", name=field_name)
                if item is not None:
                    found.append(item)
    return found


def schema_markup(doc: dict[str, Any], problems: list[str]) -> None:
    """Deprecated schema properties anywhere (responses, nested objects) carry complete markup too."""

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if isinstance(prop, dict):
                    _read(prop, f"{where}.{name}", problems, element="", location=None, name=name)
            for key, value in node.items():
                if key != "properties":
                    walk(value, where)
                else:
                    for name, prop in value.items():
                        walk(prop, f"{where}.{name}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for name, schema in (doc.get("components", {}).get("schemas") or {}).items():
        walk(schema, f"schema {name}")


def check(doc: dict[str, Any]) -> None:
    """Raise DeprecationMarkupError listing every problem of the document's deprecation markup."""
    problems: list[str] = []
    for item in (doc.get("paths") or {}).values():
        for method in ("get", "put", "post", "patch", "delete"):
            if method in item:
                operation_deprecations(doc, item[method], item.get("parameters", []), problems)
    schema_markup(doc, problems)
    if problems:
        raise DeprecationMarkupError(sorted(set(problems)))
