"""Chat completions (ChatCompletions_Create), whole or streamed the way Azure streams them.

A stream is: a first chunk with ``prompt_filter_results`` and empty ``choices`` (empty ``id``,
``object``, ``model``); a chunk with the assistant ``role``; content pieces (one per word) each
with ``content_filter_results``, or tool-call pieces (``index``, ``id`` and ``name`` first, then
``arguments`` in fragments); the last chunk with ``finish_reason``; then ``[DONE]``. (This
api-version has no ``stream_options``, so no usage chunk.)
"""

from __future__ import annotations

from typing import Any, cast

from ._behaviour import split_text
from ._generation import Generation, check_prompt, generate, prompt_tokens, run_failure_error
from ._jsonish import as_list, as_mapping, field_of
from ._script import RunFailure, ToolOutput, Turn
from ._sse import data_stream
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS", "content_text"]

_FINGERPRINT = "fp_emulator"
_ARGUMENT_PIECE = 12


def content_text(content: Any) -> str:
    """The text of a message ``content``: a string, or the text parts of a list joined."""
    if isinstance(content, str):
        return content
    parts = as_list(content) or []
    return "\n".join(str(field_of(p, "text") or "") for p in parts if field_of(p, "type") == "text")


def _turn(call: Call) -> Turn:
    body = call.body
    raw_messages = cast("list[dict[str, Any]]", body.get("messages") or [])
    messages: list[dict[str, Any]] = []
    call_names: dict[str, str] = {}
    outputs: list[ToolOutput] = []
    for raw in raw_messages:
        message: dict[str, Any] = {
            "role": raw.get("role"),
            "content": content_text(raw.get("content")),
        }
        for key in ("name", "tool_call_id", "tool_calls", "function_call"):
            if key in raw:
                message[key] = raw[key]
        for tool_call in cast("list[dict[str, Any]]", raw.get("tool_calls") or []):
            call_names[str(tool_call.get("id"))] = str(
                tool_call.get("function", {}).get("name", "")
            )
        if raw.get("role") == "user":
            outputs = []
        elif raw.get("role") == "tool":
            tool_call_id = str(raw.get("tool_call_id", ""))
            outputs.append(
                ToolOutput(tool_call_id, call_names.get(tool_call_id, ""), message["content"])
            )
        elif raw.get("role") == "function":
            outputs.append(ToolOutput("", str(raw.get("name", "")), message["content"]))
        messages.append(message)
    tools = [
        cast("dict[str, Any]", tool["function"])
        for tool in cast("list[dict[str, Any]]", body.get("tools") or [])
        if tool.get("type") == "function"
    ]
    tool_choice: Any = body.get("tool_choice")
    if not tools and body.get("functions"):
        tools = list(cast("list[dict[str, Any]]", body["functions"]))
        legacy: Any = body.get("function_call")
        tool_choice = {"type": "function", "function": legacy} if as_mapping(legacy) else legacy
    assert call.deployment is not None
    return Turn(
        kind="chat",
        deployment=call.deployment.name,
        messages=tuple(messages),
        tools=tuple(tools),
        tool_choice=tool_choice,
        tool_outputs=tuple(outputs),
        request=body,
    )


def _generations(world: World, call: Call, turn: Turn) -> list[Generation]:
    body = call.body
    json_mode = field_of(body.get("response_format"), "type") == "json_object"
    generations: list[Generation] = []
    for _ in range(int(body.get("n") or 1)):
        generation = generate(world, turn, max_tokens=body.get("max_tokens"), json_mode=json_mode)
        if isinstance(generation, RunFailure):
            raise run_failure_error(generation)
        generations.append(generation)
    return generations


def _legacy(call: Call) -> bool:
    return not call.body.get("tools") and bool(call.body.get("functions"))


def _message(generation: Generation, call: Call) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": generation.text}
    if generation.tool_calls and _legacy(call):
        first = generation.tool_calls[0]
        message["function_call"] = {"name": first.name, "arguments": first.arguments_json()}
    elif generation.tool_calls:
        message["tool_calls"] = [
            {
                "id": tool_call.id,
                "type": "function",
                "function": {"name": tool_call.name, "arguments": tool_call.arguments_json()},
            }
            for tool_call in generation.tool_calls
        ]
    if call.body.get("data_sources"):
        message["context"] = {"citations": [], "intent": f'["{_last_user(call)}"]'}
    return message


def _last_user(call: Call) -> str:
    for raw in reversed(cast("list[dict[str, Any]]", call.body.get("messages") or [])):
        if raw.get("role") == "user":
            return content_text(raw.get("content")).replace('"', "'")
    return ""


def _finish(generation: Generation, call: Call) -> str:
    if generation.finish_reason == "tool_calls" and _legacy(call):
        return "function_call"
    return generation.finish_reason


def _logprobs(generation: Generation, call: Call) -> dict[str, Any] | None:
    if not call.body.get("logprobs"):
        return None
    top = int(call.body.get("top_logprobs") or 0)
    content: list[dict[str, Any]] = []
    for piece in split_text(generation.text or ""):
        entry = {"token": piece, "logprob": 0.0, "bytes": list(piece.encode())}
        content.append({**entry, "top_logprobs": [entry] if top else []})
    return {"content": content}


def _usage(turn: Turn, generations: list[Generation]) -> dict[str, int]:
    prompt = prompt_tokens(turn)
    completion = sum(g.completion_tokens for g in generations)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def create_chat_completion(world: World, call: Call) -> EmulatedResponse:
    turn = _turn(call)
    prompt_filter_results = check_prompt(world, "\n".join(str(m["content"]) for m in turn.messages))
    generations = _generations(world, call, turn)
    assert call.deployment is not None
    completion_id = world.ids.new("chatcmpl-", 29)
    usage = _usage(turn, generations)
    if call.stream:
        return _stream(world, call, completion_id, prompt_filter_results, generations)
    choices: list[dict[str, Any]] = []
    for index, generation in enumerate(generations):
        choice: dict[str, Any] = {
            "index": index,
            "finish_reason": _finish(generation, call),
            "message": _message(generation, call),
            "content_filter_results": generation.filter_results,
        }
        logprobs = _logprobs(generation, call)
        if logprobs is not None:
            choice["logprobs"] = logprobs
        choices.append(choice)
    return json_response(
        200,
        {
            "id": completion_id,
            "object": "chat.completion",
            "created": world.clock.now(),
            "model": call.deployment.response_model,
            "system_fingerprint": _FINGERPRINT,
            "prompt_filter_results": prompt_filter_results,
            "choices": choices,
            "usage": usage,
        },
    )


def _stream(
    world: World,
    call: Call,
    completion_id: str,
    prompt_filter_results: list[dict[str, Any]],
    generations: list[Generation],
) -> EmulatedResponse:
    assert call.deployment is not None
    head = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": world.clock.now(),
        "model": call.deployment.response_model,
        "system_fingerprint": _FINGERPRINT,
    }
    chunks: list[dict[str, Any]] = [
        {
            "id": "",
            "object": "",
            "created": 0,
            "model": "",
            "prompt_filter_results": prompt_filter_results,
            "choices": [],
        }
    ]

    def chunk(index: int, delta: dict[str, Any], **extra: Any) -> None:
        choice = {"index": index, "delta": delta, "finish_reason": None, **extra}
        chunks.append({**head, "choices": [choice]})

    for index, generation in enumerate(generations):
        chunk(index, {"role": "assistant", "content": ""}, content_filter_results={})
        if generation.text:
            for piece in split_text(generation.text):
                chunk(index, {"content": piece}, content_filter_results=generation.filter_results)
        for position, tool_call in enumerate(generation.tool_calls):
            _tool_call_chunks(
                chunk,
                index,
                position,
                tool_call.id or "",
                tool_call.name,
                tool_call.arguments_json(),
                _legacy(call),
            )
        chunks.append(
            {
                **head,
                "choices": [
                    {
                        "index": index,
                        "delta": {},
                        "finish_reason": _finish(generation, call),
                        "content_filter_results": generation.filter_results,
                    }
                ],
            }
        )
    return data_stream(chunks)


def _tool_call_chunks(
    chunk: Any, index: int, position: int, call_id: str, name: str, arguments: str, legacy: bool
) -> None:
    pieces = [arguments[i : i + _ARGUMENT_PIECE] for i in range(0, len(arguments), _ARGUMENT_PIECE)]
    if legacy:
        chunk(index, {"function_call": {"name": name, "arguments": ""}})
        for piece in pieces:
            chunk(index, {"function_call": {"arguments": piece}})
        return
    first = {
        "index": position,
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": ""},
    }
    chunk(index, {"tool_calls": [first]})
    for piece in pieces:
        chunk(index, {"tool_calls": [{"index": position, "function": {"arguments": piece}}]})


HANDLERS = {"ChatCompletions_Create": create_chat_completion}
