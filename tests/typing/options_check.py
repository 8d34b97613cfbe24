# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Type-checker test of the per-call options (``timeout``, ``max_retries``, ``extra_headers``,
``extra_query``, ``extra_body``) and of what each client flavour returns.

Not run and not collected by pytest: pyright checks it (strict), like ``params_check.py``.
Wrong calls carry a ``# pyright: ignore[rule]`` that must stay necessary.
"""

from __future__ import annotations

from typing import Any

import httpx
from typing_extensions import assert_type

from azure_oai_preview import (
    AssistantStream,
    AsyncAssistantStream,
    AsyncAzureOpenAI,
    AsyncChatCompletionStream,
    AsyncCompletionStream,
    AsyncCursorPage,
    AzureOpenAI,
    ChatCompletionStream,
    CompletionStream,
    CursorPage,
    PollOptions,
    RawResponse,
    RequestOptions,
)
from azure_oai_preview.models import (
    AssistantObject,
    AudioResponse,
    AudioVerboseResponse,
    CompletionsCreateResponse,
    CreateChatCompletionResponse,
    RunObject,
)

MESSAGES: Any = [{"role": "user", "content": "hi"}]


def sync_options(client: AzureOpenAI) -> None:
    reply = client.chat.completions.create(
        messages=MESSAGES,
        timeout=10.0,
        max_retries=0,
        extra_headers={"x-trace": "1"},
        extra_query={"trace": "on", "n": 2},
        extra_body={"stream_options": {"include_usage": True}, "max_completion_tokens": 5},
    )
    assert_type(reply, CreateChatCompletionResponse)
    stream = client.chat.completions.create(
        messages=MESSAGES, stream=True, timeout=httpx.Timeout(30.0, connect=2.0)
    )
    assert_type(stream, ChatCompletionStream)
    with client.completions.create(prompt="Once", stream=True, timeout=30) as completions:
        assert_type(completions, CompletionStream)
        for text in completions.text_deltas():
            assert_type(text, str)
        final = completions.get_final_completion()
        assert_type(final, CompletionsCreateResponse)
        assert_type(final.choices[0].text, str | None)
    assert_type(client.assistants.retrieve("asst_1", timeout=None), AssistantObject)
    assert_type(
        client.assistants.list(limit=5, extra_query={"x": True}), CursorPage[AssistantObject]
    )
    text = client.audio.transcriptions.create(file=b"...", response_format="srt", max_retries=1)
    assert_type(text, str)
    verbose = client.audio.transcriptions.create(
        file=b"...", response_format="verbose_json", extra_body={"diarize": True}
    )
    assert_type(verbose, AudioVerboseResponse)
    plain = client.audio.translations.create(file=b"...", extra_headers={"x": "y"})
    assert_type(plain, AudioResponse)
    run = client.threads.runs.create_and_poll(
        "thread_1",
        assistant_id="asst_1",
        timeout=120,
        request_timeout=10,
        extra_headers={"x-trace": "1"},
        extra_body={"x": 1},
    )
    assert_type(run, RunObject)
    assert_type(client.threads.runs.poll("run_1", thread_id="t", max_retries=5), RunObject)
    options: RequestOptions = {"timeout": 5.0, "extra_headers": {"x-trace": "1"}}
    client.threads.retrieve("thread_1", **options)
    poll_options: PollOptions = {"request_timeout": 5.0}
    client.vector_stores.files.poll("file_1", vector_store_id="vs_1", **poll_options)
    with client.threads.runs.stream("thread_1", assistant_id="asst_1", timeout=60) as events:
        assert_type(events, AssistantStream)


def sync_options_wrong(client: AzureOpenAI) -> None:
    create = client.chat.completions.create
    create(messages=MESSAGES, timeout="10")  # pyright: ignore[reportArgumentType]
    create(messages=MESSAGES, max_retries="2")  # pyright: ignore[reportArgumentType]
    create(messages=MESSAGES, extra_headers={"x": 1})  # pyright: ignore[reportArgumentType]
    create(messages=MESSAGES, extra_query=[("a", "b")])  # pyright: ignore[reportArgumentType]
    create(messages=MESSAGES, extra_body="{}")  # pyright: ignore[reportArgumentType]
    create(messages=MESSAGES, extra_params={})  # pyright: ignore[reportCallIssue]
    client.threads.retrieve("t", request_timeout=3)  # pyright: ignore[reportCallIssue]
    client.threads.runs.poll("r", thread_id="t", extra_body={})  # pyright: ignore[reportCallIssue]


async def async_options(client: AsyncAzureOpenAI) -> None:
    reply = await client.chat.completions.create(
        messages=MESSAGES, timeout=5, extra_body={"stream_options": {"include_usage": True}}
    )
    assert_type(reply, CreateChatCompletionResponse)
    stream = await client.chat.completions.create(messages=MESSAGES, stream=True, max_retries=0)
    assert_type(stream, AsyncChatCompletionStream)
    completions = await client.completions.create(prompt="Once", stream=True, max_retries=0)
    assert_type(completions, AsyncCompletionStream)
    async with completions:
        async for text in completions.text_deltas():
            assert_type(text, str)
        final = await completions.get_final_completion()
    assert_type(final, CompletionsCreateResponse)
    page = await client.assistants.list(extra_headers={"x-trace": "1"})
    assert_type(page, AsyncCursorPage[AssistantObject])
    run = await client.threads.runs.submit_tool_outputs_and_poll(
        "run_1", thread_id="thread_1", tool_outputs=[], request_timeout=3.0
    )
    assert_type(run, RunObject)
    async with client.threads.runs.stream("thread_1", assistant_id="a", timeout=60) as events:
        assert_type(events, AsyncAssistantStream)
    await client.threads.retrieve("t", timeout="5")  # pyright: ignore[reportArgumentType]


async def raw_views(client: AzureOpenAI, aclient: AsyncAzureOpenAI) -> None:
    raw = client.with_raw_response.chat.completions.create(messages=MESSAGES, timeout=3)
    assert_type(raw, RawResponse[CreateChatCompletionResponse])
    araw = await aclient.with_raw_response.chat.completions.create(
        messages=MESSAGES, stream=True, extra_headers={"x": "y"}
    )
    assert_type(araw, RawResponse[AsyncChatCompletionStream])
    polled = client.with_raw_response.threads.runs.poll("r", thread_id="t")
    assert_type(polled, RunObject)
