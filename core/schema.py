"""Every table of the Core, gathered for migrations (Alembic's target metadata)."""

from sqlmodel import SQLModel

from core.assets import tables as _assets  # noqa: F401
from core.audit import tables as _audit  # noqa: F401
from core.identity.companies import tables as _identity_companies  # noqa: F401
from core.identity.devices import tables as _identity_devices  # noqa: F401
from core.identity.kyc import tables as _identity_kyc  # noqa: F401
from core.identity.mfa import tables as _identity_mfa  # noqa: F401
from core.identity.passkeys import tables as _identity_passkeys  # noqa: F401
from core.identity.sessions import tables as _identity_sessions  # noqa: F401
from core.identity.throttle import tables as _identity_throttle  # noqa: F401
from core.identity.users import tables as _identity_users  # noqa: F401
from core.ledger import tables as _ledger  # noqa: F401
from core.notifications import tables as _notifications  # noqa: F401
from core.platform import tables as _platform  # noqa: F401
from core.policy import tables as _policy  # noqa: F401

metadata = SQLModel.metadata
