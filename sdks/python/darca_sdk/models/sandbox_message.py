from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.sandbox_message_channel import SandboxMessageChannel
from ..models.sandbox_message_status import SandboxMessageStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="SandboxMessage")


@_attrs_define
class SandboxMessage:
    """
    Attributes:
        id (str): Notification id.
        channel (SandboxMessageChannel):
        recipient (str): The email address or phone number (E.164) the message went to.
        event_type (str): The template, such as `identity.verification_code` or `identity.password_reset_code`.
        subject (str):
        body (str):
        status (SandboxMessageStatus): Delivery state (the dispatcher sends PENDING messages after the request
            committed).
        created_at (datetime.datetime):
        code (str | Unset): The one-time code the message carries (verification and password-reset messages).
    """

    id: str
    channel: SandboxMessageChannel
    recipient: str
    event_type: str
    subject: str
    body: str
    status: SandboxMessageStatus
    created_at: datetime.datetime
    code: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        channel = self.channel.value

        recipient = self.recipient

        event_type = self.event_type

        subject = self.subject

        body = self.body

        status = self.status.value

        created_at = self.created_at.isoformat()

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "channel": channel,
                "recipient": recipient,
                "event_type": event_type,
                "subject": subject,
                "body": body,
                "status": status,
                "created_at": created_at,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        channel = SandboxMessageChannel(d.pop("channel"))

        recipient = d.pop("recipient")

        event_type = d.pop("event_type")

        subject = d.pop("subject")

        body = d.pop("body")

        status = SandboxMessageStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        code = d.pop("code", UNSET)

        sandbox_message = cls(
            id=id,
            channel=channel,
            recipient=recipient,
            event_type=event_type,
            subject=subject,
            body=body,
            status=status,
            created_at=created_at,
            code=code,
        )

        return sandbox_message
