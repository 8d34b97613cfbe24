"""Walking parsed models for anything the spec did not foresee."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from azure_oai_preview._models import OpenEnum, UnknownVariantModel
from codegen.jsonish import as_array, as_object


def deviations(value: Any, path: str = "$") -> list[str]:
    """Extra fields, unknown enum values and unknown union members anywhere in ``value``."""
    found: list[str] = []
    if isinstance(value, UnknownVariantModel):
        found.append(f"{path}: unknown union member {type(value).__name__}")
    if isinstance(value, BaseModel):
        if value.model_extra:
            found.append(f"{path}: fields the spec does not declare: {sorted(value.model_extra)}")
        for name in type(value).model_fields:
            found.extend(deviations(getattr(value, name), f"{path}.{name}"))
    elif isinstance(value, OpenEnum):
        if not value.is_known():
            found.append(f"{path}: {type(value).__name__} has no value {value.value!r}")
    elif isinstance(value, list):
        for i, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            found.extend(deviations(item, f"{path}[{i}]"))
    elif isinstance(value, dict):
        for key, item in value.items():  # pyright: ignore[reportUnknownVariableType]
            found.extend(deviations(item, f"{path}.{key}"))
    return found


def same_json(a: Any, b: Any) -> bool:
    """JSON equality that tells bools from numbers and keys from missing keys (1 == 1.0 is fine)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    a_object, b_object = as_object(a), as_object(b)
    if a_object is not None and b_object is not None:
        return a_object.keys() == b_object.keys() and all(
            same_json(a_object[k], b_object[k]) for k in a_object
        )
    a_array, b_array = as_array(a), as_array(b)
    if a_array is not None and b_array is not None:
        return len(a_array) == len(b_array) and all(
            same_json(x, y) for x, y in zip(a_array, b_array, strict=True)
        )
    return type(a) is type(b) and a == b
