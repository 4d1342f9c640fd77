from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.company_role import CompanyRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="Company")


@_attrs_define
class Company:
    """
    Attributes:
        id (str):
        legal_name (str):
        country (str):
        registration_number (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        version (int):
        role (CompanyRole | Unset): `OWNER` (everything, including ownership), `ADMIN` (everything but ownership),
            `ACCOUNTANT` (reads, reports, prepares payments), `APPROVER` (reads, approves payments within a limit), `VIEWER`
            (reads).
    """

    id: str
    legal_name: str
    country: str
    registration_number: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    role: CompanyRole | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        legal_name = self.legal_name

        country = self.country

        registration_number = self.registration_number

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        version = self.version

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "legal_name": legal_name,
                "country": country,
                "registration_number": registration_number,
                "created_at": created_at,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        legal_name = d.pop("legal_name")

        country = d.pop("country")

        registration_number = d.pop("registration_number")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        _role = d.pop("role", UNSET)
        role: CompanyRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = CompanyRole(_role)

        company = cls(
            id=id,
            legal_name=legal_name,
            country=country,
            registration_number=registration_number,
            created_at=created_at,
            updated_at=updated_at,
            version=version,
            role=role,
        )

        return company
