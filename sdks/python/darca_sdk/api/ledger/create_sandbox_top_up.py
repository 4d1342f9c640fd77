from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ledger_transaction import LedgerTransaction
from ...models.problem import Problem
from ...models.sandbox_top_up_create import SandboxTopUpCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SandboxTopUpCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sandbox/top-ups",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LedgerTransaction | Problem | None:
    if response.status_code == 201:
        response_201 = LedgerTransaction.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LedgerTransaction | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SandboxTopUpCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerTransaction | Problem]:
    """Top up a wallet (sandbox only)

     Credits a wallet from the external-world account so frontends and tests can fund wallets. Exists
    only when the platform runs in the SANDBOX environment; in PRODUCTION it is refused with 403
    `SANDBOX_ONLY`. People top up their own wallets; for a company's wallet the policy decides
    (`money.credit`): owners and admins may, other members who can read the account get 403 `FORBIDDEN`,
    and anybody else 404 `ACCOUNT_NOT_FOUND`. Company API keys cannot top up. The operator key may top
    up any wallet. One top-up is at most the asset's ceiling: `sandbox_top_up_max` in the asset
    registry, or 1,000,000 whole units of the asset when the registry names none (EUR 1000000.00, JPY
    100000000, BTC 100.00000000); above it, 422 `TOP_UP_LIMIT_EXCEEDED` on `body.amount.amount`. A
    balance the ledger cannot hold (beyond 38 digits of minor units) is 422 `AMOUNT_OUT_OF_RANGE`.
    Publishes `darca.ledger.transaction_posted.v1` and `darca.ledger.balance_changed.v1`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (SandboxTopUpCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerTransaction | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SandboxTopUpCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> LedgerTransaction | Problem | None:
    """Top up a wallet (sandbox only)

     Credits a wallet from the external-world account so frontends and tests can fund wallets. Exists
    only when the platform runs in the SANDBOX environment; in PRODUCTION it is refused with 403
    `SANDBOX_ONLY`. People top up their own wallets; for a company's wallet the policy decides
    (`money.credit`): owners and admins may, other members who can read the account get 403 `FORBIDDEN`,
    and anybody else 404 `ACCOUNT_NOT_FOUND`. Company API keys cannot top up. The operator key may top
    up any wallet. One top-up is at most the asset's ceiling: `sandbox_top_up_max` in the asset
    registry, or 1,000,000 whole units of the asset when the registry names none (EUR 1000000.00, JPY
    100000000, BTC 100.00000000); above it, 422 `TOP_UP_LIMIT_EXCEEDED` on `body.amount.amount`. A
    balance the ledger cannot hold (beyond 38 digits of minor units) is 422 `AMOUNT_OUT_OF_RANGE`.
    Publishes `darca.ledger.transaction_posted.v1` and `darca.ledger.balance_changed.v1`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (SandboxTopUpCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerTransaction | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SandboxTopUpCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerTransaction | Problem]:
    """Top up a wallet (sandbox only)

     Credits a wallet from the external-world account so frontends and tests can fund wallets. Exists
    only when the platform runs in the SANDBOX environment; in PRODUCTION it is refused with 403
    `SANDBOX_ONLY`. People top up their own wallets; for a company's wallet the policy decides
    (`money.credit`): owners and admins may, other members who can read the account get 403 `FORBIDDEN`,
    and anybody else 404 `ACCOUNT_NOT_FOUND`. Company API keys cannot top up. The operator key may top
    up any wallet. One top-up is at most the asset's ceiling: `sandbox_top_up_max` in the asset
    registry, or 1,000,000 whole units of the asset when the registry names none (EUR 1000000.00, JPY
    100000000, BTC 100.00000000); above it, 422 `TOP_UP_LIMIT_EXCEEDED` on `body.amount.amount`. A
    balance the ledger cannot hold (beyond 38 digits of minor units) is 422 `AMOUNT_OUT_OF_RANGE`.
    Publishes `darca.ledger.transaction_posted.v1` and `darca.ledger.balance_changed.v1`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (SandboxTopUpCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerTransaction | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SandboxTopUpCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> LedgerTransaction | Problem | None:
    """Top up a wallet (sandbox only)

     Credits a wallet from the external-world account so frontends and tests can fund wallets. Exists
    only when the platform runs in the SANDBOX environment; in PRODUCTION it is refused with 403
    `SANDBOX_ONLY`. People top up their own wallets; for a company's wallet the policy decides
    (`money.credit`): owners and admins may, other members who can read the account get 403 `FORBIDDEN`,
    and anybody else 404 `ACCOUNT_NOT_FOUND`. Company API keys cannot top up. The operator key may top
    up any wallet. One top-up is at most the asset's ceiling: `sandbox_top_up_max` in the asset
    registry, or 1,000,000 whole units of the asset when the registry names none (EUR 1000000.00, JPY
    100000000, BTC 100.00000000); above it, 422 `TOP_UP_LIMIT_EXCEEDED` on `body.amount.amount`. A
    balance the ledger cannot hold (beyond 38 digits of minor units) is 422 `AMOUNT_OUT_OF_RANGE`.
    Publishes `darca.ledger.transaction_posted.v1` and `darca.ledger.balance_changed.v1`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (SandboxTopUpCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerTransaction | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_request_id=x_request_id,
        )
    ).parsed
