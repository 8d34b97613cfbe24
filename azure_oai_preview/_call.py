"""What a client method asks for, independent of sync or async.

A request builder (a resource method's body, see ``resources/``) validates the caller's
arguments and returns a :class:`Call`: which spec operation, its path and query parameters,
the encoded body, the per-call options, and a :class:`ResultReader` that turns the
``httpx.Response`` into what the method returns. The sync and async clients execute the very
same ``Call``; only the reader has a sync and an async side, for results that keep talking to
the service (streams, pages). Those get the client's executor through the small protocols
declared here (:class:`SyncExecutor`, :class:`AsyncExecutor`), so nothing that reads results
depends on the transport that produced them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import httpx
from pydantic import BaseModel

from ._deviations import parse_json
from ._exceptions import APIResponseValidationError, excerpt

if TYPE_CHECKING:
    from ._operation import Operation

__all__ = [
    "AsyncExecutor",
    "Body",
    "Call",
    "CallOptions",
    "JsonReader",
    "ResultReader",
    "SyncExecutor",
    "TextReader",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
AT_co = TypeVar("AT_co", covariant=True)


class SyncExecutor(Protocol):
    """Executes further calls for a result that fetches more (the sync client's core)."""

    def execute(self, call: Call[T, Any], /) -> T: ...


class AsyncExecutor(Protocol):
    """The async client's side of :class:`SyncExecutor`."""

    async def execute(self, call: Call[Any, T], /) -> T: ...


class ResultReader(Protocol[T_co, AT_co]):
    """Turns the response of a call into the method's result, for each client flavour.

    ``executor`` is a plain (not raw-response) executor of the same client, for results
    that make more calls: the pages of a listing, say.
    """

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> T_co: ...

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> AT_co: ...


class _Unset:
    def __repr__(self) -> str:
        return "<client default>"


UNSET: Any = _Unset()
"""A per-call option that was not given: the client's setting applies."""


@dataclass(frozen=True, slots=True)
class CallOptions:
    """The per-call options the exchange applies (``extra_query`` and ``extra_body`` are
    already part of the call's query and body).

    ``timeout`` is an ``httpx.Timeout``, None for no timeout, or :data:`UNSET` for the
    client's; ``max_retries`` None means the client's; ``headers`` are sent on top of the
    client's default headers (the credential headers are set after them).
    """

    timeout: Any = UNSET
    max_retries: int | None = None
    # Not in the repr (nor in tracebacks that capture locals): it may hold a gateway's key.
    headers: Mapping[str, str] = field(default_factory=dict[str, str], repr=False)


NO_OPTIONS = CallOptions()


@dataclass(frozen=True, slots=True)
class Body:
    """An encoded request body: JSON bytes, or multipart fields and files."""

    content: bytes | None = None
    data: Mapping[str, Any] | None = None
    files: list[tuple[str, Any]] | None = None
    content_type: str | None = None


def form_value(value: Any) -> Any:
    """A JSON-ready value as a multipart form field: text, or a list of texts (repeated field)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [form_value(item) for item in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, dict):
        return json.dumps(value)
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Call(Generic[T_co, AT_co]):
    """One operation to perform: the request to send and how to read its answer.

    ``T_co`` is what the sync client returns, ``AT_co`` what the async client's coroutine
    returns; they differ only for results that fetch more (pages) or stream. ``stream``
    says the body is read by the result, not before it is built (event streams, binary
    downloads), so a call is never retried once its answer has started to arrive.
    """

    operation: Operation
    reader: ResultReader[T_co, AT_co]
    path_params: Mapping[str, str | None] = field(default_factory=dict[str, "str | None"])
    query: Mapping[str, Any] = field(default_factory=dict[str, Any])
    # Not in the repr: a body may hold a data source's key (and may be megabytes).
    body: Body | None = field(default=None, repr=False)
    stream: bool = False
    accept: str = "application/json"
    options: CallOptions = NO_OPTIONS
    url: str | None = None
    """An absolute URL the service handed out (a next-page link, a long-running operation's
    status monitor), requested instead of the operation's path; the client refuses one that
    is not on its endpoint."""

    def with_query(self, **changes: Any) -> Call[T_co, AT_co]:
        """The same call with query parameters changed (None removes one); used by pages."""
        query = {**self.query, **changes}
        return replace(self, query={k: v for k, v in query.items() if v is not None})


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

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> T:
        return parse_json_response(response, self.tp)

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> T:
        return parse_json_response(response, self.tp)


class TextReader:
    """Reads a plain-text body (audio transcripts in text, srt or vtt format)."""

    __slots__ = ()

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> str:
        return response.text

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> str:
        return response.text
