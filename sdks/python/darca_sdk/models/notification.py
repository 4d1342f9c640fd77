from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.notification_category import NotificationCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="Notification")


@_attrs_define
class Notification:
    """An item of the caller's in-app inbox.

    Attributes:
        id (str): Notification id.
        category (NotificationCategory): What a notification is about; preferences are kept per category.
        event_type (str): The event the notification is about, such as `identity.verification_code`.
        title (str):
        body (str):
        created_at (datetime.datetime):
        read (bool):
        read_at (datetime.datetime | Unset): When it was first marked read; absent while unread.
    """

    id: str
    category: NotificationCategory
    event_type: str
    title: str
    body: str
    created_at: datetime.datetime
    read: bool
    read_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        category = self.category.value

        event_type = self.event_type

        title = self.title

        body = self.body

        created_at = self.created_at.isoformat()

        read = self.read

        read_at: str | Unset = UNSET
        if not isinstance(self.read_at, Unset):
            read_at = self.read_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "category": category,
                "event_type": event_type,
                "title": title,
                "body": body,
                "created_at": created_at,
                "read": read,
            }
        )
        if read_at is not UNSET:
            field_dict["read_at"] = read_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        category = NotificationCategory(d.pop("category"))

        event_type = d.pop("event_type")

        title = d.pop("title")

        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        read = d.pop("read")

        _read_at = d.pop("read_at", UNSET)
        read_at: datetime.datetime | Unset
        if isinstance(_read_at, Unset):
            read_at = UNSET
        else:
            read_at = datetime.datetime.fromisoformat(_read_at)

        notification = cls(
            id=id,
            category=category,
            event_type=event_type,
            title=title,
            body=body,
            created_at=created_at,
            read=read,
            read_at=read_at,
        )

        return notification
