import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ledger_statement import LedgerStatement
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    json_start = start.isoformat()
    params["start"] = json_start

    json_end = end.isoformat()
    params["end"] = json_end

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledger/accounts/{account_id}/statement".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LedgerStatement | Problem | None:
    if response.status_code == 200:
        response_200 = LedgerStatement.from_dict(response.json())

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
) -> Response[LedgerStatement | Problem]:
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
    start: datetime.datetime,
    end: datetime.datetime,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerStatement | Problem]:
    """Account statement

     Opening and closing balance of a period, its debit and credit totals, and its entries oldest first
    (cursor-paginated; totals always cover the whole period).

    Args:
        account_id (str): Ledger account id.
        start (datetime.datetime):
        end (datetime.datetime):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerStatement | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        start=start,
        end=end,
        limit=limit,
        cursor=cursor,
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
    start: datetime.datetime,
    end: datetime.datetime,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> LedgerStatement | Problem | None:
    """Account statement

     Opening and closing balance of a period, its debit and credit totals, and its entries oldest first
    (cursor-paginated; totals always cover the whole period).

    Args:
        account_id (str): Ledger account id.
        start (datetime.datetime):
        end (datetime.datetime):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerStatement | Problem
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        start=start,
        end=end,
        limit=limit,
        cursor=cursor,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[LedgerStatement | Problem]:
    """Account statement

     Opening and closing balance of a period, its debit and credit totals, and its entries oldest first
    (cursor-paginated; totals always cover the whole period).

    Args:
        account_id (str): Ledger account id.
        start (datetime.datetime):
        end (datetime.datetime):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerStatement | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        start=start,
        end=end,
        limit=limit,
        cursor=cursor,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> LedgerStatement | Problem | None:
    """Account statement

     Opening and closing balance of a period, its debit and credit totals, and its entries oldest first
    (cursor-paginated; totals always cover the whole period).

    Args:
        account_id (str): Ledger account id.
        start (datetime.datetime):
        end (datetime.datetime):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerStatement | Problem
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            start=start,
            end=end,
            limit=limit,
            cursor=cursor,
            x_request_id=x_request_id,
        )
    ).parsed
