"""Access tokens: EdDSA (Ed25519) JWTs with a pinned algorithm, `iss`/`aud`/`exp`/`kid`, keys kept in the
database and published as a JWK Set; plus the bearer resolver the authenticator calls."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import timedelta

import jwt
from cachetools import TTLCache
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.principal_cache import PrincipalCache, session_subject, user_subject
from core.identity.sessions.repository import SessionRepository
from core.identity.sessions.tables import SigningKeyRow
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.revocations import RevocationFeed
from core.platform.security import Principal

ALGORITHM = "EdDSA"  # the only algorithm accepted: no "none", no HMAC with a public key
ISSUER = "darca-id"
AUDIENCE = "darca-api"
ACCESS_TTL = timedelta(minutes=15)
USER_SCOPES = ("user",)
VERIFIED_TOKENS = 10_000  # claims of recently verified tokens kept (least recently used go first)


def _new_key() -> SigningKeyRow:
    private = Ed25519PrivateKey.generate()
    return SigningKeyRow(
        kid=new_id("key"), algorithm=ALGORITHM, created_at=utcnow(),
        private_pem=private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()).decode(),
        public_pem=private.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
    )


async def current_key(session: AsyncSession) -> SigningKeyRow:
    """The newest unretired key, created on first use."""
    repository = SessionRepository(session)
    row = await repository.newest_signing_key()
    if row is None:
        row = _new_key()
        await repository.add(row, flush=True)
    return row


async def rotate_keys(session: AsyncSession) -> SigningKeyRow:
    """A new signing key; the previous ones are retired but still verify until their tokens expire."""
    now = utcnow()
    repository = SessionRepository(session)
    for row in await repository.unretired_signing_keys():
        row.retired_at = now
        await repository.add(row)
    row = _new_key()
    await repository.add(row, flush=True)
    return row


async def published_keys(session: AsyncSession) -> list[dict[str, str]]:
    """JWKs of every key that can still verify a live token."""
    oldest_live = utcnow() - ACCESS_TTL
    rows = await SessionRepository(session).signing_keys()
    keys = []
    for row in rows:
        if row.retired_at is not None and row.retired_at < oldest_live:
            continue
        public = serialization.load_pem_public_key(row.public_pem.encode())
        jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(public))
        keys.append({"kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"], "kid": row.kid, "alg": ALGORITHM,
                     "use": "sig"})
    return keys


def issue_access_token(key: SigningKeyRow, *, user_id: str, session_id: str, aal: str) -> str:
    now = utcnow()
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": user_id, "sid": session_id, "aal": aal,
              "scope": " ".join(USER_SCOPES), "iat": int(now.timestamp()),
              "exp": int((now + ACCESS_TTL).timestamp()), "jti": new_id("jti")}
    private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
    return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": key.kid})


@dataclass(frozen=True, slots=True)
class Verified:
    """What a verified access token says (kept by `BearerResolver` until the token expires)."""

    user_id: str
    session_id: str
    scopes: frozenset[str]
    exp: int


@dataclass(frozen=True, slots=True)
class LiveSession:
    """What the bearer check needs of a session row (cached by `BearerResolver`)."""

    user_id: str
    aal: str  # fixed for the session's life: elevation opens a new session
    device_id: str | None
    revoked: bool


class BearerResolver:
    """Access token -> USER principal, or None. Public keys are cached by kid (they never change), the
    claims of tokens that verified by the token itself (the same bytes verify the same way until they
    expire; refusals are not kept), and sessions in a `PrincipalCache` that every revocation reaches
    (ADR 0015)."""

    def __init__(self, db: Database, feed: RevocationFeed | None = None) -> None:
        self.db = db
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._verified: TTLCache[bytes, Verified] = TTLCache(VERIFIED_TOKENS, ACCESS_TTL.total_seconds())
        self.sessions: PrincipalCache[LiveSession] = PrincipalCache("bearer", feed or RevocationFeed(db.url))

    async def _key(self, kid: str) -> Ed25519PublicKey | None:
        if kid not in self._keys:
            async with self.db.unit_of_work() as session:
                row = await SessionRepository(session).signing_key(kid)
            if row is None:
                return None
            key = serialization.load_pem_public_key(row.public_pem.encode())
            assert isinstance(key, Ed25519PublicKey)
            self._keys[kid] = key
        return self._keys[kid]

    async def _session(self, session_id: str) -> LiveSession | None:
        subject = session_subject(session_id)
        live = self.sessions.get(subject)
        if live is not None:
            return live
        ticket = self.sessions.ticket()
        async with self.db.unit_of_work() as session:
            row = await SessionRepository(session).get(session_id)
        if row is None:
            return None
        live = LiveSession(row.user_id, row.aal, row.device_id, revoked=row.revoked_at is not None)
        self.sessions.put(subject, live, ticket, owner=user_subject(row.user_id), final=live.revoked)
        return live

    async def _claims(self, token: str) -> Verified | None:
        digest = hashlib.sha256(token.encode()).digest()
        known = self._verified.get(digest)
        if known is not None and known.exp > time.time():  # the clock PyJWT checks `exp` with
            return known
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return None
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str) or len(kid) > 40:
            return None
        key = await self._key(kid)
        if key is None:
            return None
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                                options={"require": ["exp", "iat", "iss", "aud", "sub", "sid"]})
        except jwt.PyJWTError:
            return None
        known = Verified(str(claims["sub"]), str(claims["sid"]), frozenset(str(claims.get("scope", "")).split()),
                         int(claims["exp"]))
        self._verified[digest] = known
        return known

    async def __call__(self, token: str) -> Principal | None:
        claims = await self._claims(token)
        if claims is None:
            return None
        live = await self._session(claims.session_id)
        if live is None or live.revoked or live.user_id != claims.user_id:
            return None
        return Principal(live.user_id, "USER", claims.scopes, session_id=claims.session_id, aal=live.aal,
                         device_id=live.device_id)
