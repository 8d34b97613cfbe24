"""The error hierarchy: status errors, content-filter errors, unreadable bodies, request ids."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from _support import USER_MESSAGES, error_body
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    AsyncAzureOpenAI,
    AuthenticationError,
    AzureOpenAI,
    AzureOpenAIError,
    BadRequestError,
    ConflictError,
    ContentFilterError,
    IncompleteStreamError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from azure_oai_preview.models import (
    ContentFilterPromptResults,
    DalleErrorResponse,
    DalleFilterResults,
    ErrorResponse,
)

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
IMAGES_PATH = "/deployments/gpt-4o/images/generations"


@pytest.fixture
def no_retry_client(mock_api: respx.MockRouter) -> AzureOpenAI:
    return AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=0)


def _fail(client: AzureOpenAI) -> Any:
    with pytest.raises(AzureOpenAIError) as info:
        client.chat.completions.create(messages=USER_MESSAGES)
    return info.value


def test_hierarchy() -> None:
    for error in (
        APIConnectionError,
        APIResponseValidationError,
        APIStatusError,
        APIStreamError,
        IncompleteStreamError,
        InvalidRequestError,
    ):
        assert issubclass(error, AzureOpenAIError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(ContentFilterError, BadRequestError)
    assert issubclass(InvalidRequestError, ValueError)
    for status_error in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
        InternalServerError,
    ):
        assert issubclass(status_error, APIStatusError)


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_each_status_has_its_error_with_azure_details(
    status: int,
    error_type: type[APIStatusError],
    no_retry_client: AzureOpenAI,
    mock_api: respx.MockRouter,
) -> None:
    mock_api.post(CHAT_PATH).respond(
        status,
        json=error_body(
            "SomeAzureCode", f"Azure says {status}", param="messages", type="invalid_request_error"
        ),
        headers={"apim-request-id": f"req-{status}"},
    )

    error = _fail(no_retry_client)

    assert type(error) is error_type
    assert error.status_code == status
    assert error.code == "SomeAzureCode"
    assert error.message == f"Azure says {status}"
    assert error.request_id == f"req-{status}"
    assert isinstance(error.body, ErrorResponse)
    assert error.body.error is not None
    assert error.body.error.param == "messages"
    assert isinstance(error.response, httpx.Response)
    assert error.response.status_code == status
    text = str(error)
    assert str(status) in text
    assert "SomeAzureCode" in text
    assert f"Azure says {status}" in text
    assert f"req-{status}" in text


@pytest.mark.parametrize("header", ["apim-request-id", "x-request-id", "x-ms-request-id"])
def test_request_id_comes_from_any_of_azures_headers(
    header: str, no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        404, json=error_body("DeploymentNotFound", "nope"), headers={header: "rid-7"}
    )
    error = _fail(no_retry_client)
    assert isinstance(error, NotFoundError)
    assert error.request_id == "rid-7"
    assert "rid-7" in str(error)


def test_apim_request_id_is_preferred(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    headers = {"x-request-id": "other", "apim-request-id": "apim"}
    mock_api.post(CHAT_PATH).respond(500, json=error_body("x", "y"), headers=headers)
    assert _fail(no_retry_client).request_id == "apim"


def test_error_without_request_id(no_retry_client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(CHAT_PATH).respond(400, json=error_body("x", "y"))
    error = _fail(no_retry_client)
    assert error.request_id is None
    assert "request id" not in str(error)


# -- content filter -------------------------------------------------------------------------------

FILTER_RESULTS = {
    "hate": {"filtered": True, "severity": "high"},
    "sexual": {"filtered": False, "severity": "safe"},
    "jailbreak": {"filtered": True, "detected": True},
}


@pytest.mark.parametrize(
    ("inner_key", "results_key"),
    [
        ("inner_error", "content_filter_results"),  # the spec's spelling
        ("innererror", "content_filter_result"),  # what the service actually sends
    ],
)
def test_content_filter_error_with_typed_results(
    inner_key: str, results_key: str, no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = error_body(
        "content_filter",
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        param="prompt",
        status=400,
        **{inner_key: {"code": "ResponsibleAIPolicyViolation", results_key: FILTER_RESULTS}},
    )
    mock_api.post(CHAT_PATH).respond(400, json=body, headers={"apim-request-id": "cf-1"})

    error = _fail(no_retry_client)

    assert type(error) is ContentFilterError
    assert isinstance(error, BadRequestError)
    assert error.status_code == 400
    assert error.code == "content_filter"
    assert error.request_id == "cf-1"
    results = error.content_filter_results
    assert isinstance(results, ContentFilterPromptResults)
    assert results.hate is not None
    assert results.hate.filtered is True
    assert results.hate.severity == "high"
    assert results.jailbreak is not None
    assert results.jailbreak.detected is True
    assert results.sexual is not None
    assert results.sexual.filtered is False


def test_content_filter_recognised_by_inner_code_alone(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = error_body(
        "BadRequest",
        "filtered",
        inner_error={
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_results": FILTER_RESULTS,
        },
    )
    mock_api.post(CHAT_PATH).respond(400, json=body)
    error = _fail(no_retry_client)
    assert isinstance(error, ContentFilterError)
    assert error.content_filter_results is not None


def test_content_filter_code_without_results(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(400, json=error_body("content_filter", "filtered"))
    error = _fail(no_retry_client)
    assert isinstance(error, ContentFilterError)
    assert error.content_filter_results is None


def test_other_bad_requests_are_not_content_filter_errors(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(400, json=error_body("context_length_exceeded", "too long"))
    error = _fail(no_retry_client)
    assert type(error) is BadRequestError
    assert error.code == "context_length_exceeded"


def test_image_content_filter_error_has_dalle_results(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = error_body(
        "contentFilter",
        "Your request was rejected as a result of our safety system.",
        inner_error={
            "code": "ResponsibleAIPolicyViolation",
            "revised_prompt": "a cat",
            "content_filter_results": {
                "violence": {"filtered": True, "severity": "medium"},
                "profanity": {"filtered": False, "detected": False},
            },
        },
    )
    mock_api.post(IMAGES_PATH).respond(400, json=body)

    with pytest.raises(ContentFilterError) as info:
        no_retry_client.images.generate(prompt="a cat")

    assert isinstance(info.value.body, DalleErrorResponse)
    results = info.value.content_filter_results
    assert isinstance(results, DalleFilterResults)
    assert results.violence is not None
    assert results.violence.severity == "medium"


async def test_async_status_and_content_filter_errors(mock_api: respx.MockRouter) -> None:
    mock_api.post(CHAT_PATH).respond(
        400,
        json=error_body(
            "content_filter",
            "filtered",
            innererror={
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": FILTER_RESULTS,
            },
        ),
        headers={"x-ms-request-id": "async-cf"},
    )
    mock_api.post("/deployments/missing/chat/completions").respond(
        404, json=error_body("DeploymentNotFound", "no")
    )
    async with AsyncAzureOpenAI(
        ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=0
    ) as client:
        with pytest.raises(ContentFilterError) as info:
            await client.chat.completions.create(messages=USER_MESSAGES)
        with pytest.raises(NotFoundError):
            await client.chat.completions.create(deployment="missing", messages=USER_MESSAGES)
    assert info.value.request_id == "async-cf"
    assert isinstance(info.value.content_filter_results, ContentFilterPromptResults)


# -- bodies that are not Azure error objects ------------------------------------------------------

GATEWAY_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
    + "<!-- padding -->" * 400
    + "</body></html>"
)


def test_html_gateway_page_is_a_typed_error_with_a_short_excerpt(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(502, text=GATEWAY_PAGE, headers={"content-type": "text/html"})

    error = _fail(no_retry_client)

    assert isinstance(error, InternalServerError)
    assert error.status_code == 502
    assert error.body is None
    assert error.code is None
    # raw_body keeps the page (bounded); the message quotes only a short excerpt of it.
    assert error.raw_body == GATEWAY_PAGE
    assert "502 Bad Gateway" in str(error)
    assert len(str(error)) < 600


def test_apim_style_json_error_keeps_its_message(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # API Management answers some failures with its own shape, not Azure OpenAI's {"error": {...}}.
    body = {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 2 seconds."}
    mock_api.post(CHAT_PATH).respond(429, json=body)
    error = _fail(no_retry_client)
    assert isinstance(error, RateLimitError)
    assert error.message == "Rate limit is exceeded. Try again in 2 seconds."
    assert "Rate limit is exceeded" in str(error)
    assert "non-JSON" not in str(error)


def test_empty_error_body(no_retry_client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(CHAT_PATH).respond(503)
    error = _fail(no_retry_client)
    assert isinstance(error, InternalServerError)
    assert error.message is None
    assert "empty body" in str(error)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<html><body>Service Unavailable</body></html>", "text/html"),
        (b"", "application/json"),
        (b'{"id": "chatcmpl-1", "choices": [', "application/json"),
    ],
)
def test_unreadable_success_body_is_a_response_validation_error(
    content: bytes, content_type: str, no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        200, content=content, headers={"content-type": content_type, "apim-request-id": "bad-body"}
    )
    error = _fail(no_retry_client)
    assert isinstance(error, APIResponseValidationError)
    assert error.status_code == 200
    assert error.request_id == "bad-body"
    assert error.content_type == content_type
    assert error.body_excerpt == content.decode()
    assert "bad-body" in str(error)


@pytest.mark.parametrize("json_body", [[], ["a", "b"], "OK", 42, None])
def test_success_body_that_is_not_an_object_is_a_response_validation_error(
    json_body: Any, no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(200, json=json_body)
    error = _fail(no_retry_client)
    assert isinstance(error, APIResponseValidationError)
    assert error.status_code == 200


def test_long_unreadable_body_is_shortened(
    no_retry_client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        200, text="<p>" + "x" * 10_000, headers={"content-type": "text/html"}
    )
    error = _fail(no_retry_client)
    assert isinstance(error, APIResponseValidationError)
    assert error.body_excerpt.startswith("<p>xxx")
    assert len(error.body_excerpt) < 400
    assert len(str(error)) < 700


async def test_async_unreadable_success_body(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        200, text="<html>oops</html>", headers={"content-type": "text/html"}
    )
    with pytest.raises(APIResponseValidationError, match="oops"):
        await async_client.chat.completions.create(messages=USER_MESSAGES)


def test_a_huge_error_body_is_bounded(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    # 3 MB: past the bytes read of an error body; and a 900 kB message within it.
    huge = b'{"error": {"code": "x", "message": "' + b"a" * 3_000_000 + b'"}}'
    mock_api.post("/deployments/gpt-4o/chat/completions").respond(400, content=huge)
    with pytest.raises(BadRequestError) as raised:
        client.chat.completions.create(messages=[{"role": "user", "content": "hi"}])
    assert len(str(raised.value)) < 3_000
    assert len(raised.value.raw_body) <= 64 * 1024
    long_message = {"error": {"code": "x", "message": "b" * 900_000}}
    mock_api.post("/deployments/gpt-4o/chat/completions").respond(400, json=long_message)
    with pytest.raises(BadRequestError) as raised:
        client.chat.completions.create(messages=[{"role": "user", "content": "hi"}])
    assert raised.value.message == "b" * 900_000  # the whole message stays as data
    assert len(str(raised.value)) < 3_000
