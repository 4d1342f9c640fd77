from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.company_role import CompanyRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="Member")


@_attrs_define
class Member:
    """
    Attributes:
        company_id (str):
        user_id (str):
        display_name (str):
        role (CompanyRole): `OWNER` (everything, including ownership), `ADMIN` (everything but ownership), `ACCOUNTANT`
            (reads, reports, prepares payments), `APPROVER` (reads, approves payments within a limit), `VIEWER` (reads).
        joined_at (datetime.datetime):
        updated_at (datetime.datetime):
        version (int):
        department_id (str | Unset):
    """

    company_id: str
    user_id: str
    display_name: str
    role: CompanyRole
    joined_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    department_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        user_id = self.user_id

        display_name = self.display_name

        role = self.role.value

        joined_at = self.joined_at.isoformat()

        updated_at = self.updated_at.isoformat()

        version = self.version

        department_id = self.department_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "company_id": company_id,
                "user_id": user_id,
                "display_name": display_name,
                "role": role,
                "joined_at": joined_at,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if department_id is not UNSET:
            field_dict["department_id"] = department_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        company_id = d.pop("company_id")

        user_id = d.pop("user_id")

        display_name = d.pop("display_name")

        role = CompanyRole(d.pop("role"))

        joined_at = datetime.datetime.fromisoformat(d.pop("joined_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        department_id = d.pop("department_id", UNSET)

        member = cls(
            company_id=company_id,
            user_id=user_id,
            display_name=display_name,
            role=role,
            joined_at=joined_at,
            updated_at=updated_at,
            version=version,
            department_id=department_id,
        )

        return member
