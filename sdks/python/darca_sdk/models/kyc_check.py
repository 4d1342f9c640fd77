from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.kyc_check_status import KycCheckStatus
from ..models.kyc_target_level import KycTargetLevel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kyc_document import KycDocument


T = TypeVar("T", bound="KycCheck")


@_attrs_define
class KycCheck:
    """
    Attributes:
        id (str):
        user_id (str):
        target_level (KycTargetLevel):
        status (KycCheckStatus):
        document (KycDocument):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        reason (str | Unset): Why the check was rejected or sent to review (provider code such as `DOCUMENT_EXPIRED`, or
            the operator's reason). Absent while pending and on provider approval.
        decided_at (datetime.datetime | Unset): When the check reached APPROVED or REJECTED.
    """

    id: str
    user_id: str
    target_level: KycTargetLevel
    status: KycCheckStatus
    document: KycDocument
    created_at: datetime.datetime
    updated_at: datetime.datetime
    reason: str | Unset = UNSET
    decided_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        user_id = self.user_id

        target_level = self.target_level.value

        status = self.status.value

        document = self.document.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        reason = self.reason

        decided_at: str | Unset = UNSET
        if not isinstance(self.decided_at, Unset):
            decided_at = self.decided_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "user_id": user_id,
                "target_level": target_level,
                "status": status,
                "document": document,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kyc_document import KycDocument  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        user_id = d.pop("user_id")

        target_level = KycTargetLevel(d.pop("target_level"))

        status = KycCheckStatus(d.pop("status"))

        document = KycDocument.from_dict(d.pop("document"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        reason = d.pop("reason", UNSET)

        _decided_at = d.pop("decided_at", UNSET)
        decided_at: datetime.datetime | Unset
        if isinstance(_decided_at, Unset):
            decided_at = UNSET
        else:
            decided_at = datetime.datetime.fromisoformat(_decided_at)

        kyc_check = cls(
            id=id,
            user_id=user_id,
            target_level=target_level,
            status=status,
            document=document,
            created_at=created_at,
            updated_at=updated_at,
            reason=reason,
            decided_at=decided_at,
        )

        return kyc_check
