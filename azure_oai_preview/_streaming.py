"""Streams of chunks (chat and completions with ``stream=True``), and what every stream shares.

The service sends data-only server-sent events, each a JSON chunk, ended by
``data: [DONE]``. :class:`ChunkDecoder` holds everything that does not depend on how
bytes arrive (JSON validation, error objects, the end marker, the chunks received so
far), so :class:`Stream` and :class:`AsyncStream` are just the two loops that feed it.

What a stream received is never lost. The decoder keeps the JSON text of every chunk and
merges it (:mod:`._delta`) only when asked: by ``get_final_completion()``, or for the
``partial`` of an :class:`~azure_oai_preview.IncompleteStreamError` - or when the kept text
passes :data:`PENDING_LIMIT` (16 Mi characters), so memory stays bounded on endless streams. How a stream ends:

* ``[DONE]``: complete. The rest of the body is read (up to 64 KiB) before the response is
  closed, so that the connection goes back to the pool for the next request.
* The body ends without ``[DONE]``: :class:`~azure_oai_preview.IncompleteStreamError`, with
  the chunks so far merged in ``partial`` - unless every choice already had its
  ``finish_reason`` (some Azure-hosted deployments close a content-filtered stream that
  way). Then the answer is complete but for the marker: the stream ends normally and the
  final completion records the missing marker as a deviation
  (:func:`~azure_oai_preview.deviations`), logged once.
* The connection breaks, or an event is not JSON or not a JSON object (``null``, an array:
  no chunk at all): ``IncompleteStreamError`` with ``partial``, however the stream is read.
  A chunk that is an object with off-spec fields is delivered (see :mod:`._deviations`).
* An error object: :class:`~azure_oai_preview.APIStreamError`, with ``partial`` too.
* Closing the stream (``with`` block, :meth:`Stream.close`) is not an error. A stream
  dropped without either releases its connection as soon as it is garbage (reference
  counting, no cycle) and warns with a ``ResourceWarning``, like an unclosed file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import warnings
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from . import _sse
from ._closing import AsyncClosesOnExit, ClosesOnExit
from ._delta import ChunkAccumulator
from ._deviations import MISSING, Deviation, deviations, parse_python
from ._error_mapping import body_read_error
from ._exceptions import (
    APIResponseValidationError,
    APIStreamError,
    IncompleteStreamError,
    excerpt,
    request_id_of,
)
from ._json import json_kind, json_object, str_field

if TYPE_CHECKING:
    from ._call import AsyncExecutor, Call, SyncExecutor

__all__ = ["AsyncStream", "Stream"]

E = TypeVar("E", bound=BaseModel)
StreamT = TypeVar("StreamT", bound="Stream[Any]")
AsyncStreamT = TypeVar("AsyncStreamT", bound="AsyncStream[Any]")

_log = logging.getLogger("azure_oai_preview")

_DONE = "[DONE]"
MERGED: Any = object()
"""What :meth:`ChunkDecoder.decode` returns for a chunk it merged without building it."""
DRAIN_LIMIT = 64 * 1024
"""Bytes read after the end marker, at most, to hand the connection back for reuse."""

_MISSING_DONE = (
    "the stream ended without its [DONE] marker after every choice had a finish_reason; "
    "accepted as complete (chunks sent after the finish reason, such as usage, would be missing)"
)


_missing_done_logged = False


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


def load_event(
    data: str,
    request_id: str | None,
    *,
    event: str | None = None,
    partial: Callable[[], Any] | None = None,
) -> Any:
    """The JSON of one event's data; :class:`IncompleteStreamError` when it is not JSON (an
    event cut off), naming the event and keeping its text, with ``partial()`` attached."""
    try:
        return json.loads(data)
    except ValueError:
        what = f"the {event!r} event's data" if event else "an event"
        raise IncompleteStreamError(
            f"stream sent {what} that is not JSON (cut off?): {excerpt(data)!r}",
            request_id=request_id,
            partial=partial() if partial is not None else None,
            event=event,
            data=data,
        ) from None


def stream_error(payload: Any, request_id: str | None, partial: Any = None) -> APIStreamError:
    """The :class:`APIStreamError` for an ``{"error": {...}}`` object found in a stream."""
    from .models import Error

    outer = json_object(payload)
    raw = outer.get("error") if outer is not None and "error" in outer else payload
    raw_error = json_object(raw)
    error = parse_python(Error, raw_error) if raw_error is not None else None
    return APIStreamError(
        code=str_field(raw_error, "code"),
        message=str_field(raw_error, "message"),
        error=error,
        data=payload,
        request_id=request_id,
        partial=partial,
    )


# -- after the end marker, and when a stream is dropped -------------------------------------------


def drain(chunks: Iterator[bytes]) -> None:
    """Read what is left of a body after its end marker (bounded), so that closing the
    response returns the connection to the pool instead of closing it."""
    left = DRAIN_LIMIT
    try:
        for chunk in chunks:
            left -= len(chunk)
            if left < 0:
                return
    except httpx.HTTPError:
        pass  # the answer is complete; only the connection is lost


async def adrain(chunks: AsyncIterator[bytes]) -> None:
    """The async twin of :func:`drain`."""
    left = DRAIN_LIMIT
    try:
        async for chunk in chunks:
            left -= len(chunk)
            if left < 0:
                return
    except httpx.HTTPError:
        pass


def _warn_unclosed(stream: object) -> None:
    warnings.warn(
        f"{type(stream).__name__} dropped while its connection was open; read it to the end, "
        "use it in a with block or call close()",
        ResourceWarning,
        source=stream,
        stacklevel=2,
    )


_closing_tasks: set[Any] = set()


def _aclose_soon(response: httpx.Response) -> None:
    """Close an async response from a finalizer: on the running event loop, if there is one."""
    # asyncio is looked up, not imported: a program that never imported it runs no asyncio
    # loop (a sync or trio program does not pay for the import).
    asyncio: Any = sys.modules.get("asyncio")
    loop: Any = None
    if asyncio is not None:
        with contextlib.suppress(RuntimeError):
            loop = asyncio.get_running_loop()
    if loop is None:
        trio: Any = sys.modules.get("trio")
        if trio is not None:
            # Outside trio too (RuntimeError), nothing can await the close any more.
            with contextlib.suppress(RuntimeError):
                trio.lowlevel.spawn_system_task(response.aclose)
        return
    task = loop.create_task(response.aclose())
    _closing_tasks.add(task)
    task.add_done_callback(_closing_tasks.discard)


class ReleasesWhenDropped:
    """A stream that is garbage while its response is open closes it (and warns).

    The reading loops are plain functions of the response and the decoder, never of the
    stream, so dropping the last reference to a stream frees it at once.
    """

    def __del__(self) -> None:
        response: httpx.Response | None = self.__dict__.get("response")
        if response is None or response.is_closed:
            return
        _warn_unclosed(self)
        if isinstance(self, AsyncClosesOnExit):
            _aclose_soon(response)
        else:
            iterator: Generator[Any, None, None] | None = self.__dict__.get("_iterator")
            if iterator is not None:
                iterator.close()
            response.close()


# -- chunk streams --------------------------------------------------------------------------------


PENDING_LIMIT = 16 * 1024 * 1024
"""Characters of chunk JSON a stream keeps unmerged at most (see ``ChunkDecoder._keep``)."""


class ChunkDecoder(Generic[E]):
    """Turns data-only SSE events into typed chunks and keeps what they add up to.

    Sync/async agnostic. ``new_accumulator`` makes the accumulator of the stream's kind
    (:class:`~._delta.ChunkAccumulator` of the chunk type by default). Within
    :meth:`merging` (``get_final_completion``), the chunks nobody will see are merged at
    once instead of being built: :meth:`decode` then returns :data:`MERGED`.
    """

    __slots__ = (
        "_accumulator",
        "_error_field",
        "_everyday",
        "_final",
        "_merge_only",
        "_pending",
        "_validate",
        "chunk_type",
        "done",
        "new_accumulator",
        "received",
        "request_id",
        "without_done",
    )

    def __init__(
        self,
        chunk_type: type[E],
        request_id: str | None,
        new_accumulator: Callable[[], ChunkAccumulator[Any]] | None = None,
    ) -> None:
        if not chunk_type.__pydantic_complete__:
            chunk_type.model_rebuild()
        self.chunk_type = chunk_type
        # Bound once: the per-chunk cost is then a single call into pydantic-core.
        self._validate = chunk_type.__pydantic_validator__.validate_json
        # An error object validates as a chunk when every required field of the chunk
        # type can be missing. Unless the type has a field of that name, the error then
        # sits in the chunk's extra fields, which is cheaper to look at than the text.
        self._error_field = any(
            "error" in (name, field.alias) for name, field in chunk_type.model_fields.items()
        )
        self.request_id = request_id
        self.new_accumulator = new_accumulator or (lambda: ChunkAccumulator[Any](chunk_type))
        self.done = False
        self.without_done = False
        self._merge_only = False
        # Chunks are validated, kept and handed out, nothing else (see decode).
        self._everyday = not self._error_field
        # JSON text of the chunks not merged yet: merging is deferred until someone asks.
        self.received: list[str] = []
        self._pending = 0  # characters of JSON text in ``received``
        self._accumulator: ChunkAccumulator[Any] | None = None
        self._final: Any = None

    def decode(self, data: str) -> E | None:
        """The chunk in ``data``, or None for the end marker (after which ``done`` is set)."""
        if self._everyday:
            # The end marker is not JSON, so it fails validation like anything unusual and
            # is told apart on the slow path: one comparison less per chunk.
            try:
                chunk = self._validate(data, strict=True)
            except ValidationError:
                return self._decode_slow(data)
            extra = chunk.__pydantic_extra__
            if extra and "error" in extra:
                return self._decode_slow(data)
            self._keep(data)
            return chunk
        if data != _DONE and self._merge_only:
            return self._merge(data)
        if '"error"' in data:
            return self._decode_slow(data)
        try:
            chunk = self._validate(data, strict=True)
        except ValidationError:
            return self._decode_slow(data)
        self._keep(data)
        return chunk

    def _keep(self, data: str) -> None:
        # Merging is deferred (most streams are read and dropped, or merged once at the end),
        # but the texts kept for it are bounded: past PENDING_LIMIT characters - twice the
        # chunks of the longest answer a deployment writes (16k tokens, about 7 MB) - they
        # are merged, so a stream that runs on and on holds what its chunks add up to, not
        # every chunk.
        self.received.append(data)
        self._pending += len(data)
        if self._pending > PENDING_LIMIT:
            self.accumulator()

    def _decode_slow(self, data: str) -> E | None:
        if data == _DONE:
            self.done = True
            return None
        payload = load_event(data, self.request_id, partial=self.partial)
        if type(payload) is not dict:
            raise self.not_a_chunk(data, payload)
        if "error" in payload:
            raise stream_error(payload, self.request_id, self.partial())
        chunk: E = parse_python(self.chunk_type, payload)
        self._keep(data)
        return chunk

    @contextlib.contextmanager
    def merging(self) -> Generator[None, None, None]:
        """Within: chunks are merged at once, not built (:data:`MERGED` is delivered)."""
        self._merge_only = True
        self._everyday = False
        try:
            yield
        finally:
            self._merge_only = False
            self._everyday = not self._error_field

    def _merge(self, data: str) -> Any:
        # The same checks as decode (JSON, error object), without building the chunk.
        payload = load_event(data, self.request_id, partial=self.partial)
        if type(payload) is not dict:
            raise self.not_a_chunk(data, payload)
        if "error" in payload:
            raise stream_error(payload, self.request_id, self.partial())
        accumulator = self._accumulator
        if accumulator is None or self.received:
            accumulator = self.accumulator()
        accumulator.add_decoded(payload)
        return MERGED

    def accumulator(self) -> ChunkAccumulator[Any]:
        """Everything received so far, merged."""
        accumulator = self._accumulator
        if accumulator is None:
            accumulator = self._accumulator = self.new_accumulator()
        for data in self.received:
            accumulator.add_json(data)
        self.received.clear()
        self._pending = 0
        return accumulator

    def partial(self) -> Any:
        """What arrived so far, as the stream's result type; None before the first chunk."""
        if not self.received and self._accumulator is None:
            return None
        return self.accumulator().result(partial=True)

    def final(self) -> Any:
        """The merged result of a complete stream (built once)."""
        if self._final is None:
            if not self.done:
                raise IncompleteStreamError(
                    "the stream was closed before its end; the answer is incomplete",
                    request_id=self.request_id,
                    partial=self.partial(),
                )
            final = self.accumulator().result()
            if self.without_done:
                deviation = Deviation((), _MISSING_DONE, MISSING)
                object.__setattr__(final, "_azure_deviations_", (*deviations(final), deviation))
            self._final = final
        return self._final

    def ended(self, sse: _sse.SSEDecoder) -> None:
        """The body ended without ``[DONE]``: complete if every choice finished, else raise."""
        try:
            sse.close()
        except IncompleteStreamError:
            raise self.truncated() from None
        accumulator = self.accumulator()
        if not accumulator.finished:
            raise self.truncated()
        self.done = self.without_done = True
        global _missing_done_logged
        if not _missing_done_logged:
            _missing_done_logged = True
            _log.warning(
                "%s (request id %s); logged once, see azure_oai_preview.deviations() of the "
                "final completion",
                _MISSING_DONE,
                self.request_id,
            )

    def broken(self, exc: httpx.TransportError | httpx.DecodingError) -> IncompleteStreamError:
        return body_read_error(
            exc,
            request_id=self.request_id,
            consequence="the answer is incomplete",
            partial=self.partial(),
        )

    def not_a_chunk(self, data: str, payload: Any) -> IncompleteStreamError:
        """The error for an event whose data is JSON but not an object: no chunk at all (not
        one with off-spec fields, which is kept), so the stream cannot go on."""
        return IncompleteStreamError(
            f"stream sent an event whose data is {json_kind(payload)}, not a chunk (a JSON "
            f"object); the answer is incomplete: {excerpt(data)!r}",
            request_id=self.request_id,
            partial=self.partial(),
            data=data,
        )

    def truncated(self) -> IncompleteStreamError:
        return IncompleteStreamError(
            "the stream ended before its [DONE] marker; the answer is incomplete",
            request_id=self.request_id,
            partial=self.partial(),
        )


def _chunks(response: httpx.Response, decoder: ChunkDecoder[E]) -> Generator[E, None, None]:
    # A function of the response and decoder only (see ReleasesWhenDropped).
    byte_iter = response.iter_bytes()
    events = _sse.SSEDecoder()
    decode = decoder.decode
    try:
        for data in byte_iter:
            for payload in events.feed_data(data):
                chunk = decode(payload)
                if chunk is None:
                    drain(byte_iter)
                    return
                yield chunk
        decoder.ended(events)
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise decoder.broken(exc) from exc
    finally:
        response.close()


async def _achunks(response: httpx.Response, decoder: ChunkDecoder[E]) -> AsyncGenerator[E, None]:
    byte_iter = response.aiter_bytes()
    events = _sse.SSEDecoder()
    decode = decoder.decode
    try:
        async for data in byte_iter:
            for payload in events.feed_data(data):
                chunk = decode(payload)
                if chunk is None:
                    await adrain(byte_iter)
                    return
                yield chunk
        decoder.ended(events)
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise decoder.broken(exc) from exc
    finally:
        await response.aclose()


class _ChunkStream(Generic[E], ReleasesWhenDropped):
    """What both chunk streams hold: the response and the decoder (no I/O here)."""

    response: httpx.Response
    request_id: str | None
    _decoder: ChunkDecoder[E]

    def _start(self, response: httpx.Response, chunk_type: type[E]) -> None:
        self.response = response
        self.request_id = request_id_of(response.headers)
        self._decoder = ChunkDecoder(chunk_type, self.request_id, self._new_accumulator())

    @staticmethod
    def _new_accumulator() -> Callable[[], ChunkAccumulator[Any]] | None:
        """What merges this kind of stream's chunks (None: the chunk type itself)."""
        return None


class Stream(_ChunkStream[E], ClosesOnExit):
    """An iterator of typed chunks over an open HTTP response.

    Iterate it once (``for chunk in stream``); use it as a context manager, or call
    :meth:`close`, to release the connection early - that is not an error.
    """

    def __init__(self, response: httpx.Response, chunk_type: type[E]) -> None:
        self._start(response, chunk_type)
        self._iterator = _chunks(response, self._decoder)

    def __iter__(self) -> Iterator[E]:
        # The stream itself, not its generator: whoever iterates keeps the stream alive,
        # so it is dropped (and its connection released) only when nobody reads it.
        return self

    def __next__(self) -> E:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        self.response.close()

    def _read_to_final(self) -> Any:
        # Chunks nobody will see are merged, not built (get_final_completion).
        with self._decoder.merging():
            for _ in self._iterator:
                pass
        return self._decoder.final()


class AsyncStream(_ChunkStream[E], AsyncClosesOnExit):
    """The async twin of :class:`Stream`: ``async for chunk in stream``; ``async with``."""

    def __init__(self, response: httpx.Response, chunk_type: type[E]) -> None:
        self._start(response, chunk_type)
        self._iterator = _achunks(response, self._decoder)

    def __aiter__(self) -> AsyncIterator[E]:
        return self

    async def __anext__(self) -> E:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def _read_to_final(self) -> Any:
        with self._decoder.merging():
            async for _ in self._iterator:
                pass
        return self._decoder.final()


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
