"""``client.chat.completions``: chat completions, with On Your Data and streaming."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from .._call import Call
from .._chat_stream import AsyncChatCompletionStream, ChatCompletionStream
from .._resource import (
    M,
    Resource,
    async_raw_view,
    async_view,
    overloaded,
    raw_view,
    sync_view,
)
from .._streaming import StreamReader
from ._common import json_call, model, wants_stream

if TYPE_CHECKING:
    from ..models import CreateChatCompletionResponse
    from ._args import ChatCompletionsCreateArgs

__all__ = ["Chat", "ChatCompletions"]


class ChatCompletions(Resource[M]):
    """``client.chat.completions``: the chat completions of a deployment."""

    @overload
    def _create(
        self,
        *,
        deployment: str | None = None,
        stream: Literal[False] | None = None,
        **params: Unpack[ChatCompletionsCreateArgs],
    ) -> Call[CreateChatCompletionResponse, CreateChatCompletionResponse]: ...
    @overload
    def _create(
        self,
        *,
        deployment: str | None = None,
        stream: Literal[True],
        **params: Unpack[ChatCompletionsCreateArgs],
    ) -> Call[ChatCompletionStream, AsyncChatCompletionStream]: ...
    def _create(
        self,
        *,
        deployment: str | None = None,
        stream: bool | None = None,
        **params: Unpack[ChatCompletionsCreateArgs],
    ) -> Call[Any, Any]:
        """Create a chat completion (``ChatCompletions_Create``).

        ``deployment`` defaults to the client's. ``messages`` is required; ``data_sources``
        configures On Your Data (Azure Search, Azure ML index, Cosmos DB, Elasticsearch,
        Pinecone). With ``stream=True`` the result is a :class:`ChatCompletionStream` of
        ``CreateChatCompletionStreamResponse`` chunks (``AsyncChatCompletionStream`` on the
        async client). Takes the per-call options (``timeout``, ``max_retries``,
        ``extra_headers``, ``extra_query``, ``extra_body``) too.
        """
        chunks = (
            StreamReader(
                ChatCompletionStream,
                AsyncChatCompletionStream,
                model("CreateChatCompletionStreamResponse"),
            )
            if wants_stream("ChatCompletions_Create", stream)
            else None
        )
        return json_call(
            "ChatCompletions_Create",
            "CreateChatCompletionRequest",
            "CreateChatCompletionResponse",
            params,
            path={"deployment-id": deployment},
            stream_reader=chunks,
        )

    create = overloaded(
        sync_view(_create), async_view(_create), raw_view(_create), async_raw_view(_create)
    )


class Chat(Resource[M]):
    """``client.chat``: the namespace of :class:`ChatCompletions`."""

    @cached_property
    def completions(self) -> ChatCompletions[M]:
        return ChatCompletions(self._core)
