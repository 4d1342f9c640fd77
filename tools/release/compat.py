"""Compatibility of a bundled OpenAPI 3.1 or AsyncAPI 3.0 document with its last release (ADR 0027).

`compare_openapi(old, new)` and `compare_asyncapi(old, new)` list every `Change` between the released
document and the current one, each `breaking` or not, by the rules of docs/versioning.md. Schemas are
compared by direction: what clients *send* (request bodies, parameters) may only accept more; what the
platform *sends* (responses, response headers, events) may only produce less. Prose and examples
(`description`, `summary`, `title`, `example(s)`, `x-…` markup) never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

Direction = Literal["request", "response", "event"]
Json = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, order=True)
class Change:
    where: str
    message: str
    breaking: bool

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class _Doc:
    """A bundled document whose local `$ref`s (`#/components/…`, `#/channels/…`) can be followed."""

    def __init__(self, doc: Json) -> None:
        self.doc = doc

    def resolve(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return node
            seen.add(ref)
            target: Any = self.doc
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target[part] if isinstance(target, dict) else target[int(part)]
            node = target
        return node


def _ref_name(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return node["$ref"].rsplit("/", 1)[-1]
    return None


def _types(schema: Json) -> set[str] | None:
    """The JSON types a schema allows (None: any). `integer` is a kind of `number`."""
    t = schema.get("type")
    if t is None:
        if "const" in schema:
            return {_json_type(schema["const"])}
        if "enum" in schema:
            return {_json_type(v) for v in schema["enum"]}
        return None
    types = {t} if isinstance(t, str) else set(t)
    if schema.get("nullable") is True:  # OpenAPI 3.0 spelling, in case a document still uses it
        types.add("null")
    return types


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _covers(wide: set[str] | None, narrow: set[str] | None) -> bool:
    """Does the type set `wide` accept every value of `narrow`?"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


# (keyword, True when a larger value accepts more)
_BOUNDS = [("maxLength", True), ("minLength", False), ("maximum", True), ("minimum", False),
           ("exclusiveMaximum", True), ("exclusiveMinimum", False), ("maxItems", True), ("minItems", False),
           ("maxProperties", True), ("minProperties", False)]


class _SchemaComparer:
    def __init__(self, old: _Doc, new: _Doc, out: list[Change]) -> None:
        self.old, self.new, self.out = old, new, out
        self._seen: set[tuple[int, int, str]] = set()

    def add(self, where: str, message: str, breaking: bool) -> None:
        self.out.append(Change(where, message, breaking))

    def compare(self, old_node: Any, new_node: Any, where: str, direction: Direction) -> None:
        old, new = self.old.resolve(old_node), self.new.resolve(new_node)
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        name = _ref_name(old_node)
        if name is not None:
            # A named schema is reported under its own name, once per direction, wherever it is used
            # (this also ends the walk of recursive schemas).
            key = (id(old), id(new), direction)
            if key in self._seen:
                return
            self._seen.add(key)
            where = f"{'request' if direction == 'request' else direction if direction == 'event' else 'response'}" \
                    f" schema {name}"
        sends = direction != "request"  # the platform writes this value, the client reads it

        old_t, new_t = _types(old), _types(new)
        if sends and not _covers(old_t, new_t):
            self.add(where, f"type widened from {_fmt(old_t)} to {_fmt(new_t)}", True)
        elif not sends and not _covers(new_t, old_t):
            self.add(where, f"type narrowed from {_fmt(old_t)} to {_fmt(new_t)}", True)

        self._enum(old, new, where, sends)
        for keyword, larger_accepts_more in _BOUNDS:
            self._bound(old, new, keyword, larger_accepts_more, where, sends)
        for keyword in ("pattern", "format", "const", "multipleOf"):
            if old.get(keyword) != new.get(keyword):
                if keyword in new and keyword not in old:
                    change, breaks = f"{keyword} {new[keyword]!r} added", not sends
                elif keyword in old and keyword not in new:
                    change, breaks = f"{keyword} {old[keyword]!r} removed", sends
                else:
                    change, breaks = f"{keyword} changed from {old[keyword]!r} to {new[keyword]!r}", True
                self.add(where, change, breaks)
        self._object(old, new, where, direction)
        if "items" in old and "items" in new:
            self.compare(old["items"], new["items"], f"{where}[]", direction)
        self._composition(old, new, where, direction)

    def _enum(self, old: Json, new: Json, where: str, sends: bool) -> None:
        if "enum" not in old and "enum" not in new:
            return
        if "enum" not in new:
            self.add(where, "enum constraint removed", sends)
            return
        if "enum" not in old:
            self.add(where, f"enum {new['enum']} added", not sends)
            return
        removed = [v for v in old["enum"] if v not in new["enum"]]
        added = [v for v in new["enum"] if v not in old["enum"]]
        if removed:
            self.add(where, f"enum value(s) {', '.join(map(str, removed))} removed", True)
        if added:
            # Generated clients decode enums as closed sets: a value the platform starts sending breaks them.
            self.add(where, f"enum value(s) {', '.join(map(str, added))} added", sends)

    def _bound(self, old: Json, new: Json, keyword: str, larger_accepts_more: bool, where: str, sends: bool) -> None:
        o, n = old.get(keyword), new.get(keyword)
        if o == n or isinstance(o, bool) or isinstance(n, bool):
            return
        if o is None:
            accepts_more = False
            text = f"{keyword} {n} added"
        elif n is None:
            accepts_more = True
            text = f"{keyword} {o} removed"
        else:
            accepts_more = (n > o) == larger_accepts_more
            text = f"{keyword} changed from {o} to {n}"
        # A request may only accept more; what the platform sends may only become narrower.
        self.add(where, text, breaking=(accepts_more if sends else not accepts_more))

    def _object(self, old: Json, new: Json, where: str, direction: Direction) -> None:
        sends = direction != "request"
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_req, new_req = set(old.get("required") or []), set(new.get("required") or [])
        for name in old_props:
            if name not in new_props:
                self.add(f"{where}.{name}", "property removed", True)
        for name in new_props:
            if name not in old_props:
                required = name in new_req
                if direction == "request":
                    self.add(f"{where}.{name}", "new required property" if required else "property added", required)
                elif direction == "event":
                    # Events written before this release (replayed, or relayed late) lack it.
                    self.add(f"{where}.{name}", "new required property" if required else "property added", required)
                else:
                    self.add(f"{where}.{name}", "property added", False)
        for name in old_props:
            if name in new_props:
                if name in new_req and name not in old_req:
                    self.add(f"{where}.{name}", "became required", direction in ("request", "event"))
                elif name in old_req and name not in new_req:
                    self.add(f"{where}.{name}", "became optional (may be absent)", sends)
                self.compare(old_props[name], new_props[name], f"{where}.{name}", direction)
        for name in sorted(new_req - old_req - set(new_props)):  # required without a declared property
            self.add(f"{where}.{name}", "became required", direction in ("request", "event"))
        old_ap, new_ap = old.get("additionalProperties"), new.get("additionalProperties")
        if direction == "request" and old_ap is not False and new_ap is False:
            self.add(where, "additional properties no longer accepted", True)
        if isinstance(old_ap, dict) and isinstance(new_ap, dict):
            self.compare(old_ap, new_ap, f"{where}{{*}}", direction)

    def _composition(self, old: Json, new: Json, where: str, direction: Direction) -> None:
        sends = direction != "request"
        for keyword in ("oneOf", "anyOf", "allOf"):
            o, n = old.get(keyword), new.get(keyword)
            if not o and not n:
                continue
            if not o or not n:
                self.add(where, f"{keyword} {'added' if n else 'removed'}", True)
                continue
            old_named = {_ref_name(v): v for v in o if _ref_name(v)}
            new_named = {_ref_name(v): v for v in n if _ref_name(v)}
            for name in old_named.keys() - new_named.keys():
                self.add(where, f"{keyword} variant {name} removed", keyword == "allOf" or not sends)
            for name in new_named.keys() - old_named.keys():
                self.add(where, f"{keyword} variant {name} added", keyword == "allOf" or sends)
            for name in sorted(old_named.keys() & new_named.keys()):
                self.compare(old_named[name], new_named[name], f"{where}<{name}>", direction)
            old_inline = [v for v in o if not _ref_name(v)]
            new_inline = [v for v in n if not _ref_name(v)]
            if len(old_inline) != len(new_inline):
                self.add(where, f"{keyword} inline variants changed ({len(old_inline)} → {len(new_inline)})", True)
            for i, (ov, nv) in enumerate(zip(old_inline, new_inline, strict=False)):
                self.compare(ov, nv, f"{where}<{keyword}[{i}]>", direction)
        od, nd = old.get("discriminator") or {}, new.get("discriminator") or {}
        if od or nd:
            if od.get("propertyName") != nd.get("propertyName"):
                self.add(where, "discriminator property changed", True)
            om, nm = od.get("mapping") or {}, nd.get("mapping") or {}
            for value in om.keys() - nm.keys():
                self.add(where, f"discriminator value {value} removed", True)
            for value in nm.keys() - om.keys():
                self.add(where, f"discriminator value {value} added", sends)


def _fmt(types: set[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types))


# ---------------------------------------------------------------- OpenAPI


def _operations(doc: Json) -> Iterator[tuple[str, str, str, Json]]:
    """(key, label, path, operation); the key ignores path-parameter names (`/v1/x/{id}` ≡ `/v1/x/{xId}`)."""
    for path, item in (doc.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                key = f"{method.upper()} {re.sub(r'{[^}]*}', '{}', path)}"
                label = f"{method.upper()} {path}" + (f" ({op['operationId']})" if op.get("operationId") else "")
                yield key, label, path, op


def _parameters(doc: _Doc, path: str, path_item: Json, op: Json) -> dict[tuple[str, str], Json]:
    """By location and name; path parameters by position (renaming one changes no request)."""
    positions = {name: f"#{i + 1} ({name})" for i, name in enumerate(re.findall(r"{([^}]*)}", path))}
    params: dict[tuple[str, str], Json] = {}
    for raw in list(path_item.get("parameters") or []) + list(op.get("parameters") or []):
        p = doc.resolve(raw)
        if p["in"] == "path":
            name = positions.get(p["name"], p["name"]).split(" ")[0]
        else:
            name = p["name"].lower() if p["in"] == "header" else p["name"]
        params[(p["in"], name)] = p
    return params


def _security(doc: Json, op: Json) -> set[frozenset[tuple[str, tuple[str, ...]]]]:
    reqs = op["security"] if "security" in op else doc.get("security") or []
    return {frozenset((k, tuple(sorted(v))) for k, v in r.items()) for r in reqs}


def compare_openapi(old_doc: Json, new_doc: Json) -> list[Change]:
    out: list[Change] = []
    old, new = _Doc(old_doc), _Doc(new_doc)
    schemas = _SchemaComparer(old, new, out)
    new_ops = {key: (label, path, op) for key, label, path, op in _operations(new_doc)}
    old_keys = set()
    for key, label, path, old_op in _operations(old_doc):
        old_keys.add(key)
        if key not in new_ops:
            out.append(Change(label, "operation removed", True))
            continue
        _, new_path, new_op = new_ops[key]
        _compare_operation(old, new, schemas, label, (path, old_doc["paths"][path], old_op),
                           (new_path, new_doc["paths"][new_path], new_op), out)
    for key, (label, _, op) in new_ops.items():
        if key not in old_keys:
            out.append(Change(label, "operation added", False))
    return sorted(set(out))


def _compare_operation(old: _Doc, new: _Doc, schemas: _SchemaComparer, where: str,
                       old_triple: tuple[str, Json, Json], new_triple: tuple[str, Json, Json],
                       out: list[Change]) -> None:
    (old_path, old_item, old_op), (new_path, new_item, new_op) = old_triple, new_triple
    if new_op.get("deprecated") and not old_op.get("deprecated"):
        out.append(Change(where, "operation deprecated", False))
    old_sec, new_sec = _security(old.doc, old_op), _security(new.doc, new_op)
    if old_sec and not new_sec:
        pass  # no longer needs credentials: accepts more
    elif not old_sec and new_sec:
        out.append(Change(where, "security requirement added", True))
    else:
        for req in old_sec - new_sec:
            text = " + ".join(f"{scheme}{list(scopes) if scopes else ''}" for scheme, scopes in sorted(req))
            out.append(Change(where, f"security alternative {text} removed or changed", True))

    old_params = _parameters(old, old_path, old_item, old_op)
    new_params = _parameters(new, new_path, new_item, new_op)
    for (loc, name), p in old_params.items():
        label = f"{where} {loc} parameter {name}"
        if (loc, name) not in new_params:
            out.append(Change(label, "parameter removed", True))
            continue
        q = new_params[(loc, name)]
        if q.get("required") and not p.get("required"):
            out.append(Change(label, "became required", True))
        if q.get("deprecated") and not p.get("deprecated"):
            out.append(Change(label, "parameter deprecated", False))
        schemas.compare(p.get("schema"), q.get("schema"), label, "request")
    for (loc, name), q in new_params.items():
        if (loc, name) not in old_params:
            required = bool(q.get("required"))
            out.append(Change(f"{where} {loc} parameter {name}",
                              "new required parameter" if required else "optional parameter added", required))

    old_body, new_body = old.resolve(old_op.get("requestBody")), new.resolve(new_op.get("requestBody"))
    if new_body and not old_body:
        out.append(Change(f"{where} request body", "request body added", bool(new_body.get("required"))))
    elif old_body and not new_body:
        out.append(Change(f"{where} request body", "request body removed", True))
    elif old_body and new_body:
        if new_body.get("required") and not old_body.get("required"):
            out.append(Change(f"{where} request body", "became required", True))
        for media, content in (old_body.get("content") or {}).items():
            new_content = (new_body.get("content") or {}).get(media)
            if new_content is None:
                out.append(Change(f"{where} request body", f"media type {media} no longer accepted", True))
            else:
                schemas.compare(content.get("schema"), new_content.get("schema"), f"{where} request", "request")

    old_resp, new_resp = old_op.get("responses") or {}, new_op.get("responses") or {}
    for status, raw in old_resp.items():
        label = f"{where} response {status}"
        if status not in new_resp:
            success = status.startswith(("2", "3"))
            out.append(Change(label, "success status removed" if success else "error status no longer sent", success))
            continue
        _compare_response(old, new, schemas, label, old.resolve(raw), new.resolve(new_resp[status]), out)
    for status in new_resp:
        if status not in old_resp:
            # docs/versioning.md: a minor release adds problem codes only on an operation's existing statuses.
            out.append(Change(f"{where} response {status}", "new response status", True))


def _compare_response(old: _Doc, new: _Doc, schemas: _SchemaComparer, where: str,
                      old_r: Json, new_r: Json, out: list[Change]) -> None:
    new_headers = {k.lower(): v for k, v in (new_r.get("headers") or {}).items()}
    for name, raw in (old_r.get("headers") or {}).items():
        header = new_headers.get(name.lower())
        if header is None:
            out.append(Change(f"{where} header {name}", "response header removed", True))
            continue
        h_old, h_new = old.resolve(raw), new.resolve(header)
        if h_old.get("required") and not h_new.get("required"):
            out.append(Change(f"{where} header {name}", "became optional (may be absent)", True))
        schemas.compare(h_old.get("schema"), h_new.get("schema"), f"{where} header {name}", "response")
    for media, content in (old_r.get("content") or {}).items():
        new_content = (new_r.get("content") or {}).get(media)
        if new_content is None:
            out.append(Change(where, f"media type {media} no longer sent", True))
        else:
            schemas.compare(content.get("schema"), new_content.get("schema"), where, "response")
    for media in (new_r.get("content") or {}):
        if media not in (old_r.get("content") or {}) and old_r.get("content"):
            out.append(Change(where, f"media type {media} added", True))


# ---------------------------------------------------------------- AsyncAPI


def compare_asyncapi(old_doc: Json, new_doc: Json) -> list[Change]:
    out: list[Change] = []
    old, new = _Doc(old_doc), _Doc(new_doc)
    schemas = _SchemaComparer(old, new, out)
    old_channels, new_channels = old_doc.get("channels") or {}, new_doc.get("channels") or {}
    for cid, raw in old_channels.items():
        where = f"channel {cid}"
        if cid not in new_channels:
            out.append(Change(where, "channel removed", True))
            continue
        oc, nc = old.resolve(raw), new.resolve(new_channels[cid])
        if oc.get("address") != nc.get("address"):
            out.append(Change(where, f"address changed from {oc.get('address')} to {nc.get('address')}", True))
        new_msgs = nc.get("messages") or {}
        for mid, mraw in (oc.get("messages") or {}).items():
            if mid not in new_msgs:
                out.append(Change(f"{where} message {mid}", "message removed", True))
                continue
            _compare_message(old, new, schemas, f"{where} message {mid}", old.resolve(mraw),
                             new.resolve(new_msgs[mid]), out)
        for mid in new_msgs:
            if mid not in (oc.get("messages") or {}):
                out.append(Change(f"{where} message {mid}", "message added", False))
    for cid in new_channels:
        if cid not in old_channels:
            address = new.resolve(new_channels[cid]).get("address")
            out.append(Change(f"channel {cid}", f"channel added ({address})", False))
    old_ops, new_ops = old_doc.get("operations") or {}, new_doc.get("operations") or {}
    for oid, raw in old_ops.items():
        if oid not in new_ops:
            out.append(Change(f"operation {oid}", "operation removed", True))
            continue
        o, n = old.resolve(raw), new.resolve(new_ops[oid])
        if o.get("action") != n.get("action"):
            out.append(Change(f"operation {oid}", f"action changed from {o.get('action')} to {n.get('action')}", True))
        if _ref_name(o.get("channel")) != _ref_name(n.get("channel")):
            out.append(Change(f"operation {oid}", "moved to another channel", True))
    for oid in new_ops:
        if oid not in old_ops:
            out.append(Change(f"operation {oid}", "operation added", False))
    return sorted(set(out))


def _compare_message(old: _Doc, new: _Doc, schemas: _SchemaComparer, where: str, om: Json, nm: Json,
                     out: list[Change]) -> None:
    for key in ("name", "contentType"):
        if om.get(key) != nm.get(key):
            out.append(Change(where, f"{key} changed from {om.get(key)!r} to {nm.get(key)!r}", True))
    if nm.get("deprecated") and not om.get("deprecated"):
        out.append(Change(where, "message deprecated", False))
    schemas.compare(om.get("payload"), nm.get("payload"), f"{where} payload", "event")
    if om.get("headers") or nm.get("headers"):
        schemas.compare(om.get("headers") or {}, nm.get("headers") or {}, f"{where} headers", "event")
