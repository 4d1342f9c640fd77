"""The error catalogue (`specs/problems.yaml`) checked, put into the bundled OpenAPI, and rendered as
`generated/problems.py` (ADR 0024).

The OpenAPI document gets the codes as `x-problem-codes` on `Problem.code` and `x-field-problem-codes`
on `FieldError.code`: lists, not `enum`s, so a new code is not a breaking change for any client (the
SDKs read the list into an open union of known codes).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = "specs/problems.yaml"
CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
RETRY = ("NO", "AFTER_DELAY", "AFTER_FIX", "SAFE")
PROBLEM_KEYS = {"status", "title", "meaning", "action", "retry", "fix", "reserved"}
FIELD_KEYS = {"meaning", "action"}
GRPC_STATUS_NAMES = {"INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND", "ALREADY_EXISTS",
                     "FAILED_PRECONDITION", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "ABORTED", "INTERNAL",
                     "DEADLINE_EXCEEDED", "OUT_OF_RANGE", "UNIMPLEMENTED", "CANCELLED", "UNKNOWN", "DATA_LOSS"}


class CatalogueError(Exception):
    pass


def load(root: Path) -> dict[str, Any]:
    with (root / CATALOGUE).open(encoding="utf-8") as fh:
        catalogue = yaml.safe_load(fh)
    problems = validate(catalogue)
    if problems:
        raise CatalogueError(f"{CATALOGUE} is not valid:\n  " + "\n  ".join(problems))
    return catalogue


def _text(where: str, value: object) -> list[str]:
    return [] if isinstance(value, str) and value.strip() else [f"{where}: a non-empty text is required"]


def validate(catalogue: Any, operation_ids: set[str] | None = None) -> list[str]:
    """What is wrong with the catalogue (empty when nothing): shapes, codes, retry values, and, given the
    OpenAPI document's operationIds, that every `fix` names a real operation."""
    if not isinstance(catalogue, dict):
        return ["the catalogue is not a mapping"]
    found: list[str] = []
    if not isinstance(catalogue.get("docs_path"), str) or not catalogue["docs_path"].startswith("/"):
        found.append("docs_path: an absolute path such as /docs/errors is required")
    grpc = catalogue.get("grpc_status")
    if not isinstance(grpc, dict) or not all(isinstance(k, int) and v in GRPC_STATUS_NAMES for k, v in grpc.items()):
        found.append("grpc_status: maps HTTP statuses (integers) to gRPC status names")
    problems = catalogue.get("problems")
    if not isinstance(problems, dict) or not problems:
        return [*found, "problems: a mapping of codes is required"]
    for code, entry in problems.items():
        where = f"problems.{code}"
        if not isinstance(code, str) or not CODE.match(code):
            found.append(f"{where}: codes are UPPER_SNAKE_CASE")
        if not isinstance(entry, dict):
            found.append(f"{where}: a mapping is required")
            continue
        found += [f"{where}: unknown key {key!r}" for key in sorted(set(entry) - PROBLEM_KEYS)]
        status = entry.get("status")
        if not isinstance(status, list) or not status or not all(isinstance(s, int) and 400 <= s <= 599 for s in status):
            found.append(f"{where}.status: a list of HTTP error statuses (400-599) is required")
        for key in ("title", "meaning", "action"):
            found += _text(f"{where}.{key}", entry.get(key))
        if entry.get("retry") not in RETRY:
            found.append(f"{where}.retry: one of {', '.join(RETRY)}")
        fix = entry.get("fix", [])
        if not isinstance(fix, list) or not all(isinstance(f, str) for f in fix):
            found.append(f"{where}.fix: a list of operationIds")
        elif operation_ids is not None:
            found += [f"{where}.fix: no operation {op!r} in the OpenAPI document" for op in fix if op not in operation_ids]
        if "reserved" in entry:
            found += _text(f"{where}.reserved", entry["reserved"])
    for section in ("field_problems", "field_problem_families"):
        entries = catalogue.get(section)
        if not isinstance(entries, dict):
            found.append(f"{section}: a mapping is required")
            continue
        for code, entry in entries.items():
            where = f"{section}.{code}"
            if section == "field_problems" and (not isinstance(code, str) or not CODE.match(code)):
                found.append(f"{where}: codes are UPPER_SNAKE_CASE")
            if not isinstance(entry, dict):
                found.append(f"{where}: a mapping is required")
                continue
            found += [f"{where}: unknown key {key!r}" for key in sorted(set(entry) - FIELD_KEYS)]
            for key in ("meaning", "action"):
                found += _text(f"{where}.{key}", entry.get(key))
    return found


def operation_ids(openapi: dict[str, Any]) -> set[str]:
    return {op["operationId"] for item in openapi.get("paths", {}).values() if isinstance(item, dict)
            for op in item.values() if isinstance(op, dict) and "operationId" in op}


def annotate_openapi(openapi: dict[str, Any], catalogue: dict[str, Any]) -> None:
    """The catalogue's codes on the bundled document's Problem and FieldError schemas."""
    wrong = validate(catalogue, operation_ids(openapi))
    if wrong:
        raise CatalogueError(f"{CATALOGUE} is not valid:\n  " + "\n  ".join(wrong))
    schemas = openapi["components"]["schemas"]
    docs = catalogue["docs_path"]
    problem = schemas["Problem"]["properties"]
    problem["code"]["x-problem-codes"] = sorted(catalogue["problems"])
    problem["code"]["description"] = (
        f"{problem['code']['description'].rstrip()} The codes the API uses are listed in `x-problem-codes` and "
        f"described, with what a client should do, at {docs} (JSON: {docs}.json). The list may grow: "
        "treat an unknown code by the HTTP status.")
    field_code = schemas["FieldError"]["properties"]["code"]
    field_code["x-field-problem-codes"] = sorted(catalogue["field_problems"])
    field_code["description"] = (
        f"{field_code['description'].rstrip()} The codes are listed in `x-field-problem-codes` and at "
        f"{docs}#field-problems; schema rules not listed there use pydantic's error type, upper-cased.")


def _tuple(values: list[Any]) -> str:
    return "(" + "".join(f"{v!r}, " for v in values).rstrip(" ") + ")" if values else "()"


def render_module(catalogue: dict[str, Any], source: str) -> str:
    problems = catalogue["problems"]
    fields = catalogue["field_problems"]
    families = catalogue["field_problem_families"]
    out = [f"# generated by tools/codegen from {source} — run make generate\n",
           '"""The error catalogue: every problem code with its statuses, meaning and what a client should do."""\n\n',
           "from __future__ import annotations\n\n",
           "from collections.abc import Mapping\n",
           "from dataclasses import dataclass\n",
           "from enum import StrEnum\n",
           "from types import MappingProxyType\n\n",
           f"DOCS_PATH = {catalogue['docs_path']!r}\n\n\n",
           "class Retry(StrEnum):\n"]
    out += [f"    {value} = {value!r}\n" for value in RETRY]
    out.append("\n\nclass ProblemCode(StrEnum):\n")
    out += [f"    {code} = {code!r}\n" for code in sorted(problems)]
    out.append("\n\nclass FieldProblemCode(StrEnum):\n")
    out += [f"    {code} = {code!r}\n" for code in sorted(fields)]
    out.append(
        "\n\n@dataclass(frozen=True, slots=True)\n"
        "class ProblemInfo:\n"
        "    code: ProblemCode\n"
        "    status: tuple[int, ...]\n"
        "    title: str\n"
        "    meaning: str\n"
        "    action: str\n"
        "    retry: Retry\n"
        "    fix: tuple[str, ...]\n"
        "    reserved: str | None\n\n\n"
        "@dataclass(frozen=True, slots=True)\n"
        "class FieldProblemInfo:\n"
        "    code: str\n"
        "    meaning: str\n"
        "    action: str\n\n\n")
    out.append("PROBLEMS: Mapping[ProblemCode, ProblemInfo] = MappingProxyType({\n")
    for code in sorted(problems):
        e = problems[code]
        out.append(f"    ProblemCode.{code}: ProblemInfo(\n"
                   f"        ProblemCode.{code}, {_tuple(e['status'])}, {e['title']!r},\n"
                   f"        {e['meaning']!r},\n"
                   f"        {e['action']!r},\n"
                   f"        Retry.{e['retry']}, {_tuple(e.get('fix', []))}, {e.get('reserved')!r}),\n")
    out.append("})\n\n")
    for name, entries, enum in (("FIELD_PROBLEMS", fields, "FieldProblemCode"),
                                ("FIELD_PROBLEM_FAMILIES", families, None)):
        key_type = enum or "str"
        out.append(f"{name}: Mapping[{key_type}, FieldProblemInfo] = MappingProxyType({{\n")
        for code in sorted(entries):
            e = entries[code]
            key = f"{enum}.{code}" if enum else repr(code)
            out.append(f"    {key}: FieldProblemInfo({code!r}, {e['meaning']!r},\n"
                       f"                             {e['action']!r}),\n")
        out.append("})\n\n")
    out.append("# HTTP status -> the gRPC status code name of the same refusal (ADR 0020)\n")
    out.append("GRPC_STATUS: Mapping[int, str] = MappingProxyType({\n")
    out += [f"    {status}: {name!r},\n" for status, name in sorted(catalogue["grpc_status"].items())]
    out.append("})\n")
    return "".join(out)
