"""Reading a request the way the service does: body, form fields, query, and the spec check.

Bodies are checked with the same strict check the client applies before sending
(:func:`azure_oai_preview._strict.validate_request` against the generated request model):
a wrong type, an enum value the spec does not list, a missing required field, an unknown
field or a forbidden null answers 400 with an Azure error body whose ``param`` names the
first offending field. Fields the service accepts and ignores are dropped first: ``model``
on deployment-scoped operations (openai-python sends it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal, cast, get_args, get_origin
from urllib.parse import unquote

from .. import InvalidRequestError
from .._models import OpenModel
from .._strict import validate_request
from ._errors import ServiceError, bad_request
from ._routes import Route
from ._wire import EmulatedRequest
from ._world import Upload

__all__ = ["read_body", "read_query"]

IGNORED_ON_DEPLOYMENTS = frozenset({"model"})
"""Body fields the service ignores on deployment-scoped operations (the deployment decides)."""

_LIST_FIELDS = frozenset({"timestamp_granularities[]"})


def read_body(route: Route, request: EmulatedRequest) -> tuple[dict[str, Any], dict[str, Upload]]:
    """The body's fields (validated when the route has a request model) and its file parts."""
    if route.body_content_type is None:
        return {}, {}
    content_type = request.headers.get("content-type", "")
    if route.body_content_type == "multipart/form-data":
        if not content_type.startswith("multipart/form-data"):
            raise ServiceError(
                415, "UnsupportedMediaType", "The request body must be multipart/form-data."
            )
        fields, files = _multipart(content_type, request.body)
        if route.body_model is not None:
            # File parts the operation does not declare are ignored, as the service ignores
            # them: a request without its declared file is reported as missing that file.
            declared = _wire_names(route)
            parts = {name: upload.content for name, upload in files.items() if name in declared}
            _validate(route, {**fields, **parts})
        return fields, files
    if not request.body:
        if not route.body_required:
            return {}, {}
        raise bad_request("The request body is missing; this operation needs a JSON object.")
    try:
        data = json.loads(request.body)
    except ValueError:
        raise bad_request("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    body = cast("dict[str, Any]", data)
    if route.deployment_scoped:
        body = {key: value for key, value in body.items() if key not in IGNORED_ON_DEPLOYMENTS}
    if route.body_model is not None:
        _validate(route, body)
    return body, {}


def _wire_names(route: Route) -> frozenset[str]:
    from .. import models

    model: Any = getattr(models, cast("str", route.body_model))
    if not isinstance(model, type) or not issubclass(model, OpenModel):
        return frozenset()
    return frozenset(info.alias or name for name, info in model.model_fields.items())


def _validate(route: Route, data: Mapping[str, Any]) -> None:
    from .. import models

    model: Any = getattr(models, cast("str", route.body_model))
    if not isinstance(model, type):
        model = _union_member(model, data)
    try:
        validate_request(route.operation_id, model, data)
    except InvalidRequestError as exc:
        details = "; ".join(f"'{path or '<body>'}': {message}" for path, message in exc.problems)
        first = exc.problems[0][0] if exc.problems else None
        raise bad_request(f"Invalid request: {details}", param=first or None) from None


def _union_member(union: Any, data: Mapping[str, Any]) -> type[OpenModel]:
    """The member of a tagged union body (``IngestionJob``) that ``data``'s tag selects (its
    first field, a literal); a 400 naming the tag when no member has that value."""
    tag, known = "", list[Any]()
    for member in _flatten(union):
        if not issubclass(member, OpenModel) or member.__azure_unknown_variant__:
            continue
        tag, field = next(iter(member.model_fields.items()))
        values = get_args(field.annotation) if get_origin(field.annotation) is Literal else ()
        if data.get(tag) in values:
            return member
        known += values
    choices = ", ".join(repr(value) for value in known)
    raise bad_request(f"Invalid '{tag}': expected one of {choices}.", param=tag)


def _flatten(tp: Any) -> list[type]:
    if isinstance(tp, type):
        return [tp]
    return [member for arg in get_args(tp) for member in _flatten(arg)]


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, Upload]]:
    boundary = _header_param(content_type, "boundary")
    if not boundary:
        raise bad_request("The multipart body has no boundary.")
    fields: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    delimiter = b"--" + boundary.encode()
    for raw in body.split(delimiter)[1:]:
        if raw.startswith(b"--"):
            break  # the closing delimiter
        head, separator, content = raw.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise bad_request("A multipart part has no header block.")
        content = content.removesuffix(b"\r\n")
        headers = _part_headers(head.decode("utf-8", "replace"))
        disposition = headers.get("content-disposition", "")
        name = _header_param(disposition, "name")
        if name is None:
            continue
        filename = _header_param(disposition, "filename")
        if filename is not None:
            kind = headers.get("content-type", "application/octet-stream")
            files[name] = Upload(filename, content, kind)
        elif name in _LIST_FIELDS:
            fields.setdefault(name, []).append(content.decode())
        else:
            fields[name] = content.decode()
    return fields, files


def _part_headers(block: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


def _header_param(header: str, name: str) -> str | None:
    found = re.search(rf'(?:^|;)\s*{name}=(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))', header, re.IGNORECASE)
    if found is None:
        return None
    quoted, bare = found.groups()
    return re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare


def read_query(route: Route, request: EmulatedRequest) -> dict[str, Any]:
    """The route's query parameters, typed; a wrong type or enum value is a 400."""
    from .. import models

    query: dict[str, Any] = {}
    for name, kind in route.query:
        raw = request.query.get(name)
        if raw is None:
            continue
        if kind == "int":
            try:
                query[name] = int(raw)
            except ValueError:
                raise bad_request(f"Invalid '{name}': expected an integer.", param=name) from None
        elif kind == "str":
            query[name] = raw
        else:
            allowed: tuple[str, ...] = getattr(models, kind).known_values()
            if raw not in allowed:
                choices = ", ".join(repr(value) for value in allowed)
                raise bad_request(f"Invalid '{name}': expected one of {choices}.", param=name)
            query[name] = raw
    return query


def path_values(params: Mapping[str, str]) -> dict[str, str]:
    return {name: unquote(value) for name, value in params.items()}
