from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.step_up_required_problem import StepUpRequiredProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_step_up_id, Unset):
        headers["X-Step-Up-Id"] = x_step_up_id

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/mfa/totp",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | StepUpRequiredProblem | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = StepUpRequiredProblem.from_dict(response.json())

        return response_403

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
) -> Response[Any | Problem | StepUpRequiredProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Any | Problem | StepUpRequiredProblem]:
    """Disable TOTP

     Removes the caller's authenticator app and recovery codes. Requires a VERIFIED step-up for the
    action `identity.totp.disable` passed in `X-Step-Up-Id` (create it with `POST /v1/step-ups`, verify
    it with a TOTP or recovery code); without one the answer is 403 `STEP_UP_REQUIRED` whose `action`
    and `methods` members say what to do. The step-up is consumed. Publishes
    `darca.identity.mfa_disabled.v1`.

    Args:
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Any | Problem | StepUpRequiredProblem | None:
    """Disable TOTP

     Removes the caller's authenticator app and recovery codes. Requires a VERIFIED step-up for the
    action `identity.totp.disable` passed in `X-Step-Up-Id` (create it with `POST /v1/step-ups`, verify
    it with a TOTP or recovery code); without one the answer is 403 `STEP_UP_REQUIRED` whose `action`
    and `methods` members say what to do. The step-up is consumed. Publishes
    `darca.identity.mfa_disabled.v1`.

    Args:
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | StepUpRequiredProblem
    """

    return sync_detailed(
        client=client,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Any | Problem | StepUpRequiredProblem]:
    """Disable TOTP

     Removes the caller's authenticator app and recovery codes. Requires a VERIFIED step-up for the
    action `identity.totp.disable` passed in `X-Step-Up-Id` (create it with `POST /v1/step-ups`, verify
    it with a TOTP or recovery code); without one the answer is 403 `STEP_UP_REQUIRED` whose `action`
    and `methods` members say what to do. The step-up is consumed. Publishes
    `darca.identity.mfa_disabled.v1`.

    Args:
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Any | Problem | StepUpRequiredProblem | None:
    """Disable TOTP

     Removes the caller's authenticator app and recovery codes. Requires a VERIFIED step-up for the
    action `identity.totp.disable` passed in `X-Step-Up-Id` (create it with `POST /v1/step-ups`, verify
    it with a TOTP or recovery code); without one the answer is 403 `STEP_UP_REQUIRED` whose `action`
    and `methods` members say what to do. The step-up is consumed. Publishes
    `darca.identity.mfa_disabled.v1`.

    Args:
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | StepUpRequiredProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            x_step_up_id=x_step_up_id,
            x_request_id=x_request_id,
        )
    ).parsed
