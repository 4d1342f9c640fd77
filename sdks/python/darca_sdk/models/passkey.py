from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.passkey_device_type import PasskeyDeviceType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Passkey")


@_attrs_define
class Passkey:
    """
    Attributes:
        id (str):
        name (str):
        credential_id (str): base64url credential id.
        transports (list[str]): Transports the authenticator reported (usb, nfc, ble, internal, hybrid, ...).
        device_type (PasskeyDeviceType): MULTI_DEVICE when the credential may be synced (backup eligible).
        backed_up (bool):
        sign_count (int):
        created_at (datetime.datetime):
        aaguid (str | Unset): Authenticator model (AAGUID), all zeros when not disclosed.
        last_used_at (datetime.datetime | Unset): Last successful use; absent until the first.
    """

    id: str
    name: str
    credential_id: str
    transports: list[str]
    device_type: PasskeyDeviceType
    backed_up: bool
    sign_count: int
    created_at: datetime.datetime
    aaguid: str | Unset = UNSET
    last_used_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        credential_id = self.credential_id

        transports = self.transports

        device_type = self.device_type.value

        backed_up = self.backed_up

        sign_count = self.sign_count

        created_at = self.created_at.isoformat()

        aaguid = self.aaguid

        last_used_at: str | Unset = UNSET
        if not isinstance(self.last_used_at, Unset):
            last_used_at = self.last_used_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "credential_id": credential_id,
                "transports": transports,
                "device_type": device_type,
                "backed_up": backed_up,
                "sign_count": sign_count,
                "created_at": created_at,
            }
        )
        if aaguid is not UNSET:
            field_dict["aaguid"] = aaguid
        if last_used_at is not UNSET:
            field_dict["last_used_at"] = last_used_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        credential_id = d.pop("credential_id")

        transports = cast(list[str], d.pop("transports"))

        device_type = PasskeyDeviceType(d.pop("device_type"))

        backed_up = d.pop("backed_up")

        sign_count = d.pop("sign_count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        aaguid = d.pop("aaguid", UNSET)

        _last_used_at = d.pop("last_used_at", UNSET)
        last_used_at: datetime.datetime | Unset
        if isinstance(_last_used_at, Unset):
            last_used_at = UNSET
        else:
            last_used_at = datetime.datetime.fromisoformat(_last_used_at)

        passkey = cls(
            id=id,
            name=name,
            credential_id=credential_id,
            transports=transports,
            device_type=device_type,
            backed_up=backed_up,
            sign_count=sign_count,
            created_at=created_at,
            aaguid=aaguid,
            last_used_at=last_used_at,
        )

        return passkey
