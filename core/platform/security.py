"""Who is calling: credentials to a principal, and the contract's security requirements enforced.

Issue-2 scope: the operator API key (`platform:admin`). Bearer tokens are issued by DARCA ID
and plug in through `Authenticator.bearer` when identity exists.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from .problems import ProblemError


@dataclass(frozen=True)
class Principal:
    id: str
    kind: str  # OPERATOR | USER | API_KEY | SERVICE (a gRPC caller) | ANONYMOUS
    scopes: frozenset[str] = field(default_factory=frozenset)
    session_id: str | None = None  # the DARCA ID session of a USER bearer token
    aal: str | None = None  # authenticator assurance level of that session: AAL1 | AAL2
    device_id: str | None = None  # the device the session is bound to
    company_id: str | None = None  # the company an API_KEY principal acts for


ANONYMOUS = Principal("anonymous", "ANONYMOUS")

BearerResolver = Callable[[str], Awaitable[Principal | None]]
ApiKeyResolver = Callable[[str], Awaitable[Principal | None]]  # a company key -> API_KEY principal


def unauthenticated(detail: str, scheme: str = "ApiKey") -> ProblemError:
    return ProblemError(401, "UNAUTHENTICATED", "Authentication required", detail,
                        headers={"WWW-Authenticate": scheme})


class Authenticator:
    def __init__(self, operator_api_key: str | None, bearer: BearerResolver | None = None,
                 api_key: ApiKeyResolver | None = None) -> None:
        self.operator_api_key = operator_api_key
        self.bearer = bearer
        self.api_key = api_key

    async def _resolve(self, scheme: str, headers: Mapping[str, str]) -> Principal | None:
        if scheme == "apiKeyAuth":
            presented = headers.get("x-api-key")
            if presented is None:
                return None
            if self.operator_api_key and hmac.compare_digest(presented.encode(), self.operator_api_key.encode()):
                return Principal("operator", "OPERATOR", frozenset({"platform:admin"}))
            principal = await self.api_key(presented) if self.api_key else None
            if principal is None:
                raise unauthenticated("The API key is not valid.")
            return principal
        if scheme == "bearerAuth":
            authorization = headers.get("authorization", "")
            if not authorization.lower().startswith("bearer "):
                return None
            principal = await self.bearer(authorization[7:].strip()) if self.bearer else None
            if principal is None:
                raise unauthenticated("The access token is not valid.", "Bearer")
            return principal
        return None

    async def authenticate(
        self, requirements: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...], headers: Mapping[str, str]
    ) -> Principal:
        """Satisfy one of the alternative requirements, or refuse with 401/403."""
        if not requirements or any(len(req) == 0 for req in requirements):
            return ANONYMOUS
        insufficient = False
        for requirement in requirements:
            principals = []
            for scheme, scopes in requirement:
                principal = await self._resolve(scheme, headers)
                if principal is None:
                    break
                if not set(scopes) <= principal.scopes:
                    insufficient = True
                    break
                principals.append(principal)
            else:
                return principals[0]
        if insufficient:
            raise ProblemError(403, "FORBIDDEN", "Forbidden", "The credentials do not grant this operation.")
        schemes = sorted({scheme for req in requirements for scheme, _ in req})
        raise unauthenticated(
            f"This operation needs credentials ({', '.join(schemes)}).",
            "Bearer" if schemes == ["bearerAuth"] else "ApiKey",
        )
