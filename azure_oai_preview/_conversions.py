"""Response models sent back in a request: the chat tool loop.

A conversation goes on by sending the model's reply back with the next request::

    messages.append(reply.choices[0].message)          # a ChatCompletionResponseMessage
    messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
    client.chat.completions.create(messages=messages, tools=tools)

The reply is a response model; the request wants an assistant *request* message, whose shape
differs: no response-only fields (a newer service adds some), ``content`` sent as ``null`` when
the model only called tools, tool calls with exactly ``id``, ``type`` and ``function``. The
request check (``_wire``) turns such a model into that shape before validating it, wherever it
appears; ``codegen/sdk.toml`` (``[request_accepts]``) makes the parameter types name it.

On Your Data ``context``: only the detected intent is sent back. The spec says the intent is
"used to pass to the next turn to carry over the context" and its example request sends back
just ``{"intent": ...}``; the citations and retrieved documents (whole document chunks) are not
needed by the service: "You don't need to include the `context` property of the assistant
messages in your API requests for better response quality"
(https://learn.microsoft.com/en-us/azure/ai-services/openai/concepts/use-your-data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["CONVERTERS", "request_form"]


def _function(call: Any) -> dict[str, Any]:
    return {"name": call.name, "arguments": call.arguments}


def assistant_message(message: Any) -> dict[str, Any]:
    """A ``ChatCompletionResponseMessage`` as the request's assistant message."""
    out: dict[str, Any] = {"role": "assistant", "content": message.content}
    if message.tool_calls:
        out["tool_calls"] = [
            {
                "id": call.id,
                "type": call.type,
                "function": None if call.function is None else _function(call.function),
            }
            for call in message.tool_calls
        ]
    if message.function_call is not None:
        out["function_call"] = _function(message.function_call)
    context = message.context
    if context is not None:
        kept = {
            name: getattr(context, name)
            for name in ("intent", "intents")
            if getattr(context, name, None) is not None
        }
        if kept:
            out["context"] = kept
    return out


CONVERTERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "chatCompletionResponseMessage": assistant_message,
}
"""Response schema (``__azure_schema__``) -> its request form; keep in step with the
``[request_accepts]`` section of ``codegen/sdk.toml`` (a test checks it)."""


def request_form(model: object) -> dict[str, Any] | None:
    """The request form of a response model that has one, else None."""
    schema: str = getattr(type(model), "__azure_schema__", "")
    converter = CONVERTERS.get(schema)
    return None if converter is None else converter(model)
