"""The sans-IO exchange, driven by hand: the typed steps it asks for, in order."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from azure_oai_preview import (
    APIConnectionError,
    APIResponseValidationError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
)
from azure_oai_preview._call import Call, JsonReader
from azure_oai_preview._config import ClientConfig
from azure_oai_preview._exchange import ERROR_BODY_LIMIT, exchange
from azure_oai_preview._redaction import CredentialHeaders, redacted_request
from azure_oai_preview._retry import RetryPolicy
from azure_oai_preview._steps import Authenticate, Challenge, Close, ReadBody, Send, Sleep, TooLong
from azure_oai_preview.resources._common import operation_named

CREDENTIAL = {"api-key": "k"}


def _steps(max_retries: int = 1) -> Any:
    config = ClientConfig(
        base_url=httpx.URL("https://example-resource.openai.azure.com/openai"),
        api_version="2024-05-01-preview",
        deployment=None,
        timeout=httpx.Timeout(5.0),
        retry=RetryPolicy(max_retries=max_retries, jitter=0),
    )
    call: Call[Any, Any] = Call(
        operation=operation_named("Get_Thread"),
        path_params={"thread_id": "thread_1"},
        reader=JsonReader(dict),
    )
    return exchange(config, httpx.Client(), call)


def _answer(send: Send, status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, json={}, request=send.request)


def test_a_throttled_request_closes_sleeps_and_goes_again() -> None:
    steps = _steps()
    assert isinstance(next(steps), Authenticate)
    send = steps.send(CREDENTIAL)
    assert isinstance(send, Send)
    assert send.request.headers["api-key"] == "k"
    assert send.request.url.path == "/openai/threads/thread_1"
    throttled = _answer(send, 429, **{"retry-after-ms": "250"})
    assert steps.send(throttled) == Close(throttled)
    assert steps.send(None) == Sleep(0.25)
    assert isinstance(steps.send(None), Authenticate)
    send = steps.send(CREDENTIAL)
    ok = _answer(send, 200)
    assert steps.send(ok) == ReadBody(ok)
    with pytest.raises(StopIteration) as done:
        steps.send(None)
    assert done.value.value is ok


def test_giving_up_reads_the_error_body_then_raises() -> None:
    steps = _steps(max_retries=0)
    next(steps)
    send = steps.send(CREDENTIAL)
    failed = _answer(send, 500)
    assert steps.send(failed) == ReadBody(failed, ERROR_BODY_LIMIT)
    with pytest.raises(InternalServerError):
        steps.send(None)


def test_an_error_body_past_the_limit_is_not_read_on() -> None:
    steps = _steps(max_retries=0)
    next(steps)
    failed = _answer(steps.send(CREDENTIAL), 400)
    assert steps.send(failed) == ReadBody(failed, ERROR_BODY_LIMIT)
    with pytest.raises(BadRequestError) as raised:
        steps.send(TooLong(b'{"error": {"code": "x", "message": "' + b"a" * 100))
    # What was read is kept as the raw body; the truncated JSON is not taken for an error object.
    assert raised.value.raw_body.startswith('{"error"')
    assert raised.value.body is None


def test_a_transport_error_is_judged_by_the_same_rule() -> None:
    steps = _steps()
    next(steps)
    steps.send(CREDENTIAL)
    step = steps.send(httpx.ConnectError("refused"))
    assert isinstance(step, Sleep)
    assert step.seconds == 0.5


def test_a_challenge_is_asked_once() -> None:
    steps = _steps()
    next(steps)
    send = steps.send(CREDENTIAL)
    first = _answer(send, 401, **{"www-authenticate": 'Bearer error="invalid_token"'})
    assert steps.send(first) == Challenge('Bearer error="invalid_token"')
    assert steps.send(True) == Close(first)
    assert isinstance(steps.send(None), Authenticate)
    send = steps.send({"authorization": "Bearer fresh"})
    assert send.request.headers["authorization"] == "Bearer fresh"
    second = _answer(send, 401, **{"www-authenticate": 'Bearer error="invalid_token"'})
    assert steps.send(second) == ReadBody(second, ERROR_BODY_LIMIT), (
        "no second challenge, no retry of a 401"
    )
    with pytest.raises(AuthenticationError):
        steps.send(None)


# -- redirects, undecodable bodies, redaction (issue 15) ------------------------------------------


def _chat_steps(max_retries: int = 0, **headers: str) -> Any:
    config = ClientConfig(
        base_url=httpx.URL("https://example-resource.openai.azure.com/openai"),
        api_version="2024-05-01-preview",
        deployment="gpt-4o",
        timeout=httpx.Timeout(5.0),
        retry=RetryPolicy(max_retries=max_retries, jitter=0),
        default_headers=headers,
    )
    call: Call[Any, Any] = Call(
        operation=operation_named("Get_Thread"),
        path_params={"thread_id": "thread_1"},
        reader=JsonReader(dict),
    )
    return exchange(config, httpx.Client(), call)


def test_a_redirect_elsewhere_is_sent_foreign_without_credentials_or_old_host() -> None:
    steps = _chat_steps(**{"Ocp-Apim-Subscription-Key": "apim-secret", "x-keep": "1"})
    next(steps)
    send = steps.send(CREDENTIAL)
    assert send.request.headers["host"] == "example-resource.openai.azure.com"
    moved = _answer(send, 302, location="https://other.example.net:8443/x")
    assert steps.send(moved) == Close(moved)
    again = steps.send(None)
    assert again == Send(again.request, foreign=True), "no Authenticate step for another origin"
    headers = again.request.headers
    assert headers["host"] == "other.example.net:8443"
    assert "api-key" not in headers
    assert "ocp-apim-subscription-key" not in headers
    assert headers["x-keep"] == "1"


def test_an_undecodable_success_body_is_a_validation_error_with_its_cause() -> None:
    steps = _chat_steps()
    next(steps)
    send = steps.send(CREDENTIAL)
    ok = _answer(send, 200)
    assert steps.send(ok) == ReadBody(ok)
    broken = httpx.DecodingError("incorrect header check", request=send.request)
    with pytest.raises(APIResponseValidationError, match="could not be decoded") as info:
        steps.send(broken)
    assert info.value.__cause__ is broken
    assert broken.request.headers["api-key"] == "[redacted]"
    assert broken.__traceback__ is None


def test_an_undecodable_error_body_keeps_the_status_error() -> None:
    steps = _chat_steps()
    next(steps)
    send = steps.send(CREDENTIAL)
    throttled = _answer(send, 429, **{"apim-request-id": "r-1"})
    assert steps.send(throttled) == ReadBody(throttled, ERROR_BODY_LIMIT)
    with pytest.raises(RateLimitError) as info:
        steps.send(httpx.DecodingError("bad gzip", request=send.request))
    assert info.value.request_id == "r-1"
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_what_leaves_the_exchange_carries_a_redacted_request() -> None:
    steps = _chat_steps()
    next(steps)
    send = steps.send(CREDENTIAL)
    ok = _answer(send, 200)
    steps.send(ok)
    with pytest.raises(StopIteration) as done:
        steps.send(None)
    response = done.value.value
    assert response.request.headers["api-key"] == "[redacted]"
    assert send.request.headers["api-key"] == "k", "the request sent kept its key"


def test_retried_and_redirected_responses_are_drained_within_bounds() -> None:
    steps = _chat_steps(max_retries=1)
    next(steps)
    send = steps.send(CREDENTIAL)
    close = steps.send(_answer(send, 503))
    assert isinstance(close, Close)
    assert (close.drain_bytes, close.drain_seconds) == (64 * 1024, 1.0)


def test_an_invalid_location_is_a_connection_error() -> None:
    steps = _chat_steps()
    next(steps)
    send = steps.send(CREDENTIAL)
    moved = _answer(send, 307, location="http://[::1")
    assert steps.send(moved) == Close(moved)
    with pytest.raises(APIConnectionError, match="invalid URL") as info:
        steps.send(None)
    assert info.value.request is not None
    assert info.value.request.headers["api-key"] == "[redacted]"


def test_the_request_view_hides_credentials_in_headers_and_query() -> None:
    request = httpx.Request(
        "POST",
        "https://r.example.net/openai/x?api-version=1&subscription-key=apim-secret&sig=sas-secret",
        headers={"api-key": "k-secret", "x-ms-client-request-id": "c-1", "accept": "*/*"},
        content=b'{"authentication": {"key": "search-secret"}}',
    )
    view = redacted_request(request)
    assert view.method == "POST"
    assert view.url.params["api-version"] == "1"
    assert view.url.params["subscription-key"] == "[redacted]"
    assert view.url.params["sig"] == "[redacted]"
    assert view.headers["api-key"] == "[redacted]"
    assert view.headers["x-ms-client-request-id"] == "c-1"
    assert view.content == b""
    assert redacted_request(view) is view
    assert request.headers["api-key"] == "k-secret", "the original is left alone"
    assert "secret" not in repr(CredentialHeaders({"api-key": "k-secret"}))
