from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.session_aal import SessionAal
from ..types import UNSET, Unset

T = TypeVar("T", bound="Session")


@_attrs_define
class Session:
    """
    Attributes:
        id (str):
        aal (SessionAal):
        created_at (datetime.datetime):
        last_used_at (datetime.datetime):
        current (bool): Whether this is the session of the token making the request.
        device_id (str | Unset):
        expires_at (datetime.datetime | Unset): When the session ends unless it is used again first (idle timeout,
            capped by its absolute lifetime).
    """

    id: str
    aal: SessionAal
    created_at: datetime.datetime
    last_used_at: datetime.datetime
    current: bool
    device_id: str | Unset = UNSET
    expires_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        aal = self.aal.value

        created_at = self.created_at.isoformat()

        last_used_at = self.last_used_at.isoformat()

        current = self.current

        device_id = self.device_id

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "aal": aal,
                "created_at": created_at,
                "last_used_at": last_used_at,
                "current": current,
            }
        )
        if device_id is not UNSET:
            field_dict["device_id"] = device_id
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        aal = SessionAal(d.pop("aal"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        last_used_at = datetime.datetime.fromisoformat(d.pop("last_used_at"))

        current = d.pop("current")

        device_id = d.pop("device_id", UNSET)

        _expires_at = d.pop("expires_at", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        session = cls(
            id=id,
            aal=aal,
            created_at=created_at,
            last_used_at=last_used_at,
            current=current,
            device_id=device_id,
            expires_at=expires_at,
        )

        return session
