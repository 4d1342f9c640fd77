"""Company API keys: issued once as `dk_live_<id>.<secret>`, kept as the SHA-256 of the 256-bit secret,
and resolved to an API_KEY principal by the authenticator's `apiKeyAuth` scheme."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.audit.api import AuditEntry, record
from core.identity.companies import errors
from core.identity.companies.repository import CompanyRepository
from core.identity.companies.service import CompanyService
from core.identity.companies.tables import CompanyApiKeyRow
from core.identity.devices.stepup import require_step_up
from core.identity.passkeys.factor import PasskeySecondFactor
from core.identity.principal_cache import PrincipalCache, api_key_revoked, api_key_subject
from core.platform.clock import as_utc, utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.revocations import RevocationFeed
from core.platform.security import Principal
from core.policy.api import Target
from generated.asyncapi import events

CREATE_ACTION = "identity.api_key.create"

PREFIX = "dk_live_"
SCOPES = ("company:read", "ledger:read", "reports:read", "payments:write")
KEY_PATTERN = re.compile(r"dk_live_(apk_[0-9a-z]{26})\.([A-Za-z0-9_-]{43})")
LAST_USED_EVERY = timedelta(minutes=1)  # at most one write per key per minute for `last_used_at`


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def prefix_of(row: CompanyApiKeyRow) -> str:
    return PREFIX + row.id


@dataclass(frozen=True)
class IssuedKey:
    row: CompanyApiKeyRow
    secret: str  # the whole key; never stored, never shown again


class ApiKeyService(CompanyService):
    """Creating, listing and revoking the keys of a company (owners and admins, by policy)."""

    async def create_key(self, company_id: str, name: str, scopes: list[str], expires_at: datetime | None,
                         step_up_id: str | None = None) -> IssuedKey:
        await self.gate.allow(company_id, "api_key.create", Target("ApiKey", "new", company_id))
        # a key outlives the session: from a new, untrusted device it takes a fresh second factor
        await require_step_up(self.ctx, CREATE_ACTION, step_up_id, PasskeySecondFactor(self.ctx))
        now = utcnow()
        if expires_at is not None:
            expires_at = as_utc(expires_at)
            if expires_at <= now:
                raise errors.expiry_in_past()
        secret = secrets.token_urlsafe(32)  # 256 bits
        row = CompanyApiKeyRow(id=new_id("apk"), company_id=company_id, name=name, secret_hash=_hash(secret),
                               scopes=sorted(set(scopes)), created_by=self.me, created_at=now, expires_at=expires_at)
        self.repository.add(row)
        await self.repository.flush()
        self.ctx.events.api_key_created(
            events.ApiKeyCreatedData(company_id=company_id, api_key_id=row.id, scopes=row.scopes, created_by=self.me),
            subject=company_id, partition_key=company_id)
        await self._audit("api_key_created", row.id, company_id=company_id, scopes=row.scopes)
        return IssuedKey(row, f"{PREFIX}{row.id}.{secret}")

    async def list_keys(self, company_id: str) -> list[CompanyApiKeyRow]:
        await self.gate.allow(company_id, "api_key.list")
        return await self.repository.api_keys(company_id)

    async def revoke_key(self, company_id: str, api_key_id: str) -> None:
        await self.gate.allow(company_id, "api_key.revoke", Target("ApiKey", api_key_id, company_id))
        row = await self.repository.api_key(api_key_id, for_update=True)
        if row is None or row.company_id != company_id:
            raise errors.api_key_not_found(api_key_id)
        if row.revoked_at is not None:
            return  # revoking twice changes nothing
        row.revoked_at = utcnow()
        row.revoked_by = self.me
        self.repository.add(row)
        await self.repository.flush()
        await api_key_revoked(self.session, row.id)
        self.ctx.events.api_key_revoked(
            events.ApiKeyRevokedData(company_id=company_id, api_key_id=row.id, revoked_by=self.me),
            subject=company_id, partition_key=company_id)
        await self._audit("api_key_revoked", row.id, company_id=company_id)


@dataclass(frozen=True, slots=True)
class KnownKey:
    """What the resolver needs of a key row (cached by `ApiKeyResolver`)."""

    secret_hash: str
    principal: Principal
    expires_at: datetime | None
    revoked: bool
    last_used_at: datetime | None

    def usable(self, now: datetime) -> bool:
        return not self.revoked and (self.expires_at is None or self.expires_at > now)

    def use_is_due(self, now: datetime) -> bool:
        return self.last_used_at is None or now - self.last_used_at >= LAST_USED_EVERY


def _known(row: CompanyApiKeyRow) -> KnownKey:
    return KnownKey(row.secret_hash, Principal(row.id, "API_KEY", frozenset(row.scopes), company_id=row.company_id),
                    as_utc(row.expires_at) if row.expires_at is not None else None, row.revoked_at is not None,
                    as_utc(row.last_used_at) if row.last_used_at is not None else None)


class ApiKeyResolver:
    """`X-API-Key` value -> API_KEY principal, or None (unknown, malformed, revoked or expired). Keys are
    cached (ADR 0015); the database is read again when the cache cannot vouch for a key, or when a use is
    due to be recorded (`last_used_at` and an audit entry, at most every LAST_USED_EVERY)."""

    def __init__(self, db: Database, feed: RevocationFeed | None = None) -> None:
        self.db = db
        self.keys: PrincipalCache[KnownKey] = PrincipalCache("api_key", feed or RevocationFeed(db.url))

    async def __call__(self, presented: str) -> Principal | None:
        match = KEY_PATTERN.fullmatch(presented)
        if match is None:
            return None
        key_id, secret = match.groups()
        secret_hash, now = _hash(secret), utcnow()
        known = self.keys.get(api_key_subject(key_id))
        if known is None or (known.use_is_due(now) and known.usable(now)
                             and hmac.compare_digest(known.secret_hash, secret_hash)):
            known = await self._read(key_id, secret_hash, now)
        if known is None or not hmac.compare_digest(known.secret_hash, secret_hash) or not known.usable(now):
            return None
        return known.principal

    async def _read(self, key_id: str, secret_hash: str, now: datetime) -> KnownKey | None:
        """The key from the database, recording this use when one is due."""
        ticket = self.keys.ticket()
        async with self.db.unit_of_work() as session:
            row = await CompanyRepository(session).api_key(key_id)
            if row is None:
                return None
            known = _known(row)
            if hmac.compare_digest(row.secret_hash, secret_hash) and known.usable(now) and known.use_is_due(now):
                row.last_used_at = now
                session.add(row)
                await record(session, AuditEntry(actor_id=row.id, actor_kind="API_KEY",
                                                 action="identity.company.api_key_used", result="SUCCESS",
                                                 target=row.company_id))
                known = replace(known, last_used_at=now)
        self.keys.put(api_key_subject(key_id), known, ticket, final=known.revoked)
        return known
