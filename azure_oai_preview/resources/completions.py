"""``client.completions``: legacy text completions, with streaming."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Unpack

from .._call import Call, JsonReader
from .._resource import M, Resource, streaming_operation
from .._streaming import AsyncStream, Stream, StreamReader
from ._common import json_body, operation_named

if TYPE_CHECKING:
    from ..models import CompletionsCreateResponse
    from ..models._params import CompletionsCreateParams

__all__ = ["Completions"]


def _call(
    deployment: str | None, stream: bool, params: CompletionsCreateParams
) -> Call[object, object]:
    from .. import models

    operation = operation_named("Completions_Create")
    body = json_body(
        operation, models.CompletionsCreateRequest, {**params, "stream": stream or None}
    )
    if stream:
        reader: StreamReader[Stream[Any], AsyncStream[Any]] = StreamReader(
            Stream, AsyncStream, models.CompletionsCreateResponse
        )
        return Call(
            operation=operation,
            path_params={"deployment-id": deployment},
            body=body,
            reader=reader,
            stream=True,
            accept="text/event-stream, application/json",
        )
    return Call(
        operation=operation,
        path_params={"deployment-id": deployment},
        body=body,
        reader=JsonReader(models.CompletionsCreateResponse),
    )


def create(
    *,
    deployment: str | None = None,
    stream: Literal[False] | None = None,
    **params: Unpack[CompletionsCreateParams],
) -> Call[CompletionsCreateResponse, CompletionsCreateResponse]:
    """Create a text completion (``Completions_Create``); ``stream=True`` streams it."""
    return _call(deployment, False, params)  # type: ignore[return-value]


def create_stream(
    *,
    deployment: str | None = None,
    stream: Literal[True],
    **params: Unpack[CompletionsCreateParams],
) -> Call[Stream[CompletionsCreateResponse], AsyncStream[CompletionsCreateResponse]]:
    """Create a text completion and stream it chunk by chunk."""
    return _call(deployment, True, params)  # type: ignore[return-value]


class Completions(Resource[M]):
    create = streaming_operation(create, create_stream)
