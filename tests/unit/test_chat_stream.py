"""Chat completion streams through the client: SSE framing, Azure's chunks, errors, accumulation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
import respx
from _support import (
    AZURE_PROMPT_FILTER_CHUNK,
    SSE_HEADERS,
    USER_MESSAGES,
    ChunkedStream,
    aconsume,
    chat_chunk,
    consume,
    split_every,
    sse,
    sse_response,
)
from conftest import API_KEY, BASE_URL, ENDPOINT
from hypothesis import given, settings
from hypothesis import strategies as st

from azure_oai_preview import (
    APIResponseValidationError,
    APIStreamError,
    AsyncAzureOpenAI,
    AsyncChatCompletionStream,
    AzureOpenAI,
    ChatCompletionAccumulator,
    ChatCompletionStream,
    IncompleteStreamError,
)
from azure_oai_preview.models import (
    ContentFilterChoiceResults,
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
)

CHAT_PATH = "/deployments/gpt-4o/chat/completions"

GREETING = [
    AZURE_PROMPT_FILTER_CHUNK,
    chat_chunk({"role": "assistant", "content": ""}),
    chat_chunk({"content": "Hello"}),
    chat_chunk({"content": ", world"}),
    chat_chunk({}, finish_reason="stop"),
]


def _serve(mock_api: respx.MockRouter, body: bytes, **options: Any) -> list[ChunkedStream]:
    """Answer every chat request with ``body`` as a stream; returns the streams handed out."""
    handed_out: list[ChunkedStream] = []

    def respond(request: httpx.Request) -> httpx.Response:
        response, stream = sse_response(body, **options)
        handed_out.append(stream)
        return response

    mock_api.post(CHAT_PATH).mock(side_effect=respond)
    return handed_out


def _contents(chunks: list[CreateChatCompletionStreamResponse]) -> list[str | None]:
    return [
        c.choices[0].delta.content if c.choices and c.choices[0].delta else None for c in chunks
    ]


def _dump(chunks: list[Any]) -> list[Any]:
    return [c.model_dump(mode="json", exclude_unset=True) for c in chunks]


# -- typed iterators ------------------------------------------------------------------------------


def test_stream_yields_typed_chunks_including_azures_first_chunk(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*GREETING))

    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        assert isinstance(stream, ChatCompletionStream)
        chunks = list(stream)

    assert all(isinstance(c, CreateChatCompletionStreamResponse) for c in chunks)
    assert len(chunks) == len(GREETING)
    first = chunks[0]
    assert first.choices == []
    (prompt,) = first.prompt_filter_results or []
    assert prompt.prompt_index == 0
    assert prompt.content_filter_results is not None
    assert prompt.content_filter_results.hate is not None
    assert prompt.content_filter_results.hate.severity == "safe"
    assert _contents(chunks) == [None, "", "Hello", ", world", None]
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_stream_request_asks_for_a_stream(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    _serve(mock_api, sse(*GREETING))
    with client.chat.completions.create(
        messages=USER_MESSAGES, stream=True, temperature=0
    ) as stream:
        list(stream)
    request = mock_api.calls.last.request
    assert json.loads(request.content) == {
        "messages": USER_MESSAGES,
        "temperature": 0,
        "stream": True,
    }
    assert "text/event-stream" in request.headers["accept"]


async def test_async_stream_yields_typed_chunks(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*GREETING), chunk_size=7)

    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    assert isinstance(stream, AsyncChatCompletionStream)
    async with stream:
        chunks = [chunk async for chunk in stream]

    assert _contents(chunks) == [None, "", "Hello", ", world", None]
    assert chunks[0].prompt_filter_results


def test_context_manager_closes_the_connection_early(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    streams = _serve(mock_api, sse(*GREETING), chunk_size=16)

    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        next(iter(stream))
        assert not streams[0].closed

    assert streams[0].closed
    assert streams[0].delivered < len(streams[0].chunks)


def test_close_without_reading(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    streams = _serve(mock_api, sse(*GREETING))
    stream = client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    stream.close()
    assert streams[0].closed


def test_reaching_done_closes_the_connection(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    streams = _serve(mock_api, sse(*GREETING))
    list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert streams[0].closed


async def test_async_context_manager_closes_the_connection_early(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    streams = _serve(mock_api, sse(*GREETING), chunk_size=16)

    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        async for _ in stream:
            break

    assert streams[0].closed


# -- SSE framing through the client ---------------------------------------------------------------


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"], ids=["LF", "CR", "CRLF"])
def test_every_line_ending(eol: bytes, client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    _serve(mock_api, sse(*GREETING, eol=eol), chunk_size=3)
    chunks = list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert _contents(chunks) == [None, "", "Hello", ", world", None]


def test_comments_and_keep_alives_are_skipped(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = (
        b": connected\n\n"
        + sse(chat_chunk({"content": "a"}), done=False)
        + b": keep-alive\n\n:\n\n"
        + b"event: message\nid: 7\nretry: 1000\n"
        + sse(chat_chunk({"content": "b"}))
    )
    _serve(mock_api, body)
    chunks = list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert _contents(chunks) == ["a", "b"]


def test_multi_line_data_is_one_event(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    pretty = json.dumps(chat_chunk({"content": "multi\nline"}), indent=2).encode()
    event = b"".join(b"data: " + line + b"\n" for line in pretty.split(b"\n")) + b"\n"
    _serve(mock_api, event + b"data: [DONE]\n\n")
    (chunk,) = list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert _contents([chunk]) == ["multi\nline"]


@pytest.mark.parametrize("chunk_size", [1, 2, 5, 64])
def test_events_split_across_network_chunks(
    chunk_size: int, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = sse(*GREETING, chat_chunk({"content": "héllo wörld ✓"}), eol=b"\r\n")
    streams = _serve(mock_api, body, chunk_size=chunk_size)
    chunks = list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert _contents(chunks)[-1] == "héllo wörld ✓"
    assert len(chunks) == len(GREETING) + 1
    assert len(streams[0].chunks) == len(split_every(body, chunk_size))


def test_done_ends_the_stream_and_later_bytes_are_ignored(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = sse(chat_chunk({"content": "a"})) + sse(chat_chunk({"content": "after"}), done=False)
    _serve(mock_api, body)
    chunks = list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert _contents(chunks) == ["a"]


@pytest.fixture(scope="module")
def shared_client() -> Iterator[AzureOpenAI]:
    """One client for every hypothesis example (respx patches its transport per example)."""
    with AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o") as client:
        yield client


RECHUNK_EVENTS = [
    *GREETING,
    chat_chunk({"content": "naïve café ☕ — “quotes”"}),
    chat_chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "c",
                    "type": "function",
                    "function": {"name": "f", "arguments": "{}"},
                }
            ]
        }
    ),
]


@settings(max_examples=60, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=60),
    eol=st.sampled_from(["\n", "\r", "\r\n"]),
)
def test_rechunking_at_random_byte_boundaries_changes_nothing(
    shared_client: AzureOpenAI, cuts: list[int], eol: str
) -> None:
    body = sse(*RECHUNK_EVENTS, eol=eol.encode())
    points = sorted({cut % (len(body) + 1) for cut in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True) if b > a]

    with respx.mock(base_url=BASE_URL) as router:
        router.post(CHAT_PATH).mock(
            side_effect=[
                httpx.Response(200, headers=SSE_HEADERS, stream=ChunkedStream([body])),
                httpx.Response(200, headers=SSE_HEADERS, stream=ChunkedStream(pieces)),
            ]
        )
        whole = list(shared_client.chat.completions.create(messages=USER_MESSAGES, stream=True))
        rechunked = list(shared_client.chat.completions.create(messages=USER_MESSAGES, stream=True))

    assert b"".join(pieces) == body
    assert len(whole) == len(RECHUNK_EVENTS)
    assert _dump(rechunked) == _dump(whole)


# -- errors in and around streams -----------------------------------------------------------------


def test_error_object_in_the_stream_raises_api_stream_error(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    error = {
        "error": {
            "code": "server_error",
            "message": "The server had an error while processing your request.",
        }
    }
    _serve(
        mock_api,
        sse(chat_chunk({"content": "Hel"}), error, done=False),
        headers={"apim-request-id": "s-1"},
    )

    received: list[Any] = []
    with pytest.raises(APIStreamError) as info:
        consume(client.chat.completions.create(messages=USER_MESSAGES, stream=True), received)

    assert _contents(received) == ["Hel"]
    assert info.value.code == "server_error"
    assert info.value.message == "The server had an error while processing your request."
    assert info.value.request_id == "s-1"
    assert info.value.error is not None
    assert info.value.error.code == "server_error"
    assert "server_error" in str(info.value)


async def test_error_object_in_an_async_stream(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse({"error": {"code": "rate_limit", "message": "slow"}}, done=False))
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    with pytest.raises(APIStreamError, match="slow"):
        await aconsume(stream, [])


@pytest.mark.parametrize(
    "tail",
    [b"", b'data: {"id": "chatcmpl-s", "obj', b"data: {}\n"],
    ids=["between events", "inside an event", "before the blank line"],
)
def test_stream_ending_before_done_raises_incomplete(
    tail: bytes, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(
        mock_api,
        sse(chat_chunk({"content": "Hel"}), done=False) + tail,
        headers={"apim-request-id": "cut"},
    )

    received: list[Any] = []
    with pytest.raises(IncompleteStreamError) as info:
        consume(client.chat.completions.create(messages=USER_MESSAGES, stream=True), received)

    assert _contents(received) == ["Hel"]
    assert info.value.request_id == "cut"


def test_connection_dropping_mid_stream_raises_incomplete(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    streams = _serve(
        mock_api,
        sse(chat_chunk({"content": "Hel"}), done=False),
        error=httpx.RemoteProtocolError("peer closed"),
    )
    received: list[Any] = []
    with pytest.raises(IncompleteStreamError):
        consume(client.chat.completions.create(messages=USER_MESSAGES, stream=True), received)
    assert len(received) == 1
    assert streams[0].closed


async def test_async_stream_ending_before_done(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(chat_chunk({"content": "Hel"}), done=False), chunk_size=4)
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    received: list[Any] = []
    with pytest.raises(IncompleteStreamError):
        await aconsume(stream, received)
    assert _contents(received) == ["Hel"]


def test_non_sse_answer_to_a_stream_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        200, json={"id": "chatcmpl-1", "choices": []}, headers={"apim-request-id": "j"}
    )
    with pytest.raises(APIResponseValidationError, match="stream") as info:
        client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    assert info.value.request_id == "j"
    assert "chatcmpl-1" in info.value.body_excerpt


async def test_non_sse_answer_to_an_async_stream_request(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        200, text="<html>proxy</html>", headers={"content-type": "text/html"}
    )
    with pytest.raises(APIResponseValidationError, match="proxy"):
        await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)


def test_event_that_is_not_json(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    _serve(mock_api, sse("this is not json"))
    with pytest.raises(IncompleteStreamError, match="not JSON"):
        list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))


# -- accumulation ---------------------------------------------------------------------------------

TOOL_STREAM = [
    AZURE_PROMPT_FILTER_CHUNK,
    chat_chunk(
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_a",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ],
        }
    ),
    chat_chunk(
        {
            "tool_calls": [
                {
                    "index": 1,
                    "id": "call_b",
                    "type": "function",
                    "function": {"name": "get_time", "arguments": '{"tz"'},
                }
            ]
        }
    ),
    chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city":'}}]}),
    chat_chunk({"tool_calls": [{"index": 1, "function": {"arguments": ': "UTC"}'}}]}),
    chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": ' "Oslo"}'}}]}),
    chat_chunk({}, finish_reason="tool_calls"),
    {
        **chat_chunk({}),
        "choices": [],
        "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30},
    },
]


def test_final_completion_merges_tool_calls_by_index(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*TOOL_STREAM), chunk_size=9)

    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        final = stream.get_final_completion()

    assert isinstance(final, CreateChatCompletionResponse)
    assert final.id == "chatcmpl-s"
    assert final.model == "gpt-4o"
    (choice,) = final.choices
    assert choice.finish_reason == "tool_calls"
    assert choice.message is not None
    assert choice.message.role == "assistant"
    calls = choice.message.tool_calls or []
    assert [(c.id, c.function.name, json.loads(c.function.arguments)) for c in calls] == [
        ("call_a", "get_weather", {"city": "Oslo"}),
        ("call_b", "get_time", {"tz": "UTC"}),
    ]
    assert final.usage is not None
    assert final.usage.total_tokens == 30
    (prompt,) = final.prompt_filter_results or []
    assert prompt.content_filter_results is not None
    assert prompt.content_filter_results.jailbreak is not None


def test_accumulator_merges_content_choices_finish_reasons_and_filter_results() -> None:
    filter_a = {
        "hate": {"filtered": False, "severity": "safe"},
        "violence": {"filtered": False, "severity": "low"},
    }
    filter_b = {"protected_material_text": {"filtered": False, "detected": True}}
    chunks = [
        AZURE_PROMPT_FILTER_CHUNK,
        chat_chunk({"role": "assistant", "content": "Hi"}, index=0),
        chat_chunk({"role": "assistant", "content": "Yo"}, index=1),
        chat_chunk({"content": " there"}, index=0, content_filter_results=filter_a),
        chat_chunk({"content": "!"}, index=1),
        chat_chunk({}, index=1, finish_reason="length"),
        chat_chunk({}, index=0, finish_reason="stop", content_filter_results=filter_b),
        # Azure closes with an empty results object; it must not wipe what came before.
        chat_chunk({}, index=0, content_filter_results={}),
    ]
    accumulator = ChatCompletionAccumulator()
    for raw in chunks:
        accumulator.add(CreateChatCompletionStreamResponse.model_validate(raw))

    assert accumulator.text == "Hi there"
    final = accumulator.completion()
    assert [c.index for c in final.choices] == [0, 1]
    assert [c.message.content if c.message else None for c in final.choices] == ["Hi there", "Yo!"]
    assert [c.finish_reason for c in final.choices] == ["stop", "length"]
    results = final.choices[0].content_filter_results
    assert isinstance(results, ContentFilterChoiceResults)
    assert results.violence is not None
    assert results.violence.severity == "low"
    assert results.protected_material_text is not None
    assert results.protected_material_text.detected is True
    assert final.prompt_filter_results is not None
    assert len(final.prompt_filter_results) == 1


def test_accumulator_merges_legacy_function_calls_and_logprobs() -> None:
    def logprob(token: str) -> dict[str, Any]:
        return {"content": [{"token": token, "logprob": -0.5, "bytes": None, "top_logprobs": []}]}

    chunks = [
        chat_chunk(
            {"role": "assistant", "function_call": {"name": "lookup", "arguments": ""}},
            logprobs=logprob("a"),
        ),
        chat_chunk({"function_call": {"arguments": '{"q": '}}, logprobs=logprob("b")),
        chat_chunk({"function_call": {"arguments": '"x"}'}}),
        chat_chunk({}, finish_reason="function_call"),
    ]
    accumulator = ChatCompletionAccumulator()
    for raw in chunks:
        accumulator.add(CreateChatCompletionStreamResponse.model_validate(raw))

    (choice,) = accumulator.completion().choices
    assert choice.message is not None
    assert choice.message.function_call is not None
    assert choice.message.function_call.name == "lookup"
    assert json.loads(choice.message.function_call.arguments) == {"q": "x"}
    assert choice.logprobs is not None
    assert [t.token for t in choice.logprobs.content or []] == ["a", "b"]


def test_final_completion_equals_concatenated_deltas(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*GREETING))
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message is not None
    assert final.choices[0].message.content == "Hello, world"
    assert final.choices[0].finish_reason == "stop"


def test_text_deltas(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    _serve(mock_api, sse(*GREETING), chunk_size=3)
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        assert list(stream.text_deltas()) == ["Hello", ", world"]


async def test_async_final_completion_and_text_deltas(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*TOOL_STREAM, *GREETING[2:]), chunk_size=11)

    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        final = await stream.get_final_completion()
    assert final.choices[0].message is not None
    assert final.choices[0].message.content == "Hello, world"
    assert len(final.choices[0].message.tool_calls or []) == 2

    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        assert [text async for text in stream.text_deltas()] == ["Hello", ", world"]


def test_final_completion_of_a_truncated_stream_raises(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # Cut before the finish reason: a body ending right after it is complete (test_stream_results).
    _serve(mock_api, sse(*GREETING[:-1], done=False))
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:  # noqa: SIM117
        with pytest.raises(IncompleteStreamError):
            stream.get_final_completion()


def test_raw_stream_response(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    _serve(
        mock_api,
        sse(*GREETING),
        headers={"apim-request-id": "raw-s", "x-ratelimit-remaining-requests": "9"},
    )
    raw = client.with_raw_response.chat.completions.create(messages=USER_MESSAGES, stream=True)
    assert raw.request_id == "raw-s"
    assert raw.headers["x-ratelimit-remaining-requests"] == "9"
    with raw.parse() as stream:
        assert list(stream.text_deltas()) == ["Hello", ", world"]


def test_async_stream_under_trio() -> None:
    async def scenario() -> None:
        body = sse(*GREETING, *TOOL_STREAM[1:])
        with respx.mock(base_url=BASE_URL) as router:
            router.post(CHAT_PATH).mock(
                side_effect=lambda request: sse_response(body, chunk_size=13)[0]
            )
            async with AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o") as client:
                stream = await client.chat.completions.create(messages=USER_MESSAGES, stream=True)
                async with stream:
                    final = await stream.get_final_completion()
        message = final.choices[0].message
        assert message is not None
        assert message.content == "Hello, world"
        assert [call.id for call in message.tool_calls or []] == ["call_a", "call_b"]

    anyio.run(scenario, backend="trio")
