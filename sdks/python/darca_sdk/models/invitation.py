from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.company_role import CompanyRole
from ..models.invitation_status import InvitationStatus
from ..models.invitee_type import InviteeType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Invitation")


@_attrs_define
class Invitation:
    """
    Attributes:
        id (str):
        company_id (str):
        company_name (str):
        invitee_type (InviteeType): The kind of address that names an invitee.
        invitee (str): The address invited, as normalised (email lower-cased, phone in E.164); never the id of a user,
            which would tell the inviter that the address is registered.
        role (CompanyRole): `OWNER` (everything, including ownership), `ADMIN` (everything but ownership), `ACCOUNTANT`
            (reads, reports, prepares payments), `APPROVER` (reads, approves payments within a limit), `VIEWER` (reads).
        status (InvitationStatus):
        invited_by (str):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        department_id (str | Unset):
        responded_at (datetime.datetime | Unset):
    """

    id: str
    company_id: str
    company_name: str
    invitee_type: InviteeType
    invitee: str
    role: CompanyRole
    status: InvitationStatus
    invited_by: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    department_id: str | Unset = UNSET
    responded_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        company_id = self.company_id

        company_name = self.company_name

        invitee_type = self.invitee_type.value

        invitee = self.invitee

        role = self.role.value

        status = self.status.value

        invited_by = self.invited_by

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        department_id = self.department_id

        responded_at: str | Unset = UNSET
        if not isinstance(self.responded_at, Unset):
            responded_at = self.responded_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "company_id": company_id,
                "company_name": company_name,
                "invitee_type": invitee_type,
                "invitee": invitee,
                "role": role,
                "status": status,
                "invited_by": invited_by,
                "created_at": created_at,
                "expires_at": expires_at,
            }
        )
        if department_id is not UNSET:
            field_dict["department_id"] = department_id
        if responded_at is not UNSET:
            field_dict["responded_at"] = responded_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        company_id = d.pop("company_id")

        company_name = d.pop("company_name")

        invitee_type = InviteeType(d.pop("invitee_type"))

        invitee = d.pop("invitee")

        role = CompanyRole(d.pop("role"))

        status = InvitationStatus(d.pop("status"))

        invited_by = d.pop("invited_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        department_id = d.pop("department_id", UNSET)

        _responded_at = d.pop("responded_at", UNSET)
        responded_at: datetime.datetime | Unset
        if isinstance(_responded_at, Unset):
            responded_at = UNSET
        else:
            responded_at = datetime.datetime.fromisoformat(_responded_at)

        invitation = cls(
            id=id,
            company_id=company_id,
            company_name=company_name,
            invitee_type=invitee_type,
            invitee=invitee,
            role=role,
            status=status,
            invited_by=invited_by,
            created_at=created_at,
            expires_at=expires_at,
            department_id=department_id,
            responded_at=responded_at,
        )

        return invitation
