from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.kyc_level import KycLevel
from ..models.kyc_status import KycStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kyc_status_change import KycStatusChange


T = TypeVar("T", bound="KycProfile")


@_attrs_define
class KycProfile:
    """
    Attributes:
        user_id (str):
        level (KycLevel): NONE < BASIC < VERIFIED < ENHANCED.
        status (KycStatus): Status of the user's latest check: NOT_STARTED (never submitted), PENDING (with the
            provider), MANUAL_REVIEW (waiting for an operator), APPROVED, REJECTED.
        history (list[KycStatusChange]): Every status change, oldest first.
        open_check_id (str | Unset):
    """

    user_id: str
    level: KycLevel
    status: KycStatus
    history: list[KycStatusChange]
    open_check_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        level = self.level.value

        status = self.status.value

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        open_check_id = self.open_check_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "user_id": user_id,
                "level": level,
                "status": status,
                "history": history,
            }
        )
        if open_check_id is not UNSET:
            field_dict["open_check_id"] = open_check_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kyc_status_change import KycStatusChange  # noqa: PLC0415

        d = dict(src_dict)
        user_id = d.pop("user_id")

        level = KycLevel(d.pop("level"))

        status = KycStatus(d.pop("status"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = KycStatusChange.from_dict(history_item_data)

            history.append(history_item)

        open_check_id = d.pop("open_check_id", UNSET)

        kyc_profile = cls(
            user_id=user_id,
            level=level,
            status=status,
            history=history,
            open_check_id=open_check_id,
        )

        return kyc_profile
