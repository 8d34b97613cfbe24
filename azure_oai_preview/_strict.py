"""Requests are checked strictly against the (transformed) spec before anything is sent.

The generated models are deliberately open so that responses survive a newer service;
a request has no such excuse. :func:`validate_request` runs pydantic validation and then
walks the result for what open models let through: unknown properties, enum values the
spec does not list, ``None`` where the spec forbids null, read-only fields, and union
members the spec does not know. Every problem is reported with its field path, never with
the offending value (it might be a secret).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from ._exceptions import InvalidRequestError
from ._models import OpenEnum, OpenModel, validating_request

__all__ = ["validate_request"]

ModelT = TypeVar("ModelT", bound=OpenModel)


def validate_request(operation: str, model: type[ModelT], data: Mapping[str, Any]) -> ModelT:
    token = validating_request.set(True)
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        raise InvalidRequestError(operation, _problems_from(exc)) from None
    finally:
        validating_request.reset(token)
    problems: list[tuple[str, str]] = []
    _walk(instance, (), problems)
    if problems:
        raise InvalidRequestError(operation, problems)
    return instance


def _problems_from(exc: ValidationError) -> list[tuple[str, str]]:
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    # A tagged union reports one error per member it tried, including the Unknown
    # fallback (whose pattern rejects every known tag). Those are noise next to the error
    # of the member the tag selected, so drop them when anything else remains.
    useful = [e for e in errors if not any(str(p).startswith("Unknown") for p in e["loc"])]
    problems: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for error in useful or errors:
        problem = (_clean_loc(error["loc"]), str(error["msg"]))
        if problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems


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


def _walk(value: Any, path: tuple[str | int, ...], problems: list[tuple[str, str]]) -> None:
    if isinstance(value, OpenModel):
        _walk_model(value, path, problems)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
            _walk(item, (*path, index), problems)
    elif isinstance(value, OpenEnum) and not value.is_known():
        # Name the allowed values, never the given one (it might be a misplaced secret).
        allowed = ", ".join(repr(v) for v in type(value).known_values())
        problems.append((_dotted(path), f"value is not one of {allowed}"))


def _walk_model(
    model: OpenModel, path: tuple[str | int, ...], problems: list[tuple[str, str]]
) -> None:
    cls = type(model)
    where = _dotted(path)
    if cls.__azure_unknown_variant__:
        tag = next(iter(cls.model_fields), "type")
        problems.append((where, f"unknown {tag}; the spec does not define that value"))
        return
    extra = model.__pydantic_extra__
    if extra and not cls.__azure_additional_properties__:
        names = ", ".join(sorted(extra))
        problems.append(
            (where, f"unknown field(s) {names}; the spec for {cls.__name__} does not define them")
        )
    for name in model.model_fields_set:
        if name not in cls.model_fields:
            continue
        child = getattr(model, name)
        wire = cls.model_fields[name].alias or name
        if child is None and name in cls.__azure_non_nullable__:
            problems.append((_dotted((*path, wire)), "may not be null; leave it out instead"))
        elif name in cls.__azure_read_only__:
            problems.append((_dotted((*path, wire)), "is set by the service and may not be sent"))
        else:
            _walk(child, (*path, wire), problems)


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path)
