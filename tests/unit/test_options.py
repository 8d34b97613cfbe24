"""Per-call options: timeout, max_retries, extra_headers, extra_query, extra_body.

Every operation method takes them (sync and async, JSON, multipart and streaming calls,
pages and polling helpers); extra_body is merged after the strict request check, and the
credential headers and api-version stay out of their reach.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from _assistants_support import listing, messages, run_body
from _support import (
    USER_MESSAGES,
    aconsume,
    chat_chunk,
    chat_completion,
    consume,
    form_fields,
    request_json,
    sse,
    sse_response,
)
from conftest import API_KEY

from azure_oai_preview import (
    AsyncAzureOpenAI,
    AzureOpenAI,
    InternalServerError,
    InvalidRequestError,
    RawResponse,
)

CHAT = "/deployments/gpt-4o/chat/completions"
TRANSCRIBE = "/deployments/whisper/audio/transcriptions"
THREAD, RUN = "thread_abc123", "run_abc123"

# A field of a newer api-version that the pinned spec does not know.
NEWER_FIELDS = {"stream_options": {"include_usage": True}, "max_completion_tokens": 7}


def _timeout(request: httpx.Request) -> dict[str, float | None]:
    return request.extensions["timeout"]


# -- timeout ----------------------------------------------------------------------------------------


def test_timeout_applies_to_one_call(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    client.chat.completions.create(messages=USER_MESSAGES, timeout=3.5)
    client.chat.completions.create(messages=USER_MESSAGES)
    first, second = (call.request for call in route.calls)
    assert _timeout(first) == {"connect": 3.5, "read": 3.5, "write": 3.5, "pool": 3.5}
    assert _timeout(second) == {"connect": 10.0, "read": 600.0, "write": 600.0, "pool": 600.0}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (httpx.Timeout(5.0, connect=1.0), {"connect": 1.0, "read": 5.0, "write": 5.0, "pool": 5.0}),
        (None, {"connect": None, "read": None, "write": None, "pool": None}),
    ],
)
async def test_timeout_object_or_none_async(
    async_client: AsyncAzureOpenAI,
    mock_api: respx.MockRouter,
    given: httpx.Timeout | None,
    expected: dict[str, float | None],
) -> None:
    route = mock_api.get(f"/threads/{THREAD}").respond(
        200, json={"id": THREAD, "object": "thread", "created_at": 1}
    )
    await async_client.threads.retrieve(THREAD, timeout=given)
    assert _timeout(route.calls.last.request) == expected


# -- max_retries ------------------------------------------------------------------------------------


def test_max_retries_per_call(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).respond(503)
    with pytest.raises(InternalServerError):
        client.chat.completions.create(messages=USER_MESSAGES, max_retries=0)
    assert route.call_count == 1
    assert sleeps == []
    with pytest.raises(InternalServerError):
        client.chat.completions.create(messages=USER_MESSAGES, max_retries=4)
    assert route.call_count == 1 + 5
    assert len(sleeps) == 4
    assert client.max_retries == 2, "the client's setting is unchanged"


async def test_max_retries_per_call_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[httpx.Response(429), httpx.Response(200, json=chat_completion("ok"))]
    )
    with pytest.raises(Exception, match="429"):
        await async_client.chat.completions.create(messages=USER_MESSAGES, max_retries=0)
    reply = await async_client.chat.completions.create(messages=USER_MESSAGES, max_retries=1)
    assert reply.choices[0].message is not None
    assert reply.choices[0].message.content == "ok"
    assert route.call_count == 2
    assert len(sleeps) == 0, "the 429 was not retried; the second call succeeded at once"


def test_negative_max_retries_is_refused_before_sending(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    with pytest.raises(ValueError, match="max_retries must be >= 0"):
        client.chat.completions.create(messages=USER_MESSAGES, max_retries=-1)
    assert route.call_count == 0


# -- extra_headers ----------------------------------------------------------------------------------


def test_extra_headers_are_sent_and_win_over_the_clients(mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    with AzureOpenAI(
        "https://example-resource.openai.azure.com",
        api_key=API_KEY,
        deployment="gpt-4o",
        default_headers={"x-team": "search", "x-trace": "default"},
    ) as client:
        client.chat.completions.create(
            messages=USER_MESSAGES, extra_headers={"x-trace": "call-7", "x-feature": "on"}
        )
    headers = route.calls.last.request.headers
    assert headers["x-team"] == "search"
    assert headers["x-trace"] == "call-7"
    assert headers["x-feature"] == "on"
    assert headers["api-key"] == API_KEY


def test_an_extra_header_replaces_a_builtin_one_whatever_its_case(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    client.chat.completions.create(messages=USER_MESSAGES, extra_headers={"User-Agent": "my-app/2"})
    assert route.calls.last.request.headers.get_list("user-agent") == ["my-app/2"]


@pytest.mark.parametrize("name", ["api-key", "Authorization", "API-KEY", "authorization"])
def test_extra_headers_cannot_carry_credentials(
    client: AzureOpenAI, mock_api: respx.MockRouter, name: str
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    with pytest.raises(InvalidRequestError) as raised:
        client.chat.completions.create(
            messages=USER_MESSAGES, extra_headers={name: "Bearer stolen-or-mistaken-value"}
        )
    assert route.call_count == 0
    assert raised.value.problems[0][0] == f"extra_headers.{name}"
    assert "stolen-or-mistaken-value" not in str(raised.value)


async def test_extra_headers_cannot_carry_credentials_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.get(f"/threads/{THREAD}").respond(200, json={})
    with pytest.raises(InvalidRequestError, match=r"extra_headers\.api-key"):
        await async_client.threads.retrieve(THREAD, extra_headers={"api-key": "other"})
    assert route.call_count == 0


# -- extra_query ------------------------------------------------------------------------------------


def test_extra_query_is_added(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    client.chat.completions.create(messages=USER_MESSAGES, extra_query={"trace": "on", "n": 2})
    params = route.calls.last.request.url.params
    assert params["trace"] == "on"
    assert params["n"] == "2"
    assert params["api-version"] == client.api_version


@pytest.mark.parametrize("name", ["api-version", "API-Version"])
def test_extra_query_cannot_change_the_api_version(
    client: AzureOpenAI, mock_api: respx.MockRouter, name: str
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    with pytest.raises(InvalidRequestError, match="with_options"):
        client.chat.completions.create(
            messages=USER_MESSAGES, extra_query={name: "2024-10-01-preview"}
        )
    assert route.call_count == 0


def test_extra_query_and_headers_follow_the_pages(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    items = messages(4)
    route = mock_api.get(f"/threads/{THREAD}/messages").mock(
        side_effect=[
            httpx.Response(200, json=listing(items[:2], has_more=True)),
            httpx.Response(200, json=listing(items[2:], has_more=False)),
        ]
    )
    page = client.threads.messages.list(
        THREAD, limit=2, extra_query={"trace": "on"}, extra_headers={"x-trace": "t1"}
    )
    assert len(list(page)) == 4
    for call in route.calls:
        assert call.request.url.params["trace"] == "on"
        assert call.request.headers["x-trace"] == "t1"
    assert route.calls.last.request.url.params["after"] == items[1]["id"]


# -- extra_body -------------------------------------------------------------------------------------


def test_extra_body_is_merged_after_the_strict_check(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    with pytest.raises(InvalidRequestError, match="max_completion_tokens"):
        client.chat.completions.create(messages=USER_MESSAGES, max_completion_tokens=7)  # type: ignore[call-arg]
    assert route.call_count == 0, "as a keyword, an unknown field is refused"
    client.chat.completions.create(messages=USER_MESSAGES, temperature=0.5, extra_body=NEWER_FIELDS)
    assert request_json(route.calls.last.request) == {
        "messages": USER_MESSAGES,
        "temperature": 0.5,
        **NEWER_FIELDS,
    }


def test_extra_body_replaces_a_checked_field(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    client.chat.completions.create(
        messages=USER_MESSAGES, temperature=0.5, extra_body={"temperature": "dynamic"}
    )
    assert request_json(route.calls.last.request)["temperature"] == "dynamic"


async def test_extra_body_async(async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(f"/threads/{THREAD}/messages").respond(200, json={})
    await async_client.threads.messages.create(
        THREAD, role="user", content="hi", extra_body={"annotations_v2": True}
    )
    assert request_json(route.calls.last.request) == {
        "role": "user",
        "content": "hi",
        "annotations_v2": True,
    }


def test_extra_body_on_a_bodiless_post_becomes_its_body(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(f"/threads/{THREAD}/runs/{RUN}/cancel").respond(
        200, json=run_body(status="cancelling")
    )
    client.threads.runs.cancel(RUN, thread_id=THREAD, extra_body={"reason": "user"})
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/json"
    assert request_json(request) == {"reason": "user"}


def test_extra_body_on_a_get_is_refused(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.get(f"/threads/{THREAD}").respond(200, json={})
    with pytest.raises(InvalidRequestError, match="GET requests carry no body"):
        client.threads.retrieve(THREAD, extra_body={"x": 1})
    assert route.call_count == 0


# -- multipart uploads --------------------------------------------------------------------------------


def test_options_on_a_multipart_upload(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "hello"})
    result = client.audio.transcriptions.create(
        deployment="whisper",
        file=("talk.mp3", b"ID3 audio"),
        language="en",
        timeout=9.0,
        extra_headers={"x-trace": "up"},
        extra_query={"trace": "on"},
        extra_body={"chunking_strategy": "auto", "diarize": True},
    )
    assert result.text == "hello"
    request = route.calls.last.request
    assert request.headers["x-trace"] == "up"
    assert request.url.params["trace"] == "on"
    assert _timeout(request)["read"] == 9.0
    assert form_fields(request) == {
        "language": ["en"],
        "chunking_strategy": ["auto"],
        "diarize": ["true"],
    }


async def test_options_on_a_multipart_upload_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(
        200, text="hello", headers={"content-type": "text/plain"}
    )
    text = await async_client.audio.transcriptions.create(
        deployment="whisper",
        file=b"ID3 audio",
        response_format="text",
        extra_body={"temperature": 0.2},
        extra_headers={"x-trace": "up"},
    )
    assert text == "hello"
    request = route.calls.last.request
    assert request.headers["x-trace"] == "up"
    assert form_fields(request) == {"response_format": ["text"], "temperature": ["0.2"]}


# -- streaming --------------------------------------------------------------------------------------


def _stream_answer() -> httpx.Response:
    response, _ = sse_response(sse(chat_chunk({"content": "Hi"}), chat_chunk(finish_reason="stop")))
    return response


def test_options_on_a_stream(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT).mock(return_value=_stream_answer())
    with client.chat.completions.create(
        messages=USER_MESSAGES,
        stream=True,
        extra_body={"stream_options": {"include_usage": True}},
        extra_headers={"x-trace": "s"},
        extra_query={"trace": "on"},
        timeout=30,
    ) as stream:
        chunks: list[Any] = []
        consume(stream, chunks)
    assert len(chunks) == 2
    request = route.calls.last.request
    assert request_json(request) == {
        "messages": USER_MESSAGES,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    assert request.headers["x-trace"] == "s"
    assert request.headers["accept"].startswith("text/event-stream")
    assert request.url.params["trace"] == "on"
    assert _timeout(request)["read"] == 30


async def test_options_on_a_stream_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT).mock(return_value=_stream_answer())
    stream = await async_client.chat.completions.create(
        messages=USER_MESSAGES, stream=True, extra_body={"stream_options": {"include_usage": True}}
    )
    chunks: list[Any] = []
    async with stream:
        await aconsume(stream, chunks)
    assert len(chunks) == 2
    assert request_json(route.calls.last.request)["stream_options"] == {"include_usage": True}


# -- raw views and polling helpers ------------------------------------------------------------------


def test_options_through_the_raw_view(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT).respond(
        200, json=chat_completion(), headers={"apim-request-id": "r1"}
    )
    raw = client.with_raw_response.chat.completions.create(
        messages=USER_MESSAGES, extra_headers={"x-trace": "raw"}
    )
    assert isinstance(raw, RawResponse)
    assert raw.request_id == "r1"
    assert route.calls.last.request.headers["x-trace"] == "raw"


def _poll_routes(mock_api: respx.MockRouter) -> tuple[respx.Route, respx.Route]:
    create = mock_api.post(f"/threads/{THREAD}/runs").respond(200, json=run_body(status="queued"))
    retrieve = mock_api.get(f"/threads/{THREAD}/runs/{RUN}").mock(
        side_effect=[
            httpx.Response(200, json=run_body(status="in_progress")),
            httpx.Response(200, json=run_body(status="completed")),
        ]
    )
    return create, retrieve


POLL_OPTIONS: dict[str, Any] = {
    "request_timeout": 4.0,
    "extra_headers": {"x-trace": "poll"},
    "extra_query": {"trace": "on"},
    "extra_body": {"truncation_hint": "newest"},
}


def _check_poll_requests(create: respx.Route, retrieve: respx.Route) -> None:
    first = create.calls.last.request
    assert request_json(first) == {"assistant_id": "asst_abc123", "truncation_hint": "newest"}
    assert retrieve.call_count == 2
    for request in [first, *(call.request for call in retrieve.calls)]:
        assert request.headers["x-trace"] == "poll"
        assert request.url.params["trace"] == "on"
        assert _timeout(request)["read"] == 4.0
    assert all(call.request.content == b"" for call in retrieve.calls), "no body on retrievals"


def test_polling_helpers_apply_the_options_to_each_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    create, retrieve = _poll_routes(mock_api)
    run = client.threads.runs.create_and_poll(
        THREAD,
        assistant_id="asst_abc123",
        poll_interval=0,
        timeout=60,
        request_timeout=4.0,
        extra_headers={"x-trace": "poll"},
        extra_query={"trace": "on"},
        extra_body={"truncation_hint": "newest"},
    )
    assert run.status == "completed"
    _check_poll_requests(create, retrieve)


async def test_polling_helpers_apply_the_options_to_each_request_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    create, retrieve = _poll_routes(mock_api)
    run = await async_client.threads.runs.create_and_poll(
        THREAD, assistant_id="asst_abc123", poll_interval=0, **POLL_OPTIONS
    )
    assert run.status == "completed"
    _check_poll_requests(create, retrieve)


def test_poll_refuses_credential_headers_before_any_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.get(f"/threads/{THREAD}/runs/{RUN}").respond(200, json=run_body())
    with pytest.raises(InvalidRequestError, match=r"extra_headers\.Authorization"):
        client.threads.runs.poll(RUN, thread_id=THREAD, extra_headers={"Authorization": "x"})
    assert route.call_count == 0


def test_every_operation_method_declares_the_options() -> None:
    """The typed signatures carry the options (the polling helpers their per-request form)."""
    from azure_oai_preview._resource import Method

    client = AzureOpenAI("https://example-resource.openai.azure.com", api_key=API_KEY)
    resources: list[Any] = [client]
    found = 0
    while resources:
        resource = resources.pop()
        for name in dir(type(resource)):
            attribute = getattr(type(resource), name)
            if isinstance(attribute, Method):
                found += 1
                hints = _keyword_names(attribute)
                wanted = {"max_retries", "extra_headers", "extra_query"}
                wanted.add("request_timeout" if name in _POLLS else "timeout")
                if name not in _BODILESS_POLLS:
                    wanted.add("extra_body")
                assert wanted <= hints, (type(resource).__name__, name, wanted - hints)
            elif isinstance(attribute, property | type(AzureOpenAI.chat)) and not name.startswith(
                "_"
            ):
                value = getattr(resource, name)
                if type(value).__module__.startswith("azure_oai_preview.resources"):
                    resources.append(value)
    assert found >= 51 + 26  # inference, then the authoring methods and upload helpers


_POLLS = {
    "poll",
    "create_and_poll",
    "submit_tool_outputs_and_poll",
    "create_and_run_poll",
    "upload_and_poll",
    "wait_for_processing",
}
_BODILESS_POLLS = {"poll", "wait_for_processing"}


def _keyword_names(method: Any) -> set[str]:
    """The keyword names a method accepts, with its ``**`` TypedDict expanded."""
    import inspect

    from azure_oai_preview import _options
    from azure_oai_preview.resources import _args

    names: set[str] = set()
    for parameter in method.signature().parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            typed_dict_name = str(parameter.annotation).removeprefix("Unpack[").removesuffix("]")
            typed_dict = getattr(_args, typed_dict_name, None) or getattr(_options, typed_dict_name)
            names |= set(typed_dict.__annotations__)
        else:
            names.add(parameter.name)
    return names


def test_options_do_not_leak_into_the_checked_body(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    client.chat.completions.create(
        messages=USER_MESSAGES, timeout=2, max_retries=1, extra_headers={}, extra_query={}
    )
    body = json.loads(route.calls.last.request.content)
    assert body == {"messages": USER_MESSAGES}


def test_extra_body_may_hold_model_instances(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    from azure_oai_preview.models import TruncationObject, TruncationType

    route = mock_api.post(f"/threads/{THREAD}/runs").respond(200, json=run_body())
    client.threads.runs.create(
        THREAD,
        assistant_id="asst_abc123",
        extra_body={"truncation_strategy": TruncationObject(type=TruncationType.AUTO)},
    )
    assert request_json(route.calls.last.request) == {
        "assistant_id": "asst_abc123",
        "truncation_strategy": {"type": "auto"},
    }


@pytest.mark.parametrize(
    "headers",
    [{"x-a": "\u00e9"}, {"x-a": "one\r\nX-Evil: 1"}, {"x a": "v"}, {"x-a": 1}],
)
def test_a_header_http_cannot_carry_is_refused_unshown(
    client: AzureOpenAI, mock_api: respx.MockRouter, headers: dict[str, Any]
) -> None:
    route = mock_api.post(CHAT).respond(200, json=chat_completion())
    with pytest.raises(InvalidRequestError) as raised:
        client.chat.completions.create(messages=USER_MESSAGES, extra_headers=headers)
    assert [path.split(".")[0] for path, _ in raised.value.problems] == ["extra_headers"]
    assert "X-Evil" not in str(raised.value)
    assert route.call_count == 0
    with pytest.raises(ValueError, match=r"default_headers\["):
        AzureOpenAI(endpoint="https://r.openai.azure.com", api_key="k", default_headers=headers)
