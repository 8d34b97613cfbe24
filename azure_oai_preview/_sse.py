"""Server-sent events decoding, per the WHATWG HTML "event stream interpretation" rules.

The decoder is incremental: feed it bytes exactly as they arrive from the network (any
chunking, including chunks that split a CRLF pair or a multi-byte UTF-8 character) and it
returns the events completed so far.

Streams send one small event per token, so this is a hot path. The work is therefore done
with ``bytes``/``str`` methods that run in C over whole chunks: the last line end is found
with ``rfind``, each run of complete lines is decoded from UTF-8 in one call, and the two
layouts streams use are cut apart without a Python-level loop over lines: nothing but
``data: ...`` lines each followed by a blank line (chat completions; one ``split`` cuts out
every payload), and ``event: ...`` / ``data: ...`` / blank line triples (run streams; the
lines are checked three at a time by slicing). :meth:`SSEDecoder.feed_data` even skips the
event objects for a consumer that reads only the data. Anything else - and the end of an
event a previous chunk began - goes through a straightforward line-by-line loop. Carriage
returns are rare in practice and are normalised to LF up front, so no path ever sees one.
A chunk longer than :data:`SLICE` (a body handed over whole) is parsed a slice at a time,
which keeps the text in the CPU cache.

One deliberate departure from a browser's ``EventSource``: a browser silently drops an
event that was cut off by the end of the stream (and reconnects). An API client must not
silently return half an answer, so :meth:`SSEDecoder.close` (and :func:`iter_sse` /
:func:`aiter_sse`) raise :class:`~azure_oai_preview.IncompleteStreamError` (the package's one
class, re-exported here) when the stream stops mid-event; its ``buffered_bytes`` and
``fields_pending`` say what was lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from ._exceptions import IncompleteStreamError

__all__ = [
    "IncompleteStreamError",
    "SSEDecoder",
    "ServerSentEvent",
    "aiter_sse",
    "iter_sse",
]

_UTF8_BOM = b"\xef\xbb\xbf"
SLICE = 64 * 1024
"""Bytes parsed at a time: a longer chunk is taken in slices of this size."""


class ServerSentEvent(NamedTuple):
    """One dispatched event.

    ``event`` is ``None`` when the event had no (or an empty) ``event:`` field; consumers
    should treat that as the default type ``"message"``. ``id`` is the stream's last event
    ID at dispatch time, which persists across events until another ``id:`` field changes
    it (``None`` until the stream sends one). ``retry`` is the reconnection time in
    milliseconds if a valid ``retry:`` field was part of this event.

    A ``NamedTuple`` rather than a frozen dataclass: it is just as immutable and hashable,
    and the decoder can build it with one C call, which is ~5x cheaper than a frozen
    dataclass's ``__init__`` and matters when a chat stream yields an event per token.
    """

    data: str = ""
    event: str | None = None
    id: str | None = None
    retry: int | None = None


# Builds a ServerSentEvent from a ready-made 4-tuple without going through the Python-level
# ``__new__`` that NamedTuple generates (keyword handling, defaults). typeshed leaves the
# element type of ``tuple.__new__`` generic, hence the explicit signature.
_EventFields = tuple[str, str | None, str | None, int | None]
_NewEvent = Callable[[type[ServerSentEvent], _EventFields], ServerSentEvent]
_new_event: _NewEvent = tuple.__new__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]

# Lines a fast path of SSEDecoder._parse_block starts with, and what follows their prefix.
_FAST_STARTS = ("data: ", "event: ")
_after_data: Callable[[str], str] = itemgetter(slice(6, None))
_after_event: Callable[[str], str] = itemgetter(slice(7, None))


class SSEDecoder:
    """Incremental, spec-conformant event stream parser.

    Call :meth:`feed` for every chunk of bytes and :meth:`close` once the source is
    exhausted. The decoder keeps the stream-level state the spec defines, available as
    :attr:`last_event_id` and :attr:`reconnection_time`.
    """

    __slots__ = (
        "_at_stream_start",
        "_bom_candidate",
        "_data_lines",
        "_event_retry",
        "_event_type",
        "_has_fields",
        "_last_event_id",
        "_partial_line",
        "_reconnection_time",
        "_skip_leading_lf",
    )

    def __init__(self) -> None:
        # Survives close(): a client reconnecting after a dropped stream sends the last
        # event ID back and waits the reconnection time, as EventSource does.
        self._last_event_id: str | None = None
        self._reconnection_time: int | None = None
        self._reset_connection()

    def _reset_connection(self) -> None:
        # Byte-level state of one response body.
        self._at_stream_start: bool = True
        self._bom_candidate: bytes = b""
        self._skip_leading_lf: bool = False
        # Pieces of the current, not yet terminated line. A list rather than one growing
        # ``bytes`` so that a very long line arriving in many chunks is joined once: O(n).
        self._partial_line: list[bytes] = []
        # Event-level state, reset by every blank line.
        self._data_lines: list[str] = []
        self._event_type: str = ""
        self._event_retry: int | None = None
        self._has_fields: bool = False

    @property
    def last_event_id(self) -> str | None:
        """The last event ID buffer: the value of the most recent valid ``id:`` field."""
        return self._last_event_id

    @property
    def reconnection_time(self) -> int | None:
        """The most recent valid ``retry:`` value in milliseconds, if the stream sent one."""
        return self._reconnection_time

    @property
    def pending(self) -> bool:
        """True if anything other than comments arrived after the last event boundary.

        Ending the stream now would lose (part of) an event; :meth:`close` raises.
        """
        return self._has_fields or bool(self._data_lines) or self._unparsed_bytes() > 0

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Parse the next chunk of the stream and return the events it completed."""
        return self._feed(chunk, False)

    def feed_data(self, chunk: bytes) -> list[str]:
        """:meth:`feed` for a consumer that only reads each event's ``data`` (chat chunks).

        The events and the decoder's state are exactly those of :meth:`feed`; only the
        event objects are not built.
        """
        return self._feed(chunk, True)

    def _feed(self, chunk: bytes, data_only: bool) -> list[Any]:
        if len(chunk) > SLICE:
            # A body handed over whole (an in-process transport, a proxy that buffers the
            # stream) is parsed a slice at a time, so that the text being decoded and split
            # stays in the CPU cache: ~3x faster than in one piece. Network reads are
            # smaller than a slice already.
            parsed: list[Any] = []
            for start in range(0, len(chunk), SLICE):
                parsed += self._feed(chunk[start : start + SLICE], data_only)
            return parsed
        text = self._complete_lines(chunk)
        return [] if text is None else self._parse_block(text, data_only)

    def _complete_lines(self, chunk: bytes) -> str | None:
        """The lines ``chunk`` completes, joined by LF without the last LF (None: no line)."""
        if self._at_stream_start or self._skip_leading_lf or b"\r" in chunk:
            chunk = self._prepare_unusual_chunk(chunk)
        end = chunk.rfind(b"\n")
        partial_line = self._partial_line
        if end < 0:
            if chunk:
                partial_line.append(chunk)
            return None
        if partial_line:
            partial_line.append(chunk[:end])
            complete = b"".join(partial_line)
            partial_line.clear()
        else:
            complete = chunk[:end]
        if end + 1 < len(chunk):
            partial_line.append(chunk[end + 1 :])
        # Decoding everything up to the last LF at once is safe: LF never occurs inside a
        # multi-byte UTF-8 sequence, so a character split across chunks is still whole in
        # the partial line kept for the next call.
        return complete.decode("utf-8", "replace")

    def close(self) -> None:
        """Signal the end of the response body.

        The spec discards an event that was not terminated by a blank line; this method does
        too, but raises :class:`IncompleteStreamError` when that happened so that a
        truncated response is never mistaken for a complete one. Callers that want the
        lenient browser behaviour can check :attr:`pending` first or catch the error.

        Either way the decoder is then ready for the next response body (a reconnection):
        :attr:`last_event_id` and :attr:`reconnection_time` are kept, everything else is
        reset.
        """
        buffered = self._unparsed_bytes()
        fields_pending = self._has_fields or bool(self._data_lines)
        self._reset_connection()
        if fields_pending or buffered:
            if fields_pending:
                detail = "event fields were received but not the blank line that ends the event"
            else:
                detail = f"{buffered} bytes of an unterminated line were left over"
            raise IncompleteStreamError(
                f"Server-sent event stream ended in the middle of an event: {detail}",
                buffered_bytes=buffered,
                fields_pending=fields_pending,
            )

    # -- internals -------------------------------------------------------------------------

    def _unparsed_bytes(self) -> int:
        parts = self._partial_line
        if parts and parts[0][:1] == b":":
            # An unterminated comment (keep-alive) would not have produced anything.
            return 0
        return sum(map(len, parts)) + len(self._bom_candidate)

    def _prepare_unusual_chunk(self, chunk: bytes) -> bytes:
        # Everything that is rare in practice, kept off the common path: the start of the
        # stream (BOM) and CR line ends. Returns the chunk with LF as the only line end.
        if not chunk:
            return chunk
        if self._at_stream_start:
            # The BOM may itself arrive split over several tiny chunks, so hold back a
            # prefix of it until three bytes have been seen or the bytes stop matching.
            chunk = self._bom_candidate + chunk
            if len(chunk) < len(_UTF8_BOM) and _UTF8_BOM.startswith(chunk):
                self._bom_candidate = chunk
                return b""
            self._bom_candidate = b""
            self._at_stream_start = False
            if chunk.startswith(_UTF8_BOM):
                chunk = chunk[len(_UTF8_BOM) :]
        if self._skip_leading_lf and chunk:
            # The previous chunk ended in CR: if this one starts with LF, the pair is a
            # single line end that was already handled.
            self._skip_leading_lf = False
            if chunk[0] == 0x0A:
                chunk = chunk[1:]
        if b"\r" in chunk:
            # A CR at the very end may be the first half of a CRLF whose LF is in the next
            # chunk. It is a complete line end either way, so treat it as one now and drop
            # a leading LF from the next chunk.
            self._skip_leading_lf = chunk[-1] == 0x0D
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        return chunk

    def _parse_block(self, text: str, data_only: bool) -> list[Any]:
        """The events of complete lines (``text``: joined by LF, without the last LF).

        ``data_only``: return each event's data rather than the event. The two layouts
        streams use in practice are cut apart by a few calls that run in C over the whole
        block (:meth:`_data_events`, :meth:`_typed_events`); anything else, and the end of
        an event a previous block began, goes through the line loop.
        """
        head: list[Any] = []
        if self._data_lines or self._has_fields or not text.startswith(_FAST_STARTS):
            # Up to the first event boundary one line at a time; the fast paths may take
            # the rest, which starts with no event in progress.
            if text.startswith("\n"):
                head_lines, text = [""], text[1:]
            else:
                boundary = text.find("\n\n")
                if boundary < 0:
                    return self._dispatched(self._parse_lines(text.split("\n")), data_only)
                head_lines, text = text[:boundary].split("\n"), text[boundary + 2 :]
                head_lines.append("")
            head = self._dispatched(self._parse_lines(head_lines), data_only)
        if text.startswith("data: "):
            payloads = self._data_events(text)
            if payloads is not None:
                if not data_only:
                    last_id = self._last_event_id
                    payloads = list(
                        map(
                            _new_event,
                            repeat(ServerSentEvent),
                            zip(payloads, repeat(None), repeat(last_id), repeat(None)),
                        )
                    )
                return head + payloads if head else payloads
        elif text.startswith("event: "):
            typed = self._typed_events(text, data_only)
            if typed is not None:
                return head + typed if head else typed
        events = self._dispatched(self._parse_lines(text.split("\n")), data_only)
        return head + events if head else events

    @staticmethod
    def _dispatched(events: list[ServerSentEvent], data_only: bool) -> list[Any]:
        return [event.data for event in events] if data_only else events

    def _data_events(self, text: str) -> list[str] | None:
        """The payloads of a block of nothing but ``data: <payload>`` lines each followed by
        a blank line (chat completion streams); None if the block is not only that."""
        # One split in C cuts out every payload; counting LFs proves there was nothing else
        # in between (no multi-line data, no other fields, no extra blank lines).
        lfs = text.count("\n")
        if lfs == 1 and text[-1] == "\n":
            # Exactly one complete event: what a chunk holds when every network read
            # carries a single token.
            return [text[6:-1]]
        payloads = text.split("\n\ndata: ")
        payloads[0] = payloads[0][6:]
        separator_lfs = 2 * (len(payloads) - 1)
        if lfs == separator_lfs:
            # The last event's blank line has not arrived yet.
            self._data_lines.append(payloads.pop())
        elif lfs == separator_lfs + 1 and text[-1] == "\n":
            # The block ends with a blank line: the last event is complete too.
            payloads[-1] = payloads[-1][:-1]
        else:
            return None
        return payloads

    def _typed_events(self, text: str, data_only: bool) -> list[Any] | None:
        """The events of a block of ``event: <type>`` / ``data: <payload>`` / blank line
        triples (run streams), the last possibly unfinished; None if it is not only that."""
        lines = text.split("\n")
        whole = len(lines) - len(lines) % 3
        types = lines[0:whole:3]
        datas = lines[1:whole:3]
        # Checked in C, for every triple at once: blank third lines, the two prefixes, and
        # no empty type (which would mean the default type, None).
        if (
            any(lines[2:whole:3])
            or not all(map(str.startswith, types, repeat("event: ")))
            or not all(map(str.startswith, datas, repeat("data: ")))
            or "event: " in types
        ):
            return None
        payloads = map(_after_data, datas)
        events: list[Any] = (
            list(payloads)
            if data_only
            else list(
                map(
                    _new_event,
                    repeat(ServerSentEvent),
                    zip(
                        payloads,
                        map(_after_event, types),
                        repeat(self._last_event_id),
                        repeat(None),
                    ),
                )
            )
        )
        if whole < len(lines):
            # One or two lines more: usually the start of an event still arriving.
            events += self._dispatched(self._parse_lines(lines[whole:]), data_only)
        return events

    def _parse_lines(self, lines: list[str]) -> list[ServerSentEvent]:
        # The general line-by-line algorithm of the spec. Event-level state lives in locals
        # for the duration of the loop and is written back at the end.
        events: list[ServerSentEvent] = []
        data_lines = self._data_lines
        event_type = self._event_type
        event_retry = self._event_retry
        has_fields = self._has_fields
        for line in lines:
            if not line:
                # Blank line: dispatch. An event without any data line is not dispatched,
                # but its event-level state is still reset.
                if data_lines:
                    events.append(
                        _new_event(
                            ServerSentEvent,
                            (
                                "\n".join(data_lines),
                                event_type or None,
                                self._last_event_id,
                                event_retry,
                            ),
                        )
                    )
                    data_lines.clear()
                event_type = ""
                event_retry = None
                has_fields = False
                continue
            # The two everyday lines first, without the general field parsing below.
            if line.startswith("data: "):
                data_lines.append(line[6:])
                continue
            if line.startswith("event: "):
                event_type = line[7:]
                has_fields = True
                continue
            if line[0] == ":":
                continue  # comment, typically a keep-alive
            name, colon, value = line.partition(":")
            if colon and value.startswith(" "):
                value = value[1:]
            if name == "data":
                data_lines.append(value)
                continue
            has_fields = True
            if name == "event":
                event_type = value
            elif name == "id" and "\0" not in value:
                self._last_event_id = value
            elif name == "retry" and value.isascii() and value.isdigit():
                event_retry = self._reconnection_time = int(value)
            # Anything else is ignored, as the spec requires: unknown field names, an id
            # containing NUL, a retry value that is not purely ASCII digits.
        self._event_type = event_type
        self._event_retry = event_retry
        self._has_fields = has_fields
        return events


def iter_sse(byte_iter: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    """Decode events from an iterable of byte chunks, e.g. ``response.iter_bytes()``.

    Raises :class:`IncompleteStreamError` if the source ends in the middle of an event.
    """
    decoder = SSEDecoder()
    for chunk in byte_iter:
        yield from decoder.feed(chunk)
    decoder.close()


async def aiter_sse(byte_aiter: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
    """Async twin of :func:`iter_sse`, e.g. for ``response.aiter_bytes()``."""
    decoder = SSEDecoder()
    async for chunk in byte_aiter:
        for event in decoder.feed(chunk):
            yield event
    decoder.close()
