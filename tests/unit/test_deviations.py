"""Responses that break the spec parse anyway: raw values kept, deviations recorded, one warning."""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest
import respx
from _support import USER_MESSAGES, chat_chunk, chat_completion, sse, sse_response

from azure_oai_preview import MISSING, AsyncAzureOpenAI, AzureOpenAI, Deviation, deviations
from azure_oai_preview import _deviations as deviations_module
from azure_oai_preview.models import CreateChatCompletionResponse

CHAT_PATH = "/deployments/gpt-4o/chat/completions"


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Each test starts as if no deviation had been logged yet in this process."""
    monkeypatch.setattr(deviations_module, "_reported", set())
    caplog.set_level(logging.WARNING, logger="azure_oai_preview")


def _deviation_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "azure_oai_preview"
        and r.levelno == logging.WARNING
        and "deviates" in r.getMessage()
    ]


def _reply(**changes: Any) -> dict[str, Any]:
    body = chat_completion("Hi!")
    body.update(changes)
    return body


def test_conforming_response_has_no_deviations(
    client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    mock_api.post(CHAT_PATH).respond(200, json=_reply())
    result = client.chat.completions.create(messages=USER_MESSAGES)
    assert deviations(result) == ()
    assert caplog.records == []


@pytest.mark.parametrize("created", ["2024-05-01T10:00:00Z", "1714557600"])
def test_wrong_type_keeps_the_raw_value_and_is_reported_once(
    created: str, client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    mock_api.post(CHAT_PATH).respond(200, json=_reply(created=created))

    result = client.chat.completions.create(messages=USER_MESSAGES)

    assert isinstance(result, CreateChatCompletionResponse)
    assert result.created == created  # the raw value: not a crash, not a loss, not a coercion
    assert result.choices[0].message is not None
    assert result.choices[0].message.content == "Hi!"  # everything else is typed as usual
    (deviation,) = deviations(result)
    assert isinstance(deviation, Deviation)
    assert deviation.path == ("created",)
    assert deviation.location == "created"
    assert deviation.raw == created
    assert "integer" in deviation.message
    assert str(deviation).startswith("created: ")
    (warning,) = _deviation_warnings(caplog)
    assert "CreateChatCompletionResponse" in warning
    assert "created" in warning

    # The same kind of deviation again: still recorded on the object, not logged again.
    again = client.chat.completions.create(messages=USER_MESSAGES)
    assert len(deviations(again)) == 1
    assert len(_deviation_warnings(caplog)) == 1


def test_missing_required_field(
    client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    body = _reply()
    del body["id"]
    mock_api.post(CHAT_PATH).respond(200, json=body)

    result = client.chat.completions.create(messages=USER_MESSAGES)

    assert result.id is None
    (deviation,) = deviations(result)
    assert deviation.path == ("id",)
    assert deviation.raw is MISSING
    assert "missing" in deviation.message
    assert len(_deviation_warnings(caplog)) == 1


def test_nested_deviation_is_located_precisely(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = _reply()
    body["choices"] = [copy.deepcopy(body["choices"][0]), copy.deepcopy(body["choices"][0])]
    body["choices"][1]["index"] = 1
    body["choices"][1]["message"]["content"] = {"parts": ["not", "a", "string"]}
    mock_api.post(CHAT_PATH).respond(200, json=body)

    result = client.chat.completions.create(messages=USER_MESSAGES)

    (deviation,) = deviations(result)
    assert deviation.path == ("choices", 1, "message", "content")
    assert deviation.raw == {"parts": ["not", "a", "string"]}
    second = result.choices[1].message
    assert second is not None
    assert second.content == {"parts": ["not", "a", "string"]}
    assert second.role == "assistant"
    first = result.choices[0].message
    assert first is not None
    assert first.content == "Hi!"


def test_several_deviations_are_all_listed(
    client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    body = _reply(
        created=None, usage={"prompt_tokens": "many", "completion_tokens": 1, "total_tokens": 2}
    )
    mock_api.post(CHAT_PATH).respond(200, json=body)
    result = client.chat.completions.create(messages=USER_MESSAGES)
    assert {d.location for d in deviations(result)} == {"created", "usage.prompt_tokens"}
    assert len(_deviation_warnings(caplog)) == 2


def test_unknown_fields_and_enum_values_are_kept_without_deviation(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = _reply(service_tier="priority", new_block={"nested": [1, 2]})
    body["choices"][0]["message"]["role"] = "critic"
    body["choices"][0]["message"]["refusal"] = None
    mock_api.post(CHAT_PATH).respond(200, json=body)

    result = client.chat.completions.create(messages=USER_MESSAGES)

    assert deviations(result) == ()
    assert result.model_extra == {"service_tier": "priority", "new_block": {"nested": [1, 2]}}
    message = result.choices[0].message
    assert message is not None
    assert message.role == "critic"
    assert message.role is not None
    assert not message.role.is_known()
    assert "refusal" in (message.model_extra or {})
    dumped = result.model_dump(mode="json")
    assert dumped["service_tier"] == "priority"
    assert dumped["choices"][0]["message"]["role"] == "critic"


async def test_async_client_parses_deviating_responses(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    body = _reply()
    del body["choices"][0]["message"]["content"]
    body["usage"] = {"prompt_tokens": 1}
    mock_api.post(CHAT_PATH).respond(200, json=body)

    result = await async_client.chat.completions.create(messages=USER_MESSAGES)

    locations = {d.location for d in deviations(result)}
    assert locations == {"usage.completion_tokens", "usage.total_tokens"}
    assert result.usage is not None
    assert result.usage.prompt_tokens == 1
    assert len(_deviation_warnings(caplog)) == 2


def test_deviating_stream_chunk_is_still_delivered(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    odd = chat_chunk({"content": "b"})
    odd["created"] = "later"
    body = sse(chat_chunk({"content": "a"}), odd)
    mock_api.post(CHAT_PATH).mock(side_effect=lambda request: sse_response(body)[0])

    chunks = list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))

    assert [c.choices[0].delta.content for c in chunks if c.choices[0].delta] == ["a", "b"]
    assert deviations(chunks[0]) == ()
    (deviation,) = deviations(chunks[1])
    assert (deviation.path, deviation.raw) == (("created",), "later")


def test_deviations_of_other_objects_are_empty() -> None:
    assert deviations(object()) == ()
    assert deviations({"created": "x"}) == ()
