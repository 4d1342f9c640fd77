from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device import Device
from ...models.problem import Problem
from ...models.step_up_required_problem import StepUpRequiredProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    device_id: str,
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
        "method": "post",
        "url": "/v1/devices/{device_id}/trust".format(
            device_id=quote(str(device_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Device | Problem | StepUpRequiredProblem | None:
    if response.status_code == 200:
        response_200 = Device.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = StepUpRequiredProblem.from_dict(response.json())

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
) -> Response[Device | Problem | StepUpRequiredProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    device_id: str,
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Device | Problem | StepUpRequiredProblem]:
    """Trust one of my devices for 30 days

     Marks the device trusted until 30 days from now (trusting again extends it): a trusted device needs
    no step-up for being new. When the caller's own session is on a device that requires a step-up, the
    request must carry `X-Step-Up-Id`, a verified step-up for the action `identity.device.trust` (create
    it with `POST /v1/step-ups`, verify it, and it is consumed here); otherwise it is refused with 403
    `STEP_UP_REQUIRED`. A user without a second factor cannot step up, so trusts a new device from an
    older, trusted or enrolment device.

    Args:
        device_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Device | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    device_id: str,
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Device | Problem | StepUpRequiredProblem | None:
    """Trust one of my devices for 30 days

     Marks the device trusted until 30 days from now (trusting again extends it): a trusted device needs
    no step-up for being new. When the caller's own session is on a device that requires a step-up, the
    request must carry `X-Step-Up-Id`, a verified step-up for the action `identity.device.trust` (create
    it with `POST /v1/step-ups`, verify it, and it is consumed here); otherwise it is refused with 403
    `STEP_UP_REQUIRED`. A user without a second factor cannot step up, so trusts a new device from an
    older, trusted or enrolment device.

    Args:
        device_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Device | Problem | StepUpRequiredProblem
    """

    return sync_detailed(
        device_id=device_id,
        client=client,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    device_id: str,
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Device | Problem | StepUpRequiredProblem]:
    """Trust one of my devices for 30 days

     Marks the device trusted until 30 days from now (trusting again extends it): a trusted device needs
    no step-up for being new. When the caller's own session is on a device that requires a step-up, the
    request must carry `X-Step-Up-Id`, a verified step-up for the action `identity.device.trust` (create
    it with `POST /v1/step-ups`, verify it, and it is consumed here); otherwise it is refused with 403
    `STEP_UP_REQUIRED`. A user without a second factor cannot step up, so trusts a new device from an
    older, trusted or enrolment device.

    Args:
        device_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Device | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    device_id: str,
    *,
    client: AuthenticatedClient,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Device | Problem | StepUpRequiredProblem | None:
    """Trust one of my devices for 30 days

     Marks the device trusted until 30 days from now (trusting again extends it): a trusted device needs
    no step-up for being new. When the caller's own session is on a device that requires a step-up, the
    request must carry `X-Step-Up-Id`, a verified step-up for the action `identity.device.trust` (create
    it with `POST /v1/step-ups`, verify it, and it is consumed here); otherwise it is refused with 403
    `STEP_UP_REQUIRED`. A user without a second factor cannot step up, so trusts a new device from an
    older, trusted or enrolment device.

    Args:
        device_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Device | Problem | StepUpRequiredProblem
    """

    return (
        await asyncio_detailed(
            device_id=device_id,
            client=client,
            x_step_up_id=x_step_up_id,
            x_request_id=x_request_id,
        )
    ).parsed
