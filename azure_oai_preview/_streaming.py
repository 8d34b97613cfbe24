"""Streams of chunks (chat and completions with ``stream=True``).

The service sends data-only server-sent events, each a JSON chunk, ended by
``data: [DONE]``. :class:`ChunkDecoder` holds everything that does not depend on how
bytes arrive (JSON validation, error objects, the end marker), so :class:`Stream` and
:class:`AsyncStream` are just the two loops that feed it. A stream that stops before
``[DONE]`` raises :class:`~azure_oai_preview.IncompleteStreamError`; it never looks like a
normal end.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from . import _sse
from ._closing import AsyncClosesOnExit, ClosesOnExit
from ._deviations import parse_python
from ._exceptions import (
    APIResponseValidationError,
    APIStreamError,
    IncompleteStreamError,
    excerpt,
    request_id_of,
)
from ._json import json_object, str_field

if TYPE_CHECKING:
    from ._call import AsyncExecutor, Call, SyncExecutor

__all__ = ["AsyncStream", "Stream"]

E = TypeVar("E", bound=BaseModel)
StreamT = TypeVar("StreamT", bound="Stream[Any]")
AsyncStreamT = TypeVar("AsyncStreamT", bound="AsyncStream[Any]")

_DONE = "[DONE]"


def require_event_stream(response: httpx.Response) -> None:
    """A streaming request must be answered with ``text/event-stream``; say so clearly if not."""
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith("text/event-stream"):
        # The body is already read by the caller for a non-stream answer.
        raise APIResponseValidationError(
            "asked for a stream (stream=True) but the service answered with a non-stream "
            f"body ({content_type or 'no content-type'})",
            response=response,
            body_excerpt=excerpt(response.content),
        )


def _is_event_stream(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("text/event-stream")


def ensure_event_stream(response: httpx.Response) -> None:
    """Raise (with the body read, for its excerpt) unless ``response`` is an event stream."""
    if not _is_event_stream(response):
        response.read()
        require_event_stream(response)


async def aensure_event_stream(response: httpx.Response) -> None:
    """The async twin of :func:`ensure_event_stream`."""
    if not _is_event_stream(response):
        await response.aread()
        require_event_stream(response)


def raise_stream_error(payload: Any, request_id: str | None) -> None:
    """Raise :class:`APIStreamError` for an ``{"error": {...}}`` object found in a stream."""
    from .models import Error

    outer = json_object(payload)
    raw = outer.get("error") if outer is not None and "error" in outer else payload
    raw_error = json_object(raw)
    error = parse_python(Error, raw_error) if raw_error is not None else None
    code = str_field(raw_error, "code")
    message = str_field(raw_error, "message")
    raise APIStreamError(
        code=code,
        message=message,
        error=error,
        data=payload,
        request_id=request_id,
    )


class ChunkDecoder(Generic[E]):
    """Turns data-only SSE events into typed chunks; sync/async agnostic."""

    __slots__ = ("_validate", "chunk_type", "done", "request_id")

    def __init__(self, chunk_type: type[E], request_id: str | None) -> None:
        if not chunk_type.__pydantic_complete__:
            chunk_type.model_rebuild()
        self.chunk_type = chunk_type
        # Bound once: the per-chunk cost is then a single call into pydantic-core.
        self._validate = chunk_type.__pydantic_validator__.validate_json
        self.request_id = request_id
        self.done = False

    def decode(self, data: str) -> E | None:
        """The chunk in ``data``, or None for the end marker (after which ``done`` is set)."""
        if data == _DONE:
            self.done = True
            return None
        # An error object could validate as a chunk whose fields are all optional, so
        # anything that might be one takes the careful path (a cheap C-level scan).
        if '"error"' not in data:
            try:
                return self._validate(data, strict=True)
            except ValidationError:
                pass
        return self._decode_slow(data)

    def _decode_slow(self, data: str) -> E:
        try:
            payload = json.loads(data)
        except ValueError:
            raise IncompleteStreamError(
                f"stream sent an event that is not JSON: {excerpt(data)!r}",
                request_id=self.request_id,
            ) from None
        if isinstance(payload, dict) and "error" in payload:
            raise_stream_error(payload, self.request_id)
        return parse_python(self.chunk_type, payload)

    def broken(self, exc: httpx.TransportError) -> IncompleteStreamError:
        return IncompleteStreamError(
            f"the connection broke mid-stream ({type(exc).__name__}); the answer is incomplete",
            request_id=self.request_id,
        )

    def truncated(self) -> IncompleteStreamError:
        return IncompleteStreamError(
            "the stream ended before its [DONE] marker; the answer is incomplete",
            request_id=self.request_id,
        )


class Stream(Generic[E], ClosesOnExit):
    """An iterator of typed chunks over an open HTTP response.

    Iterate it once (``for chunk in stream``); use it as a context manager, or call
    :meth:`close`, to release the connection early - that is not an error.
    """

    def __init__(self, response: httpx.Response, chunk_type: type[E]) -> None:
        self.response = response
        self.request_id = request_id_of(response.headers)
        self._decoder = ChunkDecoder(chunk_type, self.request_id)
        self._iterator = self._chunks()

    def _chunks(self) -> Generator[E, None, None]:
        decoder = self._decoder
        try:
            for event in _sse.iter_sse(self.response.iter_bytes()):
                chunk = decoder.decode(event.data)
                if chunk is None:
                    return
                yield chunk
        except _sse.IncompleteStreamError:
            raise decoder.truncated() from None
        except httpx.TransportError as exc:
            raise decoder.broken(exc) from exc
        finally:
            self.response.close()
        raise decoder.truncated()

    def __iter__(self) -> Iterator[E]:
        return self._iterator

    def __next__(self) -> E:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        self.response.close()


class AsyncStream(Generic[E], AsyncClosesOnExit):
    """The async twin of :class:`Stream`: ``async for chunk in stream``; ``async with``."""

    def __init__(self, response: httpx.Response, chunk_type: type[E]) -> None:
        self.response = response
        self.request_id = request_id_of(response.headers)
        self._decoder = ChunkDecoder(chunk_type, self.request_id)
        self._iterator = self._chunks()

    async def _chunks(self) -> AsyncGenerator[E, None]:
        decoder = self._decoder
        try:
            async for event in _sse.aiter_sse(self.response.aiter_bytes()):
                chunk = decoder.decode(event.data)
                if chunk is None:
                    return
                yield chunk
        except _sse.IncompleteStreamError:
            raise decoder.truncated() from None
        except httpx.TransportError as exc:
            raise decoder.broken(exc) from exc
        finally:
            await self.response.aclose()
        raise decoder.truncated()

    def __aiter__(self) -> AsyncIterator[E]:
        return self._iterator

    async def __anext__(self) -> E:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()


class StreamReader(Generic[StreamT, AsyncStreamT]):
    """Result reader for streaming calls: checks the answer is a stream, then wraps it."""

    __slots__ = ("async_stream_type", "chunk_type", "stream_type")

    def __init__(
        self, stream_type: type[StreamT], async_stream_type: type[AsyncStreamT], chunk_type: Any
    ) -> None:
        self.stream_type = stream_type
        self.async_stream_type = async_stream_type
        self.chunk_type = chunk_type

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> StreamT:
        ensure_event_stream(response)
        return self.stream_type(response, self.chunk_type)

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> AsyncStreamT:
        await aensure_event_stream(response)
        return self.async_stream_type(response, self.chunk_type)
