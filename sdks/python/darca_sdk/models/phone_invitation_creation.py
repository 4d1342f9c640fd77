from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.company_role import CompanyRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="PhoneInvitationCreation")


@_attrs_define
class PhoneInvitationCreation:
    """
    Attributes:
        invitee_type (Literal['PHONE']):
        phone (str): A phone number in international form: `+`, the country calling code and the number, 7 to 15 digits
            in all, optionally grouped by spaces, dashes or parentheses (`+44 20 7946 0018`). Stored and returned as E.164
            (`+442079460018`). A number that fits this shape but does not exist in its country's numbering plan is 422
            `VALIDATION_FAILED` with `INVALID_PHONE_NUMBER`.
        role (CompanyRole): `OWNER` (everything, including ownership), `ADMIN` (everything but ownership), `ACCOUNTANT`
            (reads, reports, prepares payments), `APPROVER` (reads, approves payments within a limit), `VIEWER` (reads).
        department_id (str | Unset):
    """

    invitee_type: Literal["PHONE"]
    phone: str
    role: CompanyRole
    department_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        invitee_type = self.invitee_type

        phone = self.phone

        role = self.role.value

        department_id = self.department_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "invitee_type": invitee_type,
                "phone": phone,
                "role": role,
            }
        )
        if department_id is not UNSET:
            field_dict["department_id"] = department_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invitee_type = cast(Literal["PHONE"], d.pop("invitee_type"))
        if invitee_type != "PHONE":
            raise ValueError(f"invitee_type must match const 'PHONE', got '{invitee_type}'")

        phone = d.pop("phone")

        role = CompanyRole(d.pop("role"))

        department_id = d.pop("department_id", UNSET)

        phone_invitation_creation = cls(
            invitee_type=invitee_type,
            phone=phone,
            role=role,
            department_id=department_id,
        )

        return phone_invitation_creation
