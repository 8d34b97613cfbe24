"""What a client method asks for, independent of sync or async.

A request builder (see ``resources/``) validates the caller's arguments and returns a
:class:`Call`: which spec operation, its path and query parameters, the encoded body, and
a :class:`ResultReader` that turns the ``httpx.Response`` into what the method returns.
The sync and async clients execute the very same ``Call``; only the reader has a sync
and an async side, for results that keep talking to the service (streams, pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import httpx
from pydantic import BaseModel

from ._deviations import parse_json
from ._exceptions import APIResponseValidationError, excerpt

if TYPE_CHECKING:
    from ._operation import Operation
    from ._transport import AsyncCore, SyncCore

__all__ = ["Call", "JsonReader", "ResultReader", "TextReader"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
AT_co = TypeVar("AT_co", covariant=True)


class ResultReader(Protocol[T_co, AT_co]):
    """Turns the response of a call into the method's result, for each client flavour."""

    def read_sync(self, response: httpx.Response, core: SyncCore, call: Call[Any, Any]) -> T_co: ...

    async def read_async(
        self, response: httpx.Response, core: AsyncCore, call: Call[Any, Any]
    ) -> AT_co: ...


@dataclass(frozen=True, slots=True)
class Body:
    """An encoded request body: JSON bytes, or multipart fields and files."""

    content: bytes | None = None
    data: Mapping[str, Any] | None = None
    files: list[tuple[str, Any]] | None = None
    content_type: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Call(Generic[T_co, AT_co]):
    """One operation to perform: the request to send and how to read its answer.

    ``T_co`` is what the sync client returns, ``AT_co`` what the async client's coroutine
    returns; they differ only for results that fetch more (pages) or stream.
    """

    operation: Operation
    reader: ResultReader[T_co, AT_co]
    path_params: Mapping[str, str | None] = field(default_factory=dict[str, "str | None"])
    query: Mapping[str, Any] = field(default_factory=dict[str, Any])
    body: Body | None = None
    stream: bool = False
    accept: str = "application/json"

    def with_query(self, **changes: Any) -> Call[T_co, AT_co]:
        """The same call with query parameters changed (None removes one); used by pages."""
        query = {**self.query, **changes}
        return Call(
            operation=self.operation,
            reader=self.reader,
            path_params=self.path_params,
            query={k: v for k, v in query.items() if v is not None},
            body=self.body,
            stream=self.stream,
            accept=self.accept,
        )


def parse_json_response(response: httpx.Response, tp: Any) -> Any:
    """Parse a complete JSON response into ``tp`` (lenient on spec deviations).

    A body that is not JSON at all (an HTML gateway page, a truncated body) raises
    :class:`APIResponseValidationError` with a short excerpt, not a decoder traceback.
    """
    content = response.content
    if _is_model(tp) and not _is_json_object(content):
        # JSON, but not an object at all (a list, a string, null): nothing of the model
        # could be kept, so this is no deviation to tolerate but an unusable answer.
        raise APIResponseValidationError(
            f"expected a JSON object for {getattr(tp, '__name__', tp)}, got something else",
            response=response,
            body_excerpt=excerpt(content),
        )
    try:
        return parse_json(tp, content)
    except ValueError:
        raise APIResponseValidationError(
            f"expected a JSON body for {getattr(tp, '__name__', tp)}, got something else",
            response=response,
            body_excerpt=excerpt(content),
        ) from None


_JSON_WHITESPACE = b" \t\r\n"


def _is_model(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_json_object(content: bytes) -> bool:
    """Whether a JSON text starts an object (looks past leading whitespace only)."""
    start = 0
    while start < len(content) and content[start] in _JSON_WHITESPACE:
        start += 1
    return content[start : start + 1] == b"{"


class JsonReader(Generic[T]):
    """Reads a JSON body into a model (or type alias); the same for sync and async."""

    __slots__ = ("tp",)

    def __init__(self, tp: type[T] | Any) -> None:
        self.tp = tp

    def read_sync(self, response: httpx.Response, core: SyncCore, call: Call[Any, Any]) -> T:
        return parse_json_response(response, self.tp)

    async def read_async(
        self, response: httpx.Response, core: AsyncCore, call: Call[Any, Any]
    ) -> T:
        return parse_json_response(response, self.tp)


class TextReader:
    """Reads a plain-text body (audio transcripts in text, srt or vtt format)."""

    __slots__ = ()

    def read_sync(self, response: httpx.Response, core: SyncCore, call: Call[Any, Any]) -> str:
        return response.text

    async def read_async(
        self, response: httpx.Response, core: AsyncCore, call: Call[Any, Any]
    ) -> str:
        return response.text
