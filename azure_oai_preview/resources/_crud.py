"""Request builders shared by the assistants, threads and vector store resources.

Those 35 operations come in a few shapes - get/delete/cancel by id, create/modify with a JSON
body (or a run stream), list with cursors - so each resource method only states *which*
operation, ids, models and parameters; the shapes live here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._call import Call, JsonReader, ResultReader
from .._exceptions import InvalidRequestError
from .._options import apply_options
from .._pagination import PageReader
from ._common import json_call, model, operation_named, query_of

__all__ = ["body_call", "checked_path", "list_call", "plain_call", "reader_call"]


def checked_path(operation_id: str, ids: Mapping[str, str]) -> dict[str, str | None]:
    # An empty id would turn /assistants/{id} into /assistants/ - a *different* operation
    # (list) - so it is refused before anything is sent, like any other invalid argument.
    problems = [
        (name, "must be a non-empty string id")
        for name, value in ids.items()
        if not isinstance(value, str) or not value  # pyright: ignore[reportUnnecessaryIsInstance]
    ]
    if problems:
        raise InvalidRequestError(operation_id, problems)
    return dict(ids)


def plain_call(
    operation_id: str, response: str, options: Mapping[str, Any], **ids: str
) -> Call[Any, Any]:
    """A bodiless call (get, delete, cancel) answered by the ``response`` model."""
    return reader_call(operation_id, JsonReader(model(response)), options, **ids)


def reader_call(
    operation_id: str, reader: ResultReader[Any, Any], options: Mapping[str, Any], **ids: str
) -> Call[Any, Any]:
    """A bodiless call whose answer ``reader`` reads (no body, a binary body, a page...)."""
    call = Call(
        operation=operation_named(operation_id),
        path_params=checked_path(operation_id, ids),
        reader=reader,
    )
    return apply_options(call, options)


def body_call(
    operation_id: str,
    request: str,
    response: str,
    params: Mapping[str, Any],
    *,
    stream_reader: ResultReader[Any, Any] | None = None,
    **ids: str,
) -> Call[Any, Any]:
    """A call with a JSON body validated strictly against the ``request`` model (see
    :func:`~._common.json_call` for ``params`` and ``stream_reader``)."""
    path = checked_path(operation_id, ids)
    return json_call(
        operation_id, request, response, params, path=path, stream_reader=stream_reader
    )


def list_call(
    operation_id: str,
    listing: str,
    query: Mapping[str, Any],
    options: Mapping[str, Any],
    **ids: str,
) -> Call[Any, Any]:
    """A list call; its result is a cursor page that carries ``query`` over to other pages."""
    operation = operation_named(operation_id)
    call = Call(
        operation=operation,
        path_params=checked_path(operation_id, ids),
        query=query_of(operation, **query),
        reader=PageReader[Any](model(listing)),
    )
    return apply_options(call, options)
