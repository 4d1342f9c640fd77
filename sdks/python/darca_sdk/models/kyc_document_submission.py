from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.country_code import CountryCode
from ..models.kyc_document_type import KycDocumentType

T = TypeVar("T", bound="KycDocumentSubmission")


@_attrs_define
class KycDocumentSubmission:
    """
    Attributes:
        type_ (KycDocumentType):
        number (str): Document number, letters and digits only (case does not matter). Never returned; only its last
            four characters are kept. Sandbox: ends in 0000 approve, 1111 reject, 2222 manual review.
        issuing_country (CountryCode): An assigned ISO 3166-1 alpha-2 country code.
    """

    type_: KycDocumentType
    number: str
    issuing_country: CountryCode

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        number = self.number

        issuing_country = self.issuing_country.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "number": number,
                "issuing_country": issuing_country,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = KycDocumentType(d.pop("type"))

        number = d.pop("number")

        issuing_country = CountryCode(d.pop("issuing_country"))

        kyc_document_submission = cls(
            type_=type_,
            number=number,
            issuing_country=issuing_country,
        )

        return kyc_document_submission
