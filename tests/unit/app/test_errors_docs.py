"""The error catalogue page escapes the catalogue's text: it is data, never markup."""

from __future__ import annotations

import pytest

from app import errors_docs
from generated.problems import PROBLEMS, ProblemCode, ProblemInfo, Retry


def test_catalogue_text_is_escaped_and_back_quotes_become_code(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = ProblemInfo(ProblemCode.LAST_OWNER, (409,), 'Owner <img src=x onerror="alert(1)">',
                          "Keeps `one` owner & <script>alert(1)</script>", "Make someone else `OWNER`.",
                          Retry.AFTER_FIX, ("updateMember",), None)
    monkeypatch.setattr(errors_docs, "PROBLEMS", {**PROBLEMS, ProblemCode.LAST_OWNER: hostile})
    page = errors_docs.render_html()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "Keeps <code>one</code> owner &amp;" in page
    assert '<section id="LAST_OWNER">' in page and "<code>updateMember</code>" in page
    assert "gRPC status</dt><dd>ALREADY_EXISTS" in page
