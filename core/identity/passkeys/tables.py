"""Tables of passkeys (WebAuthn credentials) and their single-use ceremony challenges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class PasskeyRow(SQLModel, table=True):
    """A registered WebAuthn credential of one user."""

    __tablename__ = "identity_passkeys"

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(max_length=40, index=True)
    name: str = Field(max_length=100)
    credential_id: str = Field(max_length=1400, unique=True)  # base64url; WebAuthn allows up to 1023 bytes
    public_key: str  # base64url of the COSE key
    # the authenticator's counter is an unsigned 32-bit number: beyond a PostgreSQL INTEGER
    sign_count: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    transports: str = Field(default="", max_length=200)  # comma-separated AuthenticatorTransport values
    aaguid: str = Field(max_length=36)
    device_type: str = Field(max_length=16)  # SINGLE_DEVICE | MULTI_DEVICE (backup eligible)
    backed_up: bool = False
    created_at: datetime = Field(sa_column=utc_column())
    last_used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # set when an assertion came with a counter that did not increase: a possibly cloned authenticator
    sign_count_regressed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class WebAuthnChallengeRow(SQLModel, table=True):
    """A challenge handed to the browser, by its SHA-256; good for one ceremony of one purpose."""

    __tablename__ = "identity_webauthn_challenges"

    id: str = Field(primary_key=True, max_length=40)
    purpose: str = Field(max_length=16)  # REGISTRATION | AUTHENTICATION | STEP_UP
    user_id: str | None = Field(default=None, max_length=40, index=True)
    step_up_id: str | None = Field(default=None, max_length=40, index=True)
    challenge_hash: str = Field(max_length=64, index=True)
    created_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
