"""Merging streamed pieces into what they add up to: one rule for every stream.

Chat and completions chunks and the deltas of a run stream are JSON objects that each carry
a piece of the answer. :func:`merge` folds one into the accumulated value, key by key, with
one rule that needs no list of known fields, so fields the spec does not know yet (a
``refusal`` text, an ``audio`` transcript, a chunk-level ``service_tier``) come out right:

* **Empty values carry nothing.** ``null``, ``""`` and ``0`` never overwrite a value that
  arrived (deltas send ``finish_reason: null`` and ``content: null`` when they have nothing
  to say; Azure's asynchronous content filter sends annotation chunks whose envelope is
  ``id: ""``, ``model: ""``, ``created: 0``). A key seen only with such values keeps it.
* **Objects merge key by key.**
* **Arrays of indexed items merge item by item by their ``index``** (chat choices, tool
  calls, run content parts, annotations, code interpreter outputs). An array held from a
  complete object, without indexes, counts its items by position, the way deltas address
  them. Any other array is appended to (logprobs tokens, citations, prompt filter results).
* **Streamed tool calls without an ``index``** (some Azure-hosted models leave it out) are
  told apart by their ``id``, which a service sends on the first delta of each call only (or
  repeats unchanged): a delta with an ``id`` other than the last call's starts the next call;
  one without an ``id``, or with the same, continues the last call (its arguments are
  appended). Otherwise each piece would become a call of its own.
* **Strings concatenate when they are streamed text, and replace otherwise.** Streamed text
  is everything inside a ``delta`` or ``text`` member - the chat ``choices[].delta``, the
  ``delta`` of a run message or step, the ``text`` of a completions choice or of a run text
  part - except identifiers: ``id``, ``object``, ``type``, ``role``, ``name`` and keys
  ending in ``_id``, which name what is streamed and may be repeated on every piece (a
  content part's ``type``, a tool call's ``id`` and function ``name``). Strings outside
  (the envelope's ``id``, ``model``, ``system_fingerprint``, ``service_tier``, a
  ``finish_reason``, content filter severities) describe the whole and the latest wins.
* **Numbers and booleans replace.**

The accumulated value holds concatenated strings as :class:`Text` and indexed arrays as
:class:`Items` so that merging stays linear however many pieces arrive;
:func:`materialize` turns it back into plain JSON values.

Pieces repeat a lot (every chat chunk carries the same content filter results), so an
object outside streamed text that holds no array and arrives again unchanged is kept as
:class:`Settled`: merging an equal object into it changes nothing (the rule above would
only replace its values by equal ones), which one comparison in C proves. Equal means
equal as Python compares decoded JSON, where ``true == 1 == 1.0``: of two objects that
differ only in that way, the one held is kept.

:class:`ChunkAccumulator` applies the rule to the chunks of a chat or completions stream.
"""

from __future__ import annotations

import json
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel

from ._deviations import parse_python
from ._json import json_object

__all__ = [
    "ChunkAccumulator",
    "Items",
    "Settled",
    "Text",
    "dump",
    "indexes_of",
    "materialize",
    "merge",
]

R = TypeVar("R")

_IDENTIFIERS = frozenset({"id", "object", "type", "role", "name"})
_STREAMED = frozenset({"delta", "text"})
_ABSENT: Any = object()
# Inside streamed text: the arrays whose items may come without their index (see the rule).
_CALLS = "tool_calls"


_BLOCK = 1024
"""Pieces of a :class:`Text` joined into one block at a time: a token's piece is a few
characters, so a string object per token would cost ten times the text itself."""


class Text:
    """A string arriving in pieces; joined when read (and kept joined).

    Every :data:`_BLOCK` pieces are joined into a block as they arrive, so what a long stream
    holds grows with its text, not with its number of pieces (without copying the text
    again and again, as joining everything each time would).
    """

    __slots__ = ("blocks", "pieces")

    def __init__(self, *pieces: str) -> None:
        self.pieces = list(pieces)
        self.blocks = 0  # the first `blocks` pieces are joined blocks

    def add(self, piece: str) -> None:
        pieces = self.pieces
        pieces.append(piece)
        if len(pieces) - self.blocks > _BLOCK:
            pieces[self.blocks :] = ["".join(pieces[self.blocks :])]
            self.blocks += 1

    def value(self) -> str:
        pieces = self.pieces
        if len(pieces) != 1:
            # Keep the joined text, so a later read joins only what came since.
            pieces[:] = ["".join(pieces)]
            self.blocks = 1
        return pieces[0]


class Items:
    """An array whose items are merged by their ``index``."""

    __slots__ = ("by_index",)

    def __init__(self, by_index: dict[int, Any]) -> None:
        self.by_index = by_index

    @classmethod
    def of(cls, held: list[Any]) -> Items:
        """An array held whole: items by their own ``index``, or by position without one."""
        by_index: dict[int, Any] = {}
        for position, item in enumerate(held):
            obj = json_object(item)
            index = obj.get("index") if obj is not None else None
            by_index[index if type(index) is int else position] = item
        return cls(by_index)

    def indexes(self) -> list[int]:
        return sorted(self.by_index)

    def merge(self, items: list[Any], streamed: bool, created: list[int] | None) -> None:
        by_index = self.by_index
        for item in items:
            index: int = item["index"]
            existing = by_index.get(index)
            if type(existing) is dict:
                merge(cast("dict[str, Any]", existing), item, streamed)
                continue
            by_index[index] = item
            if existing is None and created is not None:
                created.append(index)


class Settled:
    """An object outside streamed text, without arrays, that arrived again unchanged:
    merging an equal object into it is a no-op, found with one comparison."""

    __slots__ = ("value",)

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value


def _settles(obj: dict[str, Any]) -> bool:
    """Whether merging an equal object into ``obj`` (outside streamed text) changes nothing:
    no array (appended or merged by index) and no streamed-text member, at any depth."""
    for key, value in obj.items():
        if key in _STREAMED:
            return False
        kind = type(value)  # pyright: ignore[reportUnknownVariableType]
        if kind is list or (kind is dict and not _settles(value)):  # pyright: ignore[reportUnknownArgumentType]
            return False
    return True


def _is_indexed(items: list[Any]) -> bool:
    for item in items:
        if type(item) is not dict or type(item.get("index")) is not int:  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
            return False
    return bool(items)


def merge(
    target: dict[str, Any],
    piece: dict[str, Any],
    streamed: bool = False,
    created: list[int] | None = None,
) -> None:
    """Merge ``piece`` (decoded JSON, now owned by ``target``) into ``target`` in place.

    ``streamed`` says that ``target`` is streamed text already (inside a ``delta``).
    ``created`` collects the indexes of items that first appear in an indexed array
    directly under ``target`` (a message's content parts, a step's tool calls).
    """
    for key, value in piece.items():
        old: Any = target.get(key, _ABSENT)
        kind = type(value)  # pyright: ignore[reportUnknownVariableType]
        if old is _ABSENT or old is None:
            if kind is not list:
                target[key] = value
            elif _is_indexed(value):  # pyright: ignore[reportUnknownArgumentType]
                items = target[key] = Items.of(value)  # pyright: ignore[reportUnknownArgumentType]
                if created is not None:
                    created.extend(items.indexes())
            elif key == _CALLS and streamed:
                _merge_calls(target, key, None, value, created)  # pyright: ignore[reportUnknownArgumentType]
            else:
                target[key] = value
            continue
        if kind is str:
            if not value:
                continue
            if (
                (streamed or key in _STREAMED)
                and key not in _IDENTIFIERS
                and not key.endswith("_id")
            ):
                if type(old) is Text:
                    old.add(value)
                    continue
                if type(old) is str:
                    target[key] = Text(old, value) if old else value
                    continue
            target[key] = value
        elif kind is dict:
            if type(old) is Settled:
                if old.value == value:
                    continue
                old = target[key] = old.value
            elif not streamed and key not in _STREAMED and old == value and _settles(old):
                # Repeated unchanged: from now on a repetition costs one comparison.
                target[key] = Settled(old)
                continue
            if type(old) is dict:
                merge(old, value, streamed or key in _STREAMED)  # pyright: ignore[reportUnknownArgumentType]
            else:
                target[key] = value
        elif kind is list:
            _merge_list(target, key, old, value, streamed or key in _STREAMED, created)  # pyright: ignore[reportUnknownArgumentType]
        elif value is None or (kind is int and value == 0):
            continue
        else:
            target[key] = value


def _merge_list(
    target: dict[str, Any],
    key: str,
    old: Any,
    value: list[Any],
    streamed: bool,
    created: list[int] | None,
) -> None:
    if not value:
        return
    if _is_indexed(value):
        if type(old) is list:
            old = target[key] = Items.of(cast("list[Any]", old))
        if type(old) is Items:
            old.merge(value, streamed, created)
        else:
            target[key] = value
    elif key == _CALLS and streamed:
        _merge_calls(target, key, old, value, created)
    elif type(old) is list:
        cast("list[Any]", old).extend(value)
    elif type(old) is Items:
        # Items without an index after indexed ones: they follow, in order.
        start = max(old.by_index, default=-1) + 1
        for offset, item in enumerate(value):
            old.by_index[start + offset] = item
    else:
        target[key] = value


def _merge_calls(
    target: dict[str, Any], key: str, old: Any, value: list[Any], created: list[int] | None
) -> None:
    """Streamed tool calls some of which lack their ``index``: those with one merge by it,
    the others by their ``id`` (see the module's rule)."""
    if type(old) is Items:
        calls = old
    else:
        calls = Items.of(cast("list[Any]", old)) if type(old) is list else Items({})
        target[key] = calls
    by_index = calls.by_index
    for item in value:
        call = json_object(item)
        last = max(by_index, default=-1)
        if call is not None and type(call.get("index")) is int:
            calls.merge([call], True, created)
            continue
        held = json_object(by_index.get(last))
        if call is not None and held is not None:
            call_id, held_id = call.get("id"), held.get("id")
            if not call_id or not held_id or call_id == held_id:
                merge(held, call, True)
                continue
        # A call with a new id, the first call, or an item that is no object (off-spec):
        # the next one, in order.
        by_index[last + 1] = item
        if created is not None:
            created.append(last + 1)


def materialize(value: Any, strip_index: bool = False) -> Any:
    """The plain JSON value of an accumulated one (strings joined, indexed items in order).

    ``strip_index`` drops the items' ``index`` keys, for the non-delta schemas (a message's
    content parts, a step's tool calls) that do not have them.
    """
    kind = type(value)  # pyright: ignore[reportUnknownVariableType]
    if kind is dict:
        items = cast("dict[str, Any]", value).items()
        if strip_index:
            return {k: materialize(v, True) for k, v in items if k != "index"}
        return {k: materialize(v) for k, v in items}
    if kind is Text:
        return cast("Text", value).value()
    if kind is Settled:
        return materialize(cast("Settled", value).value, strip_index)
    if kind is Items:
        by_index = cast("Items", value).by_index
        return [materialize(by_index[index], strip_index) for index in sorted(by_index)]
    if kind is list:
        return [materialize(item, strip_index) for item in cast("list[Any]", value)]
    return value


def indexes_of(value: Any) -> list[int]:
    """The indexes deltas address the items of an accumulated array by, in order."""
    if type(value) is Items:
        return value.indexes()
    if type(value) is list:
        return Items.of(cast("list[Any]", value)).indexes()
    return []


def dump(model: Any) -> Any:
    """A model (or a plain dict) as the JSON object it was received as; any other value (a raw
    off-spec one a lenient parse kept in a model's place) as it is."""
    if isinstance(model, dict):
        return dict(cast("dict[str, Any]", model))
    if not isinstance(model, BaseModel):
        return model
    # A leniently parsed model may hold raw off-spec values: kept as they are, on purpose.
    dumped: dict[str, Any] = model.model_dump(
        mode="json", by_alias=True, exclude_unset=True, warnings=False
    )
    return dumped


class ChunkAccumulator(Generic[R]):
    """The chunks of a chat or completions stream merged into one object by :func:`merge`.

    Chunks are added as JSON text (what a stream received) or as parsed chunks; the
    result is parsed into ``result_type`` only when asked for. Subclasses turn the merged
    chunk into another shape (a chat completion's ``delta`` becomes its ``message``).
    """

    def __init__(self, result_type: Any) -> None:
        self._tree: dict[str, Any] = {}
        self._result_type = result_type

    @property
    def result_type(self) -> Any:
        return self._result_type

    def add(self, chunk: BaseModel) -> None:
        """Merge one parsed chunk."""
        merge(self._tree, dump(chunk))

    def add_json(self, data: str) -> None:
        """Merge one chunk from its JSON text (not an object: ignored)."""
        self.add_decoded(json.loads(data))

    def add_decoded(self, piece: Any) -> None:
        """Merge one chunk's decoded JSON, now owned by the accumulator (not an object: ignored)."""
        if type(piece) is dict:
            merge(self._tree, cast("dict[str, Any]", piece))

    @property
    def finished(self) -> bool:
        """Whether there is at least one choice and every choice has a ``finish_reason``."""
        choices = self._tree.get("choices")
        items = list(choices.by_index.values()) if type(choices) is Items else choices
        if not items or type(items) is not list:
            return False
        return all(
            type(choice) is dict and bool(choice.get("finish_reason"))  # pyright: ignore[reportUnknownMemberType]
            for choice in cast("list[Any]", items)
        )

    def merged(self) -> dict[str, Any]:
        """The chunks so far as one JSON object (the chunk schema's shape)."""
        merged: dict[str, Any] = materialize(self._tree)
        return merged

    def body(self) -> dict[str, Any]:
        """The JSON object of the result; the merged chunk itself unless a subclass says."""
        return self.merged()

    def result(self, *, partial: bool = False) -> R:
        """The merged chunks parsed as the result type; ``partial`` for an unfinished one
        (a missing field is then expected, not a deviation to report)."""
        parsed: R = parse_python(self._result_type, self.body(), report=not partial)
        return parsed
