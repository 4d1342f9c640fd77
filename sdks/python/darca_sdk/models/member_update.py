from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.company_role import CompanyRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="MemberUpdate")


@_attrs_define
class MemberUpdate:
    """At least one of `role` and `department_id`.

    Attributes:
        role (CompanyRole | Unset): `OWNER` (everything, including ownership), `ADMIN` (everything but ownership),
            `ACCOUNTANT` (reads, reports, prepares payments), `APPROVER` (reads, approves payments within a limit), `VIEWER`
            (reads).
        department_id (str | Unset):
    """

    role: CompanyRole | Unset = UNSET
    department_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        department_id = self.department_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if role is not UNSET:
            field_dict["role"] = role
        if department_id is not UNSET:
            field_dict["department_id"] = department_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _role = d.pop("role", UNSET)
        role: CompanyRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = CompanyRole(_role)

        department_id = d.pop("department_id", UNSET)

        member_update = cls(
            role=role,
            department_id=department_id,
        )

        return member_update
