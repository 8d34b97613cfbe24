"""The one rule that merges streamed pieces (``azure_oai_preview._delta``)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from azure_oai_preview import ChatCompletionAccumulator
from azure_oai_preview._delta import Text, materialize, merge


def merged(*pieces: dict[str, Any]) -> Any:
    target: dict[str, Any] = {}
    for piece in pieces:
        merge(target, json.loads(json.dumps(piece)))
    return materialize(target)


# -- the rule, case by case -----------------------------------------------------------------------


def test_streamed_text_concatenates_and_identifiers_replace() -> None:
    assert merged(
        {"delta": {"role": "assistant", "content": "Hel", "refusal": "No"}},
        {"delta": {"role": "assistant", "content": "lo", "refusal": "pe"}},
    ) == {"delta": {"role": "assistant", "content": "Hello", "refusal": "Nope"}}


def test_strings_outside_a_delta_describe_the_whole() -> None:
    envelope = {"id": "c1", "model": "gpt-4o", "service_tier": "default", "system_fingerprint": "f"}
    assert merged(envelope, envelope, {**envelope, "service_tier": "scale"}) == {
        **envelope,
        "service_tier": "scale",
    }


def test_text_member_concatenates_outside_a_delta() -> None:
    # Legacy completions stream their text without a delta object.
    assert merged(
        {"choices": [{"index": 0, "text": "Once"}]}, {"choices": [{"index": 0, "text": " upon"}]}
    ) == {"choices": [{"index": 0, "text": "Once upon"}]}


def test_long_text_is_held_in_blocks_not_a_string_per_piece() -> None:
    # Memory (issue 16): a token's piece is a few characters, and a string object per token
    # costs ten times that; the pieces are joined a block at a time as they arrive.
    target: dict[str, Any] = {}
    tokens = [f"t{i} " for i in range(10_000)]
    for token in tokens:
        merge(target, {"delta": {"content": token}})
    held = target["delta"]["content"]
    assert isinstance(held, Text)
    assert len(held.pieces) <= 10_000 // 1024 + 1 + 1024
    assert materialize(target) == {"delta": {"content": "".join(tokens)}}
    held.add("end")  # still growing after a read
    assert materialize(target)["delta"]["content"].endswith("t9999 end")


def test_empty_values_never_overwrite() -> None:
    first = {
        "id": "c1",
        "created": 7,
        "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop"}],
    }
    empty = {"id": "", "created": 0, "model": "", "choices": [{"index": 0, "finish_reason": None}]}
    assert merged(first, empty) == first
    assert merged({"flag": True}, {"flag": False}) == {"flag": False}  # booleans are values
    assert merged({"n": 0}, {"n": 3}) == {"n": 3}
    assert merged({"a": None}) == {"a": None}


def test_indexed_items_merge_by_index_in_order() -> None:
    calls = merged(
        {
            "delta": {
                "tool_calls": [{"index": 1, "id": "b", "function": {"name": "g", "arguments": "{"}}]
            }
        },
        {
            "delta": {
                "tool_calls": [{"index": 0, "id": "a", "function": {"name": "f", "arguments": "["}}]
            }
        },
        {
            "delta": {
                "tool_calls": [{"index": 1, "id": "b", "function": {"name": "g", "arguments": "}"}}]
            }
        },
    )["delta"]["tool_calls"]
    assert calls == [
        {"index": 0, "id": "a", "function": {"name": "f", "arguments": "["}},
        {"index": 1, "id": "b", "function": {"name": "g", "arguments": "{}"}},
    ]


def test_a_whole_array_is_addressed_by_position() -> None:
    # A complete object's outputs (no index), then a delta that continues output 0.
    result = merged(
        {"delta": {"outputs": [{"type": "logs", "logs": "1"}]}},
        {
            "delta": {
                "outputs": [
                    {"index": 0, "type": "logs", "logs": "2"},
                    {"index": 1, "type": "image"},
                ]
            }
        },
    )
    assert result["delta"]["outputs"] == [
        {"type": "logs", "logs": "12", "index": 0},
        {"index": 1, "type": "image"},
    ]


def test_other_arrays_are_appended_and_objects_merge_by_key() -> None:
    assert merged(
        {"logprobs": {"content": [{"token": "a"}]}, "cfr": {"hate": {"filtered": False}}},
        {"logprobs": {"content": [{"token": "b"}]}, "cfr": {"violence": {"filtered": True}}},
    ) == {
        "logprobs": {"content": [{"token": "a"}, {"token": "b"}]},
        "cfr": {"hate": {"filtered": False}, "violence": {"filtered": True}},
    }


# -- any re-chunking of a chat answer adds up to the same message ---------------------------------

ENVELOPE = {
    "id": "chatcmpl-p",
    "object": "chat.completion.chunk",
    "created": 1_700_000_003,
    "model": "gpt-4o",
    "system_fingerprint": "fp_1",
    "service_tier": "default",
}
identifiers = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
texts = st.text(max_size=40)


def _split(value: str, cuts: list[int]) -> list[str]:
    points = sorted({cut % (len(value) + 1) for cut in cuts})
    return [value[a:b] for a, b in zip([0, *points], [*points, len(value)], strict=True) if b > a]


@st.composite
def answers(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A whole message, and a stream of chunks that carries it in random pieces."""
    content = draw(texts)
    refusal = draw(texts)
    calls = draw(st.lists(st.tuples(identifiers, identifiers, texts), max_size=3))
    repeat_identity = draw(st.booleans())
    queues: list[list[dict[str, Any]]] = []
    queues.append([{"content": p} for p in _split(content, draw(st.lists(st.integers(0, 99))))])
    queues.append([{"refusal": p} for p in _split(refusal, draw(st.lists(st.integers(0, 99))))])
    for index, (call_id, name, arguments) in enumerate(calls):
        pieces = _split(arguments, draw(st.lists(st.integers(0, 99)))) or [""]
        queue = []
        for position, piece in enumerate(pieces):
            call: dict[str, Any] = {"index": index, "function": {"arguments": piece}}
            if position == 0 or repeat_identity:
                call.update(id=call_id, type="function")
                call["function"]["name"] = name
            queue.append({"tool_calls": [call]})
        queues.append(queue)
    order = draw(st.randoms())
    deltas: list[dict[str, Any]] = [{"role": "assistant"}]
    while any(queues):
        queue = order.choice([q for q in queues if q])
        delta = queue.pop(0)
        if repeat_identity:
            delta["role"] = "assistant"
        deltas.append(delta)
    chunks = [
        {**ENVELOPE, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
        for delta in deltas
    ]
    chunks.append({**ENVELOPE, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    message: dict[str, Any] = {"role": "assistant", "content": content or None}
    if refusal:
        message["refusal"] = refusal
    if calls:
        message["tool_calls"] = [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
            for call_id, name, arguments in calls
        ]
    return message, chunks


@settings(max_examples=150, deadline=None)
@given(answers())
def test_any_rechunking_adds_up_to_the_whole_message(
    answer: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    message, chunks = answer
    accumulator = ChatCompletionAccumulator()
    for chunk in chunks:
        accumulator.add_json(json.dumps(chunk))
    final = accumulator.completion().model_dump(mode="json", exclude_unset=True)
    assert final["choices"] == [{"index": 0, "finish_reason": "stop", "message": message}]
    assert final["service_tier"] == "default"
    assert (final["id"], final["object"], final["model"]) == (
        "chatcmpl-p",
        "chat.completion",
        "gpt-4o",
    )


# -- pieces repeated unchanged --------------------------------------------------------------------

# JSON values as merge receives them. Integers stay clear of 0 and 1, which Python compares
# equal to false and true: there the shortcut keeps the value held (see the module docstring).
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(2, 9), st.sampled_from(["", "a", "b", "safe"])
)
_keys = st.sampled_from(["index", "hate", "severity", "filtered", "text", "delta", "id", "x"])
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.dictionaries(_keys, inner, max_size=3),
        st.lists(inner, max_size=2),
        st.lists(st.fixed_dictionaries({"index": st.integers(0, 2), "x": inner}), max_size=2),
    ),
    max_leaves=8,
)
_pieces = st.lists(st.dictionaries(_keys, _values, max_size=4), max_size=4)


@settings(max_examples=300, deadline=None)
@given(_pieces, st.lists(st.integers(0, 3), max_size=8))
def test_repeated_pieces_merge_as_the_rule_says(
    pieces: list[dict[str, Any]], order: list[int]
) -> None:
    # Whatever repeats, the result is the rule's: the same as with the shortcut switched off.
    sequence = [pieces[i % len(pieces)] for i in order] if pieces else []
    with_shortcut = merged(*sequence, *sequence)
    from azure_oai_preview import _delta

    original = _delta._settles  # pyright: ignore[reportPrivateUsage]
    _delta._settles = lambda obj: False  # pyright: ignore[reportPrivateUsage]
    try:
        assert merged(*sequence, *sequence) == with_shortcut
    finally:
        _delta._settles = original  # pyright: ignore[reportPrivateUsage]


def test_an_object_repeated_unchanged_is_settled_until_it_changes() -> None:
    cfr = {"hate": {"filtered": False, "severity": "safe"}}
    target: dict[str, Any] = {}
    for piece in ({"cfr": cfr}, {"cfr": cfr}, {"cfr": cfr}):
        merge(target, json.loads(json.dumps(piece)))
    assert type(target["cfr"]).__name__ == "Settled"
    merge(target, {"cfr": {"hate": {"filtered": True, "severity": "high"}, "x": 2}})
    assert materialize(target) == {"cfr": {"hate": {"filtered": True, "severity": "high"}, "x": 2}}
    # Arrays are appended, streamed text concatenates: such objects never settle.
    kept: dict[str, Any] = {}
    for _ in range(3):
        merge(kept, {"cfr": {"details": [{"id": "b"}]}, "choice": {"text": "a"}})
    assert materialize(kept) == {
        "cfr": {"details": [{"id": "b"}] * 3},
        "choice": {"text": "aaa"},
    }
