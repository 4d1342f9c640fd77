from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.country_code import CountryCode

T = TypeVar("T", bound="CompanyRegistration")


@_attrs_define
class CompanyRegistration:
    """
    Attributes:
        legal_name (str): A longer name others see (a company's legal name): the same characters as `HumanName`.
        country (CountryCode): An assigned ISO 3166-1 alpha-2 country code.
        registration_number (str): Number in the country's company register. Compared without case, spaces, dots and
            dashes.
    """

    legal_name: str
    country: CountryCode
    registration_number: str

    def to_dict(self) -> dict[str, Any]:
        legal_name = self.legal_name

        country = self.country.value

        registration_number = self.registration_number

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "legal_name": legal_name,
                "country": country,
                "registration_number": registration_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        legal_name = d.pop("legal_name")

        country = CountryCode(d.pop("country"))

        registration_number = d.pop("registration_number")

        company_registration = cls(
            legal_name=legal_name,
            country=country,
            registration_number=registration_number,
        )

        return company_registration
