"""The policy files parse, carry a VERSION, and every policy has a stable @id for the decision log."""

import re

import cedarpy

from core.policy.decision import POLICY_DIR, load_policies


def test_policies_parse_and_are_versioned() -> None:
    text, version = load_policies()
    cedarpy.PolicySet.from_str(text)  # raises ValueError on a syntax error
    assert re.fullmatch(r"\d{4}\.\d+\.\d+\+[0-9a-f]{12}", version)


def test_every_policy_has_an_id() -> None:
    text = "\n".join(p.read_text() for p in POLICY_DIR.glob("*.cedar"))
    statements = len(re.findall(r"^(permit|forbid)\s*\(", text, flags=re.MULTILINE))
    assert statements and len(re.findall(r'^@id\("[a-z-]+"\)', text, flags=re.MULTILINE)) == statements


def test_editing_a_policy_changes_the_version(tmp_path) -> None:
    (tmp_path / "VERSION").write_text((POLICY_DIR / "VERSION").read_text())
    (tmp_path / "a.cedar").write_text('@id("x")\npermit (principal, action, resource);\n')
    _, before = load_policies(tmp_path)
    (tmp_path / "a.cedar").write_text('@id("x")\nforbid (principal, action, resource);\n')
    _, after = load_policies(tmp_path)
    assert before != after and before.split("+")[0] == after.split("+")[0]
