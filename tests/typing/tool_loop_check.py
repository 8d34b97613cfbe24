# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Type-checker test of the common chat path: a tool loop, vision parts, union narrowing.

Checked by pyright (strict) like ``params_check.py``: a user program must type-check without
casts, and each wrong line carries a ``pyright: ignore`` that must stay necessary.
"""

from __future__ import annotations

import base64
import json

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI
from azure_oai_preview.models import (
    ChatCompletionRequestMessageContentPartParam,
    ChatCompletionRequestMessageParam,
    ChatCompletionToolParam,
    MessageContentImageFileObject,
    MessageContentTextObject,
    MessageObject,
)

TOOLS: list[ChatCompletionToolParam] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    },
    {"type": "function", "function": {"name": "get_time"}},  # no parameters: no arguments
]


def get_weather(city: str) -> str:
    return f"18C in {city}"


def answer_tool_calls(
    message_calls: list[tuple[str, str]],
) -> list[ChatCompletionRequestMessageParam]:
    return [
        {
            "role": "tool",
            "tool_call_id": call_id,
            "content": get_weather(json.loads(arguments)["city"]),
        }
        for call_id, arguments in message_calls
    ]


def tool_loop(client: AzureOpenAI) -> str | None:
    messages: list[ChatCompletionRequestMessageParam] = [
        {"role": "user", "content": "What is the weather in Paris?"}
    ]
    while True:
        reply = client.chat.completions.create(messages=messages, tools=TOOLS, logit_bias={9642: 5})
        message = reply.choices[0].message  # required: no None check needed
        messages.append(message)  # the response message goes back as it came
        if not message.tool_calls:
            return message.content
        messages.extend(
            answer_tool_calls([(call.id, call.function.arguments) for call in message.tool_calls])
        )


def streamed_tool_loop(client: AzureOpenAI) -> str:
    messages: list[ChatCompletionRequestMessageParam] = [
        {"role": "system", "content": "Answer briefly.", "name": "setup"},
        {"role": "user", "content": "What is the weather in Paris?"},
    ]
    with client.chat.completions.create(messages=messages, tools=TOOLS, stream=True) as stream:
        completion = stream.get_final_completion()
    message = completion.choices[0].message
    messages.append(message)
    for call in message.tool_calls or []:
        messages.append({"role": "tool", "tool_call_id": call.id, "content": "18C"})
    with client.chat.completions.create(messages=messages, stream=True) as stream:
        return "".join(stream.text_deltas())


async def async_tool_loop(client: AsyncAzureOpenAI) -> str | None:
    messages: list[ChatCompletionRequestMessageParam] = [{"role": "user", "content": "Hi"}]
    reply = await client.chat.completions.create(messages=messages, tools=TOOLS)
    messages.append(reply.choices[0].message)
    async with await client.chat.completions.create(messages=messages, stream=True) as stream:
        final = await stream.get_final_completion()
    messages.append(final.choices[0].message)
    return final.choices[0].message.content


def vision(client: AzureOpenAI, png: bytes) -> str | None:
    data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    parts: list[ChatCompletionRequestMessageContentPartParam] = [
        {"type": "text", "text": "What is in these pictures?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
        {"type": "image_url", "image_url": {"url": data_url}},
    ]
    reply = client.chat.completions.create(messages=[{"role": "user", "content": parts}])
    return reply.choices[0].message.content


def wrong_shapes(client: AzureOpenAI) -> None:
    # The flat image part the 2024-05-01-preview schema declared (the service refuses it).
    flat: ChatCompletionRequestMessageContentPartParam = {"type": "image_url", "url": "https://x"}  # pyright: ignore[reportAssignmentType]
    print(flat)
    # A function message needs the function's name.
    client.chat.completions.create(messages=[{"role": "function", "content": "18C"}])  # pyright: ignore[reportArgumentType]
    # Token ids are strings or ints; biases are integers.
    client.chat.completions.create(messages=[], logit_bias={"9642": 0.5})  # pyright: ignore[reportArgumentType]


def message_text(message: MessageObject) -> str:
    """The narrowing that works on a union with an ``Unknown...`` member: isinstance / match."""
    texts: list[str] = []
    for part in message.content:
        if isinstance(part, MessageContentTextObject):
            texts.append(part.text.value)
    for part in message.content:
        match part:
            case MessageContentTextObject(text=text):
                texts.append(text.value)
            case MessageContentImageFileObject(image_file=image):
                texts.append(f"[image {image.file_id}]")
            case _:
                pass  # a content type this SDK version does not know (Unknown...)
    return "".join(texts)


def tag_comparison_does_not_narrow(message: MessageObject) -> None:
    part = message.content[0]
    if part.type == "text":
        # The Unknown... member's `type` is a plain str, so the comparison cannot exclude it.
        print(part.text.value)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
