"""The sans-IO exchange, driven by hand: the typed steps it asks for, in order."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from azure_oai_preview import AuthenticationError, InternalServerError
from azure_oai_preview._call import Call, JsonReader
from azure_oai_preview._config import ClientConfig
from azure_oai_preview._exchange import exchange
from azure_oai_preview._retry import RetryPolicy
from azure_oai_preview._steps import Authenticate, Challenge, Close, ReadBody, Send, Sleep
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
    assert steps.send(failed) == ReadBody(failed)
    with pytest.raises(InternalServerError):
        steps.send(None)


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
    assert steps.send(second) == ReadBody(second), "no second challenge, no retry of a 401"
    with pytest.raises(AuthenticationError):
        steps.send(None)
