from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tools.codegen.bundle import BundleError, bundle

ROOT = Path(__file__).resolve().parents[4]


def refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


@pytest.mark.parametrize("root", ["specs/openapi/darca.yaml", "specs/asyncapi/darca.yaml"])
def test_bundle_is_self_contained(root: str) -> None:
    doc = bundle(ROOT / root)
    all_refs = refs(doc)
    assert all_refs, "the bundle should keep named components as local references"
    assert all(r.startswith("#/") for r in all_refs)
    for ref in all_refs:  # every local reference resolves
        node: object = doc
        for token in ref[2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]  # type: ignore[index]


def test_bundle_is_deterministic() -> None:
    first = json.dumps(bundle(ROOT / "specs/openapi/darca.yaml"))
    assert first == json.dumps(bundle(ROOT / "specs/openapi/darca.yaml"))


def test_two_definitions_with_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({"components": {"schemas": {"Thing": {"type": "string"}}}}))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump({"components": {"schemas": {"Thing": {"type": "integer"}}}}))
    (tmp_path / "root.yaml").write_text(
        yaml.safe_dump(
            {
                "openapi": "3.1.0",
                "components": {
                    "schemas": {
                        "UsesA": {"$ref": "a.yaml#/components/schemas/Thing"},
                        "UsesB": {"$ref": "b.yaml#/components/schemas/Thing"},
                    }
                },
            }
        )
    )
    with pytest.raises(BundleError, match="two different definitions named components/schemas/Thing"):
        bundle(tmp_path / "root.yaml")


def test_unresolvable_reference_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "root.yaml").write_text(
        yaml.safe_dump({"openapi": "3.1.0", "components": {"schemas": {"X": {"$ref": "root.yaml#/components/schemas/Nope"}}}})
    )
    with pytest.raises(BundleError, match="unresolvable"):
        bundle(tmp_path / "root.yaml")
