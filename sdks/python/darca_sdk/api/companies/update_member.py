from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.member import Member
from ...models.member_update import MemberUpdate
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    company_id: str,
    user_id: str,
    *,
    body: MemberUpdate,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/companies/{company_id}/members/{user_id}".format(
            company_id=quote(str(company_id), safe=""),
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Member | Problem | None:
    if response.status_code == 200:
        response_200 = Member.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Member | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    company_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberUpdate,
    x_request_id: str | Unset = UNSET,
) -> Response[Member | Problem]:
    """Change a member's role or department

     Owners and admins only; granting, changing or removing the `OWNER` role needs an owner. Demoting the
    last owner is 409 `LAST_OWNER`. Publishes `darca.identity.member_role_changed.v1` when the role
    changes.

    Args:
        company_id (str):
        user_id (str):
        x_request_id (str | Unset):
        body (MemberUpdate): At least one of `role` and `department_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        user_id=user_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    company_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberUpdate,
    x_request_id: str | Unset = UNSET,
) -> Member | Problem | None:
    """Change a member's role or department

     Owners and admins only; granting, changing or removing the `OWNER` role needs an owner. Demoting the
    last owner is 409 `LAST_OWNER`. Publishes `darca.identity.member_role_changed.v1` when the role
    changes.

    Args:
        company_id (str):
        user_id (str):
        x_request_id (str | Unset):
        body (MemberUpdate): At least one of `role` and `department_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member | Problem
    """

    return sync_detailed(
        company_id=company_id,
        user_id=user_id,
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    company_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberUpdate,
    x_request_id: str | Unset = UNSET,
) -> Response[Member | Problem]:
    """Change a member's role or department

     Owners and admins only; granting, changing or removing the `OWNER` role needs an owner. Demoting the
    last owner is 409 `LAST_OWNER`. Publishes `darca.identity.member_role_changed.v1` when the role
    changes.

    Args:
        company_id (str):
        user_id (str):
        x_request_id (str | Unset):
        body (MemberUpdate): At least one of `role` and `department_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        user_id=user_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    company_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberUpdate,
    x_request_id: str | Unset = UNSET,
) -> Member | Problem | None:
    """Change a member's role or department

     Owners and admins only; granting, changing or removing the `OWNER` role needs an owner. Demoting the
    last owner is 409 `LAST_OWNER`. Publishes `darca.identity.member_role_changed.v1` when the role
    changes.

    Args:
        company_id (str):
        user_id (str):
        x_request_id (str | Unset):
        body (MemberUpdate): At least one of `role` and `department_id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member | Problem
    """

    return (
        await asyncio_detailed(
            company_id=company_id,
            user_id=user_id,
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
