"""The typed inner error on every APIStatusError, in either spelling the service uses."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import respx
from _support import USER_MESSAGES, error_body
from conftest import API_KEY, BASE_URL, ENDPOINT

from azure_oai_preview import (
    APIStatusError,
    AsyncAzureOpenAI,
    AzureOpenAI,
    BadRequestError,
    ContentFilterError,
    InternalServerError,
    RateLimitError,
    deviations,
)
from azure_oai_preview._error_mapping import status_error
from azure_oai_preview.models import (
    AuthoringErrorResponse,
    AuthoringInnerError,
    ContentFilterPromptResults,
    DalleErrorResponse,
    DalleFilterResults,
    DalleInnerError,
    ErrorResponse,
    InnerError,
)

CHAT = "/deployments/gpt-4o/chat/completions"
IMAGES = "/deployments/dall-e-3/images/generations"
FILTER_RESULTS = {
    "hate": {"filtered": True, "severity": "high"},
    "self_harm": {"filtered": False, "severity": "safe"},
    "jailbreak": {"filtered": False, "detected": False},
    "custom_blocklists": {"filtered": True, "details": [{"filtered": True, "id": "myList"}]},
}
# As the content filter documentation shows it: `innererror`, `content_filter_result`,
# `status`, and `type: null`.
SERVICE_BODY: dict[str, Any] = {
    "error": {
        "message": "The response was filtered due to the prompt triggering Azure OpenAI's "
        "content management policy.",
        "type": None,
        "param": "prompt",
        "code": "content_filter",
        "status": 400,
        "innererror": {
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_result": FILTER_RESULTS,
        },
    }
}


@pytest.fixture
def no_retry(mock_api: respx.MockRouter) -> AzureOpenAI:
    return AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=0)


def _chat_error(client: AzureOpenAI) -> APIStatusError:
    with pytest.raises(APIStatusError) as raised:
        client.chat.completions.create(messages=USER_MESSAGES)
    return raised.value


def _check_prompt_filter(error: APIStatusError) -> None:
    assert type(error) is ContentFilterError
    inner = error.inner_error
    assert isinstance(inner, InnerError)
    assert inner.code == "ResponsibleAIPolicyViolation"
    results = error.content_filter_results
    assert isinstance(results, ContentFilterPromptResults)
    assert results.hate is not None
    assert results.hate.severity == "high"
    assert results.jailbreak is not None
    assert results.jailbreak.detected is False
    assert results.custom_blocklists is not None
    assert results.custom_blocklists.details[0].id == "myList"


def test_the_services_spelling_is_typed_without_deviation(
    no_retry: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    mock_api.post(CHAT).respond(400, json=SERVICE_BODY)
    with caplog.at_level(logging.WARNING, logger="azure_oai_preview"):
        error = _chat_error(no_retry)

    _check_prompt_filter(error)
    assert isinstance(error.body, ErrorResponse)
    assert error.body.error is not None
    assert error.body.error.innererror is error.inner_error
    assert error.body.error.inner_error is None
    assert error.body.error.status == 400
    assert error.body.error.param == "prompt"
    assert error.body.error.type is None
    assert deviations(error.body) == ()
    assert error.body.error.model_extra == {}  # nothing left untyped
    assert not [r for r in caplog.records if "deviates" in r.getMessage()]


def test_the_specs_spelling_is_typed_too(no_retry: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    body = error_body(
        "content_filter",
        "filtered",
        inner_error={
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_results": FILTER_RESULTS,
        },
    )
    mock_api.post(CHAT).respond(400, json=body)
    error = _chat_error(no_retry)
    _check_prompt_filter(error)
    assert isinstance(error.body, ErrorResponse)
    assert error.body.error is not None
    assert error.body.error.inner_error is error.inner_error
    assert deviations(error.body) == ()


async def test_both_spellings_async(mock_api: respx.MockRouter) -> None:
    spec_spelling = error_body(
        "content_filter",
        "filtered",
        inner_error={
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_results": FILTER_RESULTS,
        },
    )
    mock_api.post(CHAT).mock(
        side_effect=[
            httpx.Response(400, json=SERVICE_BODY),
            httpx.Response(400, json=spec_spelling),
        ]
    )
    async with AsyncAzureOpenAI(
        ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=0
    ) as client:
        for _ in range(2):
            with pytest.raises(ContentFilterError) as raised:
                await client.chat.completions.create(messages=USER_MESSAGES)
            _check_prompt_filter(raised.value)


@pytest.mark.parametrize("key", ["innererror", "inner_error"])
def test_every_status_error_exposes_the_inner_error(
    key: str, no_retry: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # Not a content-filter refusal: the inner error is still there, typed, with an unknown code kept.
    mock_api.post(CHAT).respond(
        429, json=error_body("429", "Slow down", **{key: {"code": "Quota"}})
    )
    error = _chat_error(no_retry)
    assert type(error) is RateLimitError
    assert isinstance(error.inner_error, InnerError)
    assert error.inner_error.code == "Quota"
    assert error.inner_error.code is not None
    assert not error.inner_error.code.is_known()


def test_no_inner_error_is_none(no_retry: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(CHAT).respond(400, json=error_body("context_length_exceeded", "too long"))
    error = _chat_error(no_retry)
    assert type(error) is BadRequestError
    assert error.inner_error is None


def test_no_error_object_means_no_inner_error(
    no_retry: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT).respond(500, text="<html>oops</html>")
    error = _chat_error(no_retry)
    assert type(error) is InternalServerError
    assert error.body is None
    assert error.inner_error is None


def test_an_inner_error_that_is_not_an_object_is_kept_raw_not_typed(
    no_retry: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT).respond(400, json=error_body("BadRequest", "x", innererror="details"))
    error = _chat_error(no_retry)
    assert error.inner_error is None
    assert isinstance(error.body, ErrorResponse)
    assert error.body.error is not None
    assert error.body.error.innererror == "details"
    assert [d.location for d in deviations(error.body)] == ["error.innererror"]


# -- DALL-E ---------------------------------------------------------------------------------------

DALLE_RESULTS = {
    "violence": {"filtered": True, "severity": "medium"},
    "jailbreak": {"detected": False, "filtered": False},
}


def _image_error(client: AzureOpenAI) -> APIStatusError:
    with pytest.raises(APIStatusError) as raised:
        client.images.generate(deployment="dall-e-3", prompt="a cat")
    return raised.value


def _check_dalle(error: APIStatusError) -> None:
    assert type(error) is ContentFilterError
    assert isinstance(error.body, DalleErrorResponse)
    inner = error.inner_error
    assert isinstance(inner, DalleInnerError)
    assert inner.revised_prompt == "a small cat"
    results = error.content_filter_results
    assert isinstance(results, DalleFilterResults)
    assert results.violence is not None
    assert results.violence.severity == "medium"
    assert deviations(error.body) == ()


@pytest.mark.parametrize(
    ("inner_key", "results_key"),
    [("inner_error", "content_filter_results"), ("innererror", "content_filter_result")],
)
def test_dalle_content_policy_violation(
    inner_key: str, results_key: str, no_retry: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # DALL-E 3 on Azure: `content_policy_violation`, the spec's spelling, and a revised prompt.
    body = error_body(
        "content_policy_violation",
        "Your request was rejected as a result of our safety system.",
        type="invalid_request_error",
        **{
            inner_key: {
                "code": "ResponsibleAIPolicyViolation",
                results_key: DALLE_RESULTS,
                "revised_prompt": "a small cat",
            }
        },
    )
    mock_api.post(IMAGES).respond(400, json=body)
    _check_dalle(_image_error(no_retry))


async def test_dalle_content_policy_violation_async(mock_api: respx.MockRouter) -> None:
    body = error_body(
        "content_policy_violation",
        "rejected",
        inner_error={
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_results": DALLE_RESULTS,
            "revised_prompt": "a small cat",
        },
    )
    mock_api.post(IMAGES).respond(400, json=body)
    async with AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY, max_retries=0) as client:
        with pytest.raises(ContentFilterError) as raised:
            await client.images.generate(deployment="dall-e-3", prompt="a cat")
    _check_dalle(raised.value)


def test_content_policy_violation_without_inner_error(
    no_retry: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(IMAGES).respond(400, json=error_body("content_policy_violation", "rejected"))
    error = _image_error(no_retry)
    assert type(error) is ContentFilterError
    assert error.inner_error is None
    assert error.content_filter_results is None


# -- authoring errors -----------------------------------------------------------------------------


def _response(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("GET", BASE_URL + "/files/x"))


def test_authoring_errors_get_their_own_typed_inner_error() -> None:
    body = {
        "error": {
            "code": "invalidPayload",
            "message": "The file is not valid JSONL.",
            "target": "file",
            "innererror": {"code": "invalidPayload", "innererror": {"code": "invalidPayload"}},
        }
    }
    error = status_error(_response(400, body), "AuthoringErrorResponse")
    assert type(error) is BadRequestError
    assert isinstance(error.body, AuthoringErrorResponse)
    assert error.body.error.target == "file"
    inner = error.inner_error
    assert isinstance(inner, AuthoringInnerError)
    assert inner.code == "invalidPayload"
    assert isinstance(inner.innererror, AuthoringInnerError)
    assert deviations(error.body) == ()


def test_the_default_error_model_is_the_inference_one() -> None:
    error = status_error(_response(404, error_body("DeploymentNotFound", "no")))
    assert isinstance(error.body, ErrorResponse)
    assert error.inner_error is None
