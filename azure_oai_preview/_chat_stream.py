"""Completion streams (chat and legacy completions) and the accumulators that rebuild the
final completion.

``client.chat.completions.create(..., stream=True)`` returns a :class:`ChatCompletionStream`
and ``client.completions.create(..., stream=True)`` a :class:`CompletionStream`: iterate
either for chunks (Azure's first chunk, with empty ``choices`` and the
``prompt_filter_results``, is delivered like any other), or call ``get_final_completion()``
to get the same response a non-streaming call would have returned - however the stream was
read before (iterated, partly iterated, through ``text_deltas()``).

The final completion is the chunks merged by the one delta rule of :mod:`._delta`, choices by
their ``index``. A chat choice's ``delta`` becomes its ``message`` (text, refusal and any
other streamed text concatenated, tool calls merged by index, the On Your Data ``context``
kept); a completions choice's ``text`` pieces are concatenated. Next to them come each
choice's ``finish_reason``, ``logprobs`` and content filter results; ``usage``,
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
    from .models import (
        CompletionsCreateResponse,
        CreateChatCompletionResponse,
        CreateChatCompletionStreamResponse,
    )

__all__ = [
    "AsyncChatCompletionStream",
    "AsyncCompletionStream",
    "ChatCompletionAccumulator",
    "ChatCompletionStream",
    "CompletionAccumulator",
    "CompletionStream",
]

_Choice = Callable[[dict[str, Any]], dict[str, Any]]


def _completion(merged: dict[str, Any], object_: str, choice: _Choice) -> dict[str, Any]:
    """The merged chunks as a completion: each choice reshaped by ``choice``, and the
    envelope fields a non-streamed completion always has (a stream may never send them)."""
    choices = [
        choice(item)
        for item in map(json_object, json_list(merged.get("choices")))
        if item is not None
    ]
    return {
        **merged,
        "id": merged.get("id") or "",
        "object": object_,
        "created": merged.get("created") or 0,
        "model": merged.get("model") or "",
        "choices": choices,
    }


def _choice0(body: dict[str, Any]) -> dict[str, Any]:
    for choice in body["choices"]:
        if choice.get("index", 0) == 0:
            found: dict[str, Any] = choice
            return found
    return {}


def _text(value: Any) -> str:
    return value if type(value) is str else ""


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
        return _text(_choice0(self.body()).get("message", {}).get("content"))

    def body(self) -> dict[str, Any]:
        return _completion(self.merged(), "chat.completion", _chat_choice)

    def completion(self) -> CreateChatCompletionResponse:
        """The completion as received so far, as a ``CreateChatCompletionResponse``."""
        return self.result()


class CompletionAccumulator(ChunkAccumulator["CompletionsCreateResponse"]):
    """Merges legacy completions chunks (``Completions_Create`` streamed) into the final
    completion.

    :meth:`add` a chunk at a time (or :meth:`add_json` its JSON text); :meth:`completion`
    is what the chunks so far add up to, as a ``CompletionsCreateResponse``.
    """

    def __init__(self) -> None:
        from .models import CompletionsCreateResponse

        super().__init__(CompletionsCreateResponse)

    @property
    def text(self) -> str:
        """The text accumulated so far for choice 0."""
        return _text(_choice0(self.body()).get("text"))

    def body(self) -> dict[str, Any]:
        merged = self.merged()
        # The chunks already say "text_completion", like the non-streamed answer.
        return _completion(merged, merged.get("object") or "text_completion", _text_choice)

    def completion(self) -> CompletionsCreateResponse:
        """The completion as received so far, as a ``CompletionsCreateResponse``."""
        return self.result()


def _chat_choice(choice: dict[str, Any]) -> dict[str, Any]:
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


def _text_choice(choice: dict[str, Any]) -> dict[str, Any]:
    """A merged completions choice: already the non-streamed shape, but a choice whose
    pieces carried no text (only a finish reason, or nothing yet) has an empty one."""
    result = dict(choice)
    if result.get("text") is None:
        result["text"] = ""
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


def _choice0_texts(
    chunk: CreateChatCompletionStreamResponse | CompletionsCreateResponse, path: tuple[str, ...]
) -> Iterable[str]:
    """The text at ``path`` (attribute names) of the chunk's choice 0, if it has some."""
    # An off-spec chunk holds its raw values where the typed ones would be (a string for
    # ``delta``, a number for ``content``...): only typed text is text.
    choices: Any = chunk.choices
    if type(choices) is not list:
        return
    for choice in cast("list[Any]", choices):
        if (getattr(choice, "index", 0) or 0) != 0:
            continue
        text: Any = choice
        for name in path:
            text = getattr(text, name, None)
        if type(text) is str and text:
            yield text


# -- the streams: what chat and completions share, then each one's types ----------------------------


def _texts(chunks: Iterable[Any], path: tuple[str, ...]) -> Iterator[str]:
    for chunk in chunks:
        yield from _choice0_texts(chunk, path)


async def _atexts(chunks: AsyncIterator[Any], path: tuple[str, ...]) -> AsyncIterator[str]:
    async for chunk in chunks:
        for text in _choice0_texts(chunk, path):
            yield text


_CHAT_TEXT = ("delta", "content")
_COMPLETION_TEXT = ("text",)


class ChatCompletionStream(Stream["CreateChatCompletionStreamResponse"]):
    """A stream of chat completion chunks that also keeps what they add up to."""

    @staticmethod
    def _new_accumulator() -> Callable[[], ChunkAccumulator[Any]]:
        return ChatCompletionAccumulator

    def text_deltas(self) -> Iterator[str]:
        """Only the content text of choice 0, piece by piece."""
        return _texts(self, _CHAT_TEXT)

    def get_final_completion(self) -> CreateChatCompletionResponse:
        """Read the rest of the stream; every chunk it delivered, merged into the completion.

        Raises :class:`~azure_oai_preview.IncompleteStreamError` (with ``partial``) when the
        stream did not end normally, or was closed before its end.
        """
        final: CreateChatCompletionResponse = self._read_to_final()
        return final


class AsyncChatCompletionStream(AsyncStream["CreateChatCompletionStreamResponse"]):
    """The async twin of :class:`ChatCompletionStream`."""

    @staticmethod
    def _new_accumulator() -> Callable[[], ChunkAccumulator[Any]]:
        return ChatCompletionAccumulator

    def text_deltas(self) -> AsyncIterator[str]:
        """Only the content text of choice 0, piece by piece."""
        return _atexts(self, _CHAT_TEXT)

    async def get_final_completion(self) -> CreateChatCompletionResponse:
        """Read the rest of the stream; every chunk it delivered, merged into the completion.

        Raises :class:`~azure_oai_preview.IncompleteStreamError` (with ``partial``) when the
        stream did not end normally, or was closed before its end.
        """
        final: CreateChatCompletionResponse = await self._read_to_final()
        return final


class CompletionStream(Stream["CompletionsCreateResponse"]):
    """A stream of legacy completions chunks (``CompletionsCreateResponse`` pieces of text)
    that also keeps what they add up to."""

    @staticmethod
    def _new_accumulator() -> Callable[[], ChunkAccumulator[Any]]:
        return CompletionAccumulator

    def text_deltas(self) -> Iterator[str]:
        """Only the ``text`` of choice 0, piece by piece."""
        return _texts(self, _COMPLETION_TEXT)

    def get_final_completion(self) -> CompletionsCreateResponse:
        """Read the rest of the stream and return every chunk it delivered merged into one
        ``CompletionsCreateResponse``: each choice's text whole, with its finish reason.

        Raises :class:`~azure_oai_preview.IncompleteStreamError` (with ``partial``) when the
        stream did not end normally, or was closed before its end.
        """
        final: CompletionsCreateResponse = self._read_to_final()
        return final


class AsyncCompletionStream(AsyncStream["CompletionsCreateResponse"]):
    """The async twin of :class:`CompletionStream`."""

    @staticmethod
    def _new_accumulator() -> Callable[[], ChunkAccumulator[Any]]:
        return CompletionAccumulator

    def text_deltas(self) -> AsyncIterator[str]:
        """Only the ``text`` of choice 0, piece by piece."""
        return _atexts(self, _COMPLETION_TEXT)

    async def get_final_completion(self) -> CompletionsCreateResponse:
        """Read the rest of the stream and return every chunk it delivered merged into one
        ``CompletionsCreateResponse``: each choice's text whole, with its finish reason.

        Raises :class:`~azure_oai_preview.IncompleteStreamError` (with ``partial``) when the
        stream did not end normally, or was closed before its end.
        """
        final: CompletionsCreateResponse = await self._read_to_final()
        return final
