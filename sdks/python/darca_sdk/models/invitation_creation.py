from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.company_role import CompanyRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="InvitationCreation")


@_attrs_define
class InvitationCreation:
    """Exactly one of `email` and `phone` names the invitee.

    Attributes:
        role (CompanyRole): `owner` (everything, including ownership), `admin` (everything but ownership), `accountant`
            (reads, reports, prepares payments), `approver` (reads, approves payments within a limit), `viewer` (reads).
        email (str | Unset): An email address: a local part, `@`, and a domain whose labels are letters, digits and
            inner dashes, ending in an alphabetic top-level domain. Compared without letter case.
        phone (str | Unset): A phone number in international form: `+`, the country calling code and the number, 7 to 15
            digits in all, optionally grouped by spaces, dashes or parentheses (`+44 20 7946 0018`). Stored and returned as
            E.164 (`+442079460018`). A number that fits this shape but does not exist in its country's numbering plan is 422
            `VALIDATION_FAILED` with `INVALID_PHONE_NUMBER`.
        department_id (str | Unset):
    """

    role: CompanyRole
    email: str | Unset = UNSET
    phone: str | Unset = UNSET
    department_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        email = self.email

        phone = self.phone

        department_id = self.department_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if department_id is not UNSET:
            field_dict["department_id"] = department_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = CompanyRole(d.pop("role"))

        email = d.pop("email", UNSET)

        phone = d.pop("phone", UNSET)

        department_id = d.pop("department_id", UNSET)

        invitation_creation = cls(
            role=role,
            email=email,
            phone=phone,
            department_id=department_id,
        )

        return invitation_creation
