"""Chat completion streams and the accumulator that rebuilds the final completion.

``client.chat.completions.create(..., stream=True)`` returns a :class:`ChatCompletionStream`:
iterate it for chunks (Azure's first chunk, with empty ``choices`` and the
``prompt_filter_results``, is delivered like any other), or call
:meth:`~ChatCompletionStream.get_final_completion` to get the same
``CreateChatCompletionResponse`` a non-streaming call would have returned - however the
stream was read before (iterated, partly iterated, through ``text_deltas()``).

The final completion is the chunks merged by the one delta rule of :mod:`._delta`: each
choice's ``delta`` becomes its ``message`` (text, refusal and any other streamed text
concatenated, tool calls merged by index, the On Your Data ``context`` kept), next to its
``finish_reason``, ``logprobs`` and content filter results; ``usage``,
``prompt_filter_results``, ``system_fingerprint`` and fields the spec does not know yet
(``service_tier``) are kept from the chunks that carry them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from ._delta import ChunkAccumulator
from ._json import json_list, json_object
from ._streaming import AsyncStream, Stream

if TYPE_CHECKING:
    from .models import CreateChatCompletionResponse, CreateChatCompletionStreamResponse

__all__ = ["AsyncChatCompletionStream", "ChatCompletionAccumulator", "ChatCompletionStream"]


class ChatCompletionAccumulator(ChunkAccumulator["CreateChatCompletionResponse"]):
    """Merges chat completion chunks into the final completion.

    :meth:`add` a chunk at a time (or :meth:`add_json` its JSON text); :meth:`completion`
    is what the chunks so far add up to, as a ``CreateChatCompletionResponse``.
    """

    def __init__(self) -> None:
        from .models import CreateChatCompletionResponse

        super().__init__(CreateChatCompletionResponse)

    @property
    def text(self) -> str:
        """The content accumulated so far for choice 0."""
        for choice in self.body()["choices"]:
            if choice.get("index", 0) == 0:
                content = choice["message"]["content"]
                return content if type(content) is str else ""
        return ""

    def body(self) -> dict[str, Any]:
        merged = self.merged()
        choices = [
            _choice(choice)
            for choice in map(json_object, json_list(merged.get("choices")))
            if choice is not None
        ]
        return {
            **merged,
            "id": merged.get("id") or "",
            "object": "chat.completion",
            "created": merged.get("created") or 0,
            "model": merged.get("model") or "",
            "choices": choices,
        }

    def completion(self) -> CreateChatCompletionResponse:
        """The completion as received so far, as a ``CreateChatCompletionResponse``."""
        return self.result()


def _choice(choice: dict[str, Any]) -> dict[str, Any]:
    """A merged chunk choice as a completion choice: its ``delta`` is the ``message``."""
    result = {k: v for k, v in choice.items() if k != "delta"}
    message = dict(json_object(choice.get("delta")) or {})
    message["role"] = message.get("role") or "assistant"
    message["content"] = message.get("content") or None
    calls = message.get("tool_calls")
    if type(calls) is list:
        message["tool_calls"] = [_tool_call(call) for call in cast("list[Any]", calls)]
    function_call = json_object(message.get("function_call"))
    if function_call is not None:
        message["function_call"] = {"name": "", "arguments": "", **function_call}
    result["message"] = message
    result.setdefault("finish_reason", None)
    return result


def _tool_call(call: Any) -> Any:
    # What a non-streamed tool call always has, in case a stream never sent it.
    obj = json_object(call)
    if obj is None or obj.get("type", "function") != "function":
        return call
    return {
        "id": None,
        "type": "function",
        **{k: v for k, v in obj.items() if k != "index"},
        "function": {"name": "", "arguments": "", **(json_object(obj.get("function")) or {})},
    }


def _choice0_texts(chunk: CreateChatCompletionStreamResponse) -> Iterable[str]:
    # An off-spec chunk holds its raw values where the typed ones would be (a string for
    # ``delta``, a number for ``content``...): only typed text is text.
    choices: Any = chunk.choices
    if type(choices) is not list:
        return
    for choice in cast("list[Any]", choices):
        content = getattr(getattr(choice, "delta", None), "content", None)
        if type(content) is str and content and (getattr(choice, "index", 0) or 0) == 0:
            yield content


class ChatCompletionStream(Stream["CreateChatCompletionStreamResponse"]):
    """A stream of chat completion chunks that also keeps what they add up to."""

    @staticmethod
    def _new_accumulator() -> Callable[[], ChunkAccumulator[Any]]:
        return ChatCompletionAccumulator

    def text_deltas(self) -> Iterator[str]:
        """Only the content text of choice 0, piece by piece."""
        for chunk in self:
            yield from _choice0_texts(chunk)

    def get_final_completion(self) -> CreateChatCompletionResponse:
        """Read the rest of the stream; every chunk it delivered, merged into the completion.

        Raises :class:`~azure_oai_preview.IncompleteStreamError` (with ``partial``) when the
        stream did not end normally, or was closed before its end.
        """
        with self._decoder.merging():
            for _ in self._iterator:
                pass
        final: CreateChatCompletionResponse = self._decoder.final()
        return final


class AsyncChatCompletionStream(AsyncStream["CreateChatCompletionStreamResponse"]):
    """The async twin of :class:`ChatCompletionStream`."""

    @staticmethod
    def _new_accumulator() -> Callable[[], ChunkAccumulator[Any]]:
        return ChatCompletionAccumulator

    async def text_deltas(self) -> AsyncIterator[str]:
        """Only the content text of choice 0, piece by piece."""
        async for chunk in self:
            for text in _choice0_texts(chunk):
                yield text

    async def get_final_completion(self) -> CreateChatCompletionResponse:
        """Read the rest of the stream; every chunk it delivered, merged into the completion.

        Raises :class:`~azure_oai_preview.IncompleteStreamError` (with ``partial``) when the
        stream did not end normally, or was closed before its end.
        """
        with self._decoder.merging():
            async for _ in self._iterator:
                pass
        final: CreateChatCompletionResponse = self._decoder.final()
        return final
