"""Driving companies through the API in tests: users logged in, a company, members with a role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from .conftest import IdentityPlatform
from .helpers import active_user, bearer, login


@dataclass(frozen=True)
class Person:
    id: str
    email: str
    phone: str
    auth: dict[str, str]


async def person(idp: IdentityPlatform, n: int) -> Person:
    email, phone = f"user{n}@example.com", f"+4420794600{n:02d}"
    uid = await active_user(idp, email, phone)
    return Person(uid, email, phone, bearer(await login(idp, email)))


def idem() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def company(idp: IdentityPlatform, owner: Person, number: str = "01234567", country: str = "GB") -> dict:
    response = await idp.client.post("/v1/companies", headers={**owner.auth, **idem()},
                                     json={"legal_name": "Acme Trading Ltd", "country": country,
                                           "registration_number": number})
    assert response.status_code == 201, response.text
    return response.json()


async def join(idp: IdentityPlatform, company_id: str, by: Person, who: Person, role: str, **extra: str) -> dict:
    """Invite `who` with `role` and accept: the member."""
    invited = await idp.client.post(f"/v1/companies/{company_id}/invitations", headers={**by.auth, **idem()},
                                    json={"invitee_type": "EMAIL", "email": who.email, "role": role, **extra})
    assert invited.status_code == 201, invited.text
    accepted = await idp.client.post(f"/v1/invitations/{invited.json()['id']}/accept", headers=who.auth)
    assert accepted.status_code == 200, accepted.text
    return accepted.json()
