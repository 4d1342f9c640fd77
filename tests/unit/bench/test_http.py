"""The HTTP bench's verdicts: each of issue 24's targets with its figure, met or not, and a figure
that came with errors or unanswered requests never counts as met."""

from __future__ import annotations

from typing import Any

from bench.http import targets


def figures(p99: float, *, per_s: float, offered: float | None = None, unfinished: int = 0,
            statuses: dict[str, int] | None = None) -> dict[str, Any]:
    return {"latency_ms": {"p99": p99}, "per_s": per_s, "offered_per_s": offered, "errors": 0,
            "unfinished": unfinished, "statuses": statuses or {"200": 100}}


def runs(*, balance_p99: float, mixed_p99: float, login_unfinished: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    one = {"ratios": {"liveness": 0.85, "balance": 0.2}}
    alone = figures(8.0, per_s=500, offered=500)
    many = {"open": {
        "balance@1000": figures(balance_p99, per_s=1000, offered=1000),
        "login@20": figures(250.0, per_s=20, offered=20, unfinished=login_unfinished),
        "balance@500 alone": alone, "balance@500 alone, again": alone,
        "balance@500 while login@20": {**figures(mixed_p99, per_s=500, offered=500),
                                       "while": figures(250.0, per_s=20, offered=20)},
    }}
    return one, many


def test_each_target_states_its_figure_and_verdict() -> None:
    verdicts = targets(*runs(balance_p99=9.5, mixed_p99=10.0), workers=2)
    assert [(v["figure"], v["met"]) for v in verdicts] == [
        (0.85, True), (0.2, False), (9.5, True), (250.0, True), (1.25, False)]
    assert all(v["target"] and v["bound"] for v in verdicts)


def test_a_figure_with_unanswered_requests_is_not_met() -> None:
    login = targets(*runs(balance_p99=9.5, mixed_p99=8.0, login_unfinished=3), workers=2)[3]
    assert login["met"] is False and login["figure"] == 250.0 and "unanswered" in login["note"]
