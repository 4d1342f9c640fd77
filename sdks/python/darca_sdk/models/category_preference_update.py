from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.notification_category import NotificationCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="CategoryPreferenceUpdate")


@_attrs_define
class CategoryPreferenceUpdate:
    """
    Attributes:
        category (NotificationCategory): What a notification is about; preferences are kept per category.
        email (bool | Unset):
        sms (bool | Unset):
        push (bool | Unset):
        in_app (bool | Unset):
    """

    category: NotificationCategory
    email: bool | Unset = UNSET
    sms: bool | Unset = UNSET
    push: bool | Unset = UNSET
    in_app: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        email = self.email

        sms = self.sms

        push = self.push

        in_app = self.in_app

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if sms is not UNSET:
            field_dict["sms"] = sms
        if push is not UNSET:
            field_dict["push"] = push
        if in_app is not UNSET:
            field_dict["in_app"] = in_app

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = NotificationCategory(d.pop("category"))

        email = d.pop("email", UNSET)

        sms = d.pop("sms", UNSET)

        push = d.pop("push", UNSET)

        in_app = d.pop("in_app", UNSET)

        category_preference_update = cls(
            category=category,
            email=email,
            sms=sms,
            push=push,
            in_app=in_app,
        )

        return category_preference_update
