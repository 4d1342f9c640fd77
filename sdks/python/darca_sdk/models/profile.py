from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.kyc_level import KycLevel
from ..models.locale import Locale
from ..models.user_status import UserStatus

T = TypeVar("T", bound="Profile")


@_attrs_define
class Profile:
    """
    Attributes:
        id (str):
        email (str):
        phone (str): E.164.
        display_name (str):
        country (str):
        locale (Locale):
        status (UserStatus):
        phone_verified (bool):
        email_verified (bool):
        kyc_level (KycLevel): NONE < BASIC < VERIFIED < ENHANCED.
        created_at (datetime.datetime):
    """

    id: str
    email: str
    phone: str
    display_name: str
    country: str
    locale: Locale
    status: UserStatus
    phone_verified: bool
    email_verified: bool
    kyc_level: KycLevel
    created_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        phone = self.phone

        display_name = self.display_name

        country = self.country

        locale = self.locale.value

        status = self.status.value

        phone_verified = self.phone_verified

        email_verified = self.email_verified

        kyc_level = self.kyc_level.value

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "email": email,
                "phone": phone,
                "display_name": display_name,
                "country": country,
                "locale": locale,
                "status": status,
                "phone_verified": phone_verified,
                "email_verified": email_verified,
                "kyc_level": kyc_level,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        phone = d.pop("phone")

        display_name = d.pop("display_name")

        country = d.pop("country")

        locale = Locale(d.pop("locale"))

        status = UserStatus(d.pop("status"))

        phone_verified = d.pop("phone_verified")

        email_verified = d.pop("email_verified")

        kyc_level = KycLevel(d.pop("kyc_level"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        profile = cls(
            id=id,
            email=email,
            phone=phone,
            display_name=display_name,
            country=country,
            locale=locale,
            status=status,
            phone_verified=phone_verified,
            email_verified=email_verified,
            kyc_level=kyc_level,
            created_at=created_at,
        )

        return profile
