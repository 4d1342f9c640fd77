from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.kyc_level import KycLevel
from ..models.kyc_status import KycStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="KycStatusChange")


@_attrs_define
class KycStatusChange:
    """
    Attributes:
        at (datetime.datetime):
        from_level (KycLevel): NONE < BASIC < VERIFIED < ENHANCED.
        to_level (KycLevel): NONE < BASIC < VERIFIED < ENHANCED.
        from_status (KycStatus): Status of the user's latest check: NOT_STARTED (never submitted), PENDING (with the
            provider), MANUAL_REVIEW (waiting for an operator), APPROVED, REJECTED.
        to_status (KycStatus): Status of the user's latest check: NOT_STARTED (never submitted), PENDING (with the
            provider), MANUAL_REVIEW (waiting for an operator), APPROVED, REJECTED.
        check_id (str):
        reason (str | Unset):
    """

    at: datetime.datetime
    from_level: KycLevel
    to_level: KycLevel
    from_status: KycStatus
    to_status: KycStatus
    check_id: str
    reason: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        from_level = self.from_level.value

        to_level = self.to_level.value

        from_status = self.from_status.value

        to_status = self.to_status.value

        check_id = self.check_id

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "from_level": from_level,
                "to_level": to_level,
                "from_status": from_status,
                "to_status": to_status,
                "check_id": check_id,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        from_level = KycLevel(d.pop("from_level"))

        to_level = KycLevel(d.pop("to_level"))

        from_status = KycStatus(d.pop("from_status"))

        to_status = KycStatus(d.pop("to_status"))

        check_id = d.pop("check_id")

        reason = d.pop("reason", UNSET)

        kyc_status_change = cls(
            at=at,
            from_level=from_level,
            to_level=to_level,
            from_status=from_status,
            to_status=to_status,
            check_id=check_id,
            reason=reason,
        )

        return kyc_status_change
