"""The chat tool loop: response messages go back in the request shape, exactly (sync and async)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from _support import chat_chunk, chat_completion, request_json, sse, sse_response

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, InvalidRequestError
from azure_oai_preview._conversions import CONVERTERS
from azure_oai_preview.models import ChatCompletionRequestMessageParam, ChatCompletionToolParam

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
ROOT = Path(__file__).resolve().parents[2]

TOOLS: list[ChatCompletionToolParam] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]
CALL = {
    "id": "call_1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
}


def _tool_reply(**message_extra: Any) -> dict[str, Any]:
    body = chat_completion()
    body["choices"][0]["finish_reason"] = "tool_calls"
    body["choices"][0]["message"] = {
        "role": "assistant",
        "content": None,
        "tool_calls": [CALL],
        **message_extra,
    }
    return body


def _bodies(route: respx.Route) -> list[Any]:
    return [request_json(call.request) for call in route.calls]


EXPECTED_ASSISTANT = {"role": "assistant", "content": None, "tool_calls": [CALL]}
TOOL_MESSAGE = {"role": "tool", "tool_call_id": "call_1", "content": "18C"}


def test_the_reply_goes_back_in_the_request_shape(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # A newer service adds response-only fields; they are not sent back.
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.Response(200, json=_tool_reply(refusal=None, annotations=[])),
            httpx.Response(200, json=chat_completion("It is 18C.")),
        ]
    )
    messages: list[ChatCompletionRequestMessageParam] = [{"role": "user", "content": "Paris?"}]
    reply = client.chat.completions.create(messages=messages, tools=TOOLS)
    messages.append(reply.choices[0].message)
    messages.append({"role": "tool", "tool_call_id": "call_1", "content": "18C"})
    final = client.chat.completions.create(messages=messages, tools=TOOLS)

    assert final.choices[0].message.content == "It is 18C."
    second = _bodies(route)[1]
    assert second["messages"] == [
        {"role": "user", "content": "Paris?"},
        EXPECTED_ASSISTANT,
        TOOL_MESSAGE,
    ]
    assert second["tools"] == TOOLS
    # The caller's list still holds the response model itself.
    assert messages[1] is reply.choices[0].message


def test_a_plain_reply_goes_back_with_its_content(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion("Hello!"))
    reply = client.chat.completions.create(messages=[{"role": "user", "content": "Hi"}])
    client.chat.completions.create(
        messages=[reply.choices[0].message, {"role": "user", "content": "Again"}]
    )
    assert _bodies(route)[1]["messages"][0] == {"role": "assistant", "content": "Hello!"}


def test_legacy_function_call_goes_back(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    body = chat_completion()
    body["choices"][0]["message"] = {
        "role": "assistant",
        "content": None,
        "function_call": {"name": "get_weather", "arguments": "{}"},
    }
    route = mock_api.post(CHAT_PATH).respond(200, json=body)
    functions = [{"name": "get_weather"}]
    reply = client.chat.completions.create(
        messages=[{"role": "user", "content": "Paris?"}], functions=functions
    )
    client.chat.completions.create(
        messages=[
            reply.choices[0].message,
            {"role": "function", "name": "get_weather", "content": "18C"},
        ],
        functions=functions,
    )
    assert _bodies(route)[1]["messages"] == [
        {
            "role": "assistant",
            "content": None,
            "function_call": {"name": "get_weather", "arguments": "{}"},
        },
        {"role": "function", "name": "get_weather", "content": "18C"},
    ]


@pytest.mark.parametrize(
    ("context", "sent"),
    [
        (
            {
                "intent": '["cat care"]',
                "citations": [{"content": "chunk " * 200, "title": "Cats", "url": "https://x"}],
                "all_retrieved_documents": [],
            },
            {"intent": '["cat care"]'},
        ),
        ({"intents": ["cats"], "citations": []}, {"intents": ["cats"]}),
        ({"citations": [{"content": "only citations"}]}, None),
    ],
    ids=["intent", "aml-intents", "citations-only"],
)
def test_on_your_data_context_sends_back_only_the_intent(
    context: dict[str, Any],
    sent: dict[str, Any] | None,
    client: AzureOpenAI,
    mock_api: respx.MockRouter,
) -> None:
    body = chat_completion("From the docs [doc1].")
    body["choices"][0]["message"]["context"] = context
    route = mock_api.post(CHAT_PATH).respond(200, json=body)
    reply = client.chat.completions.create(messages=[{"role": "user", "content": "Cats?"}])
    client.chat.completions.create(
        messages=[reply.choices[0].message, {"role": "user", "content": "Dogs?"}]
    )
    expected: dict[str, Any] = {"role": "assistant", "content": "From the docs [doc1]."}
    if sent is not None:
        expected["context"] = sent
    assert _bodies(route)[1]["messages"][0] == expected


def test_a_broken_reply_is_refused_where_it_is_not_sent(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # The service broke the spec (a tool call without its function): the reply parses with
    # a deviation, and sending it back is refused naming the field, before anything is sent.
    broken = _tool_reply()
    broken["choices"][0]["message"]["tool_calls"] = [{"id": "call_1", "type": "function"}]
    route = mock_api.post(CHAT_PATH).respond(200, json=broken)
    reply = client.chat.completions.create(messages=[{"role": "user", "content": "Paris?"}])
    with pytest.raises(InvalidRequestError) as info:
        client.chat.completions.create(messages=[reply.choices[0].message])
    assert info.value.problems == [
        ("messages.0.tool_calls.0.function", "expected an object; got null")
    ]
    assert route.call_count == 1


def _stream(*chunks: dict[str, Any]) -> httpx.Response:
    return sse_response(sse(*chunks))[0]


STREAMED_TOOL_CALL = [
    chat_chunk({"role": "assistant", "content": None}),
    chat_chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": '},
                }
            ]
        }
    ),
    chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]}),
    chat_chunk({}, finish_reason="tool_calls"),
]
STREAMED_ANSWER = [
    chat_chunk({"role": "assistant", "content": "It is "}),
    chat_chunk({"content": "18C."}),
    chat_chunk({}, finish_reason="stop"),
]


def test_a_streamed_reply_goes_back_the_same_way(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[_stream(*STREAMED_TOOL_CALL), _stream(*STREAMED_ANSWER)]
    )
    messages: list[ChatCompletionRequestMessageParam] = [{"role": "user", "content": "Paris?"}]
    with client.chat.completions.create(messages=messages, tools=TOOLS, stream=True) as stream:
        messages.append(stream.get_final_completion().choices[0].message)
    messages.append({"role": "tool", "tool_call_id": "call_1", "content": "18C"})
    with client.chat.completions.create(messages=messages, tools=TOOLS, stream=True) as stream:
        answer = "".join(stream.text_deltas())

    assert answer == "It is 18C."
    second = _bodies(route)[1]
    assert second["stream"] is True
    assert second["messages"] == [
        {"role": "user", "content": "Paris?"},
        EXPECTED_ASSISTANT,
        TOOL_MESSAGE,
    ]


async def test_async_tool_loop(async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.Response(200, json=_tool_reply()),
            _stream(*STREAMED_TOOL_CALL),
            httpx.Response(200, json=chat_completion("Done.")),
        ]
    )
    messages: list[Any] = [{"role": "user", "content": "Paris?"}]
    reply = await async_client.chat.completions.create(messages=messages, tools=TOOLS)
    messages += [reply.choices[0].message, TOOL_MESSAGE]
    async with await async_client.chat.completions.create(
        messages=messages, tools=TOOLS, stream=True
    ) as stream:
        final = await stream.get_final_completion()
    messages += [final.choices[0].message, TOOL_MESSAGE]
    done = await async_client.chat.completions.create(messages=messages, tools=TOOLS)

    assert done.choices[0].message.content == "Done."
    bodies = _bodies(route)
    assert bodies[1]["messages"] == [
        {"role": "user", "content": "Paris?"},
        EXPECTED_ASSISTANT,
        TOOL_MESSAGE,
    ]
    assert bodies[2]["messages"] == [
        {"role": "user", "content": "Paris?"},
        EXPECTED_ASSISTANT,
        TOOL_MESSAGE,
        EXPECTED_ASSISTANT,
        TOOL_MESSAGE,
    ]


def test_every_declared_conversion_has_a_converter() -> None:
    """``codegen/sdk.toml`` [request_accepts] and ``_conversions.CONVERTERS`` agree."""
    from codegen.sdk import load_param_hooks

    declared = {m for models in load_param_hooks().accepts.values() for m in models}
    assert declared == set(CONVERTERS)


# -- the docs' example (docs/chat.md), executed ----------------------------------------------------------------


def _docs_example() -> str:
    text = (ROOT / "docs" / "chat.md").read_text(encoding="utf-8")
    marker = "<!-- tool-loop example: executed by tests/unit/test_tool_loop.py -->"
    match = re.search(re.escape(marker) + r"\n```python\n(.*?)\n```", text, re.DOTALL)
    assert match, "the tool-loop example of docs/chat.md is missing"
    return match.group(1)


def test_the_docs_tool_loop_runs(capsys: pytest.CaptureFixture[str]) -> None:
    rome = {
        **CALL,
        "id": "call_2",
        "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
    }
    streamed_rome = [
        chat_chunk({"role": "assistant", "content": None}),
        chat_chunk({"tool_calls": [{"index": 0, **rome}]}),
        chat_chunk({}, finish_reason="tool_calls"),
    ]
    with respx.mock(base_url="https://myres.openai.azure.com/openai") as router:
        route = router.post(CHAT_PATH).mock(
            side_effect=[
                httpx.Response(200, json=_tool_reply()),
                httpx.Response(200, json=chat_completion("18C and sunny.")),
                _stream(*streamed_rome),
                _stream(*STREAMED_ANSWER),
            ]
        )
        exec(compile(_docs_example(), "docs/chat.md", "exec"), {"__name__": "docs_example"})

    assert capsys.readouterr().out.splitlines() == ["18C and sunny.", "It is 18C."]
    bodies = _bodies(route)
    assert len(bodies) == 4
    assert bodies[1]["messages"] == [
        {"role": "user", "content": "What is the weather in Paris?"},
        EXPECTED_ASSISTANT,
        {"role": "tool", "tool_call_id": "call_1", "content": "18C and sunny in Paris"},
    ]
    assert bodies[3]["messages"][3:] == [
        {"role": "assistant", "content": "18C and sunny."},
        {"role": "user", "content": "And in Rome?"},
        {"role": "assistant", "content": None, "tool_calls": [rome]},
        {"role": "tool", "tool_call_id": "call_2", "content": "18C and sunny in Rome"},
    ]
