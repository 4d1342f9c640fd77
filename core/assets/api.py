"""Public facade of the asset registry for other core services and modules."""

from .service import SANDBOX_TOP_UP_DEFAULT_UNITS, AssetService, NewAsset, sandbox_top_up_max

__all__ = ["SANDBOX_TOP_UP_DEFAULT_UNITS", "AssetService", "NewAsset", "sandbox_top_up_max"]
