from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from azure_oai_preview._sse import (
    SLICE,
    IncompleteStreamError,
    ServerSentEvent,
    SSEDecoder,
    aiter_sse,
    iter_sse,
)

Event = ServerSentEvent


def decode(chunks: Iterable[bytes]) -> list[ServerSentEvent]:
    return list(iter_sse(chunks))


def split_every(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def bytewise(body: bytes) -> list[bytes]:
    return split_every(body, 1)


# -- line endings ------------------------------------------------------------------------------


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"], ids=["LF", "CR", "CRLF"])
def test_every_line_ending_style(eol: bytes) -> None:
    body = eol.join([b"event: greet", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    expected = [Event("a\nb", event="greet"), Event("c")]
    assert decode([body]) == expected
    assert decode(bytewise(body)) == expected


def test_mixed_line_endings_in_one_stream() -> None:
    assert decode([b"data: a\rdata: b\r\ndata: c\n\r\n"]) == [Event("a\nb\nc")]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    # If the CR and the LF counted separately, the LF would be a blank line and dispatch "a"
    # on its own.
    assert decode([b"data: a\r", b"\ndata: b\r\n\r\n"]) == [Event("a\nb")]


def test_cr_at_chunk_end_followed_by_empty_chunk_then_lf() -> None:
    assert decode([b"data: a\r", b"", b"\ndata: b\r", b"\r"]) == [Event("a\nb")]


def test_cr_then_cr_is_two_line_ends_across_chunks() -> None:
    assert decode([b"data: a\r", b"\r"]) == [Event("a")]


# -- byte order mark -----------------------------------------------------------------------------


def test_leading_bom_is_dropped() -> None:
    assert decode([b"\xef\xbb\xbfdata: a\n\n"]) == [Event("a")]


def test_leading_bom_split_across_chunks_is_dropped() -> None:
    assert decode([b"\xef", b"\xbb", b"\xbfdata: a\n\n"]) == [Event("a")]


def test_bom_prefix_that_is_not_a_bom_is_kept() -> None:
    # "\xef\xbb" followed by something else is ordinary (here invalid) UTF-8.
    assert decode([b"\xef\xbb", b"X\n\ndata: a\n\n"]) == [Event("a")]


def test_bom_later_in_the_stream_is_not_special() -> None:
    # Only the first three bytes of the stream can be a BOM; later on it is part of the field
    # name, which is then unknown and ignored.
    assert decode([b"data: a\n\n\xef\xbb\xbfdata: b\n\n"]) == [Event("a")]


# -- lines and fields ----------------------------------------------------------------------------


def test_comments_and_keep_alives_are_ignored() -> None:
    body = b": keep-alive\n\n:\ndata: a\n: in the middle\ndata: b\n\n: bye\n"
    assert decode([body]) == [Event("a\nb")]


def test_keep_alive_only_stream_ends_cleanly() -> None:
    assert decode([b": ping\n\n", b": ping\n\n"]) == []


def test_multi_line_data_is_joined_with_lf() -> None:
    assert decode([b'data: {\ndata:   "a": 1\ndata: }\n\n']) == [Event('{\n  "a": 1\n}')]


def test_only_one_leading_space_is_stripped() -> None:
    body = b"data:no-space\n\ndata: one\n\ndata:  two\n\ndata:\ttab\n\n"
    assert [e.data for e in decode([body])] == ["no-space", "one", " two", "\ttab"]


def test_field_without_colon_has_empty_value() -> None:
    # "data" alone appends an empty line; "event" alone resets the type to the default.
    body = b"data\ndata\n\nevent\ndata: x\n\n"
    assert decode([body]) == [Event("\n"), Event("x", event=None)]


def test_empty_data_field_dispatches_an_empty_event() -> None:
    assert decode([b"data:\n\n", b"data: \n\n"]) == [Event(""), Event("")]


def test_value_may_contain_colons() -> None:
    assert decode([b"data: a: b:c\n\n"]) == [Event("a: b:c")]


def test_event_without_data_is_not_dispatched() -> None:
    assert decode([b"event: ping\n\nretry: 5\n\n\n\n"]) == []


def test_event_type_does_not_leak_into_the_next_event() -> None:
    body = b"event: first\ndata: a\n\ndata: b\n\nevent: orphan\n\ndata: c\n\n"
    assert decode([body]) == [Event("a", event="first"), Event("b"), Event("c")]


def test_empty_event_type_means_default() -> None:
    assert decode([b"event:\ndata: a\n\n"]) == [Event("a", event=None)]


def test_unknown_fields_are_ignored() -> None:
    body = b"foo: bar\ndata: a\nDATA: shout\nData: mixed\n\n"
    assert decode([body]) == [Event("a")]


def test_id_persists_until_changed_and_updates_without_dispatch() -> None:
    body = (
        b"data: before\n\n"
        b"id: 1\ndata: a\n\n"
        b"data: b\n\n"
        b"id: 2\n\n"  # no data: nothing dispatched, but the last event ID changes
        b"data: c\n\n"
        b"id\ndata: d\n\n"  # an empty id resets it to the empty string
    )
    events = decode([body])
    assert [(e.data, e.id) for e in events] == [
        ("before", None),
        ("a", "1"),
        ("b", "1"),
        ("c", "2"),
        ("d", ""),
    ]


def test_id_containing_nul_is_ignored() -> None:
    events = decode([b"id: good\ndata: a\n\nid: b\x00d\ndata: b\n\n"])
    assert [e.id for e in events] == ["good", "good"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"0", 0),
        (b"1500", 1500),
        (b"007", 7),
        (b"", None),
        (b"1.5", None),
        (b"-1", None),
        (b" 5", 5),  # the one optional space is stripped before the digit check
        (b"5 ", None),
        (b"1e3", None),
        ("\u0661\u0662".encode(), None),  # Arabic-Indic digits are digits, but not ASCII
    ],
)
def test_retry_only_if_all_ascii_digits(value: bytes, expected: int | None) -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"retry:" + value + b"\ndata: a\n\n")
    assert events == [Event("a", retry=expected)]
    assert decoder.reconnection_time == expected


def test_retry_is_stream_state_and_kept_by_later_events_only_when_sent() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"retry: 100\n\ndata: a\n\nretry: 200\ndata: b\n\n")
    assert events == [Event("a"), Event("b", retry=200)]
    assert decoder.reconnection_time == 200


def test_very_long_line() -> None:
    payload = b"x" * (1024 * 1024)
    body = b"data: " + payload + b"\n\n"
    events = decode(split_every(body, 4096))
    assert events == [Event(payload.decode())]
    assert decode([body]) == events


def test_multi_byte_characters_split_across_chunks() -> None:
    text = "h\u00e9llo \u20ac \U0001f600 \u4e2d\u6587"
    body = f"event: \u00e9v\ndata: {text}\nid: \u00e9\n\n".encode()
    expected = [Event(text, event="\u00e9v", id="\u00e9")]
    assert decode(bytewise(body)) == expected
    for size in range(2, 8):
        assert decode(split_every(body, size)) == expected


def test_invalid_utf8_is_replaced() -> None:
    assert decode([b"data: a\xffb\xe2\x82\n\n"]) == [Event("a\ufffdb\ufffd")]


def test_data_prefix_without_space_in_the_middle_of_a_fast_stream() -> None:
    # Exercises switching between the all-"data: " fast path and the general parser.
    body = b"data: a\n\ndata:b\n\ndata: c\n\n: note\ndata: d\n\nid: 9\ndata: e\n\ndata: f\n\n"
    expected = [
        Event("a"),
        Event("b"),
        Event("c"),
        Event("d"),
        Event("e", id="9"),
        Event("f", id="9"),
    ]
    assert decode([body]) == expected
    for size in (1, 2, 3, 5, 8, 13):
        assert decode(split_every(body, size)) == expected


def test_one_data_line_then_another_field_at_a_chunk_end() -> None:
    # The block handed to the parser is "data: a\nid: 7": one LF, like a complete
    # "data: a" event, but it is not one.
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\nid: 7\n") == []
    assert decoder.feed(b"\n") == [Event("a", id="7")]


def test_extra_blank_lines_between_events() -> None:
    assert decode([b"data: a\n\n\n\ndata: b\n\n\n"]) == [Event("a"), Event("b")]


def test_typed_events_in_one_block() -> None:
    # The event/data/blank layout of run streams, ending in the start of a fourth event.
    decoder = SSEDecoder()
    block = b"event: a\ndata: 1\n\nevent: b\ndata: 2\n\nevent: c\ndata: \n\nevent: d\ndata: 4\n"
    assert decoder.feed(block) == [Event("1", "a"), Event("2", "b"), Event("", "c")]
    assert decoder.pending
    assert decoder.feed(b"\nevent: e\n") == [Event("4", "d")]
    assert decoder.feed(b"data: 5\n\n") == [Event("5", "e")]
    assert not decoder.pending


def test_typed_events_keep_the_last_event_id_and_an_empty_type_means_default() -> None:
    body = b"id: 7\n\nevent: a\ndata: 1\n\nevent: \ndata: 2\n\nevent: b\ndata: 3\n\n"
    expected = [Event("1", "a", "7"), Event("2", None, "7"), Event("3", "b", "7")]
    assert decode([body]) == expected


def test_typed_events_then_other_lines() -> None:
    body = (
        b"event: a\ndata: 1\n\ndata: 2\n\nevent: b\n: keep-alive\ndata: 3\n\nevent: c\ndata:4\n\n"
    )
    expected = [Event("1", "a"), Event("2"), Event("3", "b"), Event("4", "c")]
    assert decode([body]) == expected
    for size in (1, 2, 3, 5, 8, 13, 21):
        assert decode(split_every(body, size)) == expected


def test_a_block_that_finishes_an_event_then_continues_in_the_usual_layout() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: a\ndata: 1\n") == []
    assert decoder.feed(b"data: 2\n\nevent: b\ndata: 3\n\n") == [
        Event("1\n2", "a"),
        Event("3", "b"),
    ]
    assert decoder.feed(b"data: 4\n") == []
    assert decoder.feed(b"\ndata: 5\n\ndata: 6\n\n") == [Event("4"), Event("5"), Event("6")]


@pytest.mark.parametrize("eol", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_a_chunk_longer_than_a_slice(eol: bytes) -> None:
    # Parsed a slice at a time: slice boundaries fall inside events, lines, CRLF pairs and
    # multi-byte characters (the padding of the leading comment moves them), and none of
    # that shows.
    lines = []
    for i in range(7000):
        lines += [b"event: t%d" % (i % 7), "data: é€ %d ✓".encode() % i, b""]
    events = eol.join(lines) + eol
    expected = [Event(f"é€ {i} ✓", f"t{i % 7}") for i in range(7000)]
    boundaries: set[bytes] = set()
    for pad in range(8):
        body = b": " + b"x" * pad + eol + events
        assert len(body) > 3 * SLICE
        boundaries.update(body[k * SLICE - 1 : k * SLICE + 1] for k in (1, 2, 3))
        assert decode([body]) == expected
        assert SSEDecoder().feed_data(body) == [event.data for event in expected]
    assert decode(split_every(body, 1000)) == expected
    assert any(pair[1] & 0xC0 == 0x80 for pair in boundaries)  # inside a character
    if eol == b"\r\n":
        assert b"\r\n" in boundaries


def test_feed_data_gives_the_data_of_the_events_feed_gives() -> None:
    body = b"data: a\n\nevent: t\ndata: b\n\nid: 1\ndata: c\ndata: d\n\ndata: e\n\ndata: f"
    for size in (1, 2, 4, 7, len(body)):
        events, datas = SSEDecoder(), SSEDecoder()
        chunks = split_every(body, size)
        expected = [event.data for chunk in chunks for event in events.feed(chunk)]
        assert [data for chunk in chunks for data in datas.feed_data(chunk)] == expected
        assert expected == ["a", "b", "c\nd", "e"]
        assert datas.pending
        assert events.pending


# -- end of stream -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"data: a\n\ndata: b\n",  # complete line, no blank line
        b"data: a\n\ndata: b",  # unterminated line
        b"data: a\n\nevent: x\n",  # fields other than data count too
        b"data: a\n\nda",
        b"\xef\xbb",  # only part of a BOM
    ],
)
def test_truncated_stream_raises(body: bytes) -> None:
    events: list[ServerSentEvent] = []
    with pytest.raises(IncompleteStreamError, match="ended in the middle of an event"):
        events.extend(iter_sse(bytewise(body)))
    assert events == ([Event("a")] if body.startswith(b"data: a") else [])


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"data: a\n\n",
        b"data: a\r\n\r\n",
        b"data: a\r\r",
        b"data: a\n\n: trailing keep-alive\n",
        b"data: a\n\n: unterminated keep-alive",
        b"data: a\n\n\n\n",
    ],
)
def test_clean_end_does_not_raise(body: bytes) -> None:
    assert decode(bytewise(body)) == ([Event("a")] if body else [])


def test_pending_tells_whether_an_event_is_in_flight() -> None:
    decoder = SSEDecoder()
    assert not decoder.pending
    decoder.feed(b"da")
    assert decoder.pending
    decoder.feed(b"ta: x\n")
    assert decoder.pending
    assert decoder.feed(b"\n") == [Event("x")]
    assert not decoder.pending
    decoder.feed(b": comment\n")
    assert not decoder.pending


def test_error_reports_what_was_lost() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\ndata: unfinished")
    with pytest.raises(IncompleteStreamError) as info:
        decoder.close()
    assert info.value.buffered_bytes == len(b"data: unfinished")
    assert not info.value.fields_pending
    assert "unfinished" not in str(info.value)  # the payload is not echoed


def test_close_resets_for_a_reconnection_but_keeps_stream_state() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"\xef\xbb\xbfretry: 300\nid: 4\ndata: a\n\ndata: cut")
    with pytest.raises(IncompleteStreamError):
        decoder.close()
    assert decoder.last_event_id == "4"
    assert decoder.reconnection_time == 300
    # The new response body may start with its own BOM; the cut-off event is gone.
    assert decoder.feed(b"\xef\xbb\xbfdata: b\n\n") == [Event("b", id="4")]
    decoder.close()


# -- async ---------------------------------------------------------------------------------------


async def _agen(chunks: Sequence[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def test_aiter_sse_decodes_like_iter_sse() -> None:
    body = b"event: e\ndata: a\r\n\r\ndata: \xe2\x82\xac\n\n"
    events = [event async for event in aiter_sse(_agen(bytewise(body)))]
    assert events == [Event("a", event="e"), Event("\u20ac")] == decode([body])


async def test_aiter_sse_raises_on_truncation() -> None:
    events: list[ServerSentEvent] = []

    async def consume() -> None:
        async for event in aiter_sse(_agen([b"data: a\n\n", b"data: b\n"])):
            events.append(event)

    with pytest.raises(IncompleteStreamError):
        await consume()
    assert events == [Event("a")]


# -- properties ----------------------------------------------------------------------------------

_line_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=20
)
_field_value = st.one_of(_line_text, st.just(""), st.just(" lead"))


@st.composite
def _events(draw: st.DrawFn) -> tuple[list[tuple[str, ...]], list[ServerSentEvent]]:
    """Random events as (lines of the wire format, events a conformant decoder dispatches)."""
    blocks: list[tuple[str, ...]] = []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None
    for _ in range(draw(st.integers(0, 6))):
        lines: list[str] = []
        if draw(st.booleans()):
            lines.append(": " + draw(_line_text))
        event_type = draw(st.one_of(st.none(), _line_text))
        if event_type is not None:
            lines.append("event: " + event_type)
        event_id = draw(st.one_of(st.none(), _line_text.filter(lambda s: "\0" not in s)))
        if event_id is not None:
            lines.append("id: " + event_id)
            last_id = event_id
        retry = draw(st.one_of(st.none(), st.integers(0, 10**6)))
        if retry is not None:
            lines.append(f"retry: {retry}")
        draw(st.randoms()).shuffle(lines)
        # Data lines go in at random places, but in order: their order is the payload's.
        data = draw(st.lists(_field_value, max_size=3))
        position = 0
        for value in data:
            position = draw(st.integers(position, len(lines)))
            lines.insert(position, "data: " + value)
            position += 1
        blocks.append((*lines, ""))
        if data:
            expected.append(ServerSentEvent("\n".join(data), event_type or None, last_id, retry))
    return blocks, expected


@st.composite
def _wire(draw: st.DrawFn) -> tuple[bytes, list[ServerSentEvent]]:
    blocks, expected = draw(_events())
    out: list[str] = []
    previous_eol = ""
    for line in (line for block in blocks for line in block):
        eol = draw(st.sampled_from(["\n", "\r", "\r\n"]))
        if previous_eol == "\r" and not line and eol == "\n":
            # CR followed directly by LF would be one line end, not two.
            eol = "\r\n"
        out.append(line + eol)
        previous_eol = eol
    body = "".join(out).encode()
    if draw(st.booleans()):
        body = b"\xef\xbb\xbf" + body
    return body, expected


def _rechunk(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(cut, len(body)) for cut in cuts})
    return [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]


@settings(max_examples=300, deadline=None)
@given(_wire(), st.lists(st.integers(0, 400), max_size=30))
def test_random_events_decode_identically_however_chunked(
    wire: tuple[bytes, list[ServerSentEvent]], cuts: list[int]
) -> None:
    body, expected = wire
    assert decode([body]) == expected
    assert decode(_rechunk(body, cuts)) == expected


def _decode_leniently(chunks: Iterable[bytes]) -> tuple[list[ServerSentEvent], bool]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events, decoder.pending


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([b"data", b"event", b"id", b"retry", b":", b" ", b"x", b"\r", b"\n"])
        | st.binary(max_size=4),
        max_size=40,
    ).map(b"".join),
    st.lists(st.integers(0, 200), max_size=20),
)
def test_arbitrary_bytes_decode_identically_however_chunked(body: bytes, cuts: list[int]) -> None:
    assert _decode_leniently(_rechunk(body, cuts)) == _decode_leniently([body])


def _reference(body: bytes) -> tuple[list[ServerSentEvent], bool]:
    """The spec's algorithm, line by line over the whole body (LF line ends, no BOM)."""
    *lines, unterminated = body.decode("utf-8", "replace").split("\n")
    events: list[ServerSentEvent] = []
    data: list[str] = []
    event_type, last_id, retry, has_fields = "", None, None, False
    for line in lines:
        if not line:
            if data:
                events.append(ServerSentEvent("\n".join(data), event_type or None, last_id, retry))
            data, event_type, retry, has_fields = [], "", None, False
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
            continue
        has_fields = True
        if name == "event":
            event_type = value
        elif name == "id" and "\0" not in value:
            last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            retry = int(value)
    pending = bool(data) or has_fields or (unterminated != "" and not unterminated.startswith(":"))
    return events, pending


# Mostly the two layouts the fast paths take, with now and then a line that they do not.
_usual_event = st.one_of(
    st.builds(lambda name, data: f"event: {name}\ndata: {data}\n\n", _line_text, _line_text),
    st.builds(lambda data: f"data: {data}\n\n", _line_text),
)
_odd_lines = st.sampled_from(
    [
        ": keep-alive\n",
        "id: 3\n",
        "\n",
        "data: more\n",
        "event: \n",
        "event: odd\n",
        "event: two\ndata: x\ndata: y\n\n",
        "data:x\n",
        "retry: 5\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_usual_event, _usual_event, _usual_event, _odd_lines), max_size=30),
    st.integers(0, 40),
    st.lists(st.integers(0, 600), max_size=30),
)
def test_usual_layouts_decode_like_the_reference_however_chunked(
    pieces: list[str], cut_from_end: int, cuts: list[int]
) -> None:
    body = "".join(pieces).encode()
    body = body[: max(0, len(body) - cut_from_end)]
    expected = _reference(body)
    assert _decode_leniently([body]) == expected
    assert _decode_leniently(_rechunk(body, cuts)) == expected
    datas = SSEDecoder()
    assert [d for c in _rechunk(body, cuts) for d in datas.feed_data(c)] == [
        event.data for event in expected[0]
    ]
