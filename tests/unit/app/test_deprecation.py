"""The bounded caller label of the deprecated-use metric, and the one set of headers for several deprecated inputs."""

from __future__ import annotations

import pytest

from app.deprecation import caller_label, headers
from core.platform.security import ANONYMOUS, Principal
from generated.openapi.routes import Deprecation


@pytest.mark.parametrize(("principal", "label"), [
    (Principal("apk_01jd0000000000000000000000", "API_KEY", company_id="cmp_1"), "api_key:apk_01jd0000000000000000000000"),
    (Principal("payments", "SERVICE"), "service:payments"),
    (Principal("usr_01jd0000000000000000000000", "USER", session_id="ses_1"), "user"),  # never a user id
    (Principal("operator", "OPERATOR"), "operator"),
    (ANONYMOUS, "anonymous"),
    (Principal("x", "SOMETHING_NEW"), "other"),
])
def test_caller_label_is_bounded(principal: Principal, label: str) -> None:
    assert caller_label(principal) == label


def item(element: str, sunset_at: int, deprecated: str, sunset: str, link: str) -> Deprecation:
    return Deprecation(element=element, location="query", name=element, sunset_at=sunset_at,
                       headers=(("Deprecation", deprecated), ("Sunset", sunset), ("Link", link)))


def test_several_deprecated_inputs_announce_the_soonest_sunset_and_every_link() -> None:
    later = item("query.a", 1830000000, "@1780272000", "later", '<https://a>; rel="deprecation"')
    sooner = item("query.b", 1800000000, "@1790000000", "sooner", '<https://b>; rel="deprecation"')
    same_link = item("query.c", 1840000000, "@1780272000", "latest", '<https://a>; rel="deprecation"')
    assert headers([later, sooner, same_link]) == {
        "Deprecation": "@1790000000", "Sunset": "sooner",
        "Link": '<https://b>; rel="deprecation", <https://a>; rel="deprecation"',
    }
    assert headers([]) == {}
