from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PasswordResetConfirmation")


@_attrs_define
class PasswordResetConfirmation:
    """
    Attributes:
        email (str): An email address: a local part, `@`, and a domain whose labels are letters, digits and inner
            dashes, ending in an alphabetic top-level domain. Compared without letter case.
        code (str):
        new_password (str):
    """

    email: str
    code: str
    new_password: str

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        code = self.code

        new_password = self.new_password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "code": code,
                "new_password": new_password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        code = d.pop("code")

        new_password = d.pop("new_password")

        password_reset_confirmation = cls(
            email=email,
            code=code,
            new_password=new_password,
        )

        return password_reset_confirmation
