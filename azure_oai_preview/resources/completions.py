"""``client.completions``: legacy text completions, with streaming."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from .._call import Call
from .._chat_stream import AsyncCompletionStream, CompletionStream
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
    from ..models import CompletionsCreateResponse
    from ._args import CompletionsCreateArgs

__all__ = ["Completions"]


class Completions(Resource[M]):
    """``client.completions``: text completions of a deployment."""

    @overload
    def _create(
        self,
        *,
        deployment: str | None = None,
        stream: Literal[False] | None = None,
        **params: Unpack[CompletionsCreateArgs],
    ) -> Call[CompletionsCreateResponse, CompletionsCreateResponse]: ...
    @overload
    def _create(
        self,
        *,
        deployment: str | None = None,
        stream: Literal[True],
        **params: Unpack[CompletionsCreateArgs],
    ) -> Call[CompletionStream, AsyncCompletionStream]: ...
    def _create(
        self,
        *,
        deployment: str | None = None,
        stream: bool | None = None,
        **params: Unpack[CompletionsCreateArgs],
    ) -> Call[Any, Any]:
        """Create a text completion (``Completions_Create``); ``stream=True`` streams it.

        ``deployment`` defaults to the client's; ``prompt`` is a string or a list of them.
        With ``stream=True`` the result is a :class:`CompletionStream` of
        ``CompletionsCreateResponse`` chunks (``AsyncCompletionStream`` on the async client),
        with ``text_deltas()`` and ``get_final_completion()``. Takes the per-call options
        (``timeout``, ``max_retries``, ``extra_headers``, ``extra_query``, ``extra_body``) too.
        """
        response = "CompletionsCreateResponse"
        chunks = (
            StreamReader(CompletionStream, AsyncCompletionStream, model(response))
            if wants_stream("Completions_Create", stream)
            else None
        )
        return json_call(
            "Completions_Create",
            "CompletionsCreateRequest",
            response,
            params,
            path={"deployment-id": deployment},
            stream_reader=chunks,
        )

    create = overloaded(
        sync_view(_create), async_view(_create), raw_view(_create), async_raw_view(_create)
    )
