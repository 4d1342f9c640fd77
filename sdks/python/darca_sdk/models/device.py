from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Device")


@_attrs_define
class Device:
    """
    Attributes:
        id (str):
        trusted (bool): Whether the device is trusted now.
        requires_step_up (bool): Whether sensitive actions from this device need a step-up (new and not trusted).
        current (bool): Whether this is the device of the session making the request.
        first_seen_at (datetime.datetime):
        last_seen_at (datetime.datetime):
        name (str | Unset): The name the client gave in `X-Device-Name` (absent when none was given).
        user_agent (str | Unset): The `User-Agent` request header of the last login from this device (first 255
            characters), as the client's HTTP stack sent it; not a parameter of the contract, since browsers do not let
            scripts set it.
        last_client_address (str | Unset): The network address of the last login from this device.
        trusted_until (datetime.datetime | Unset): When the trust ends; present only while the device is trusted.
    """

    id: str
    trusted: bool
    requires_step_up: bool
    current: bool
    first_seen_at: datetime.datetime
    last_seen_at: datetime.datetime
    name: str | Unset = UNSET
    user_agent: str | Unset = UNSET
    last_client_address: str | Unset = UNSET
    trusted_until: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        trusted = self.trusted

        requires_step_up = self.requires_step_up

        current = self.current

        first_seen_at = self.first_seen_at.isoformat()

        last_seen_at = self.last_seen_at.isoformat()

        name = self.name

        user_agent = self.user_agent

        last_client_address = self.last_client_address

        trusted_until: str | Unset = UNSET
        if not isinstance(self.trusted_until, Unset):
            trusted_until = self.trusted_until.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "trusted": trusted,
                "requires_step_up": requires_step_up,
                "current": current,
                "first_seen_at": first_seen_at,
                "last_seen_at": last_seen_at,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent
        if last_client_address is not UNSET:
            field_dict["last_client_address"] = last_client_address
        if trusted_until is not UNSET:
            field_dict["trusted_until"] = trusted_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        trusted = d.pop("trusted")

        requires_step_up = d.pop("requires_step_up")

        current = d.pop("current")

        first_seen_at = datetime.datetime.fromisoformat(d.pop("first_seen_at"))

        last_seen_at = datetime.datetime.fromisoformat(d.pop("last_seen_at"))

        name = d.pop("name", UNSET)

        user_agent = d.pop("user_agent", UNSET)

        last_client_address = d.pop("last_client_address", UNSET)

        _trusted_until = d.pop("trusted_until", UNSET)
        trusted_until: datetime.datetime | Unset
        if isinstance(_trusted_until, Unset):
            trusted_until = UNSET
        else:
            trusted_until = datetime.datetime.fromisoformat(_trusted_until)

        device = cls(
            id=id,
            trusted=trusted,
            requires_step_up=requires_step_up,
            current=current,
            first_seen_at=first_seen_at,
            last_seen_at=last_seen_at,
            name=name,
            user_agent=user_agent,
            last_client_address=last_client_address,
            trusted_until=trusted_until,
        )

        return device
