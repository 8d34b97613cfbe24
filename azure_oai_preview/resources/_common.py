"""Helpers the request builders share: operations from the manifest, bodies, queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._call import Body
from .._models import OpenModel
from .._operation import Operation
from .._strict import validate_request

__all__ = ["json_body", "operation_named", "query_of"]


def operation_named(operation_id: str) -> Operation:
    from ..models._manifest import BY_ID

    return BY_ID[operation_id]


def json_body(operation: Operation, model: type[OpenModel], params: Mapping[str, Any]) -> Body:
    """Validate the caller's parameters against the request model and encode them.

    Parameters left at None are omitted (the service applies its defaults); only what
    the caller set is sent.
    """
    present = {name: value for name, value in params.items() if value is not None}
    instance = validate_request(operation.operation_id, model, present)
    return Body(
        content=instance.model_dump_json(exclude_unset=True).encode(),
        content_type="application/json",
    )


def query_of(**params: Any) -> dict[str, Any]:
    """Query parameters that were given, with enums as their wire values."""
    return {
        name: getattr(value, "value", value) for name, value in params.items() if value is not None
    }
