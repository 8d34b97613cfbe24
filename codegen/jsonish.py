"""Typed views of parsed JSON/TOML values (``Any`` in, ``dict[str, Any]``/``list[Any]`` out)."""

from __future__ import annotations

from typing import Any, cast


def as_object(value: Any) -> dict[str, Any] | None:
    """``value`` as a JSON object, or None when it is not one."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def as_array(value: Any) -> list[Any] | None:
    """``value`` as a JSON array, or None when it is not one."""
    return cast("list[Any]", value) if isinstance(value, list) else None


def object_at(node: dict[str, Any], key: str) -> dict[str, Any]:
    """``node[key]`` when it is an object, else an empty (detached) one."""
    return as_object(node.get(key)) or {}


def array_at(node: dict[str, Any], key: str) -> list[Any]:
    """``node[key]`` when it is an array, else an empty (detached) one."""
    return as_array(node.get(key)) or []
