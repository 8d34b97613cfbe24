"""Parsing responses that do not match the spec, without crashing and without losing data.

The fast path is a single strict pydantic ``validate_json`` call in Rust. Only when that fails
(the service sent something the spec - even after our declared transforms - says it
cannot) do we fall back to a lenient, field-by-field parse: everything that conforms is
typed as usual, every value that does not is kept exactly as received (the raw JSON value
sits where the typed value would), and each such spot is recorded as a
:class:`Deviation`. Callers see them with :func:`deviations` and in one warning log record
per kind of deviation.
"""

from __future__ import annotations

import json
import logging
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._json import json_object
from ._models import OpenModel

__all__ = ["MISSING", "Deviation", "deviations"]

_log = logging.getLogger("azure_oai_preview")


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class Deviation:
    """One place where a response broke the spec.

    ``path`` locates it from the top of the response (field names and list indexes),
    ``message`` says what the spec expected, and ``raw`` is the value as received (what
    the parsed object holds at that place), or ``MISSING`` for a required field that was
    absent (the parsed object holds None there).
    """

    path: tuple[str | int, ...]
    message: str
    raw: Any

    @property
    def location(self) -> str:
        return ".".join(str(part) for part in self.path) or "<root>"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


MISSING = _MISSING


def deviations(obj: object) -> tuple[Deviation, ...]:
    """The spec deviations found while parsing ``obj`` (empty for a conforming response)."""
    return getattr(obj, "_azure_deviations_", ())


_adapters: dict[int, tuple[Any, TypeAdapter[Any]]] = {}


def adapter_for(tp: Any) -> TypeAdapter[Any]:
    """A cached TypeAdapter; keyed by identity because Annotated types need not hash."""
    entry = _adapters.get(id(tp))
    if entry is None or entry[0] is not tp:
        entry = (tp, TypeAdapter(tp))
        _adapters[id(tp)] = entry
    return entry[1]


# Responses are validated in strict mode: a JSON string where the spec says integer is a
# deviation to keep and report, not something to coerce silently. (Strict JSON validation
# still accepts objects for models, integers for floats, and any string for an OpenEnum.)
# One exception, made on the slow path only: a number with a zero fractional part (50364.0)
# where the spec says integer is an integer by JSON Schema's definition; it is returned as
# an int without a deviation. 50364.5 there is a deviation like any other.


def validate_strict(tp: Any, content: bytes | str) -> Any:
    """Strict JSON validation of ``content`` into ``tp``; raises ``ValidationError``."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.model_validate_json(content, strict=True)
    return adapter_for(tp).validate_json(content, strict=True)


def _validate_value(tp: Any, value: Any) -> Any:
    # Decoded values are re-encoded so that they get exactly the JSON semantics above;
    # this only runs on the slow path and for small bodies (errors).
    return validate_strict(tp, json.dumps(value))


def parse_json(tp: Any, content: bytes | str) -> Any:
    """Parse a JSON response body into ``tp``; lenient (see module doc) when it does not conform.

    Raises ``ValueError`` only when the body is not JSON at all.
    """
    try:
        return validate_strict(tp, content)
    except ValidationError:
        data = json.loads(content)
    return parse_python(tp, data)


def parse_python(tp: Any, data: Any, *, report: bool = True) -> Any:
    """Like :func:`parse_json` for an already decoded value.

    ``report=False`` parses just as leniently but records nothing: for values that are
    incomplete by design (snapshots of objects still being streamed), not by deviation.
    """
    try:
        return _validate_value(tp, data)
    except ValidationError:
        pass
    found: list[Deviation] = []
    result = _lenient(tp, data, (), found)
    if found and report:
        _report(tp, found)
        if isinstance(result, OpenModel):
            object.__setattr__(result, "_azure_deviations_", tuple(found))
    return result


_reported: set[tuple[str, str, str]] = set()


def _report(tp: Any, found: list[Deviation]) -> None:
    name = getattr(tp, "__name__", None) or repr(tp)
    for deviation in found:
        shape = ".".join("[]" if isinstance(p, int) else p for p in deviation.path)
        key = (name, shape, deviation.message)
        if key in _reported:
            continue
        _reported.add(key)
        _log.warning(
            "response %s deviates from the spec at %s: %s; the raw value is kept "
            "(see azure_oai_preview.deviations())",
            name,
            shape or "<root>",
            deviation.message,
        )


def _first_error(tp: Any, value: Any) -> str | None:
    try:
        _validate_value(tp, value)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]
        return str(error["msg"])
    return None


def _lenient(tp: Any, value: Any, path: tuple[str | int, ...], found: list[Deviation]) -> Any:
    problem = _first_error(tp, value)
    if problem is None:
        return _validate_value(tp, value)

    origin = get_origin(tp)
    args = get_args(tp)
    if origin is Annotated:
        return _lenient_annotated(tp, args, value, path, found, problem)
    if origin in (Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if value is None and len(members) < len(args):
            return None
        return _lenient_union(members, value, path, found, problem)
    if (
        isinstance(tp, type)
        and issubclass(tp, BaseModel)
        and (obj := json_object(value)) is not None
    ):
        return _lenient_model(tp, obj, path, found)
    if origin is list and isinstance(value, list):
        (item_tp,) = args or (Any,)
        return [_lenient(item_tp, item, (*path, i), found) for i, item in enumerate(value)]  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if origin is dict and (obj := json_object(value)) is not None and len(args) == 2:
        return {k: _lenient(args[1], v, (*path, k), found) for k, v in obj.items()}
    if tp is int and isinstance(value, float) and value.is_integer():
        # JSON has one number type, and JSON Schema's `integer` is any number without a
        # fractional part: 50364.0 conforms (the example checker and Prism agree). Strict
        # validation rejects it only because the decoder made it a Python float.
        return int(value)
    found.append(Deviation(path, problem, value))
    return value


def _lenient_annotated(
    tp: Any,
    args: tuple[Any, ...],
    value: Any,
    path: tuple[str | int, ...],
    found: list[Deviation],
    problem: str,
) -> Any:
    inner = args[0]
    discriminator = next(
        (
            getattr(meta, "discriminator", None)
            for meta in args[1:]
            if getattr(meta, "discriminator", None)
        ),
        None,
    )
    obj = json_object(value)
    if isinstance(discriminator, str) and obj is not None:
        tag = obj.get(discriminator)
        for member in get_args(inner):
            if _tag_of(member, discriminator) == tag:
                return _lenient(member, value, path, found)
        found.append(Deviation(path, problem, value))
        return value
    return _lenient(inner, value, path, found)


def _lenient_union(
    members: list[Any],
    value: Any,
    path: tuple[str | int, ...],
    found: list[Deviation],
    problem: str,
) -> Any:
    # A tagged union wrapped with its Unknown fallback: follow the member the tag names,
    # so the deviation is reported deep inside it rather than for the whole object.
    for member in members:
        if get_origin(member) is Annotated:
            return _lenient(member, value, path, found)
    # An optional field (``Model | None``) has one real member: parse into it, so that only
    # the broken spot inside is kept raw and the rest of the object stays typed.
    if len(members) == 1:
        return _lenient(members[0], value, path, found)
    found.append(Deviation(path, problem, value))
    return value


def _tag_of(model: Any, field: str) -> Any:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    info = model.model_fields.get(field)
    if info is None or get_origin(info.annotation) is not Literal:
        return None
    return get_args(info.annotation)[0]


def _lenient_model(
    model: type[BaseModel],
    value: dict[str, Any],
    path: tuple[str | int, ...],
    found: list[Deviation],
) -> BaseModel:
    if not model.__pydantic_complete__:
        # A model validated only as part of its parent keeps its field annotations as
        # unresolved forward references until it is rebuilt on its own.
        model.model_rebuild()
    if not model.__pydantic_complete__:
        model.model_rebuild()  # field annotations may still be forward references
    values: dict[str, Any] = {}
    fields_set: set[str] = set()
    known_keys: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        known_keys.add(key)
        if key in value:
            values[name] = _lenient(info.annotation, value[key], (*path, key), found)
            fields_set.add(name)
        elif info.is_required():
            found.append(Deviation((*path, key), "required field is missing", MISSING))
            values[name] = None
        else:
            values[name] = info.get_default(call_default_factory=True)
    instance = model.model_construct(_fields_set=fields_set, **values)
    extra = {k: v for k, v in value.items() if k not in known_keys}
    if extra:
        object.__setattr__(instance, "__pydantic_extra__", extra)
    return instance
