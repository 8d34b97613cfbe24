"""Chat completion streams and the accumulator that rebuilds the final completion.

``client.chat.completions.create(..., stream=True)`` returns a :class:`ChatCompletionStream`:
iterate it for chunks (Azure's first chunk, with empty ``choices`` and the
``prompt_filter_results``, is delivered like any other), or call
:meth:`~ChatCompletionStream.get_final_completion` to consume it and get the same
``CreateChatCompletionResponse`` a non-streaming call would have returned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from ._json import json_object
from ._streaming import AsyncStream, Stream

if TYPE_CHECKING:
    from .models import CreateChatCompletionResponse, CreateChatCompletionStreamResponse

__all__ = ["AsyncChatCompletionStream", "ChatCompletionAccumulator", "ChatCompletionStream"]


def _dump(value: Any) -> Any:
    return (
        value.model_dump(mode="json", exclude_unset=True) if hasattr(value, "model_dump") else value
    )


class _Choice:
    __slots__ = (
        "content",
        "content_filter_results",
        "finish_reason",
        "function_call",
        "logprobs",
        "role",
        "tool_calls",
    )

    def __init__(self) -> None:
        self.role: str | None = None
        self.content: list[str] = []
        self.tool_calls: dict[int, dict[str, Any]] = {}
        self.function_call: dict[str, Any] | None = None
        self.finish_reason: Any = None
        self.logprobs: list[Any] = []
        self.content_filter_results: Any = None


class ChatCompletionAccumulator:
    """Merges chat completion chunks into the final completion.

    Content is concatenated per choice; tool calls are merged by their ``index`` (id, type
    and function name from the first delta that has them, arguments concatenated);
    finish reasons, usage and prompt filter results are kept from the chunks that carry
    them; content-filter results are merged by category across chunks.
    """

    def __init__(self) -> None:
        self._choices: dict[int, _Choice] = {}
        self._header: dict[str, Any] = {}
        self._prompt_filter_results: list[Any] = []
        self._usage: Any = None

    def add(self, chunk: CreateChatCompletionStreamResponse) -> None:
        for key in ("id", "created", "model", "system_fingerprint"):
            value = getattr(chunk, key, None)
            if value and key not in self._header:
                self._header[key] = value
        prompt_results = getattr(chunk, "prompt_filter_results", None)
        if prompt_results:
            self._prompt_filter_results.extend(_dump(r) for r in prompt_results)
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self._usage = _dump(usage)
        for choice in chunk.choices or []:
            self._add_choice(choice)

    def _add_choice(self, choice: Any) -> None:
        state = self._choices.setdefault(choice.index or 0, _Choice())
        delta = getattr(choice, "delta", None)
        if delta is not None:
            if getattr(delta, "role", None):
                state.role = str(delta.role)
            if getattr(delta, "content", None):
                state.content.append(delta.content)
            tool_calls: list[Any] = getattr(delta, "tool_calls", None) or []
            for call in tool_calls:
                self._merge_tool_call(state, call)
            function_call = getattr(delta, "function_call", None)
            if function_call is not None:
                merged = state.function_call or {"name": "", "arguments": ""}
                merged["name"] = merged["name"] or (function_call.name or "")
                merged["arguments"] += function_call.arguments or ""
                state.function_call = merged
        if getattr(choice, "finish_reason", None):
            state.finish_reason = choice.finish_reason
        logprobs = getattr(choice, "logprobs", None)
        if logprobs is not None and getattr(logprobs, "content", None):
            state.logprobs.extend(_dump(item) for item in logprobs.content)
        results = getattr(choice, "content_filter_results", None)
        if results is not None:
            # Azure reports filter results per segment and may close with an empty object;
            # merge by category (the latest report of a category wins) so nothing is lost.
            dumped = _dump(results)
            merged = json_object(state.content_filter_results)
            update = json_object(dumped)
            state.content_filter_results = (
                {**merged, **update} if merged is not None and update is not None else dumped
            )

    @staticmethod
    def _merge_tool_call(state: _Choice, call: Any) -> None:
        merged = state.tool_calls.setdefault(
            call.index or 0,
            {"id": None, "type": "function", "function": {"name": "", "arguments": ""}},
        )
        if getattr(call, "id", None):
            merged["id"] = call.id
        if getattr(call, "type", None):
            merged["type"] = str(call.type)
        function = getattr(call, "function", None)
        if function is not None:
            if getattr(function, "name", None):
                merged["function"]["name"] = merged["function"]["name"] or function.name
            merged["function"]["arguments"] += getattr(function, "arguments", None) or ""

    @property
    def text(self) -> str:
        """The content accumulated so far for choice 0."""
        choice = self._choices.get(0)
        return "".join(choice.content) if choice else ""

    def completion(self) -> CreateChatCompletionResponse:
        """The completion as received so far, as a ``CreateChatCompletionResponse``."""
        from ._deviations import parse_python
        from .models import CreateChatCompletionResponse

        choices: list[dict[str, Any]] = []
        for index in sorted(self._choices):
            state = self._choices[index]
            message: dict[str, Any] = {
                "role": state.role or "assistant",
                "content": "".join(state.content) or None,
            }
            if state.tool_calls:
                message["tool_calls"] = [state.tool_calls[i] for i in sorted(state.tool_calls)]
            if state.function_call is not None:
                message["function_call"] = state.function_call
            choice: dict[str, Any] = {
                "index": index,
                "message": message,
                "finish_reason": state.finish_reason,
            }
            if state.logprobs:
                choice["logprobs"] = {"content": state.logprobs}
            if state.content_filter_results is not None:
                choice["content_filter_results"] = state.content_filter_results
            choices.append(choice)
        body: dict[str, Any] = {
            "id": self._header.get("id", ""),
            "object": "chat.completion",
            "created": self._header.get("created", 0),
            "model": self._header.get("model", ""),
            "choices": choices,
        }
        if "system_fingerprint" in self._header:
            body["system_fingerprint"] = self._header["system_fingerprint"]
        if self._prompt_filter_results:
            body["prompt_filter_results"] = self._prompt_filter_results
        if self._usage is not None:
            body["usage"] = self._usage
        return parse_python(CreateChatCompletionResponse, body)


class ChatCompletionStream(Stream["CreateChatCompletionStreamResponse"]):
    """A stream of chat completion chunks with helpers to accumulate them."""

    def text_deltas(self) -> Iterator[str]:
        """Only the content text of choice 0, piece by piece."""
        for chunk in self:
            for choice in chunk.choices or []:
                delta = choice.delta
                if (choice.index or 0) == 0 and delta is not None and delta.content:
                    yield delta.content

    def get_final_completion(self) -> CreateChatCompletionResponse:
        """Consume the rest of the stream and return the merged completion."""
        accumulator = ChatCompletionAccumulator()
        for chunk in self:
            accumulator.add(chunk)
        return accumulator.completion()


class AsyncChatCompletionStream(AsyncStream["CreateChatCompletionStreamResponse"]):
    """The async twin of :class:`ChatCompletionStream`."""

    async def text_deltas(self) -> AsyncIterator[str]:
        async for chunk in self:
            for choice in chunk.choices or []:
                delta = choice.delta
                if (choice.index or 0) == 0 and delta is not None and delta.content:
                    yield delta.content

    async def get_final_completion(self) -> CreateChatCompletionResponse:
        accumulator = ChatCompletionAccumulator()
        async for chunk in self:
            accumulator.add(chunk)
        return accumulator.completion()
