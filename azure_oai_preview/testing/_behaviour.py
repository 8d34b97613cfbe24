"""The emulated model's default rules, and how it counts and splits text.

The rules (when no script answers a turn):

* tool outputs arrived after the last user message -> a text reply that reports them:
  ``get_weather returned {"temperature": 22}.``;
* ``tool_choice`` is ``none`` -> text;
* ``tool_choice`` names a function -> that function is called;
* the last user message names one or more of the function tools on offer (as a whole word,
  case-insensitively) -> each named function is called, in order of first mention;
* otherwise -> text: ``You said: "<the last user message>"`` (``Hello! How can I help you
  today?`` when there is none).

Arguments of a call are built from the function's JSON schema: each property's
``default``; for required properties without one, the first ``enum`` value or a value of
the declared type (``""``, ``0``, ``false``, ``[]``, or an object built the same way).

Tokens are counted deterministically, not with a real tokenizer: a token is a word
(``\\w+``) or a single punctuation character, plus 3 per chat message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ._jsonish import as_list, as_mapping, field_of
from ._script import Reply, ToolCall, Turn

__all__ = ["arguments_from_schema", "count_tokens", "default_reply", "split_text", "truncate"]

_TOKEN = re.compile(r"\w+|[^\w\s]")
_PIECE = re.compile(r"\s*\S+")


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


def split_text(text: str) -> list[str]:
    """Stream pieces: each word with the whitespace before it (joined, they give ``text``)."""
    pieces = _PIECE.findall(text)
    trailing = text[len("".join(pieces)) :]
    if trailing:
        pieces.append(trailing)
    return pieces or [""]


def truncate(text: str, max_tokens: int) -> tuple[str, bool]:
    """``text`` cut after ``max_tokens`` tokens, and whether it was cut."""
    matches = list(_TOKEN.finditer(text))
    if len(matches) <= max_tokens:
        return text, False
    end = matches[max_tokens - 1].end() if max_tokens > 0 else 0
    return text[:end], True


def default_reply(turn: Turn) -> Reply:
    """The reply the default rules give to ``turn`` (see the module documentation)."""
    if turn.tool_outputs:
        reports = [f"{output.name} returned {output.output}" for output in turn.tool_outputs]
        return Reply.text("; ".join(reports) + ".")
    choice = turn.tool_choice
    if choice == "none" or not turn.tools:
        return Reply.text(_echo(turn))
    forced = _forced_function(choice)
    if forced is not None:
        tool = turn.tool_named(forced)
        if tool is not None:
            return Reply.calls(_call_for(tool))
    names = _named_tools(turn)
    if names:
        return Reply.calls(*(_call_for(tool) for tool in names))
    return Reply.text(_echo(turn))


def _echo(turn: Turn) -> str:
    last = turn.last_user_message
    if not last:
        return "Hello! How can I help you today?"
    return f'You said: "{last}"'


def _forced_function(choice: Any) -> str | None:
    if field_of(choice, "type") != "function":
        return None
    name = field_of(field_of(choice, "function"), "name")
    return name if isinstance(name, str) else None


def _named_tools(turn: Turn) -> list[Mapping[str, Any]]:
    text = (turn.last_user_message or "").lower()
    found: list[tuple[int, Mapping[str, Any]]] = []
    for tool in turn.tools:
        name = str(tool.get("name", ""))
        if not name:
            continue
        match = re.search(rf"(?<![\w]){re.escape(name.lower())}(?![\w])", text)
        if match:
            found.append((match.start(), tool))
    found.sort(key=lambda pair: pair[0])
    return [tool for _, tool in found]


def _call_for(tool: Mapping[str, Any]) -> ToolCall:
    parameters = as_mapping(tool.get("parameters"))
    arguments = as_mapping(arguments_from_schema(parameters) if parameters is not None else {})
    return ToolCall(str(tool["name"]), dict(arguments or {}))


def arguments_from_schema(schema: Mapping[str, Any]) -> Any:
    """A value for ``schema`` made of its defaults (see the module documentation)."""
    if "default" in schema:
        return schema["default"]
    enum = as_list(schema.get("enum"))
    if enum:
        return enum[0]
    kind: Any = schema.get("type")
    kinds = as_list(kind)
    if kinds is not None:
        kind = next((k for k in kinds if k != "null"), None)
    if kind == "object" or (kind is None and "properties" in schema):
        return _object_from_schema(schema)
    empty: dict[str, Any] = {
        "string": "",
        "integer": 0,
        "number": 0,
        "boolean": False,
        "array": [],
        "null": None,
    }
    return empty.get(str(kind))


def _object_from_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    properties = as_mapping(schema.get("properties"))
    if properties is None:
        return {}
    required = set(as_list(schema.get("required")) or [])
    result: dict[str, Any] = {}
    for name, value in properties.items():
        sub = as_mapping(value)
        if sub is not None and ("default" in sub or name in required):
            result[name] = arguments_from_schema(sub)
    return result


def json_reply(text: str) -> str:
    """``text`` wrapped as a JSON object (for ``response_format: json_object``)."""
    return json.dumps({"reply": text})
