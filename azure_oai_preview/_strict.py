"""Requests are checked strictly against the (transformed) spec before anything is sent.

The generated models are deliberately open so that responses survive a newer service;
a request has no such excuse. :func:`validate_request` checks what will be sent:

1. the arguments become the JSON data they will be sent as (``_wire``: tuples are arrays,
   ``int`` keys strings, enums their values, model instances their fields, a response message
   its request form), refusing what JSON cannot carry;
2. that data is validated in pydantic's *strict* mode, as JSON: a string is never a number
   (``seed="1234"`` is refused, not sent as 1234), ``True`` is not an integer, an integer is a
   valid number;
3. the result is walked for what open models let through: unknown properties, enum values the
   spec does not list, ``None`` where the spec forbids null, read-only fields, and union members
   the spec does not know.

Every problem is reported with its field path and the type expected (and the JSON type given),
never with the offending value: it might be a secret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar, get_args

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ._exceptions import InvalidRequestError
from ._json import json_kind
from ._models import OpenEnum, OpenModel, validating_request
from ._wire import FieldPath, to_json_data

__all__ = ["validate_request"]

ModelT = TypeVar("ModelT", bound=OpenModel)


def validate_request(operation: str, model: type[ModelT], data: Mapping[str, Any]) -> ModelT:
    """Check ``data`` (the request body's fields) against ``model``; the validated instance.

    Raises :class:`InvalidRequestError` naming every problem (``.problems``) before anything
    is sent. Top-level ``bytes`` are accepted where the model declares a binary field (the
    file of a multipart upload), and put back on the instance as given.
    """
    wire_problems: list[tuple[FieldPath, str]] = []
    binary: dict[str, bytes] = {}
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, bytes) and _is_binary_field(model, name):
            binary[name] = value
            fields[name] = ""  # JSON has no bytes; the field's type is checked with a string
        else:
            fields[name] = to_json_data(value, wire_problems, (name,))
    problems = [(_dotted(path), message) for path, message in wire_problems]
    token = validating_request.set(True)
    try:
        instance = model.model_validate_json(
            json.dumps(fields, ensure_ascii=False, allow_nan=False), strict=True
        )
    except ValidationError as exc:
        problems.extend(_without_noise(_problems_from(exc), wire_problems))
        raise InvalidRequestError(operation, problems) from None
    finally:
        validating_request.reset(token)
    _walk(instance, (), problems)
    if problems:
        raise InvalidRequestError(operation, problems)
    for name, value in binary.items():
        setattr(instance, name, value)
    return instance


def _is_binary_field(model: type[OpenModel], name: str) -> bool:
    field = model.model_fields.get(name)
    if field is None:
        return False
    return field.annotation is bytes or bytes in get_args(field.annotation)


def _without_noise(
    problems: list[tuple[str, str]], wire_problems: list[tuple[FieldPath, str]]
) -> list[tuple[str, str]]:
    """Drop the validator's complaints about values already refused as unsendable."""
    refused = {_dotted(path) for path, _ in wire_problems}
    if not refused:
        return problems
    return [(path, message) for path, message in problems if not _at_or_below(path, refused)]


def _at_or_below(path: str, paths: set[str]) -> bool:
    parts = path.split(".")
    return any(".".join(parts[:end]) in paths for end in range(1, len(parts) + 1))


# ------------------------------------------------------------------ validation errors -> problems

_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "an array",
    "tuple_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "bytes_type": "bytes",
    "none_required": "null",
}
"""Error types that say which JSON type was expected (merged per path, see below)."""


def _problems_from(exc: ValidationError) -> list[tuple[str, str]]:
    # The input is only looked at for its JSON type; no value reaches a message.
    errors = exc.errors(include_url=False, include_input=True, include_context=True)
    # A tagged union reports one error per member it tried, including the Unknown
    # fallback (whose pattern rejects every known tag). Those are noise next to the error
    # of the member the tag selected, so drop them when anything else remains.
    useful = [e for e in errors if not any(str(p).startswith("Unknown") for p in e["loc"])]
    expected: dict[str, list[str]] = {}  # path -> the types its union members wanted
    given: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    for error in useful or errors:
        path = _clean_loc(error["loc"])
        wanted = _wanted(error)
        if wanted is None:
            others.append((path, _message(error)))
            continue
        kinds = expected.setdefault(path, [])
        if wanted not in kinds:
            kinds.append(wanted)
        given[path] = json_kind(error.get("input"))
    # Errors below a path mean the value has the shape of one union member and is wrong
    # inside it: the other members' "expected a string" would only mislead.
    above = _ancestors([path for path, _ in others] + list(expected))
    problems: list[tuple[str, str]] = [
        (path, f"expected {_either(kinds)}; got {given[path]}")
        for path, kinds in expected.items()
        if path not in above
    ]
    problems.extend(others)
    return _unique(problems)


def _wanted(error: ErrorDetails) -> str | None:
    kind = error["type"]
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in ("enum", "literal_error"):
        values = str((error.get("ctx") or {}).get("expected", "the listed values"))
        return f"one of {values.replace(' or ', ', ')}" if " or " in values else values
    return None


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "union_tag_not_found":
        return (
            f"missing {ctx.get('discriminator', 'the tag')}, which says what kind of item this is"
        )
    if kind == "union_tag_invalid":  # pydantic's own message quotes the given tag
        return f"unknown {ctx.get('discriminator', 'tag')}; expected {ctx.get('expected_tags')}"
    return str(error["msg"])


def _ancestors(paths: list[str]) -> set[str]:
    """Every path that has another path below it ("" for the body is above everything)."""
    found: set[str] = set()
    for path in paths:
        if not path:
            continue
        found.add("")
        parts = path.split(".")
        for end in range(1, len(parts)):
            found.add(".".join(parts[:end]))
    return found


def _either(kinds: list[str]) -> str:
    if len(kinds) == 1:
        return kinds[0]
    return ", ".join(kinds[:-1]) + " or " + kinds[-1]


def _unique(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(problems))


_TYPE_SEGMENTS = frozenset(
    {"str", "int", "float", "bool", "bytes", "none", "list", "dict", "is-instance"}
)


def _clean_loc(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    skip_tag = False
    for part in loc:
        if skip_tag:
            skip_tag = False
            continue
        text = str(part)
        if text.startswith("tagged-union["):
            skip_tag = True  # the next segment is the tag value, not a field
            continue
        # Union members appear in pydantic's locations as their type's name: class names
        # (the spec's field names are all lower case) or builtin types.
        if (
            "[" in text
            or text[:1].isupper()
            or text in _TYPE_SEGMENTS
            or text.startswith(("function-", "literal", "json-or-python"))
        ):
            continue
        parts.append(text)
    return ".".join(parts)


# ------------------------------------------------------------------------- what models let in


_MAX_NAMES = 10  # unknown field names listed in one message


def _walk(value: Any, path: FieldPath, problems: list[tuple[str, str]]) -> None:
    if isinstance(value, OpenModel):
        _walk_model(value, path, problems)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
            _walk(item, (*path, index), problems)
    elif isinstance(value, dict):
        for key, item in value.items():  # pyright: ignore[reportUnknownVariableType]
            _walk(item, (*path, str(key)), problems)  # pyright: ignore[reportUnknownArgumentType]
    elif isinstance(value, OpenEnum) and not value.is_known():
        # Name the allowed values, never the given one (it might be a misplaced secret).
        allowed = ", ".join(repr(v) for v in type(value).known_values())
        problems.append((_dotted(path), f"value is not one of {allowed}"))


def _walk_model(model: OpenModel, path: FieldPath, problems: list[tuple[str, str]]) -> None:
    cls = type(model)
    fields = cls.__pydantic_fields__
    if cls.__azure_unknown_variant__:
        tag = next(iter(fields), "type")
        problems.append((_dotted(path), f"unknown {tag}; the spec does not define that value"))
        return
    extra = model.__pydantic_extra__
    if extra and not cls.__azure_additional_properties__:
        where = _dotted(path)
        names = ", ".join(sorted(extra)[:_MAX_NAMES])
        if len(extra) > _MAX_NAMES:
            names += f" and {len(extra) - _MAX_NAMES} more"
        problems.append(
            (where, f"unknown field(s) {names}; the spec for {cls.__name__} does not define them")
        )
    for name in model.model_fields_set:
        field = fields.get(name)
        if field is None:
            continue
        child = getattr(model, name)
        wire = field.alias or name
        if child is None and name in cls.__azure_non_nullable__:
            problems.append((_dotted((*path, wire)), "may not be null; leave it out instead"))
        elif name in cls.__azure_read_only__:
            problems.append((_dotted((*path, wire)), "is set by the service and may not be sent"))
        else:
            _walk(child, (*path, wire), problems)


def _dotted(path: FieldPath) -> str:
    return ".".join(str(part) for part in path)
