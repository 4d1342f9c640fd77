from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_creation import ApiKeyCreation
from ...models.api_key_with_secret import ApiKeyWithSecret
from ...models.problem import Problem
from ...models.step_up_required_problem import StepUpRequiredProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    company_id: str,
    *,
    body: ApiKeyCreation,
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
        "url": "/v1/companies/{company_id}/api-keys".format(
            company_id=quote(str(company_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiKeyWithSecret | Problem | StepUpRequiredProblem | None:
    if response.status_code == 201:
        response_201 = ApiKeyWithSecret.from_dict(response.json())

        return response_201

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

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

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
) -> Response[ApiKeyWithSecret | Problem | StepUpRequiredProblem]:
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
    body: ApiKeyCreation,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ApiKeyWithSecret | Problem | StepUpRequiredProblem]:
    """Create a company API key

     A key for the company's integrations, sent as `X-API-Key`. The secret is returned in this response
    only; the platform keeps just its SHA-256. Owners and admins only. Takes no Idempotency-Key on
    purpose: a stored replay would keep the secret. From a device that requires a step-up (new and not
    trusted), the request must carry `X-Step-Up-Id`, a verified step-up for the action
    `identity.api_key.create`, consumed here; otherwise 403 `STEP_UP_REQUIRED`. Publishes
    `darca.identity.api_key_created.v1`.

    Args:
        company_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (ApiKeyCreation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyWithSecret | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        body=body,
        x_step_up_id=x_step_up_id,
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
    body: ApiKeyCreation,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ApiKeyWithSecret | Problem | StepUpRequiredProblem | None:
    """Create a company API key

     A key for the company's integrations, sent as `X-API-Key`. The secret is returned in this response
    only; the platform keeps just its SHA-256. Owners and admins only. Takes no Idempotency-Key on
    purpose: a stored replay would keep the secret. From a device that requires a step-up (new and not
    trusted), the request must carry `X-Step-Up-Id`, a verified step-up for the action
    `identity.api_key.create`, consumed here; otherwise 403 `STEP_UP_REQUIRED`. Publishes
    `darca.identity.api_key_created.v1`.

    Args:
        company_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (ApiKeyCreation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyWithSecret | Problem | StepUpRequiredProblem
    """

    return sync_detailed(
        company_id=company_id,
        client=client,
        body=body,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyCreation,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ApiKeyWithSecret | Problem | StepUpRequiredProblem]:
    """Create a company API key

     A key for the company's integrations, sent as `X-API-Key`. The secret is returned in this response
    only; the platform keeps just its SHA-256. Owners and admins only. Takes no Idempotency-Key on
    purpose: a stored replay would keep the secret. From a device that requires a step-up (new and not
    trusted), the request must carry `X-Step-Up-Id`, a verified step-up for the action
    `identity.api_key.create`, consumed here; otherwise 403 `STEP_UP_REQUIRED`. Publishes
    `darca.identity.api_key_created.v1`.

    Args:
        company_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (ApiKeyCreation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyWithSecret | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        body=body,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyCreation,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ApiKeyWithSecret | Problem | StepUpRequiredProblem | None:
    """Create a company API key

     A key for the company's integrations, sent as `X-API-Key`. The secret is returned in this response
    only; the platform keeps just its SHA-256. Owners and admins only. Takes no Idempotency-Key on
    purpose: a stored replay would keep the secret. From a device that requires a step-up (new and not
    trusted), the request must carry `X-Step-Up-Id`, a verified step-up for the action
    `identity.api_key.create`, consumed here; otherwise 403 `STEP_UP_REQUIRED`. Publishes
    `darca.identity.api_key_created.v1`.

    Args:
        company_id (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (ApiKeyCreation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyWithSecret | Problem | StepUpRequiredProblem
    """

    return (
        await asyncio_detailed(
            company_id=company_id,
            client=client,
            body=body,
            x_step_up_id=x_step_up_id,
            x_request_id=x_request_id,
        )
    ).parsed
