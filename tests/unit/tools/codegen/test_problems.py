"""The error catalogue's generator: it refuses a malformed catalogue, puts the codes into the bundled
OpenAPI as open lists (ADR 0024), and renders a module that matches the catalogue."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import generated.problems as generated
from tools.codegen import problems
from tools.codegen.sdks import problem_codes

ROOT = Path(__file__).resolve().parents[4]
CATALOGUE = problems.load(ROOT)
BUNDLED = json.loads((ROOT / "generated" / "specs" / "openapi.json").read_text())
OPERATIONS = problems.operation_ids(BUNDLED)


def broken(change: Any) -> list[str]:
    catalogue = copy.deepcopy(CATALOGUE)
    change(catalogue)
    return problems.validate(catalogue, OPERATIONS)


def test_the_catalogue_is_valid() -> None:
    assert problems.validate(CATALOGUE, OPERATIONS) == []


@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c["problems"]["LAST_OWNER"].update(retry="MAYBE"), "problems.LAST_OWNER.retry"),
    (lambda c: c["problems"]["LAST_OWNER"].update(fix=["noSuchOperation"]), "no operation 'noSuchOperation'"),
    (lambda c: c["problems"]["LAST_OWNER"].update(status=[200]), "problems.LAST_OWNER.status"),
    (lambda c: c["problems"]["LAST_OWNER"].pop("action"), "problems.LAST_OWNER.action"),
    (lambda c: c["problems"]["LAST_OWNER"].update(colour="red"), "unknown key 'colour'"),
    (lambda c: c["problems"].update({"lower_case": c["problems"]["LAST_OWNER"]}), "UPPER_SNAKE_CASE"),
    (lambda c: c["field_problems"]["LOCKED"].pop("meaning"), "field_problems.LOCKED.meaning"),
    (lambda c: c["grpc_status"].update({418: "TEAPOT"}), "grpc_status"),
])
def test_a_malformed_catalogue_is_refused(change: Any, expected: str) -> None:
    assert any(expected in problem for problem in broken(change)), broken(change)


def test_the_bundled_openapi_lists_the_codes_without_closing_the_type() -> None:
    code = BUNDLED["components"]["schemas"]["Problem"]["properties"]["code"]
    assert code["x-problem-codes"] == sorted(CATALOGUE["problems"])
    assert "enum" not in code and code["pattern"] == "^[A-Z][A-Z0-9_]*$"  # a new code is no breaking change
    field = BUNDLED["components"]["schemas"]["FieldError"]["properties"]["code"]
    assert field["x-field-problem-codes"] == sorted(CATALOGUE["field_problems"])
    # the SDKs take the declared list rather than scraping descriptions
    assert problem_codes(BUNDLED) == (sorted(CATALOGUE["problems"]), "the codes declared on Problem.code")


def test_annotating_refuses_a_fix_that_names_a_missing_operation() -> None:
    spec = copy.deepcopy(BUNDLED)
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["problems"]["LAST_OWNER"]["fix"] = ["renamedOperation"]
    with pytest.raises(problems.CatalogueError, match="renamedOperation"):
        problems.annotate_openapi(spec, catalogue)


def test_the_generated_module_is_the_catalogue() -> None:
    assert [c.value for c in generated.ProblemCode] == sorted(CATALOGUE["problems"])
    assert [c.value for c in generated.FieldProblemCode] == sorted(CATALOGUE["field_problems"])
    info = generated.PROBLEMS[generated.ProblemCode.STEP_UP_REQUIRED]
    entry = CATALOGUE["problems"]["STEP_UP_REQUIRED"]
    assert (info.status, info.title, info.meaning, info.action, info.retry, info.fix) == (
        tuple(entry["status"]), entry["title"], entry["meaning"], entry["action"], entry["retry"], tuple(entry["fix"]))
    assert dict(generated.GRPC_STATUS) == CATALOGUE["grpc_status"]
    assert generated.DOCS_PATH == CATALOGUE["docs_path"]


def test_rendered_text_is_python_that_keeps_quotes_and_newlines() -> None:
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["problems"]["LAST_OWNER"]["meaning"] = "It's \"quoted\"\nand on two lines \\ with a backslash."
    namespace: dict[str, Any] = {}
    exec(compile(problems.render_module(catalogue, "test"), "rendered", "exec"), namespace)  # noqa: S102
    assert namespace["PROBLEMS"]["LAST_OWNER"].meaning == catalogue["problems"]["LAST_OWNER"]["meaning"]
