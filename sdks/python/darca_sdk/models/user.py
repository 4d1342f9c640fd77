from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.locale import Locale
from ..models.user_status import UserStatus

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """
    Attributes:
        id (str):
        phone (str): E.164.
        email (str):
        display_name (str):
        country (str):
        locale (Locale):
        status (UserStatus):
        phone_verified (bool):
        email_verified (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        version (int):
    """

    id: str
    phone: str
    email: str
    display_name: str
    country: str
    locale: Locale
    status: UserStatus
    phone_verified: bool
    email_verified: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        phone = self.phone

        email = self.email

        display_name = self.display_name

        country = self.country

        locale = self.locale.value

        status = self.status.value

        phone_verified = self.phone_verified

        email_verified = self.email_verified

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "phone": phone,
                "email": email,
                "display_name": display_name,
                "country": country,
                "locale": locale,
                "status": status,
                "phone_verified": phone_verified,
                "email_verified": email_verified,
                "created_at": created_at,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        phone = d.pop("phone")

        email = d.pop("email")

        display_name = d.pop("display_name")

        country = d.pop("country")

        locale = Locale(d.pop("locale"))

        status = UserStatus(d.pop("status"))

        phone_verified = d.pop("phone_verified")

        email_verified = d.pop("email_verified")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        user = cls(
            id=id,
            phone=phone,
            email=email,
            display_name=display_name,
            country=country,
            locale=locale,
            status=status,
            phone_verified=phone_verified,
            email_verified=email_verified,
            created_at=created_at,
            updated_at=updated_at,
            version=version,
        )

        return user
