"""The stream chunk schemas added by transforms fit what Azure OpenAI actually streams."""

from __future__ import annotations

from typing import Any

import pytest

from azure_oai_preview.models import CompletionsCreateResponse, CreateChatCompletionStreamResponse

from .helpers import deviations, same_json

CHAT_CHUNKS: list[dict[str, Any]] = [
    # Azure's first chunk: prompt filter results only, with empty identity fields.
    {
        "choices": [],
        "created": 0,
        "id": "",
        "model": "",
        "object": "",
        "prompt_filter_results": [
            {
                "prompt_index": 0,
                "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}},
            }
        ],
    },
    {
        "choices": [
            {
                "delta": {"content": "", "role": "assistant"},
                "finish_reason": None,
                "index": 0,
                "logprobs": None,
            }
        ],
        "created": 1717000000,
        "id": "chatcmpl-1",
        "model": "gpt-4o-2024-05-13",
        "object": "chat.completion.chunk",
        "system_fingerprint": "fp_1",
    },
    {
        "choices": [
            {
                "delta": {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "f", "arguments": ""},
                        }
                    ]
                },
                "finish_reason": None,
                "index": 0,
            }
        ],
        "created": 1717000000,
        "id": "chatcmpl-1",
        "model": "gpt-4o-2024-05-13",
        "object": "chat.completion.chunk",
    },
    # Content filter results for the output arrive on a choice without a delta.
    {
        "choices": [
            {
                "content_filter_offsets": {"check_offset": 0, "start_offset": 0, "end_offset": 12},
                "content_filter_results": {"violence": {"filtered": False, "severity": "safe"}},
                "finish_reason": None,
                "index": 0,
            }
        ],
        "created": 1717000000,
        "id": "chatcmpl-1",
        "model": "gpt-4o-2024-05-13",
        "object": "chat.completion.chunk",
    },
    {
        "choices": [{"delta": {}, "finish_reason": "tool_calls", "index": 0}],
        "created": 1717000000,
        "id": "chatcmpl-1",
        "model": "gpt-4o-2024-05-13",
        "object": "chat.completion.chunk",
        "usage": None,
    },
    # stream_options.include_usage: the last chunk carries usage and no choices.
    {
        "choices": [],
        "created": 1717000000,
        "id": "chatcmpl-1",
        "model": "gpt-4o-2024-05-13",
        "object": "chat.completion.chunk",
        "usage": {"completion_tokens": 5, "prompt_tokens": 9, "total_tokens": 14},
    },
]


@pytest.mark.parametrize("chunk", CHAT_CHUNKS)
def test_chat_chunks_parse_without_deviation(chunk: dict[str, Any]) -> None:
    parsed = CreateChatCompletionStreamResponse.model_validate(chunk)
    assert deviations(parsed) == []
    dumped = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert same_json(dumped, chunk)


def test_completion_chunks_parse_without_deviation() -> None:
    for chunk in (
        {
            "id": "cmpl-1",
            "object": "text_completion",
            "created": 1,
            "model": "m",
            "choices": [{"text": "Hel", "index": 0, "logprobs": None, "finish_reason": None}],
        },
        {
            "id": "cmpl-1",
            "object": "text_completion",
            "created": 1,
            "model": "m",
            "choices": [{"text": "", "index": 0, "logprobs": None, "finish_reason": "stop"}],
        },
    ):
        parsed = CompletionsCreateResponse.model_validate(chunk)
        assert deviations(parsed) == []
        assert same_json(parsed.model_dump(mode="json", by_alias=True, exclude_unset=True), chunk)
