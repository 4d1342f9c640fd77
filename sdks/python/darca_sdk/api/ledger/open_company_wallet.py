from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ledger_account import LedgerAccount
from ...models.problem import Problem
from ...models.wallet_opening import WalletOpening
from ...types import UNSET, Response, Unset


def _get_kwargs(
    company_id: str,
    *,
    body: WalletOpening,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/companies/{company_id}/wallets".format(
            company_id=quote(str(company_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LedgerAccount | Problem | None:
    if response.status_code == 201:
        response_201 = LedgerAccount.from_dict(response.json())

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
) -> Response[LedgerAccount | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: WalletOpening,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerAccount | Problem]:
    """Open a company wallet

     Opens a wallet of the company in an asset of the registry. The policy decides (`wallet.open`):
    owners and admins may, other members get 403 `FORBIDDEN`, anybody else 404 `COMPANY_NOT_FOUND`. An
    unknown or disabled asset is 422 `ASSET_NOT_FOUND` / `ASSET_DISABLED`; a second wallet in the same
    asset is 409 `WALLET_ALREADY_EXISTS`. Publishes `darca.wallets.wallet_opened.v1`.

    Args:
        company_id (str):
        idempotency_key (str):
        x_request_id (str | Unset):
        body (WalletOpening):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerAccount | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: WalletOpening,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> LedgerAccount | Problem | None:
    """Open a company wallet

     Opens a wallet of the company in an asset of the registry. The policy decides (`wallet.open`):
    owners and admins may, other members get 403 `FORBIDDEN`, anybody else 404 `COMPANY_NOT_FOUND`. An
    unknown or disabled asset is 422 `ASSET_NOT_FOUND` / `ASSET_DISABLED`; a second wallet in the same
    asset is 409 `WALLET_ALREADY_EXISTS`. Publishes `darca.wallets.wallet_opened.v1`.

    Args:
        company_id (str):
        idempotency_key (str):
        x_request_id (str | Unset):
        body (WalletOpening):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerAccount | Problem
    """

    return sync_detailed(
        company_id=company_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: WalletOpening,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerAccount | Problem]:
    """Open a company wallet

     Opens a wallet of the company in an asset of the registry. The policy decides (`wallet.open`):
    owners and admins may, other members get 403 `FORBIDDEN`, anybody else 404 `COMPANY_NOT_FOUND`. An
    unknown or disabled asset is 422 `ASSET_NOT_FOUND` / `ASSET_DISABLED`; a second wallet in the same
    asset is 409 `WALLET_ALREADY_EXISTS`. Publishes `darca.wallets.wallet_opened.v1`.

    Args:
        company_id (str):
        idempotency_key (str):
        x_request_id (str | Unset):
        body (WalletOpening):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerAccount | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: WalletOpening,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> LedgerAccount | Problem | None:
    """Open a company wallet

     Opens a wallet of the company in an asset of the registry. The policy decides (`wallet.open`):
    owners and admins may, other members get 403 `FORBIDDEN`, anybody else 404 `COMPANY_NOT_FOUND`. An
    unknown or disabled asset is 422 `ASSET_NOT_FOUND` / `ASSET_DISABLED`; a second wallet in the same
    asset is 409 `WALLET_ALREADY_EXISTS`. Publishes `darca.wallets.wallet_opened.v1`.

    Args:
        company_id (str):
        idempotency_key (str):
        x_request_id (str | Unset):
        body (WalletOpening):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerAccount | Problem
    """

    return (
        await asyncio_detailed(
            company_id=company_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_request_id=x_request_id,
        )
    ).parsed
