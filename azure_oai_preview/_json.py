"""Typed access to decoded JSON of unknown shape (error bodies, stream payloads)."""

from __future__ import annotations

from typing import Any, cast

__all__ = ["json_object", "str_field"]


def json_object(value: object) -> dict[str, Any] | None:
    """``value`` as a JSON object, or None when it is anything else."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def str_field(obj: dict[str, Any] | None, key: str) -> str | None:
    """``obj[key]`` when it is a string, else None."""
    value = obj.get(key) if obj is not None else None
    return value if isinstance(value, str) else None
