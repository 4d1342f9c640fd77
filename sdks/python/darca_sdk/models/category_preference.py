from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.notification_category import NotificationCategory
from ..models.notification_channel import NotificationChannel

T = TypeVar("T", bound="CategoryPreference")


@_attrs_define
class CategoryPreference:
    """
    Attributes:
        category (NotificationCategory): What a notification is about; preferences are kept per category.
        email (bool):
        sms (bool):
        push (bool):
        in_app (bool):
        locked_channels (list[NotificationChannel]): Channels that cannot be switched off for this category.
    """

    category: NotificationCategory
    email: bool
    sms: bool
    push: bool
    in_app: bool
    locked_channels: list[NotificationChannel]

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        email = self.email

        sms = self.sms

        push = self.push

        in_app = self.in_app

        locked_channels = []
        for locked_channels_item_data in self.locked_channels:
            locked_channels_item = locked_channels_item_data.value
            locked_channels.append(locked_channels_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "email": email,
                "sms": sms,
                "push": push,
                "in_app": in_app,
                "locked_channels": locked_channels,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = NotificationCategory(d.pop("category"))

        email = d.pop("email")

        sms = d.pop("sms")

        push = d.pop("push")

        in_app = d.pop("in_app")

        locked_channels = []
        _locked_channels = d.pop("locked_channels")
        for locked_channels_item_data in _locked_channels:
            locked_channels_item = NotificationChannel(locked_channels_item_data)

            locked_channels.append(locked_channels_item)

        category_preference = cls(
            category=category,
            email=email,
            sms=sms,
            push=push,
            in_app=in_app,
            locked_channels=locked_channels,
        )

        return category_preference
