import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ledger_balance import LedgerBalance
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    as_of: datetime.datetime | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    json_as_of: str | Unset = UNSET
    if not isinstance(as_of, Unset):
        json_as_of = as_of.isoformat()
    params["as_of"] = json_as_of

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledger/accounts/{account_id}/balance".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LedgerBalance | Problem | None:
    if response.status_code == 200:
        response_200 = LedgerBalance.from_dict(response.json())

        return response_200

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
) -> Response[LedgerBalance | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerBalance | Problem]:
    """Get an account's balance

     Posted, pending (held) and available balance now; with `as_of`, the posted balance at that past
    instant (pending is then zero).

    Args:
        account_id (str): Ledger account id.
        as_of (datetime.datetime | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerBalance | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        as_of=as_of,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> LedgerBalance | Problem | None:
    """Get an account's balance

     Posted, pending (held) and available balance now; with `as_of`, the posted balance at that past
    instant (pending is then zero).

    Args:
        account_id (str): Ledger account id.
        as_of (datetime.datetime | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerBalance | Problem
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        as_of=as_of,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerBalance | Problem]:
    """Get an account's balance

     Posted, pending (held) and available balance now; with `as_of`, the posted balance at that past
    instant (pending is then zero).

    Args:
        account_id (str): Ledger account id.
        as_of (datetime.datetime | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerBalance | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        as_of=as_of,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> LedgerBalance | Problem | None:
    """Get an account's balance

     Posted, pending (held) and available balance now; with `as_of`, the posted balance at that past
    instant (pending is then zero).

    Args:
        account_id (str): Ledger account id.
        as_of (datetime.datetime | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerBalance | Problem
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            as_of=as_of,
            x_request_id=x_request_id,
        )
    ).parsed
