from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.category_preference_update import CategoryPreferenceUpdate


T = TypeVar("T", bound="NotificationPreferencesUpdate")


@_attrs_define
class NotificationPreferencesUpdate:
    """
    Attributes:
        categories (list[CategoryPreferenceUpdate]):
    """

    categories: list[CategoryPreferenceUpdate]

    def to_dict(self) -> dict[str, Any]:
        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "categories": categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_preference_update import CategoryPreferenceUpdate  # noqa: PLC0415

        d = dict(src_dict)
        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = CategoryPreferenceUpdate.from_dict(categories_item_data)

            categories.append(categories_item)

        notification_preferences_update = cls(
            categories=categories,
        )

        return notification_preferences_update
