"""The caller's Python arguments as the JSON values they will be sent as.

The request check validates what will go on the wire, so arguments are first turned into
plain JSON data, where a few well-known Python spellings are accepted deliberately:

* tuples and other sequences (not str/bytes) are arrays; mappings are objects;
* ``int`` keys of an object are sent as decimal strings (``logit_bias={9642: 20}`` sends
  ``{"9642": 20}``, as ``json.dumps`` and openai-python do); any other non-string key is refused;
* enum members are their values (the SDK's enums, or any ``str``/``int`` enum);
* model instances (the generated models, any pydantic model) are the fields they were given,
  by wire name; a response model that has a request form (``_conversions``) is converted;
* nothing else is coerced: a ``str`` stays a string, ``True`` stays a boolean, so the strict
  check refuses ``seed="1234"`` or ``n=True`` instead of sending a number.

Values JSON cannot carry (bytes, sets, iterators, NaN, arbitrary objects) are reported as
problems at their path, never with the value itself.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from ._conversions import request_form

__all__ = ["FieldPath", "to_json_data"]

FieldPath = tuple[str | int, ...]


def to_json_data(value: Any, problems: list[tuple[FieldPath, str]], path: FieldPath = ()) -> Any:
    """``value`` as JSON data (None, bool, int, float, str, list, dict with str keys).

    A value that cannot be sent is replaced by an empty object and ``(path, message)`` is
    appended to ``problems`` (the validator's complaints at that path are then noise).
    """
    original: object = value  # keeps its declared type through the narrowing below
    kind = type(original)
    if kind is str or kind is int or kind is bool or value is None:
        return value  # the common case first: plain JSON scalars pass as they are
    if kind is dict or kind is list:
        return _container(value, problems, path)
    if isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return _enum_value(value, problems, path)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return float(value)
        problems.append((path, "expected a finite number; NaN and infinity are not JSON"))
        return {}
    if isinstance(value, BaseModel):
        converted = request_form(value)
        if converted is None:
            converted = value.model_dump(by_alias=True, exclude_unset=True)
        return to_json_data(converted, problems, path)
    if isinstance(value, Mapping | Sequence) and not isinstance(
        value, bytes | bytearray | memoryview
    ):
        return _container(value, problems, path)  # pyright: ignore[reportUnknownArgumentType]
    problems.append((path, _unsendable(original)))
    return {}


def _container(
    value: Mapping[Any, Any] | Sequence[Any], problems: list[tuple[FieldPath, str]], path: FieldPath
) -> Any:
    if isinstance(value, Mapping):
        return _object(value, problems, path)
    return [to_json_data(item, problems, (*path, index)) for index, item in enumerate(value)]


def _enum_value(member: enum.Enum, problems: list[tuple[FieldPath, str]], path: FieldPath) -> Any:
    raw = member.value
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        return raw
    problems.append((path, f"an enum member whose value is a {type(raw).__name__} is not JSON"))
    return {}


def _object(
    value: Mapping[Any, Any], problems: list[tuple[FieldPath, str]], path: FieldPath
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(key, enum.Enum):
            key = key.value
        if isinstance(key, bool) or not isinstance(key, str | int):
            problems.append(
                (
                    path,
                    f"object keys must be strings (or int ids, sent as strings); "
                    f"got a {type(key).__name__} key",
                )
            )
            continue
        name = str(key)
        out[name] = to_json_data(item, problems, (*path, name))
    return out


def _unsendable(value: object) -> str:
    kind = type(value)
    name = kind.__name__
    if issubclass(kind, bytes | bytearray | memoryview):
        return f"{name} cannot be sent as JSON; expected text (str)"
    if issubclass(kind, set | frozenset):
        return f"a {name} has no order; expected an array (list or tuple)"
    if hasattr(kind, "__iter__") or hasattr(kind, "__next__"):
        return f"a {name} is not sent as an array; pass a list or tuple"
    return f"a {name} cannot be sent as JSON"
