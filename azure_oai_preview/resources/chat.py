"""``client.chat.completions``: chat completions, with On Your Data and streaming."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .._call import Call, JsonReader
from .._chat_stream import AsyncChatCompletionStream, ChatCompletionStream
from .._resource import M, Resource, streaming_operation
from .._streaming import StreamReader
from ._common import json_body, operation_named

if TYPE_CHECKING:
    from ..models import CreateChatCompletionResponse
    from ..models._params import ChatCompletionsCreateParams

__all__ = ["Chat", "ChatCompletions"]


def _call(
    deployment: str | None, stream: bool, params: ChatCompletionsCreateParams
) -> Call[object, object]:
    from .. import models

    operation = operation_named("ChatCompletions_Create")
    body = json_body(
        operation, models.CreateChatCompletionRequest, {**params, "stream": stream or None}
    )
    if stream:
        reader = StreamReader(
            ChatCompletionStream,
            AsyncChatCompletionStream,
            models.CreateChatCompletionStreamResponse,
        )
        return Call(
            operation=operation,
            path_params={"deployment-id": deployment},
            body=body,
            reader=reader,
            stream=True,
            accept="text/event-stream, application/json",
        )
    reader_json = JsonReader(models.CreateChatCompletionResponse)
    return Call(
        operation=operation,
        path_params={"deployment-id": deployment},
        body=body,
        reader=reader_json,
    )


def create(
    *,
    deployment: str | None = None,
    stream: Literal[False] | None = None,
    **params: Unpack[ChatCompletionsCreateParams],
) -> Call[CreateChatCompletionResponse, CreateChatCompletionResponse]:
    """Create a chat completion (``ChatCompletions_Create``).

    ``deployment`` defaults to the client's. ``messages`` is required; ``data_sources``
    configures On Your Data (Azure Search, Azure ML index, Cosmos DB, Elasticsearch,
    Pinecone). With ``stream=True`` the result is a :class:`ChatCompletionStream`.
    """
    return _call(deployment, False, params)  # type: ignore[return-value]


def create_stream(
    *,
    deployment: str | None = None,
    stream: Literal[True],
    **params: Unpack[ChatCompletionsCreateParams],
) -> Call[ChatCompletionStream, AsyncChatCompletionStream]:
    """Create a chat completion and stream it chunk by chunk."""
    return _call(deployment, True, params)  # type: ignore[return-value]


class ChatCompletions(Resource[M]):
    create = streaming_operation(create, create_stream)


class Chat(Resource[M]):
    @cached_property
    def completions(self) -> ChatCompletions[M]:
        return ChatCompletions(self._core)
