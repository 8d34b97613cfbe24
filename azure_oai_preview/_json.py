"""Typed access to decoded JSON of unknown shape (error bodies, stream payloads)."""

from __future__ import annotations

from typing import Any, cast

__all__ = ["json_kind", "json_list", "json_object", "str_field"]


def json_object(value: object) -> dict[str, Any] | None:
    """``value`` as a JSON object, or None when it is anything else."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def json_list(value: object) -> list[Any]:
    """``value`` as a list (a JSON array, or a model's list field), or an empty list when it
    is anything else: a raw off-spec value a lenient parse kept where a list belongs."""
    return cast("list[Any]", value) if type(value) is list else []


def str_field(obj: dict[str, Any] | None, key: str) -> str | None:
    """``obj[key]`` when it is a string, else None."""
    value = obj.get(key) if obj is not None else None
    return value if isinstance(value, str) else None


def json_kind(value: object) -> str:
    """The JSON type of a decoded (or about to be encoded) value, for messages: ``"null"``,
    ``"a boolean"``, ``"an integer"``, ``"a number"``, ``"a string"``, ``"an array"`` or
    ``"an object"`` (anything else, too)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
