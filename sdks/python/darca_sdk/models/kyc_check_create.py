from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.kyc_target_level import KycTargetLevel

if TYPE_CHECKING:
    from ..models.kyc_document_submission import KycDocumentSubmission


T = TypeVar("T", bound="KycCheckCreate")


@_attrs_define
class KycCheckCreate:
    """
    Attributes:
        target_level (KycTargetLevel):
        document (KycDocumentSubmission):
        first_name (str): A name others see: no control, format or bidi characters (Unicode Cc, Cf, U+2028, U+2029), no
            leading or trailing white space.
        last_name (str): A name others see: no control, format or bidi characters (Unicode Cc, Cf, U+2028, U+2029), no
            leading or trailing white space.
        date_of_birth (datetime.date): Must be a past date after 1900-01-01 (422 `VALIDATION_FAILED` otherwise).
    """

    target_level: KycTargetLevel
    document: KycDocumentSubmission
    first_name: str
    last_name: str
    date_of_birth: datetime.date

    def to_dict(self) -> dict[str, Any]:
        target_level = self.target_level.value

        document = self.document.to_dict()

        first_name = self.first_name

        last_name = self.last_name

        date_of_birth = self.date_of_birth.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "target_level": target_level,
                "document": document,
                "first_name": first_name,
                "last_name": last_name,
                "date_of_birth": date_of_birth,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kyc_document_submission import KycDocumentSubmission  # noqa: PLC0415

        d = dict(src_dict)
        target_level = KycTargetLevel(d.pop("target_level"))

        document = KycDocumentSubmission.from_dict(d.pop("document"))

        first_name = d.pop("first_name")

        last_name = d.pop("last_name")

        date_of_birth = datetime.date.fromisoformat(d.pop("date_of_birth"))

        kyc_check_create = cls(
            target_level=target_level,
            document=document,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
        )

        return kyc_check_create
