"""Companies, invitations, members and roles through the published API; every permission decided by
the Cedar policy point and logged in policy_decisions with its version."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.ledger.api import NewAccount
from core.notifications.tables import NotificationRow
from core.platform.tables import OutboxEvent
from core.policy.decision import load_policies
from core.policy.tables import PolicyDecisionRow

from .company_helpers import Person, company, idem, join, person
from .conftest import IdentityPlatform


async def _rows(idp: IdentityPlatform, model: type, *where: object) -> list:
    async with idp.runtime.db.sessions() as session:
        return list((await session.execute(select(model).where(*where))).scalars())


COMPANY_EVENTS = {f"darca.identity.{name}.v1" for name in (
    "company_created", "member_added", "member_role_changed", "member_removed", "api_key_created", "api_key_revoked")}


async def _event_types(idp: IdentityPlatform) -> list[str]:
    rows = await _rows(idp, OutboxEvent, OutboxEvent.event_type.in_(COMPANY_EVENTS))
    return [e.event_type for e in sorted(rows, key=lambda e: e.sequence)]


@pytest.mark.backends("sqlite", "postgresql")  # smoke: companies
async def test_create_company_makes_the_creator_owner(idp: IdentityPlatform) -> None:
    alice = await person(idp, 1)
    headers = {**alice.auth, **idem()}
    body = {"legal_name": "Acme Trading Ltd", "country": "GB", "registration_number": "01234567"}
    created = await idp.client.post("/v1/companies", headers=headers, json=body)
    assert created.status_code == 201, created.text
    acme = created.json()
    assert acme["id"].startswith("cmp_") and acme["role"] == "OWNER" and acme["version"] == 1
    assert created.headers["Location"] == f"/v1/companies/{acme['id']}"
    replay = await idp.client.post("/v1/companies", headers=headers, json=body)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == acme["id"]

    # the same register entry, however it is written, is one company
    again = await idp.client.post("/v1/companies", headers={**alice.auth, **idem()},
                                  json={**body, "registration_number": "0123-4567"})
    assert again.status_code == 409 and again.json()["code"] == "COMPANY_ALREADY_REGISTERED"
    bad = await idp.client.post("/v1/companies", headers={**alice.auth, **idem()},
                                json={**body, "country": "QQ"})
    assert bad.status_code == 422 and bad.json()["code"] == "VALIDATION_FAILED"  # the contract's CountryCode enum
    assert [e["field"] for e in bad.json()["errors"]] == ["body.country"]

    mine = (await idp.client.get("/v1/companies", headers=alice.auth)).json()
    assert [c["id"] for c in mine["data"]] == [acme["id"]] and mine["has_more"] is False
    members = (await idp.client.get(f"/v1/companies/{acme['id']}/members", headers=alice.auth)).json()
    assert [(m["user_id"], m["role"]) for m in members["data"]] == [(alice.id, "OWNER")]
    assert await _event_types(idp) == ["darca.identity.company_created.v1", "darca.identity.member_added.v1"]
    assert [a.action for a in await _rows(idp, AuditEntryRow, AuditEntryRow.target == acme["id"])] \
        == ["identity.company.created"]


async def test_list_companies_is_paginated(idp: IdentityPlatform) -> None:
    alice = await person(idp, 1)
    ids = [(await company(idp, alice, number=f"REG{i}"))["id"] for i in range(3)]
    first = (await idp.client.get("/v1/companies?limit=2", headers=alice.auth)).json()
    assert [c["id"] for c in first["data"]] == ids[:2] and first["has_more"] is True
    rest = (await idp.client.get(f"/v1/companies?limit=2&cursor={first['next_cursor']}", headers=alice.auth)).json()
    assert [c["id"] for c in rest["data"]] == ids[2:] and rest["has_more"] is False


@pytest.mark.backends("sqlite", "postgresql")  # smoke: invitations
async def test_invite_by_email_or_phone_and_accept_or_decline(idp: IdentityPlatform) -> None:
    alice, bob, carol = await person(idp, 1), await person(idp, 2), await person(idp, 3)
    acme = await company(idp, alice)
    sales = await idp.client.post(f"/v1/companies/{acme['id']}/departments", headers={**alice.auth, **idem()},
                                  json={"name": "Sales"})
    assert sales.status_code == 201
    dep = sales.json()["id"]

    invited = await idp.client.post(f"/v1/companies/{acme['id']}/invitations", headers={**alice.auth, **idem()},
                                    json={"invitee_type": "PHONE", "phone": "+44 20 7946 0002", "role": "ACCOUNTANT",
                                          "department_id": dep})
    assert invited.status_code == 201, invited.text
    inv = invited.json()
    assert inv["status"] == "PENDING" and inv["invitee"] == "+442079460002" and inv["department_id"] == dep
    assert inv["invitee_type"] == "PHONE"
    assert inv["company_name"] == "Acme Trading Ltd"
    mail = await _rows(idp, NotificationRow, NotificationRow.user_id == bob.id, NotificationRow.channel == "EMAIL",
                       NotificationRow.event_type == "identity.company_invitation")
    assert len(mail) == 1 and "Acme Trading Ltd" in mail[0].body and "accountant" in mail[0].body

    twice = await idp.client.post(f"/v1/companies/{acme['id']}/invitations", headers={**alice.auth, **idem()},
                                  json={"invitee_type": "PHONE", "phone": "+442079460002", "role": "VIEWER"})  # the same address
    assert twice.status_code == 409 and twice.json()["code"] == "INVITATION_ALREADY_PENDING"
    # an unknown address is invited like a known one (inviting tells nothing about who is registered)
    unknown = await idp.client.post(f"/v1/companies/{acme['id']}/invitations", headers={**alice.auth, **idem()},
                                    json={"invitee_type": "EMAIL", "email": "Nobody@Example.com", "role": "VIEWER"})
    assert unknown.status_code == 201 and unknown.json()["invitee"] == "nobody@example.com"
    assert unknown.json()["invitee_type"] == "EMAIL"
    # one address, chosen by invitee_type: both, neither, or no invitee_type is refused by the contract itself
    for body in ({"invitee_type": "EMAIL", "email": bob.email, "phone": bob.phone, "role": "VIEWER"},
                 {"invitee_type": "PHONE", "email": bob.email, "role": "VIEWER"},
                 {"email": bob.email, "role": "VIEWER"}, {"invitee_type": "EMAIL", "role": "VIEWER"}):
        refused = await idp.client.post(f"/v1/companies/{acme['id']}/invitations", headers={**alice.auth, **idem()},
                                        json=body)
        assert refused.status_code == 422 and refused.json()["code"] == "VALIDATION_FAILED", body

    # only the invitee sees and answers it
    assert (await idp.client.get("/v1/invitations", headers=carol.auth)).json()["data"] == []
    assert (await idp.client.post(f"/v1/invitations/{inv['id']}/accept", headers=carol.auth)).status_code == 404
    listed = (await idp.client.get("/v1/invitations", headers=bob.auth)).json()["data"]
    assert [i["id"] for i in listed] == [inv["id"]]
    accepted = await idp.client.post(f"/v1/invitations/{inv['id']}/accept", headers=bob.auth)
    assert accepted.status_code == 200
    member = accepted.json()
    assert (member["user_id"], member["role"], member["department_id"]) == (bob.id, "ACCOUNTANT", dep)
    again = await idp.client.post(f"/v1/invitations/{inv['id']}/accept", headers=bob.auth)
    assert again.status_code == 409 and again.json()["code"] == "INVITATION_NOT_PENDING"
    member_again = await idp.client.post(f"/v1/companies/{acme['id']}/invitations", headers={**alice.auth, **idem()},
                                         json={"invitee_type": "EMAIL", "email": bob.email, "role": "VIEWER"})
    assert member_again.status_code == 409 and member_again.json()["code"] == "ALREADY_MEMBER"

    declined_inv = (await idp.client.post(f"/v1/companies/{acme['id']}/invitations",
                                          headers={**alice.auth, **idem()},
                                          json={"invitee_type": "EMAIL", "email": carol.email, "role": "VIEWER"})).json()
    declined = await idp.client.post(f"/v1/invitations/{declined_inv['id']}/decline", headers=carol.auth)
    assert declined.status_code == 200 and declined.json()["status"] == "DECLINED"
    assert (await idp.client.get(f"/v1/companies/{acme['id']}", headers=carol.auth)).status_code == 404
    bobs = (await idp.client.get("/v1/companies", headers=bob.auth)).json()["data"]
    assert [(c["id"], c["role"]) for c in bobs] == [(acme["id"], "ACCOUNTANT")]
    assert (await _event_types(idp)).count("darca.identity.member_added.v1") == 2


async def _try_admin_operations(idp: IdentityPlatform, acme: str, who: Person, other: Person) -> dict[str, int]:
    return {
        "invite": (await idp.client.post(f"/v1/companies/{acme}/invitations", headers={**who.auth, **idem()},
                                         json={"invitee_type": "EMAIL", "email": "user9@example.com", "role": "VIEWER"})).status_code,
        "change_role": (await idp.client.patch(f"/v1/companies/{acme}/members/{other.id}", headers=who.auth,
                                               json={"role": "APPROVER"})).status_code,
        "remove": (await idp.client.delete(f"/v1/companies/{acme}/members/{other.id}",
                                           headers=who.auth)).status_code,
        "api_key": (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=who.auth,
                                          json={"name": "ERP", "scopes": ["ledger:read"]})).status_code,
        "rename": (await idp.client.patch(f"/v1/companies/{acme}", headers=who.auth,
                                          json={"legal_name": "Renamed Ltd"})).status_code,
        "department": (await idp.client.post(f"/v1/companies/{acme}/departments", headers={**who.auth, **idem()},
                                             json={"name": f"Dept {who.id}"})).status_code,
    }


async def test_role_matrix_through_the_api(idp: IdentityPlatform) -> None:
    owner, viewer, accountant, approver = (await person(idp, 1), await person(idp, 2), await person(idp, 3),
                                           await person(idp, 4))
    await person(idp, 9)  # the user the matrix tries to invite
    acme = (await company(idp, owner))["id"]
    for who, role in ((viewer, "VIEWER"), (accountant, "ACCOUNTANT"), (approver, "APPROVER")):
        await join(idp, acme, owner, who, role)

    refused = {"invite": 403, "change_role": 403, "remove": 403, "api_key": 403, "rename": 403, "department": 403}
    for who, other in ((viewer, accountant), (accountant, viewer), (approver, viewer)):
        assert await _try_admin_operations(idp, acme, who, other) == refused
        # but every member reads the company, its members and departments
        for path in ("", "/members", "/departments"):
            assert (await idp.client.get(f"/v1/companies/{acme}{path}", headers=who.auth)).status_code == 200
        body = (await idp.client.get(f"/v1/companies/{acme}/api-keys", headers=who.auth)).json()
        assert body["status"] == 403 and body["code"] == "FORBIDDEN"

    # promoted to admin, the accountant may do them all (the viewer is the one changed and removed)
    await idp.client.patch(f"/v1/companies/{acme}/members/{accountant.id}", headers=owner.auth, json={"role": "ADMIN"})
    allowed = await _try_admin_operations(idp, acme, accountant, viewer)
    assert allowed == {"invite": 201, "change_role": 200, "remove": 204, "api_key": 201, "rename": 200,
                       "department": 201}
    # an admin does not grant, change or remove the owner role
    grant = await idp.client.patch(f"/v1/companies/{acme}/members/{approver.id}", headers=accountant.auth,
                                   json={"role": "OWNER"})
    assert grant.status_code == 403
    demote = await idp.client.patch(f"/v1/companies/{acme}/members/{owner.id}", headers=accountant.auth,
                                    json={"role": "VIEWER"})
    assert demote.status_code == 403
    invite_owner = await idp.client.post(f"/v1/companies/{acme}/invitations", headers={**accountant.auth, **idem()},
                                         json={"invitee_type": "EMAIL", "email": viewer.email, "role": "OWNER"})
    assert invite_owner.status_code == 403

    # decisions are logged with the policy version, allow and deny alike
    decisions = await _rows(idp, PolicyDecisionRow, PolicyDecisionRow.principal == f'User::"{viewer.id}"')
    version = load_policies()[1]
    denied = [d for d in decisions if d.decision == "DENY"]
    assert {d.action for d in denied} >= {"member.invite", "member.change_role", "member.remove", "api_key.create",
                                          "api_key.list", "company.update", "department.create"}
    assert all(d.policy_version == version for d in decisions)
    assert any(d.decision == "ALLOW" and d.deciding_policies == ["members-read"] for d in decisions)
    manage = await _rows(idp, PolicyDecisionRow, PolicyDecisionRow.action == "member.manage_owner")
    assert {d.decision for d in manage} == {"DENY"} and len(manage) == 3
    audits = await _rows(idp, AuditEntryRow, AuditEntryRow.result == "DENIED", AuditEntryRow.actor_id == viewer.id)
    assert {a.action for a in audits} >= {"identity.company.member.invite", "identity.company.api_key.create"}
    assert all(a.reason == "POLICY_DENIED" for a in audits)


async def test_other_users_get_404_for_a_company_and_its_objects(idp: IdentityPlatform) -> None:
    alice, mallory = await person(idp, 1), await person(idp, 2)
    acme = (await company(idp, alice))["id"]
    key = (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                 json={"name": "ERP", "scopes": ["company:read"]})).json()["id"]
    probes = [
        idp.client.get(f"/v1/companies/{acme}", headers=mallory.auth),
        idp.client.patch(f"/v1/companies/{acme}", headers=mallory.auth, json={"legal_name": "Mine Ltd"}),
        idp.client.get(f"/v1/companies/{acme}/members", headers=mallory.auth),
        idp.client.get(f"/v1/companies/{acme}/departments", headers=mallory.auth),
        idp.client.post(f"/v1/companies/{acme}/departments", headers={**mallory.auth, **idem()}, json={"name": "X"}),
        idp.client.post(f"/v1/companies/{acme}/invitations", headers={**mallory.auth, **idem()},
                        json={"invitee_type": "EMAIL", "email": mallory.email, "role": "OWNER"}),
        idp.client.patch(f"/v1/companies/{acme}/members/{alice.id}", headers=mallory.auth, json={"role": "VIEWER"}),
        idp.client.delete(f"/v1/companies/{acme}/members/{alice.id}", headers=mallory.auth),
        idp.client.get(f"/v1/companies/{acme}/api-keys", headers=mallory.auth),
        idp.client.delete(f"/v1/companies/{acme}/api-keys/{key}", headers=mallory.auth),
    ]
    missing = await idp.client.get("/v1/companies/cmp_00000000000000000000000000", headers=mallory.auth)
    for probe in probes:
        response = await probe
        assert response.status_code == 404, response.text
        assert response.json()["code"] == missing.json()["code"] == "COMPANY_NOT_FOUND"
    assert (await idp.client.get("/v1/companies", headers=mallory.auth)).json()["data"] == []
    audits = await _rows(idp, AuditEntryRow, AuditEntryRow.actor_id == mallory.id, AuditEntryRow.result == "DENIED")
    assert len(audits) == len(probes) + 1 and {a.reason for a in audits} == {"NOT_A_MEMBER"}


@pytest.mark.backends("sqlite", "postgresql")  # owner count checked in SQL
async def test_last_owner_cannot_leave_or_be_demoted(idp: IdentityPlatform) -> None:
    alice, bob = await person(idp, 1), await person(idp, 2)
    acme = (await company(idp, alice))["id"]
    demote = await idp.client.patch(f"/v1/companies/{acme}/members/{alice.id}", headers=alice.auth,
                                    json={"role": "ADMIN"})
    assert demote.status_code == 409 and demote.json()["code"] == "LAST_OWNER"
    remove = await idp.client.delete(f"/v1/companies/{acme}/members/{alice.id}", headers=alice.auth)
    assert remove.status_code == 409 and remove.json()["code"] == "LAST_OWNER"

    await join(idp, acme, alice, bob, "ADMIN")
    promoted = await idp.client.patch(f"/v1/companies/{acme}/members/{bob.id}", headers=alice.auth,
                                      json={"role": "OWNER"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "OWNER" and promoted.json()["version"] == 2
    stepped_down = await idp.client.patch(f"/v1/companies/{acme}/members/{alice.id}", headers=bob.auth,
                                          json={"role": "VIEWER"})
    assert stepped_down.status_code == 200
    removed = await idp.client.delete(f"/v1/companies/{acme}/members/{alice.id}", headers=bob.auth)
    assert removed.status_code == 204
    assert (await idp.client.get(f"/v1/companies/{acme}", headers=alice.auth)).status_code == 404
    last = await idp.client.delete(f"/v1/companies/{acme}/members/{bob.id}", headers=bob.auth)
    assert last.status_code == 409 and last.json()["code"] == "LAST_OWNER"
    types = await _event_types(idp)
    assert types.count("darca.identity.member_role_changed.v1") == 2
    assert types.count("darca.identity.member_removed.v1") == 1
    actions = [a.action for a in await _rows(idp, AuditEntryRow, AuditEntryRow.result == "SUCCESS",
                                             AuditEntryRow.action.like("identity.company.%"))]
    assert actions.count("identity.company.member_updated") == 2 and "identity.company.member_removed" in actions


async def test_company_members_read_company_ledger_accounts(idp: IdentityPlatform) -> None:
    alice, bob, eve = await person(idp, 1), await person(idp, 2), await person(idp, 3)
    acme = (await company(idp, alice))["id"]
    await join(idp, acme, alice, bob, "VIEWER")
    account = await idp.runtime.ledger.open_account(None, NewAccount(client_id=f"acme-eur-{acme}", owner_type="COMPANY", owner_id=acme, asset="EUR"))
    for member in (alice, bob):
        listed = await idp.client.get(f"/v1/ledger/accounts?company_id={acme}", headers=member.auth)
        assert [a["id"] for a in listed.json()["data"]] == [account.id]
        assert (await idp.client.get(f"/v1/ledger/accounts/{account.id}", headers=member.auth)).status_code == 200
    assert (await idp.client.get(f"/v1/ledger/accounts/{account.id}", headers=eve.auth)).status_code == 404
    assert (await idp.client.get(f"/v1/ledger/accounts?company_id={acme}", headers=eve.auth)).json()["data"] == []


async def test_only_owners_and_admins_top_up_the_company_wallet(idp: IdentityPlatform) -> None:
    people = [await person(idp, n) for n in range(1, 7)]
    alice, admin, accountant, approver, viewer, eve = people
    acme = (await company(idp, alice))["id"]
    for member, role in ((admin, "ADMIN"), (accountant, "ACCOUNTANT"), (approver, "APPROVER"), (viewer, "VIEWER")):
        await join(idp, acme, alice, member, role)
    wallet = await idp.runtime.ledger.open_account(None, NewAccount(client_id=f"acme-eur-{acme}", owner_type="COMPANY",
                                                              owner_id=acme, asset="EUR"))
    key = (await idp.client.post(f"/v1/companies/{acme}/api-keys", headers=alice.auth,
                                 json={"name": "Books", "scopes": ["ledger:read", "payments:write"]})).json()["secret"]
    body = {"account_id": wallet.id, "amount": {"amount": "1.00", "asset": "EUR"}}

    async def top_up(headers: dict[str, str]) -> tuple[int, str | None]:
        response = await idp.client.post("/v1/sandbox/top-ups", headers={**headers, **idem()}, json=body)
        return response.status_code, response.json().get("code")

    for member in (accountant, approver, viewer):  # they read the account, but may not move its money
        assert await top_up(member.auth) == (403, "FORBIDDEN")
    assert await top_up(eve.auth) == (404, "ACCOUNT_NOT_FOUND")  # not a member: nothing revealed
    assert await top_up({"X-API-Key": key}) == (403, "FORBIDDEN")  # a company key never moves money
    assert (await idp.runtime.ledger.get_account(None, wallet.id)).posted == 0
    for member in (alice, admin):
        assert (await top_up(member.auth))[0] == 201
    assert (await idp.runtime.ledger.get_account(None, wallet.id)).posted == 200

    decisions = await _rows(idp, PolicyDecisionRow, PolicyDecisionRow.action == "money.credit")
    by_user = {d.principal: d for d in decisions}
    assert {by_user[f'User::"{p.id}"'].decision for p in (accountant, approver, viewer)} == {"DENY"}
    assert {by_user[f'User::"{p.id}"'].decision for p in (alice, admin)} == {"ALLOW"}
    assert "viewer-never-moves-money" in by_user[f'User::"{viewer.id}"'].deciding_policies
    assert by_user[f'User::"{alice.id}"'].inputs["context"] == {"amount_minor": 100}
    assert f'User::"{eve.id}"' not in by_user  # refused before the policy: not a member


async def test_update_company_name(idp: IdentityPlatform) -> None:
    alice = await person(idp, 1)
    acme = (await company(idp, alice))["id"]
    renamed = await idp.client.patch(f"/v1/companies/{acme}", headers=alice.auth, json={"legal_name": "Acme Group plc"})
    assert renamed.status_code == 200
    assert renamed.json()["legal_name"] == "Acme Group plc" and renamed.json()["version"] == 2
