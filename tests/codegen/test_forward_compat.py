"""A newer service than the spec: unknown fields, enum values and union members survive."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from azure_oai_preview._models import OpenEnum
from azure_oai_preview.models import (
    AssistantStreamEvent,
    ContentFilterChoiceResults,
    CreateChatCompletionRequest,
    CreateChatCompletionResponse,
    MessageObject,
    RunObject,
    ThreadMessageDelta,
    ThreadRunCreated,
    UnknownAssistantStreamEvent,
    UnknownMessageObjectContentItem,
)

from .helpers import same_json

RUN: dict[str, Any] = {
    "id": "run_abc123",
    "object": "thread.run",
    "created_at": 1699063290,
    "assistant_id": "asst_abc123",
    "thread_id": "thread_abc123",
    "status": "queued",
    "started_at": 1699063290,
    "expires_at": None,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "last_error": None,
    "model": "gpt-4-turbo",
    "instructions": None,
    "tools": [{"type": "code_interpreter"}],
    "metadata": {},
    "usage": None,
    "response_format": "auto",
}

MESSAGE: dict[str, Any] = {
    "id": "msg_abc123",
    "object": "thread.message",
    "created_at": 1699017614,
    "assistant_id": None,
    "thread_id": "thread_abc123",
    "run_id": None,
    "role": "user",
    "content": [{"type": "text", "text": {"value": "hi", "annotations": []}}],
    "attachments": [],
    "metadata": {},
}

CHAT: dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1686676106,
    "model": "gpt-4o",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": "hello"},
            "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}},
        }
    ],
}


def dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def test_run_object_keeps_unknown_field_and_status() -> None:
    body = {**RUN, "status": "paused_for_review", "reasoning_effort": {"level": "high"}}
    run = RunObject.model_validate(body)
    assert isinstance(run.status, OpenEnum)
    assert run.status == "paused_for_review"
    assert not run.status.is_known()
    assert run.model_extra == {"reasoning_effort": {"level": "high"}}
    assert same_json(dump(run), body)


def test_message_keeps_unknown_content_type() -> None:
    body = copy.deepcopy(MESSAGE)
    body["content"].append(
        {"type": "audio_clip", "audio_clip": {"file_id": "file-1", "seconds": 3}}
    )
    body["status"] = "archived"
    message = MessageObject.model_validate(body)
    unknown = message.content[1]
    assert isinstance(unknown, UnknownMessageObjectContentItem)
    assert unknown.type == "audio_clip"
    assert unknown.model_extra == {"audio_clip": {"file_id": "file-1", "seconds": 3}}
    assert same_json(dump(message), body)


def test_known_tag_with_broken_body_is_not_swallowed() -> None:
    body = copy.deepcopy(MESSAGE)
    body["content"] = [{"type": "text"}]  # a text part without its required `text`
    with pytest.raises(ValidationError):
        MessageObject.model_validate(body)


def test_chat_completion_keeps_unknowns() -> None:
    body = copy.deepcopy(CHAT)
    body["object"] = "chat.completion.v2"
    body["service_tier"] = "priority"
    body["choices"][0]["message"]["refusal"] = None
    response = CreateChatCompletionResponse.model_validate(body)
    assert response.object == "chat.completion.v2"
    assert response.model_extra == {"service_tier": "priority"}
    assert same_json(dump(response), body)


def test_content_filter_results_keep_new_categories_and_severities() -> None:
    body = {
        "hate": {"filtered": True, "severity": "extreme"},
        "ungrounded_material": {"filtered": False, "detected": False},
        "protected_material_code": {
            "filtered": False,
            "detected": True,
            "citation": {"URL": "https://example.com/repo", "license": "MIT"},
        },
    }
    results = ContentFilterChoiceResults.model_validate(body)
    assert results.hate is not None
    assert results.hate.severity == "extreme"
    assert results.model_extra == {"ungrounded_material": {"filtered": False, "detected": False}}
    assert same_json(dump(results), body)


def test_stream_events_dispatch_and_fall_back() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(AssistantStreamEvent)
    created = adapter.validate_python({"event": "thread.run.created", "data": RUN})
    assert isinstance(created, ThreadRunCreated)
    assert isinstance(created.data, RunObject)
    delta = adapter.validate_python(
        {
            "event": "thread.message.delta",
            "data": {"id": "msg_1", "object": "thread.message.delta", "delta": {}},
        }
    )
    assert isinstance(delta, ThreadMessageDelta)
    future = {"event": "thread.run.step.thinking", "data": {"x": 1}}
    unknown = adapter.validate_python(future)
    assert isinstance(unknown, UnknownAssistantStreamEvent)
    assert same_json(adapter.dump_python(unknown, mode="json", exclude_unset=True), future)
    done = adapter.validate_python({"event": "done", "data": "[DONE]"})
    assert type(done).__name__ == "DoneEvent"


def test_request_side_aliases_and_secrets() -> None:
    request = CreateChatCompletionRequest.model_validate(
        {
            "messages": [{"role": "user", "content": "hi"}],
            "data_sources": [
                {
                    "type": "azure_search",
                    "parameters": {
                        "endpoint": "https://search.example",
                        "index_name": "idx",
                        "authentication": {"type": "api_key", "key": "very-secret-key"},
                    },
                }
            ],
        }
    )
    assert "very-secret-key" not in repr(request)
    assert type(request.messages[0]).__name__ == "ChatCompletionRequestMessageUser"
