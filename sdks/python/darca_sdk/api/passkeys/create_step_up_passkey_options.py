from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.passkey_authentication_options import PasskeyAuthenticationOptions
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    step_up_id: str,
    *,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/step-ups/{step_up_id}/passkey-options".format(
            step_up_id=quote(str(step_up_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PasskeyAuthenticationOptions | Problem | None:
    if response.status_code == 200:
        response_200 = PasskeyAuthenticationOptions.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[PasskeyAuthenticationOptions | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,
) -> Response[PasskeyAuthenticationOptions | Problem]:
    """Passkey options for a step-up

     Returns `PublicKeyCredentialRequestOptions` (user verification required, the caller's passkeys in
    `allowCredentials`) whose challenge is bound to the caller's step-up challenge; send the assertion
    to `verifyStepUp`. Another user's or an unknown step-up is 404 `STEP_UP_NOT_FOUND`; a step-up that
    is no longer pending is 409 `STEP_UP_NOT_PENDING`; a caller without passkeys is 409
    `PASSKEY_NONE_REGISTERED`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasskeyAuthenticationOptions | Problem]
    """

    kwargs = _get_kwargs(
        step_up_id=step_up_id,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,
) -> PasskeyAuthenticationOptions | Problem | None:
    """Passkey options for a step-up

     Returns `PublicKeyCredentialRequestOptions` (user verification required, the caller's passkeys in
    `allowCredentials`) whose challenge is bound to the caller's step-up challenge; send the assertion
    to `verifyStepUp`. Another user's or an unknown step-up is 404 `STEP_UP_NOT_FOUND`; a step-up that
    is no longer pending is 409 `STEP_UP_NOT_PENDING`; a caller without passkeys is 409
    `PASSKEY_NONE_REGISTERED`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasskeyAuthenticationOptions | Problem
    """

    return sync_detailed(
        step_up_id=step_up_id,
        client=client,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,
) -> Response[PasskeyAuthenticationOptions | Problem]:
    """Passkey options for a step-up

     Returns `PublicKeyCredentialRequestOptions` (user verification required, the caller's passkeys in
    `allowCredentials`) whose challenge is bound to the caller's step-up challenge; send the assertion
    to `verifyStepUp`. Another user's or an unknown step-up is 404 `STEP_UP_NOT_FOUND`; a step-up that
    is no longer pending is 409 `STEP_UP_NOT_PENDING`; a caller without passkeys is 409
    `PASSKEY_NONE_REGISTERED`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasskeyAuthenticationOptions | Problem]
    """

    kwargs = _get_kwargs(
        step_up_id=step_up_id,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    x_request_id: str | Unset = UNSET,
) -> PasskeyAuthenticationOptions | Problem | None:
    """Passkey options for a step-up

     Returns `PublicKeyCredentialRequestOptions` (user verification required, the caller's passkeys in
    `allowCredentials`) whose challenge is bound to the caller's step-up challenge; send the assertion
    to `verifyStepUp`. Another user's or an unknown step-up is 404 `STEP_UP_NOT_FOUND`; a step-up that
    is no longer pending is 409 `STEP_UP_NOT_PENDING`; a caller without passkeys is 409
    `PASSKEY_NONE_REGISTERED`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasskeyAuthenticationOptions | Problem
    """

    return (
        await asyncio_detailed(
            step_up_id=step_up_id,
            client=client,
            x_request_id=x_request_id,
        )
    ).parsed
