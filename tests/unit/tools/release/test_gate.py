"""The breaking-change gate of `make check` and the release cut, on a copy of the contracts."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tools.release.__main__ import ReleaseError, current_specs, cut, gate, main

ROOT = Path(__file__).resolve().parents[4]
RELEASED = "1.0.0"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the contracts whose only release, 1.0.0, is exactly the copy's current contracts."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "specs", root / "specs", ignore=shutil.ignore_patterns("released"))
    (root / "generated" / "specs").mkdir(parents=True)
    set_versions(root, RELEASED)
    regenerate_bundles(root)
    released = root / "specs" / "released" / RELEASED
    released.mkdir(parents=True)
    for name in ("openapi", "asyncapi"):
        shutil.copy(root / "generated" / "specs" / f"{name}.json", released / f"{name}.json")
    shutil.copytree(root / "specs" / "proto", released / "proto")
    return root


def edit_yaml(path: Path, change: Callable[[dict], object]) -> None:
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    change(doc)
    path.write_text(yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")


def set_versions(root: Path, version: str) -> None:
    for spec in ("openapi", "asyncapi"):
        edit_yaml(root / "specs" / spec / "darca.yaml", lambda d: d["info"].update(version=version))
    (root / "specs" / "proto" / "VERSION").write_text(version + "\n")


def regenerate_bundles(root: Path) -> None:
    """What `make generate` does to generated/specs/ (the rest of generated/ is not needed here)."""
    openapi, asyncapi = current_specs(root)
    for name, doc in (("openapi", openapi), ("asyncapi", asyncapi)):
        (root / "generated" / "specs" / f"{name}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def remove_asset_updated_at(root: Path) -> None:
    def change(doc: dict) -> None:
        asset = doc["components"]["schemas"]["Asset"]
        del asset["properties"]["updated_at"]
        asset["required"].remove("updated_at")
    edit_yaml(root / "specs" / "openapi" / "core" / "assets.yaml", change)


def remove_event_metadata(root: Path) -> None:
    edit_yaml(root / "specs" / "asyncapi" / "core" / "ledger.yaml",
              lambda d: d["components"]["schemas"]["LedgerTransactionPostedData"]["properties"].pop("metadata"))


def remove_proto_enum_value(root: Path) -> None:
    proto = root / "specs" / "proto" / "darca" / "platform" / "v1" / "assets.proto"
    text = proto.read_text()
    assert "  ASSET_KIND_CRYPTO = 2;\n" in text
    proto.write_text(text.replace("  ASSET_KIND_CRYPTO = 2;\n", ""))


def test_the_committed_contracts_pass_the_gate() -> None:
    result = gate(ROOT)
    assert result.against is not None
    assert result.failures == [], "\n".join(result.lines)


def test_unchanged_copy_passes(project: Path) -> None:
    result = gate(project)
    assert result.against == RELEASED
    assert result.failures == []
    assert result.lines == ["OpenAPI 1.0.0: compatible with 1.0.0 (0 non-breaking change(s))",
                            "AsyncAPI 1.0.0: compatible with 1.0.0 (0 non-breaking change(s))",
                            "protobuf 1.0.0: compatible with 1.0.0"]


@pytest.mark.parametrize(("plant", "contract", "message"), [
    (remove_asset_updated_at, "OpenAPI", "response schema Asset.updated_at: property removed"),
    (remove_event_metadata, "AsyncAPI", "event schema LedgerTransactionPostedData.metadata: property removed"),
    (remove_proto_enum_value, "protobuf", 'Previously present enum value "2" on enum "AssetKind" was deleted'),
])
def test_planted_breaking_change_fails_the_gate(project: Path, plant: Callable[[Path], None], contract: str,
                                                message: str, capsys: pytest.CaptureFixture[str]) -> None:
    plant(project)
    assert main(["--root", str(project), "check"]) == 1
    out, err = capsys.readouterr()
    assert f"{contract} 1.0.0: 1 BREAKING change(s) against 1.0.0:" in out, out
    assert message in out, out
    assert f"{contract}: breaking changes need a new major version (2.0.0)" in err
    others = {"OpenAPI", "AsyncAPI", "protobuf"} - {contract}
    assert all(f"{other} 1.0.0: compatible with 1.0.0" in out for other in others), out


def test_non_breaking_additions_pass(project: Path) -> None:
    def add_optional(schema_name: str, field: str) -> Callable[[dict], object]:
        return lambda d: d["components"]["schemas"][schema_name]["properties"].update({field: {"type": "string"}})
    edit_yaml(project / "specs" / "openapi" / "core" / "assets.yaml", add_optional("AssetCreate", "label"))
    edit_yaml(project / "specs" / "openapi" / "core" / "assets.yaml", add_optional("Asset", "label"))
    edit_yaml(project / "specs" / "asyncapi" / "core" / "ledger.yaml",
              add_optional("LedgerTransactionPostedData", "memo"))
    proto = project / "specs" / "proto" / "darca" / "platform" / "v1" / "assets.proto"
    proto.write_text(proto.read_text() + "\nmessage AssetLabel {\n  string label = 1;\n}\n")

    result = gate(project, proto_additions=True)
    assert result.failures == [], result.lines
    assert result.lines == [
        "OpenAPI 1.0.0: compatible with 1.0.0 (2 non-breaking change(s))",
        "AsyncAPI 1.0.0: compatible with 1.0.0 (1 non-breaking change(s))",
        "protobuf 1.0.0: compatible with 1.0.0 (2 non-breaking change(s))",
    ]


def test_breaking_changes_pass_with_a_major_version(project: Path) -> None:
    remove_asset_updated_at(project)
    remove_event_metadata(project)
    remove_proto_enum_value(project)
    set_versions(project, "2.0.0")
    result = gate(project)
    assert result.failures == [], result.lines
    assert all("allowed by the new major version" in line for line in result.lines), result.lines


def test_minor_bump_does_not_excuse_a_breaking_change(project: Path) -> None:
    remove_asset_updated_at(project)
    set_versions(project, "1.1.0")
    assert [f.split(":")[0] for f in gate(project).failures] == ["OpenAPI"]


def test_cut_refuses_a_version_that_is_not_higher_or_a_stale_tree(project: Path) -> None:
    with pytest.raises(ReleaseError, match="already released.*--replace"):
        cut(project, RELEASED)
    with pytest.raises(ReleaseError, match="lower than the last release 1.0.0"):
        cut(project, "0.9.0")
    with pytest.raises(ReleaseError, match="OpenAPI info.version is '1.0.0'.*set them to 1.1.0"):
        cut(project, "1.1.0")
    set_versions(project, "1.1.0")
    with pytest.raises(ReleaseError, match="generated/specs/openapi.json is stale"):
        cut(project, "1.1.0")
    with pytest.raises(ReleaseError, match="not a release version"):
        cut(project, "1.1")
    assert not (project / "specs" / "released" / "1.1.0").exists()


def test_cut_releases_all_three_contracts_and_refuses_breaking_minor(project: Path) -> None:
    set_versions(project, "1.1.0")
    edit_yaml(project / "specs" / "openapi" / "core" / "assets.yaml",
              lambda d: d["components"]["schemas"]["Asset"]["properties"].update(label={"type": "string"}))
    regenerate_bundles(project)
    target = cut(project, "1.1.0")
    assert json.loads((target / "openapi.json").read_text())["info"]["version"] == "1.1.0"
    assert "label" in json.loads((target / "openapi.json").read_text())["components"]["schemas"]["Asset"]["properties"]
    assert json.loads((target / "asyncapi.json").read_text())["info"]["version"] == "1.1.0"
    assert (target / "proto" / "VERSION").read_text().strip() == "1.1.0"
    assert (target / "proto" / "darca" / "ledger" / "v1" / "ledger.proto").is_file()
    assert gate(project).against == "1.1.0"

    # Re-cutting the last release in place needs --replace, and still may not break the one before it.
    remove_asset_updated_at(project)
    regenerate_bundles(project)
    with pytest.raises(ReleaseError, match="already released"):
        cut(project, "1.1.0")
    with pytest.raises(ReleaseError, match="Asset.updated_at: property removed"):
        cut(project, "1.1.0", replace=True)
    set_versions(project, "1.0.0")
    with pytest.raises(ReleaseError, match="only re-cuts the last release"):
        cut(project, "1.0.0", replace=True)


def test_changelog_draft_lists_the_changes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    remove_event_metadata(project)
    edit_yaml(project / "specs" / "openapi" / "core" / "assets.yaml",
              lambda d: d["components"]["schemas"]["Asset"]["properties"].update(label={"type": "string"}))
    assert main(["--root", str(project), "changelog"]) == 0
    draft = capsys.readouterr().out
    assert draft.startswith("## [2.0.0] — YYYY-MM-DD\n")
    assert "### Breaking\n\n- AsyncAPI: event schema LedgerTransactionPostedData.metadata — property removed\n" in draft
    assert "### Added and changed\n\n- OpenAPI: response schema Asset.label — property added\n" in draft
