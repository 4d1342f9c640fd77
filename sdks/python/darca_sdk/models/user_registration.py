from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.country_code import CountryCode
from ..models.locale import Locale
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserRegistration")


@_attrs_define
class UserRegistration:
    """
    Attributes:
        phone (str): A phone number in international form: `+`, the country calling code and the number, 7 to 15 digits
            in all, optionally grouped by spaces, dashes or parentheses (`+44 20 7946 0018`). Stored and returned as E.164
            (`+442079460018`). A number that fits this shape but does not exist in its country's numbering plan is 422
            `VALIDATION_FAILED` with `INVALID_PHONE_NUMBER`.
        email (str): An email address: a local part, `@`, and a domain whose labels are letters, digits and inner
            dashes, ending in an alphabetic top-level domain. Compared without letter case.
        display_name (str): A name others see: no control, format or bidi characters (Unicode Cc, Cf, U+2028, U+2029),
            no leading or trailing white space.
        country (CountryCode): An assigned ISO 3166-1 alpha-2 country code.
        password (str):
        locale (Locale | Unset):
    """

    phone: str
    email: str
    display_name: str
    country: CountryCode
    password: str
    locale: Locale | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        phone = self.phone

        email = self.email

        display_name = self.display_name

        country = self.country.value

        password = self.password

        locale: str | Unset = UNSET
        if not isinstance(self.locale, Unset):
            locale = self.locale.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "phone": phone,
                "email": email,
                "display_name": display_name,
                "country": country,
                "password": password,
            }
        )
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        phone = d.pop("phone")

        email = d.pop("email")

        display_name = d.pop("display_name")

        country = CountryCode(d.pop("country"))

        password = d.pop("password")

        _locale = d.pop("locale", UNSET)
        locale: Locale | Unset
        if isinstance(_locale, Unset):
            locale = UNSET
        else:
            locale = Locale(_locale)

        user_registration = cls(
            phone=phone,
            email=email,
            display_name=display_name,
            country=country,
            password=password,
            locale=locale,
        )

        return user_registration
