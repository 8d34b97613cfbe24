"""Streaming requests (``stream=True``) of the five streaming operations, request side.

The spec declares only ``application/json`` answers, so Prism cannot stream: it validates
the request and answers one JSON object, or 406 when the request accepts nothing but
``text/event-stream``. What this proves:

* the streaming request the SDK builds (``"stream": true``, ``Accept: text/event-stream``)
  passes Prism's validation — no request-side violation, sync and async;
* a non-stream answer to a stream request is a typed error that says a stream was expected
  (``APIResponseValidationError``), and a 406 is the typed status error, raised promptly
  instead of hanging or yielding garbage.

Decoding real event streams is covered by the unit tests (respx), not here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
import pytest

from azure_oai_preview import APIResponseValidationError, APIStatusError

from ._calls import (
    ASSISTANT_ID,
    CHAT,
    CHAT_MESSAGES,
    DATA_SOURCES,
    INSTRUCT,
    RUN_ID,
    THREAD_ID,
    THREAD_MESSAGES,
    WEATHER_FUNCTION,
    async_client,
    sync_client,
)
from .harness import PrismServer, ViolationRecorder

pytestmark = pytest.mark.contract

TIMEOUT = 15.0


@dataclass(frozen=True)
class StreamCall:
    operation_id: str
    name: str
    invoke: Callable[[Any], Any]


STREAM_CALLS = [
    StreamCall(
        "ChatCompletions_Create",
        "chat.completions.create(stream=True)",
        lambda c: c.chat.completions.create(
            deployment=CHAT,
            messages=CHAT_MESSAGES,
            stream=True,
            tools=[{"type": "function", "function": WEATHER_FUNCTION}],
            tool_choice="auto",
            seed=7,
            logprobs=True,
            top_logprobs=2,
        ),
    ),
    StreamCall(
        "ChatCompletions_Create",
        "chat.completions.create(stream=True, data_sources=...)",
        lambda c: c.chat.completions.create(
            deployment=CHAT,
            messages=[{"role": "user", "content": "Which plans cover vision?"}],
            stream=True,
            data_sources=[DATA_SOURCES["azure_search-api_key-endpoint_vectorization"]],
        ),
    ),
    StreamCall(
        "Completions_Create",
        "completions.create(stream=True)",
        lambda c: c.completions.create(
            deployment=INSTRUCT, prompt="Once upon a time", max_tokens=32, stream=True
        ),
    ),
    StreamCall(
        "Create_Run",
        "threads.runs.create(stream=True)",
        lambda c: c.threads.runs.create(
            THREAD_ID,
            assistant_id=ASSISTANT_ID,
            stream=True,
            additional_messages=THREAD_MESSAGES[:1],
            truncation_strategy={"type": "last_messages", "last_messages": 5},
            tool_choice={"type": "code_interpreter"},
        ),
    ),
    StreamCall(
        "Create_Run",
        "threads.runs.stream()",
        lambda c: c.threads.runs.stream(
            THREAD_ID, assistant_id=ASSISTANT_ID, instructions="Be brief.", temperature=0.1
        ),
    ),
    StreamCall(
        "Create_Thread_And_Run",
        "threads.create_and_run(stream=True)",
        lambda c: c.threads.create_and_run(
            assistant_id=ASSISTANT_ID,
            stream=True,
            thread={"messages": THREAD_MESSAGES},
            response_format={"type": "json_object"},
        ),
    ),
    StreamCall(
        "Submit_Tool_Outputs_To_Run",
        "threads.runs.submit_tool_outputs(stream=True)",
        lambda c: c.threads.runs.submit_tool_outputs(
            RUN_ID,
            thread_id=THREAD_ID,
            stream=True,
            tool_outputs=[{"tool_call_id": "call_abc123", "output": '{"temperature": 12}'}],
        ),
    ),
]

PARAMS = [pytest.param(call, id=call.name) for call in STREAM_CALLS]
SSE_ONLY = {"accept": "text/event-stream"}


def _keep_requests(http_client: httpx.Client | httpx.AsyncClient) -> list[httpx.Request]:
    sent: list[httpx.Request] = []
    if isinstance(http_client, httpx.AsyncClient):

        async def keep(request: httpx.Request) -> None:
            sent.append(request)

        http_client.event_hooks["request"].append(keep)
    else:
        http_client.event_hooks["request"].append(sent.append)
    return sent


def _check_request(
    call: StreamCall, sent: list[httpx.Request], violations: ViolationRecorder
) -> None:
    """One request, asking for a stream, that Prism matched to the operation and accepted."""
    assert len(sent) == 1, "a stream request is never retried or repeated here"
    request = sent[0]
    assert json.loads(request.content)["stream"] is True
    assert "text/event-stream" in request.headers["accept"]
    (recorded,) = violations.calls
    assert recorded.operation_id == call.operation_id
    assert not violations.failures  # no request-side violation


def _check_not_a_stream(error: APIResponseValidationError) -> None:
    assert "asked for a stream" in str(error)
    assert "stream=True" in str(error)
    assert error.status_code == 200
    assert (error.content_type or "").startswith("application/json")
    assert error.body_excerpt.startswith("{")


@pytest.mark.parametrize("call", PARAMS)
def test_json_answer_to_a_stream_request_is_a_typed_error(
    call: StreamCall,
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    sent = _keep_requests(contract_http_client)
    client = sync_client(prism_server, contract_http_client).with_options(timeout=TIMEOUT)
    with pytest.raises(APIResponseValidationError) as caught:
        call.invoke(client)
    _check_not_a_stream(caught.value)
    _check_request(call, sent, violations)


@pytest.mark.parametrize("call", PARAMS)
async def test_json_answer_to_a_stream_request_is_a_typed_error_async(
    call: StreamCall,
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    sent = _keep_requests(contract_async_http_client)
    client = async_client(prism_server, contract_async_http_client)
    with anyio.fail_after(TIMEOUT), pytest.raises(APIResponseValidationError) as caught:
        await call.invoke(client)
    _check_not_a_stream(caught.value)
    _check_request(call, sent, violations)


def _check_not_acceptable(error: APIStatusError, violations: ViolationRecorder) -> None:
    assert error.status_code == 406
    assert "text/event-stream" in str(error)
    (issue,) = violations.by_side("mock")
    assert issue.code == "NOT_ACCEPTABLE"


@pytest.mark.parametrize("call", PARAMS)
def test_event_stream_only_gets_406_as_a_status_error(
    call: StreamCall,
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    """Prism validates the request before it refuses ``Accept: text/event-stream``."""
    sent = _keep_requests(contract_http_client)
    client = sync_client(prism_server, contract_http_client).with_options(
        timeout=TIMEOUT, default_headers=SSE_ONLY
    )
    with pytest.raises(APIStatusError) as caught:
        call.invoke(client)
    _check_not_acceptable(caught.value, violations)
    _check_request(call, sent, violations)


@pytest.mark.parametrize("call", PARAMS)
async def test_event_stream_only_gets_406_as_a_status_error_async(
    call: StreamCall,
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    sent = _keep_requests(contract_async_http_client)
    client = async_client(prism_server, contract_async_http_client).with_options(
        default_headers=SSE_ONLY
    )
    with anyio.fail_after(TIMEOUT), pytest.raises(APIStatusError) as caught:
        await call.invoke(client)
    _check_not_acceptable(caught.value, violations)
    _check_request(call, sent, violations)


async def test_async_run_stream_as_context_manager_fails_on_entry(
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    """``async with runs.stream(...)`` raises on entry; the body never runs."""
    client = async_client(prism_server, contract_async_http_client)
    entered = False
    with anyio.fail_after(TIMEOUT), pytest.raises(APIResponseValidationError) as caught:
        async with client.threads.runs.stream(THREAD_ID, assistant_id=ASSISTANT_ID):
            entered = True
    assert not entered
    _check_not_a_stream(caught.value)
    assert [c.operation_id for c in violations.calls] == ["Create_Run"]


def test_sync_run_stream_as_context_manager_fails_on_entry(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    client = sync_client(prism_server, contract_http_client).with_options(timeout=TIMEOUT)
    entered = False
    with (
        pytest.raises(APIResponseValidationError) as caught,
        client.threads.runs.stream(THREAD_ID, assistant_id=ASSISTANT_ID),
    ):
        entered = True
    assert not entered
    _check_not_a_stream(caught.value)
    assert [c.operation_id for c in violations.calls] == ["Create_Run"]
