"""What a stream adds up to: the final completion however the stream was read, every field of
the deltas, and the partial result an interrupted stream hands over (chat, completions)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from _support import (
    AZURE_PROMPT_FILTER_CHUNK,
    USER_MESSAGES,
    chat_chunk,
    consume,
    sse,
    sse_response,
)

from azure_oai_preview import (
    APIStreamError,
    AsyncAzureOpenAI,
    AzureOpenAI,
    ChatCompletionStream,
    IncompleteStreamError,
    deviations,
)
from azure_oai_preview.models import CompletionsCreateResponse, CreateChatCompletionResponse

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
COMPLETIONS_PATH = "/deployments/gpt-4o/completions"

ANSWER = [
    AZURE_PROMPT_FILTER_CHUNK,
    chat_chunk({"role": "assistant", "content": ""}),
    chat_chunk({"content": "Hello"}),
    chat_chunk({"content": ", "}),
    chat_chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": '{"q": '},
                }
            ]
        }
    ),
    chat_chunk({"content": "world"}),
    chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"x"}'}}]}),
    chat_chunk({}, finish_reason="tool_calls"),
    {
        **chat_chunk({}),
        "choices": [],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    },
]


def _serve(mock_api: respx.MockRouter, body: bytes, path: str = CHAT_PATH, **options: Any) -> None:
    mock_api.post(path).mock(side_effect=lambda request: sse_response(body, **options)[0])


def _check_answer(final: CreateChatCompletionResponse) -> None:
    (choice,) = final.choices
    assert choice.finish_reason == "tool_calls"
    message = choice.message
    assert message is not None
    assert message.content == "Hello, world"
    (call,) = message.tool_calls or []
    assert (call.id, call.function.name, json.loads(call.function.arguments)) == (
        "call_1",
        "lookup",
        {"q": "x"},
    )
    assert final.usage is not None
    assert final.usage.total_tokens == 12
    assert final.id == "chatcmpl-s"
    assert final.prompt_filter_results


# -- 1. the final completion is complete however the stream was read -----------------------------


def _iterate(stream: ChatCompletionStream) -> None:
    assert len(list(stream)) == len(ANSWER)


def _half(stream: ChatCompletionStream) -> None:
    for _ in range(4):
        next(stream)


def _text(stream: ChatCompletionStream) -> None:
    assert "".join(stream.text_deltas()) == "Hello, world"


READS: dict[str, Callable[[ChatCompletionStream], None]] = {
    "iterated": _iterate,
    "partly iterated": _half,
    "text_deltas": _text,
    "not read": lambda stream: None,
}


@pytest.mark.parametrize("read", sorted(READS))
def test_final_completion_after_reading_the_stream(
    read: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*ANSWER), chunk_size=23)
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        READS[read](stream)
        final = stream.get_final_completion()
        assert stream.get_final_completion() is final  # merged once
    _check_answer(final)


@pytest.mark.parametrize("read", ["iterated", "partly iterated", "text_deltas"])
async def test_async_final_completion_after_reading_the_stream(
    read: str, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*ANSWER), chunk_size=23)
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        if read == "iterated":
            assert len([chunk async for chunk in stream]) == len(ANSWER)
        elif read == "partly iterated":
            for _ in range(4):
                await stream.__anext__()
        else:
            assert "".join([t async for t in stream.text_deltas()]) == "Hello, world"
        final = await stream.get_final_completion()
    _check_answer(final)


def test_final_completion_of_a_stream_closed_early_raises_with_the_partial(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*ANSWER), chunk_size=23)
    stream = client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    for _ in range(4):
        next(stream)
    stream.close()
    with pytest.raises(IncompleteStreamError, match="closed before its end") as info:
        stream.get_final_completion()
    partial = info.value.partial
    assert isinstance(partial, CreateChatCompletionResponse)
    assert partial.choices[0].message is not None
    assert partial.choices[0].message.content == "Hello, "
    assert partial.choices[0].finish_reason is None


# -- 2. On Your Data context ------------------------------------------------------------------------

CONTEXT = {
    "citations": [
        {
            "content": "Refunds are accepted within 30 days.",
            "title": "refunds.md",
            "filepath": "policies/refunds.md",
            "chunk_id": "0",
        }
    ],
    "intent": '["refund window"]',
}


def test_on_your_data_context_reaches_the_final_message(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    chunks = [
        chat_chunk({"role": "assistant", "context": CONTEXT}),
        chat_chunk({"content": "Within 30 days [doc1]."}),
        chat_chunk({}, finish_reason="stop"),
    ]
    _serve(mock_api, sse(*chunks))
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        final = stream.get_final_completion()

    non_streamed = CreateChatCompletionResponse.model_validate(
        {
            "id": "chatcmpl-s",
            "object": "chat.completion",
            "created": 1_700_000_001,
            "model": "gpt-4o",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {
                        "role": "assistant",
                        "content": "Within 30 days [doc1].",
                        "context": CONTEXT,
                    },
                }
            ],
        }
    )
    message = final.choices[0].message
    assert message is not None
    assert message.context is not None
    assert message.context.citations is not None
    assert message.context.citations[0].filepath == "policies/refunds.md"
    expected = non_streamed.choices[0].message
    assert expected is not None
    assert message.model_dump(mode="json", exclude_unset=True) == expected.model_dump(
        mode="json", exclude_unset=True
    )


# -- 3. every field of a delta, known or not ------------------------------------------------------


def test_every_delta_field_is_merged(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    def chunk(delta: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {**chat_chunk(delta, **extra), "service_tier": "default"}

    # Azure's asynchronous filter closes with an annotation chunk whose envelope is empty.
    late_annotation = {
        "id": "",
        "object": "",
        "created": 0,
        "model": "",
        "choices": [
            {
                "index": 0,
                "finish_reason": None,
                "content_filter_results": {"violence": {"filtered": False, "severity": "low"}},
                "content_filter_offsets": {"check_offset": 0, "start_offset": 0, "end_offset": 30},
            }
        ],
    }
    chunks = [
        chunk({"role": "assistant", "refusal": "I can"}),
        chunk({"role": "assistant", "refusal": "not help "}),
        chunk({"refusal": "with that.", "audio": {"id": "audio_1", "transcript": "I can"}}),
        chunk({"audio": {"id": "audio_1", "transcript": "not."}}),
        chunk({}, finish_reason="stop"),
        late_annotation,
    ]
    _serve(mock_api, sse(*chunks))
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        final = stream.get_final_completion()

    dumped = final.model_dump(mode="json", exclude_unset=True)
    assert dumped["service_tier"] == "default"
    assert (dumped["id"], dumped["model"], dumped["created"]) == (
        "chatcmpl-s",
        "gpt-4o",
        1_700_000_001,
    )
    (choice,) = dumped["choices"]
    assert choice["message"] == {
        "role": "assistant",
        "content": None,
        "refusal": "I cannot help with that.",
        "audio": {"id": "audio_1", "transcript": "I cannot."},
    }
    assert choice["finish_reason"] == "stop"
    assert choice["content_filter_results"] == {"violence": {"filtered": False, "severity": "low"}}
    assert choice["content_filter_offsets"]["end_offset"] == 30


def _calls(*deltas: list[dict[str, Any]]) -> bytes:
    """A chat stream whose choice 0 streams these ``tool_calls`` deltas, one chunk each."""
    return sse(
        *(chat_chunk({"tool_calls": delta}) for delta in deltas),
        chat_chunk({}, finish_reason="tool_calls"),
    )


def _function(name: str | None = None, arguments: str = "", **call: Any) -> dict[str, Any]:
    function = {"arguments": arguments} if name is None else {"name": name, "arguments": arguments}
    return {**call, "function": function}


# Tool-call deltas without their index, as some Azure-hosted models stream them: the id comes
# with the first delta of each call (or is repeated unchanged), the arguments follow.
UNINDEXED = {
    "one call, arguments in pieces": (
        [
            [_function("get_weather", id="call_1", type="function")],
            [_function(arguments='{"city":')],
            [_function(arguments='"Paris"}')],
        ],
        [("call_1", "get_weather", '{"city":"Paris"}')],
    ),
    "two calls one after the other": (
        [
            [_function("f", "{", id="call_a", type="function")],
            [_function(arguments="}")],
            [_function("g", id="call_b", type="function")],
            [_function(arguments="{}")],
        ],
        [("call_a", "f", "{}"), ("call_b", "g", "{}")],
    ),
    "whole calls in one delta": (
        [[_function("f", "{}", id="call_a"), _function("g", "{}", id="call_b")]],
        [("call_a", "f", "{}"), ("call_b", "g", "{}")],
    ),
    "the id repeated on every delta": (
        [[_function("f", "{", id="call_a")], [_function(arguments="}", id="call_a")]],
        [("call_a", "f", "{}")],
    ),
    "an indexed start, then deltas without index": (
        [[_function("f", "{", id="call_a", index=0)], [_function(arguments="}")]],
        [("call_a", "f", "{}")],
    ),
}


@pytest.mark.parametrize("case", sorted(UNINDEXED))
def test_tool_call_deltas_without_index_are_told_apart_by_id(
    case: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # Each delta used to become a call of its own, with id None and a piece of the arguments.
    deltas, expected = UNINDEXED[case]
    _serve(mock_api, _calls(*deltas))
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        chunks = list(stream)
    assert len(chunks) == len(deltas) + 1  # every delta delivered, as sent
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        final = stream.get_final_completion()
    calls = final.choices[0].message.tool_calls or []
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == expected


async def test_async_tool_call_deltas_without_index(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    deltas, expected = UNINDEXED["two calls one after the other"]
    _serve(mock_api, _calls(*deltas))
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        final = await stream.get_final_completion()
    calls = final.choices[0].message.tool_calls or []
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == expected


def test_unindexed_tool_calls_add_up_the_same_in_an_accumulator_and_a_run_step() -> None:
    from _assistants_support import run, sse_body, stream_step, tool_delta
    from _assistants_support import sse_response as run_sse_response

    from azure_oai_preview import AssistantStream, ChatCompletionAccumulator

    # The rule is the merge's own: chunks collected by hand add up the same way...
    deltas, expected = UNINDEXED["two calls one after the other"]
    accumulator = ChatCompletionAccumulator()
    for delta in deltas:
        accumulator.add_json(json.dumps(chat_chunk({"tool_calls": delta})))
    calls = accumulator.completion().choices[0].message.tool_calls or []
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == expected
    # ... and so do a run step's tool call deltas.
    step = stream_step(id="step_fn", type="tool_calls", step_details={"type": "tool_calls"})
    events = [
        ("thread.run.created", run("in_progress")),
        ("thread.run.step.created", step),
        *(
            (
                "thread.run.step.delta",
                tool_delta("step_fn", *[{"type": "function", **d} for d in delta]),
            )
            for delta in deltas
        ),
        ("thread.run.completed", run("completed")),
    ]
    (snapshot,) = AssistantStream(run_sse_response(sse_body(events))).final_run_steps()
    calls = snapshot.step_details.tool_calls
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == expected


def test_completions_stream_partial_text(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    def piece(text: str) -> dict[str, Any]:
        return {
            "id": "cmpl-1",
            "object": "text_completion",
            "created": 1_700_000_002,
            "model": "gpt-35-turbo-instruct",
            "choices": [{"index": 0, "text": text, "finish_reason": None, "logprobs": None}],
        }

    _serve(
        mock_api,
        sse(piece("Once upon"), piece(" a time"), done=False),
        path=COMPLETIONS_PATH,
        error=httpx.ReadError("reset"),
    )
    received: list[Any] = []
    with pytest.raises(IncompleteStreamError) as info:
        consume(client.completions.create(prompt="Tell me", stream=True), received)
    assert len(received) == 2
    partial = info.value.partial
    assert isinstance(partial, CompletionsCreateResponse)
    assert partial.id == "cmpl-1"
    assert partial.choices[0].text == "Once upon a time"
    assert partial.choices[0].finish_reason is None


async def test_async_completions_stream_partial_text(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = {
        "id": "cmpl-1",
        "object": "text_completion",
        "created": 1_700_000_002,
        "model": "m",
        "choices": [{"index": 0, "text": "Once", "finish_reason": None}],
    }
    _serve(mock_api, sse(body, done=False) + b'data: {"id": "cmpl', path=COMPLETIONS_PATH)
    stream = await async_client.completions.create(prompt="Tell me", stream=True)
    with pytest.raises(IncompleteStreamError) as info:
        async for _ in stream:
            pass
    assert info.value.partial.choices[0].text == "Once"


# -- 4. a stream that ends early keeps what arrived ------------------------------------------------

CUTS: dict[str, tuple[bytes, dict[str, Any]]] = {
    "connection drops": (b"", {"error": httpx.RemoteProtocolError("peer closed")}),
    "cut inside an event": (b'data: {"id": "chatcmpl-s", "choi', {}),
    "body ends between events": (b"", {}),
    "an event that is not JSON": (b"data: {oops\n\n", {}),
}


@pytest.mark.parametrize("cut", sorted(CUTS))
def test_incomplete_stream_error_carries_the_partial_completion(
    cut: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    tail, options = CUTS[cut]
    _serve(mock_api, sse(*ANSWER[:6], done=False) + tail, chunk_size=17, **options)
    stream = client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    with pytest.raises(IncompleteStreamError) as info:
        stream.get_final_completion()
    partial = info.value.partial
    assert isinstance(partial, CreateChatCompletionResponse)
    message = partial.choices[0].message
    assert message is not None
    assert message.content == "Hello, world"
    assert message.tool_calls is not None
    assert message.tool_calls[0].function.arguments == '{"q": '
    assert partial.choices[0].finish_reason is None
    assert partial.prompt_filter_results
    if cut == "an event that is not JSON":
        assert info.value.data == "{oops"


@pytest.mark.parametrize("cut", sorted(CUTS))
async def test_async_incomplete_stream_error_carries_the_partial_completion(
    cut: str, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    tail, options = CUTS[cut]
    _serve(mock_api, sse(*ANSWER[:6], done=False) + tail, chunk_size=17, **options)
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    with pytest.raises(IncompleteStreamError) as info:
        async for _ in stream:
            pass
    message = info.value.partial.choices[0].message
    assert message.content == "Hello, world"


def test_error_object_carries_the_partial_completion(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    error = {"error": {"code": "server_error", "message": "boom"}}
    _serve(mock_api, sse(*ANSWER[:4], error, done=False))
    with pytest.raises(APIStreamError) as info:
        list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert info.value.partial.choices[0].message.content == "Hello, "


@pytest.mark.parametrize("read", ["not read", "partly iterated"])
def test_get_final_completion_raises_the_error_object_with_the_partial(
    read: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # get_final_completion merges the chunks it reads without building them: an error
    # object must still be found, with what came before it merged.
    error = {"error": {"code": "server_error", "message": "boom"}}
    _serve(mock_api, sse(*ANSWER[:6], error, *ANSWER[6:]), chunk_size=29)
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        READS[read](stream)
        with pytest.raises(APIStreamError, match="boom") as info:
            stream.get_final_completion()
    partial = info.value.partial
    assert isinstance(partial, CreateChatCompletionResponse)
    assert partial.choices[0].message is not None
    assert partial.choices[0].message.content == "Hello, world"
    assert partial.choices[0].message.tool_calls is not None


async def test_async_get_final_completion_raises_the_error_object_with_the_partial(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    error = {"error": {"code": "server_error", "message": "boom"}}
    _serve(mock_api, sse(*ANSWER[:4], error), chunk_size=29)
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        with pytest.raises(APIStreamError, match="boom") as info:
            await stream.get_final_completion()
    assert info.value.partial.choices[0].message.content == "Hello, "


def test_an_error_object_that_also_looks_like_a_chunk_is_an_error(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # It validates as a chunk (every field a chunk needs is there): the error member decides.
    error = {**chat_chunk({"content": "!"}), "error": {"code": "server_error", "message": "boom"}}
    _serve(mock_api, sse(*ANSWER[:4], error))
    received: list[Any] = []
    with pytest.raises(APIStreamError, match="boom") as info:
        consume(client.chat.completions.create(messages=USER_MESSAGES, stream=True), received)
    assert len(received) == 4
    assert info.value.partial.choices[0].message.content == "Hello, "


def test_an_error_member_inside_a_chunk_is_not_an_error_object(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # Content filter results report a filter that could not run with an "error" member.
    filter_error = {"error": {"code": "content_filter_error", "message": "filter unavailable"}}
    chunk = chat_chunk({"content": "Hi"}, content_filter_results=filter_error)
    _serve(mock_api, sse(AZURE_PROMPT_FILTER_CHUNK, chunk, chat_chunk({}, finish_reason="stop")))
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        chunks = list(stream)
    results = chunks[1].choices[0].content_filter_results
    assert results is not None
    assert results.error is not None
    assert results.error.code == "content_filter_error"


def test_a_body_in_one_read_longer_than_a_slice(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # An in-process transport hands the whole body over in one piece; the stream decodes it
    # a slice at a time, with events cut at every slice boundary.
    pieces = [f"piece {i} " for i in range(2000)]
    body = sse(chat_chunk({"role": "assistant"}), *(chat_chunk({"content": p}) for p in pieces))
    assert len(body) > 3 * 64 * 1024
    for chunk_size in (None, 1000):
        _serve(mock_api, body, chunk_size=chunk_size)
        with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
            texts = list(stream.text_deltas())
        assert texts == pieces
        with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
            final = stream.get_final_completion()
        assert final.choices[0].message is not None
        assert final.choices[0].message.content == "".join(pieces)


def test_nothing_received_means_no_partial(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    _serve(mock_api, b"", error=httpx.ReadError("reset"))
    with pytest.raises(IncompleteStreamError) as info:
        list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    assert info.value.partial is None


# The body of some Azure-hosted deployments: content, the finish reason, then the end of the
# body without `data: [DONE]` (seen on content-filtered streams).
FILTERED_WITHOUT_DONE = sse(
    chat_chunk({"role": "assistant", "content": "Here is how to"}),
    chat_chunk(
        {},
        finish_reason="content_filter",
        content_filter_results={"violence": {"filtered": True, "severity": "medium"}},
    ),
    done=False,
)


def test_finished_stream_without_done_is_complete_with_a_deviation(
    client: AzureOpenAI,
    mock_api: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _serve(mock_api, FILTERED_WITHOUT_DONE)
    caplog.set_level(logging.WARNING, "azure_oai_preview")
    monkeypatch.setattr("azure_oai_preview._streaming._missing_done_logged", False)
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        assert len(list(stream)) == 2
        final = stream.get_final_completion()

    (choice,) = final.choices
    assert choice.finish_reason == "content_filter"
    assert choice.message is not None
    assert choice.message.content == "Here is how to"
    assert choice.content_filter_results is not None
    assert choice.content_filter_results.violence is not None
    assert choice.content_filter_results.violence.filtered is True
    (deviation,) = deviations(final)
    assert "[DONE]" in deviation.message
    (record,) = [r for r in caplog.records if "[DONE]" in r.getMessage()]
    assert record.levelno == logging.WARNING


async def test_async_finished_stream_without_done_is_complete(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, FILTERED_WITHOUT_DONE, chunk_size=9)
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        final = await stream.get_final_completion()
    assert final.choices[0].finish_reason == "content_filter"
    assert len(deviations(final)) == 1


def test_unfinished_choice_without_done_is_incomplete(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # Two choices, only one finished: the body ending here lost the other's end.
    body = sse(
        chat_chunk({"content": "A"}, index=0),
        chat_chunk({"content": "B"}, index=1),
        chat_chunk({}, index=0, finish_reason="stop"),
        done=False,
    )
    _serve(mock_api, body)
    with pytest.raises(IncompleteStreamError, match=r"\[DONE\]") as info:
        list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
    partial = info.value.partial
    assert [c.finish_reason for c in partial.choices] == ["stop", None]
    assert [c.message.content for c in partial.choices] == ["A", "B"]


def test_the_text_kept_for_the_final_completion_is_bounded(
    client: AzureOpenAI, mock_api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the limit the kept chunk texts are merged: an endless stream holds what its
    # chunks add up to, not every chunk; the final completion is the same either way.
    monkeypatch.setattr("azure_oai_preview._streaming.PENDING_LIMIT", 2_000)
    pieces = [chat_chunk({"content": f"w{i} "}) for i in range(200)]
    body = sse(chat_chunk({"role": "assistant"}), *pieces, chat_chunk(finish_reason="stop"))
    response, _ = sse_response(body)
    mock_api.post(CHAT_PATH).mock(return_value=response)
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        kept: list[int] = []
        for _ in stream:
            kept.append(len(stream._decoder.received))  # pyright: ignore[reportPrivateUsage]
        final = stream.get_final_completion()
    assert max(kept) < 20, "never more than the limit's worth of chunk texts kept"
    assert final.choices[0].message.content == "".join(f"w{i} " for i in range(200))
