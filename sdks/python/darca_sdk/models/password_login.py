from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PasswordLogin")


@_attrs_define
class PasswordLogin:
    """
    Attributes:
        identifier (str): Email or phone number (international form); case and spaces do not matter.
        password (str):
        totp_code (str | Unset): The current code of the user's authenticator app: a user with TOTP enabled then gets an
            AAL2 session in one step. Without it the session is AAL1. A wrong or reused code is 401 `TOTP_CODE_INVALID` /
            `TOTP_CODE_REUSED` (throttled per user); a user without TOTP gets 422 `MFA_NOT_ENABLED`.
    """

    identifier: str
    password: str
    totp_code: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identifier = self.identifier

        password = self.password

        totp_code = self.totp_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "identifier": identifier,
                "password": password,
            }
        )
        if totp_code is not UNSET:
            field_dict["totp_code"] = totp_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        identifier = d.pop("identifier")

        password = d.pop("password")

        totp_code = d.pop("totp_code", UNSET)

        password_login = cls(
            identifier=identifier,
            password=password,
            totp_code=totp_code,
        )

        return password_login
