"""Helpers the request builders share: operations from the manifest, bodies, queries, calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._call import Body, Call, JsonReader, ResultReader, form_value
from .._exceptions import InvalidRequestError
from .._files import FileInput, to_httpx_file
from .._json import json_kind
from .._models import OpenModel
from .._operation import Operation
from .._options import DEPLOYMENT_OPTION_NAMES, OPTION_NAMES, apply_options, take_options
from .._strict import validate_request

__all__ = [
    "EVENT_STREAM",
    "json_body",
    "json_call",
    "model",
    "multipart_body",
    "operation_named",
    "query_of",
    "wants_stream",
]

EVENT_STREAM = "text/event-stream, application/json"
"""The ``accept`` header of a call that asks for a stream."""


def operation_named(operation_id: str) -> Operation:
    from ..models._manifest import BY_ID

    return BY_ID[operation_id]


def model(name: str) -> Any:
    """A generated model by name, imported on first use (keeps ``import`` cheap)."""
    from .. import models

    return getattr(models, name)


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


def multipart_body(
    operation_id: str, request: str, fields: Mapping[str, Any], files: Mapping[str, FileInput]
) -> Body:
    """A multipart body: ``fields`` checked strictly against the ``request`` model and sent
    as form fields, ``files`` streamed (see :mod:`~azure_oai_preview._files`).

    The model's file fields want bytes; the files themselves travel separately, so the check
    sees empty placeholders for them.
    """
    present = {name: value for name, value in fields.items() if value is not None}
    placeholders = dict.fromkeys(files, b"")
    instance = validate_request(operation_id, model(request), {**present, **placeholders})
    wire = instance.model_dump(mode="json", exclude_unset=True)
    data = {key: form_value(value) for key, value in wire.items() if key not in files}
    return Body(data=data, files=[(name, to_httpx_file(value)) for name, value in files.items()])


def json_call(
    operation_id: str,
    request: str,
    response: str,
    params: Mapping[str, Any],
    *,
    path: Mapping[str, str | None],
    stream_reader: ResultReader[Any, Any] | None = None,
) -> Call[Any, Any]:
    """A call with a JSON body checked strictly against the ``request`` model.

    ``params`` are the method's keyword arguments: the body's fields and the per-call
    options. Without ``stream_reader`` the answer is the ``response`` model; with one, the
    call asks for a stream (``"stream": true``) and that reader opens it - the one place a
    method's ``stream=`` argument takes effect.
    """
    # On a deployment's operations `model` is openai-python's spelling of the deployment.
    fields, options = take_options(
        params, DEPLOYMENT_OPTION_NAMES if "deployment-id" in path else OPTION_NAMES
    )
    operation = operation_named(operation_id)
    streaming = stream_reader is not None
    body = json_body(operation, model(request), {**fields, "stream": True} if streaming else fields)
    call = Call(
        operation=operation,
        path_params=path,
        body=body,
        reader=stream_reader if stream_reader is not None else JsonReader(model(response)),
        stream=streaming,
        accept=EVENT_STREAM if streaming else "application/json",
    )
    return apply_options(call, options)


def wants_stream(operation_id: str, stream: object) -> bool:
    """Whether a method's ``stream=`` argument asks for a stream (True; False or None: no).

    Checked like the body, before anything is sent: a string is never a boolean (so
    ``stream="false"`` does not stream) and neither is ``1``; either raises
    :class:`~azure_oai_preview.InvalidRequestError` naming ``stream``.
    """
    if stream is None or type(stream) is bool:
        return bool(stream)
    raise InvalidRequestError(
        operation_id, [("stream", f"expected a boolean; got {json_kind(stream)}")]
    )


def query_of(operation: Operation, **params: Any) -> dict[str, Any]:
    """The query parameters that were given, checked against the operation's spec.

    Like request bodies, queries are refused before sending when they break the spec:
    a wrong type, an enum value the spec does not list, or a parameter it does not have.
    """
    from .. import models
    from .._models import OpenEnum

    declared = {p.python_name: p for p in operation.query_params}
    query: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        parameter = declared.get(name)
        if parameter is None:
            problems.append((name, "is not a query parameter of this operation"))
            continue
        kind = parameter.type
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append((parameter.name, f"must be an integer, got {type(value).__name__}"))
                continue
        elif kind == "str":
            if not isinstance(value, str):
                problems.append((parameter.name, f"must be a string, got {type(value).__name__}"))
                continue
        else:
            enum_type: type[OpenEnum] = getattr(models, kind)
            raw = value.value if isinstance(value, OpenEnum) else value
            if raw not in enum_type.known_values():
                allowed = ", ".join(repr(v) for v in enum_type.known_values())
                problems.append((parameter.name, f"must be one of {allowed}"))
                continue
            value = raw
        query[parameter.name] = value
    if problems:
        raise InvalidRequestError(operation.operation_id, problems)
    return query
