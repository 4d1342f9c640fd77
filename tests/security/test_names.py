"""Probes of names other people see: bidi overrides and other control or format characters are refused
by the contract itself (issue 19, point 10), so a U+202E cannot spoof a name in a member list."""

from __future__ import annotations

import pytest

from tests.integration.core.identity.company_helpers import company, idem, person
from tests.integration.core.identity.conftest import IdentityPlatform

from .helpers import PASSWORD

SPOOFS = ["Alice\u202eecilA", "\u2066Bob\u2069", "Eve\u200f", "Mal\u200blory", "Tab\there", "Nul\x00", "C1\x85",
          "\ufeffBom", "Line\u2028break"]


@pytest.mark.parametrize("name", SPOOFS)
async def test_display_name_refuses_control_and_bidi_characters(idp: IdentityPlatform, name: str) -> None:
    body = {"phone": "+442079460018", "email": "alice@example.com", "display_name": name, "country": "GB",
            "password": PASSWORD}
    refused = await idp.client.post("/v1/users", json=body, headers=idem())
    assert refused.status_code == 422 and refused.json()["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in refused.json()["errors"]] == ["body.display_name"]


async def test_names_others_see_refuse_bidi_characters(idp: IdentityPlatform) -> None:
    alice = await person(idp, 1)
    acme = (await company(idp, alice))["id"]
    spoof = "Acme\u202eLtd"
    probes = {
        "body.legal_name": ("POST", "/v1/companies", {"legal_name": spoof, "country": "GB",
                                                       "registration_number": "99999999"}),
        "body.legal_name ": ("PATCH", f"/v1/companies/{acme}", {"legal_name": spoof}),
        "body.name": ("POST", f"/v1/companies/{acme}/departments", {"name": spoof}),
        "body.name ": ("POST", f"/v1/companies/{acme}/api-keys", {"name": spoof, "scopes": ["ledger:read"]}),
        "body.name  ": ("POST", "/v1/passkeys", {"name": spoof, "credential": {}}),
    }
    for field, (method, path, body) in probes.items():
        refused = await idp.client.request(method, path, json=body, headers={**alice.auth, **idem()})
        assert refused.status_code == 422 and refused.json()["code"] == "VALIDATION_FAILED", (path, refused.text)
        assert field.strip() in [e["field"] for e in refused.json()["errors"]], (path, refused.text)
    fine = await idp.client.post(f"/v1/companies/{acme}/departments", json={"name": "Ventes et Marketing — Île"},
                                 headers={**alice.auth, **idem()})
    assert fine.status_code == 201
