"""Public facade of the asset registry for other core services and modules."""

from .service import AssetService, NewAsset

__all__ = ["AssetService", "NewAsset"]
