from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.kyc_document_type import KycDocumentType

T = TypeVar("T", bound="KycDocument")


@_attrs_define
class KycDocument:
    """
    Attributes:
        type_ (KycDocumentType):
        issuing_country (str):
        number_last4 (str): The last four characters of the document number (upper case).
    """

    type_: KycDocumentType
    issuing_country: str
    number_last4: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        issuing_country = self.issuing_country

        number_last4 = self.number_last4

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "issuing_country": issuing_country,
                "number_last4": number_last4,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = KycDocumentType(d.pop("type"))

        issuing_country = d.pop("issuing_country")

        number_last4 = d.pop("number_last4")

        kyc_document = cls(
            type_=type_,
            issuing_country=issuing_country,
            number_last4=number_last4,
        )

        return kyc_document
