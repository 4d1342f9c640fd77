"""KYC of DARCA ID: levels, checks decided by a provider, and the status history.

Other core services ask for a user's level with `kyc_level(ctx, user_id)`.
"""

from .service import kyc_level

__all__ = ["kyc_level"]
