"""Chat, completions and embeddings: the default rules, scripts, and Azure's stream shape."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from azure_oai_preview import AzureOpenAI
from azure_oai_preview.testing import Emulator, Reply, RunFailure, ToolCall, Turn

from ._support import WEATHER_TOOL, raw


@pytest.fixture
def client(azure_openai_emulator: Emulator) -> AzureOpenAI:
    return azure_openai_emulator.client(deployment="gpt-4o", max_retries=0)


def _say(client: AzureOpenAI, text: str, **options: Any) -> Any:
    return client.chat.completions.create(messages=[{"role": "user", "content": text}], **options)


def test_default_reply_echoes_the_last_user_message(client: AzureOpenAI) -> None:
    reply = _say(client, "Name one prime number.")
    assert reply.choices[0].message.content == 'You said: "Name one prime number."'
    assert reply.choices[0].finish_reason == "stop"
    assert reply.model == "gpt-4o-2024-05-13"
    assert reply.usage.completion_tokens == 10  # You said : " Name one prime number . "
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + 10
    filters = reply.prompt_filter_results[0].content_filter_results
    assert filters.violence.filtered is False
    assert filters.jailbreak.detected is False


def test_scripted_replies_per_deployment_then_any(
    azure_openai_emulator: Emulator, client: AzureOpenAI
) -> None:
    azure_openai_emulator.script.reply("for mini", deployment="gpt-4o-mini")
    azure_openai_emulator.script.replies("first", "second")
    assert _say(client, "a").choices[0].message.content == "first"
    mini = client.with_options(deployment="gpt-4o-mini")
    assert _say(mini, "b").choices[0].message.content == "for mini"
    assert _say(mini, "c").choices[0].message.content == "second"
    assert _say(client, "d").choices[0].message.content == 'You said: "d"'
    assert azure_openai_emulator.script.pending() == 0


def test_responder_sees_the_turn_and_may_pass(
    azure_openai_emulator: Emulator, client: AzureOpenAI
) -> None:
    seen: list[Turn] = []

    def responder(turn: Turn) -> str | None:
        seen.append(turn)
        return "pong" if turn.last_user_message == "ping" else None

    azure_openai_emulator.script.respond_with(responder)
    assert _say(client, "ping").choices[0].message.content == "pong"
    assert _say(client, "other").choices[0].message.content == 'You said: "other"'
    assert [t.kind for t in seen] == ["chat", "chat"]
    assert seen[0].deployment == "gpt-4o"


def test_tool_loop_by_the_default_rule(client: AzureOpenAI) -> None:
    question = [{"role": "user", "content": "Please call get_weather for me"}]
    first = client.chat.completions.create(messages=question, tools=[WEATHER_TOOL])
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.function.name == "get_weather"
    # defaults first, then the first enum value, then a value of the declared type
    assert json.loads(call.function.arguments) == {"city": "Paris", "unit": "celsius", "days": 0}
    answer = client.chat.completions.create(
        messages=[
            *question,
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump(mode="json")]},
            {"role": "tool", "tool_call_id": call.id, "content": '{"sky": "clear"}'},
        ],
        tools=[WEATHER_TOOL],
    )
    assert answer.choices[0].message.content == 'get_weather returned {"sky": "clear"}.'


def test_tool_choice_none_and_forced(client: AzureOpenAI) -> None:
    unnamed = _say(client, "hello", tools=[WEATHER_TOOL])
    assert unnamed.choices[0].message.tool_calls is None
    refused = _say(client, "use get_weather", tools=[WEATHER_TOOL], tool_choice="none")
    assert refused.choices[0].message.content == 'You said: "use get_weather"'
    forced = _say(
        client,
        "hello",
        tools=[WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )
    assert forced.choices[0].message.tool_calls[0].function.name == "get_weather"


def test_legacy_functions_get_a_function_call(client: AzureOpenAI) -> None:
    reply = _say(client, "get_weather now", functions=[WEATHER_TOOL["function"]])
    choice = reply.choices[0]
    assert choice.finish_reason == "function_call"
    assert choice.message.function_call.name == "get_weather"


def test_max_tokens_cuts_with_length_and_json_mode_wraps(client: AzureOpenAI) -> None:
    cut = _say(client, "one two three four", max_tokens=3)
    assert cut.choices[0].message.content == "You said:"
    assert cut.choices[0].finish_reason == "length"
    wrapped = _say(client, "hi", response_format={"type": "json_object"})
    assert json.loads(wrapped.choices[0].message.content) == {"reply": 'You said: "hi"'}


def test_n_choices_and_logprobs(client: AzureOpenAI) -> None:
    reply = _say(client, "hi", n=2, logprobs=True, top_logprobs=1)
    assert [c.index for c in reply.choices] == [0, 1]
    tokens = [entry.token for entry in reply.choices[0].logprobs.content]
    assert "".join(tokens) == 'You said: "hi"'


def test_scripted_failure_is_a_server_error(
    azure_openai_emulator: Emulator, client: AzureOpenAI
) -> None:
    from azure_oai_preview import InternalServerError

    azure_openai_emulator.script.reply(Reply.calls(ToolCall("x", "{not json")))
    assert _say(client, "hi").choices[0].message.tool_calls[0].function.arguments == "{not json"
    azure_openai_emulator.script.respond_with(lambda turn: RunFailure("server_error", "boom"))
    with pytest.raises(InternalServerError, match="boom"):
        _say(client, "hi")


def _chunks(emulator: Emulator) -> list[Any]:
    return [json.loads(data) for _, data in emulator.history[-1].events() if data != "[DONE]"]


def test_stream_has_azures_shape(azure_openai_emulator: Emulator, client: AzureOpenAI) -> None:
    with _say(client, "Count to three", stream=True) as stream:
        final = stream.get_final_completion()
    text = 'You said: "Count to three"'
    assert final.choices[0].message.content == text
    with _say(client, "Count to three", stream=True) as stream:
        assert "".join(stream.text_deltas()) == text
    events = azure_openai_emulator.history[-1].events()
    assert events[-1] == (None, "[DONE]")
    chunks = _chunks(azure_openai_emulator)
    first, role, *content, last = chunks
    assert first["choices"] == []
    assert first["id"] == ""
    assert first["prompt_filter_results"]
    assert role["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert "".join(c["choices"][0]["delta"]["content"] for c in content) == text
    assert all(
        c["choices"][0]["content_filter_results"]["hate"]["severity"] == "safe" for c in content
    )
    assert all(c["choices"][0]["finish_reason"] is None for c in [role, *content])
    assert last["choices"][0]["finish_reason"] == "stop"
    assert last["choices"][0]["delta"] == {}


def test_streamed_tool_calls_have_indexed_deltas(
    azure_openai_emulator: Emulator, client: AzureOpenAI
) -> None:
    azure_openai_emulator.script.reply(
        Reply.calls(
            ToolCall("get_weather", {"city": "Oslo"}), ToolCall("get_weather", {"city": "Rome"})
        )
    )
    with _say(client, "weather?", tools=[WEATHER_TOOL], stream=True) as stream:
        final = stream.get_final_completion()
    calls = final.choices[0].message.tool_calls
    assert [json.loads(c.function.arguments)["city"] for c in calls] == ["Oslo", "Rome"]
    deltas = [
        piece
        for chunk in _chunks(azure_openai_emulator)[1:]
        for piece in chunk["choices"][0]["delta"].get("tool_calls", [])
    ]
    assert {d["index"] for d in deltas} == {0, 1}
    assert [d["id"] for d in deltas if "id" in d] == [c.id for c in calls]
    assert _chunks(azure_openai_emulator)[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_legacy_completions_default_to_16_tokens(client: AzureOpenAI) -> None:
    long = " ".join(["word"] * 30)
    reply = client.completions.create(deployment="gpt-35-turbo-instruct", prompt=long)
    assert reply.choices[0].finish_reason == "length"
    assert reply.choices[0].text.startswith('You said: "word')
    two = client.completions.create(
        deployment="gpt-35-turbo-instruct", prompt=["a", "b"], max_tokens=50
    )
    assert [c.text for c in two.choices] == ['You said: "a"', 'You said: "b"']
    assert [r.prompt_index for r in two.prompt_filter_results] == [0, 1]


def test_completions_stream(azure_openai_emulator: Emulator) -> None:
    with raw(azure_openai_emulator) as http:
        body = http.post(
            "/deployments/gpt-35-turbo-instruct/completions", json={"prompt": "hi", "stream": True}
        ).text
    assert body.endswith("data: [DONE]\n\n")
    chunks = _chunks(azure_openai_emulator)
    assert chunks[0]["choices"] == []
    assert "".join(c["choices"][0]["text"] for c in chunks[1:]) == 'You said: "hi"'
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_completions_stream_adds_up_to_the_non_streamed_reply(client: AzureOpenAI) -> None:
    options: dict[str, Any] = {
        "deployment": "gpt-35-turbo-instruct",
        "prompt": ["Tell a story", "Count to three"],
        "n": 2,
        "max_tokens": 50,
    }
    reply = client.completions.create(**options)
    with client.completions.create(**options, stream=True) as stream:
        text = "".join(stream.text_deltas())
        final = stream.get_final_completion()
    assert text == reply.choices[0].text
    assert len(final.choices) == len(reply.choices) == 4
    assert [c.model_dump() for c in final.choices] == [c.model_dump() for c in reply.choices]
    assert final.prompt_filter_results == reply.prompt_filter_results
    assert (final.object, final.model) == (reply.object, reply.model)


def _cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_embeddings_are_deterministic_unit_vectors(client: AzureOpenAI) -> None:
    texts = [
        "the cat sat on the mat",
        "the cat sat",
        "quantum chromodynamics",
        "the cat sat on the mat",
    ]
    vectors = [
        d.embedding
        for d in client.embeddings.create(deployment="text-embedding-3-small", input=texts).data
    ]
    assert [len(v) for v in vectors] == [1536] * 4
    assert all(math.isclose(_cosine(v, v), 1.0, rel_tol=1e-4) for v in vectors)
    assert vectors[0] == vectors[3]
    assert _cosine(vectors[0], vectors[1]) > 0.6 > 0.2 > abs(_cosine(vectors[0], vectors[2]))
    small = client.embeddings.create(deployment="text-embedding-3-large", input="x", dimensions=256)
    assert len(small.data[0].embedding) == 256


def test_dimensions_on_a_model_without_them_is_refused(client: AzureOpenAI) -> None:
    from azure_oai_preview import BadRequestError

    with pytest.raises(BadRequestError) as caught:
        client.embeddings.create(deployment="text-embedding-ada-002", input="x", dimensions=8)
    assert caught.value.body.error.param == "dimensions"


async def test_async_client_chat_and_stream(azure_openai_emulator: Emulator) -> None:
    async with azure_openai_emulator.async_client(deployment="gpt-4o") as client:
        reply = await client.chat.completions.create(messages=[{"role": "user", "content": "hi"}])
        stream = await client.chat.completions.create(
            messages=[{"role": "user", "content": "yo"}], stream=True
        )
        async with stream:
            text = "".join([piece async for piece in stream.text_deltas()])
    assert reply.choices[0].message.content == 'You said: "hi"'
    assert text == 'You said: "yo"'
