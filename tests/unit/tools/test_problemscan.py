"""The error catalogue covers the source: every code the code can raise is in specs/problems.yaml (with
its status), every catalogue code is raised somewhere or marked reserved, and the scan that proves it
finds codes however they reach a ProblemError."""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path

from tools.codegen.sdks import problem_codes
from tools.problemscan import DYNAMIC, ROOT, findings, load_catalogue, scan, unused

CATALOGUE = load_catalogue()
SOURCE = scan()


def test_every_code_the_source_can_raise_is_in_the_catalogue() -> None:
    assert findings(SOURCE, CATALOGUE) == []


def test_every_catalogue_code_is_raised_somewhere_or_reserved() -> None:
    assert unused(SOURCE, CATALOGUE) == []


def test_the_scan_sees_the_well_known_codes() -> None:
    # one of each way a code reaches a problem in the real tree
    seen = SOURCE.codes()
    assert {"ASSET_NOT_FOUND",  # not_found helper
            "INSUFFICIENT_FUNDS",  # unprocessable helper
            "VERIFICATION_RESEND_THROTTLED",  # a forwarding helper: too_many_requests(code, …)
            "PASSKEY_CHALLENGE_INVALID",  # a module constant
            "TOTP_CODE_REUSED",  # unpacked from a table: code, detail = _REFUSALS[…]
            "FORBIDDEN",  # the gRPC interceptor's closure handing its code to abort_with
            } <= seen
    assert {"AMOUNT_TOO_PRECISE", "NUL_CHARACTER"} <= SOURCE.codes(field_level=True)


def test_every_code_the_spec_names_in_prose_is_in_the_catalogue() -> None:
    spec = json.loads((ROOT / "generated" / "specs" / "openapi.json").read_text())
    stripped = copy.deepcopy(spec)
    del stripped["components"]["schemas"]["Problem"]["properties"]["code"]["x-problem-codes"]
    named, origin = problem_codes(stripped)
    assert "descriptions" in origin
    assert sorted(set(named) - set(CATALOGUE["problems"]) - set(CATALOGUE["field_problems"])) == []


def _plant(tmp_path: Path, source: str) -> list[str]:
    module = tmp_path / "core" / "planted.py"
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(textwrap.dedent(source))
    return findings(scan(tmp_path, [module]), CATALOGUE)


def test_a_planted_unknown_code_fails_the_scan(tmp_path: Path) -> None:
    found = _plant(tmp_path, """
        from core.platform.problems import ProblemError, not_found
        NOT_LISTED = "PLANTED_CONSTANT"
        _TABLE = {"a": ("PLANTED_IN_TABLE", "detail")}

        def direct():
            return ProblemError(418, "PLANTED_DIRECT", "Teapot")

        def helper():
            return not_found("PLANTED_HELPER", "gone")

        def constant():
            return ProblemError(409, NOT_LISTED, "Conflict")

        def forwarding(code: str, detail: str):
            return ProblemError(429, code, "Too many", detail)

        def caller():
            return forwarding("PLANTED_FORWARDED", "slow down")

        def table(key):
            code, detail = _TABLE[key]
            return ProblemError(422, code, "No", detail)

        def known_code_wrong_status():
            return ProblemError(500, "INSUFFICIENT_FUNDS", "No")
        """)
    text = "\n".join(found)
    for code in ("PLANTED_DIRECT", "PLANTED_HELPER", "PLANTED_CONSTANT", "PLANTED_FORWARDED", "PLANTED_IN_TABLE"):
        assert f"problem code {code} is not in" in text, found
    assert "INSUFFICIENT_FUNDS is raised with status 500" in text


def test_a_planted_field_code_and_a_code_computed_at_run_time_fail_the_scan(tmp_path: Path) -> None:
    found = _plant(tmp_path, """
        from core.platform.problems import FieldProblem, ProblemError, validation_failed

        def field():
            return validation_failed([FieldProblem("body.x", "PLANTED_FIELD", "no")])

        def computed(kind):
            return ProblemError(400, f"{kind}_BROKEN", "Broken")
        """)
    text = "\n".join(found)
    assert "field code PLANTED_FIELD is not in" in text
    assert "core/planted.py:computed" in text and "DYNAMIC" in text


def test_catalogued_codes_pass_the_scan(tmp_path: Path) -> None:
    # the other half: what the catalogue lists is not reported (the scan is not just failing everything)
    found = _plant(tmp_path, """
        from core.platform.problems import ProblemError, conflict
        def ok():
            return ProblemError(422, "INSUFFICIENT_FUNDS", "No") or conflict("LAST_OWNER", "keep one")
        """)
    assert [f for f in found if "planted" in f] == []


def test_a_catalogue_code_nobody_raises_is_reported() -> None:
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["problems"]["NEVER_RAISED"] = dict(catalogue["problems"]["LAST_OWNER"])
    assert unused(SOURCE, catalogue) == [
        "problem code NEVER_RAISED is raised nowhere: remove it or mark it `reserved` with the reason"]
    catalogue["problems"]["NEVER_RAISED"]["reserved"] = "Announced for the next release."
    assert unused(SOURCE, catalogue) == []


def test_dynamic_declarations_name_live_sites() -> None:
    assert set(DYNAMIC) == {site.key for site in SOURCE.dynamic}
