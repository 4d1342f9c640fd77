from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.company_role import CompanyRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="EmailInvitationCreation")


@_attrs_define
class EmailInvitationCreation:
    """
    Attributes:
        invitee_type (Literal['EMAIL']):
        email (str): An email address: a local part, `@`, and a domain whose labels are letters, digits and inner
            dashes, ending in an alphabetic top-level domain. Compared without letter case.
        role (CompanyRole): `OWNER` (everything, including ownership), `ADMIN` (everything but ownership), `ACCOUNTANT`
            (reads, reports, prepares payments), `APPROVER` (reads, approves payments within a limit), `VIEWER` (reads).
        department_id (str | Unset):
    """

    invitee_type: Literal["EMAIL"]
    email: str
    role: CompanyRole
    department_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        invitee_type = self.invitee_type

        email = self.email

        role = self.role.value

        department_id = self.department_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "invitee_type": invitee_type,
                "email": email,
                "role": role,
            }
        )
        if department_id is not UNSET:
            field_dict["department_id"] = department_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invitee_type = cast(Literal["EMAIL"], d.pop("invitee_type"))
        if invitee_type != "EMAIL":
            raise ValueError(f"invitee_type must match const 'EMAIL', got '{invitee_type}'")

        email = d.pop("email")

        role = CompanyRole(d.pop("role"))

        department_id = d.pop("department_id", UNSET)

        email_invitation_creation = cls(
            invitee_type=invitee_type,
            email=email,
            role=role,
            department_id=department_id,
        )

        return email_invitation_creation
