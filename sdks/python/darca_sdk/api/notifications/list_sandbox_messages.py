from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sandbox_message_channel import SandboxMessageChannel
from ...models.sandbox_message_page import SandboxMessagePage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    recipient: str | Unset = UNSET,
    channel: SandboxMessageChannel | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["recipient"] = recipient

    json_channel: str | Unset = UNSET
    if not isinstance(channel, Unset):
        json_channel = channel.value

    params["channel"] = json_channel

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/sandbox/messages",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SandboxMessagePage | None:
    if response.status_code == 200:
        response_200 = SandboxMessagePage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | SandboxMessagePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    recipient: str | Unset = UNSET,
    channel: SandboxMessageChannel | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | SandboxMessagePage]:
    """Read the email and SMS the platform sent (sandbox only)

     Every email and SMS the platform sent (or is about to send), newest first, so that frontends and
    automated journeys can read one-time codes without a mailbox or a phone. `code` is the one-time code
    a verification or password-reset message carries. Filter by `recipient` (an email address, compared
    without letter case, or a phone number in international form) and `channel`. Exists only when the
    platform runs in the SANDBOX environment, where no real address belongs: it needs no credentials. In
    PRODUCTION it is refused with 403 `SANDBOX_ONLY`.

    Args:
        recipient (str | Unset):
        channel (SandboxMessageChannel | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SandboxMessagePage]
    """

    kwargs = _get_kwargs(
        recipient=recipient,
        channel=channel,
        limit=limit,
        cursor=cursor,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    recipient: str | Unset = UNSET,
    channel: SandboxMessageChannel | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Problem | SandboxMessagePage | None:
    """Read the email and SMS the platform sent (sandbox only)

     Every email and SMS the platform sent (or is about to send), newest first, so that frontends and
    automated journeys can read one-time codes without a mailbox or a phone. `code` is the one-time code
    a verification or password-reset message carries. Filter by `recipient` (an email address, compared
    without letter case, or a phone number in international form) and `channel`. Exists only when the
    platform runs in the SANDBOX environment, where no real address belongs: it needs no credentials. In
    PRODUCTION it is refused with 403 `SANDBOX_ONLY`.

    Args:
        recipient (str | Unset):
        channel (SandboxMessageChannel | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SandboxMessagePage
    """

    return sync_detailed(
        client=client,
        recipient=recipient,
        channel=channel,
        limit=limit,
        cursor=cursor,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    recipient: str | Unset = UNSET,
    channel: SandboxMessageChannel | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | SandboxMessagePage]:
    """Read the email and SMS the platform sent (sandbox only)

     Every email and SMS the platform sent (or is about to send), newest first, so that frontends and
    automated journeys can read one-time codes without a mailbox or a phone. `code` is the one-time code
    a verification or password-reset message carries. Filter by `recipient` (an email address, compared
    without letter case, or a phone number in international form) and `channel`. Exists only when the
    platform runs in the SANDBOX environment, where no real address belongs: it needs no credentials. In
    PRODUCTION it is refused with 403 `SANDBOX_ONLY`.

    Args:
        recipient (str | Unset):
        channel (SandboxMessageChannel | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SandboxMessagePage]
    """

    kwargs = _get_kwargs(
        recipient=recipient,
        channel=channel,
        limit=limit,
        cursor=cursor,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    recipient: str | Unset = UNSET,
    channel: SandboxMessageChannel | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Problem | SandboxMessagePage | None:
    """Read the email and SMS the platform sent (sandbox only)

     Every email and SMS the platform sent (or is about to send), newest first, so that frontends and
    automated journeys can read one-time codes without a mailbox or a phone. `code` is the one-time code
    a verification or password-reset message carries. Filter by `recipient` (an email address, compared
    without letter case, or a phone number in international form) and `channel`. Exists only when the
    platform runs in the SANDBOX environment, where no real address belongs: it needs no credentials. In
    PRODUCTION it is refused with 403 `SANDBOX_ONLY`.

    Args:
        recipient (str | Unset):
        channel (SandboxMessageChannel | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SandboxMessagePage
    """

    return (
        await asyncio_detailed(
            client=client,
            recipient=recipient,
            channel=channel,
            limit=limit,
            cursor=cursor,
            x_request_id=x_request_id,
        )
    ).parsed
