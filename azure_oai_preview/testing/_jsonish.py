"""Typed views of parsed JSON values (request bodies are plain ``dict``/``list`` data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

__all__ = ["as_list", "as_mapping", "field_of"]


def as_mapping(value: Any) -> Mapping[str, Any] | None:
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def as_list(value: Any) -> list[Any] | None:
    return cast("list[Any]", value) if isinstance(value, list) else None


def field_of(value: Any, name: str) -> Any:
    """``value[name]`` when ``value`` is an object that has it, else None."""
    mapping = as_mapping(value)
    return None if mapping is None else mapping.get(name)
