"""Reading a request the way the service does: body, form fields, query, and the spec check.

Bodies are checked with the same strict check the client applies before sending
(:func:`azure_oai_preview._strict.validate_request` against the generated request model):
a wrong type, an enum value the spec does not list, a missing required field, an unknown
field or a forbidden null answers 400 with an Azure error body whose ``param`` names the
first offending field. Form fields (audio uploads) are typed as the request model declares
them first, as the service binds them. Fields the service accepts and ignores are dropped
first: ``model`` on deployment-scoped operations, in a JSON body or a form (openai-python
sends it).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Mapping
from types import UnionType
from typing import Any, Literal, Union, cast, get_args, get_origin
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
        texts, files = _multipart(content_type, request.body)
        if route.deployment_scoped:
            texts = {k: v for k, v in texts.items() if k not in IGNORED_ON_DEPLOYMENTS}
        fields = _form_fields(route, texts)
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


def _wire_fields(route: Route) -> dict[str, Any]:
    """The annotation of each field of the route's request model, by wire name."""
    from .. import models

    model: Any = getattr(models, route.body_model) if route.body_model else None
    if not isinstance(model, type) or not issubclass(model, OpenModel):
        return {}
    return {info.alias or name: info.annotation for name, info in model.model_fields.items()}


def _wire_names(route: Route) -> frozenset[str]:
    return frozenset(_wire_fields(route))


def _form_fields(route: Route, texts: Mapping[str, list[str]]) -> dict[str, Any]:
    """The text parts of a form, typed as the request model declares them.

    Form values are text; the service binds them to the operation's fields the way their
    types say (``temperature=0`` is the number 0, ``true`` a boolean, a repeated
    ``timestamp_granularities[]`` an array) before checking them, so they are converted here
    and then checked like a JSON body. A value that does not read as its type stays text, and
    the check reports the field (``expected a number; got a string``). Fields the model does
    not declare keep their last value, text, for the check to refuse.
    """
    annotations = _wire_fields(route)
    fields: dict[str, Any] = {}
    for name, values in texts.items():
        annotation = annotations.get(name)
        if annotation is None:
            fields[name] = values[-1]
            continue
        array = next((m for m in _members(annotation) if get_origin(m) is list), None)
        if array is not None:
            item = next(iter(get_args(array)), Any)
            fields[name] = [_form_value(item, value) for value in values]
        else:
            fields[name] = _form_value(annotation, values[-1])
    return fields


def _members(annotation: Any) -> list[Any]:
    """The types of an annotation: its members for a union (``None`` left out), else itself."""
    args = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    return [arg for arg in args if arg is not type(None)]


def _form_value(annotation: Any, text: str) -> Any:
    """``text`` read as the first type of ``annotation`` it reads as; else the text itself."""
    for member in _members(annotation):
        origin = get_origin(member) or member
        if origin is bool:
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
        elif origin is int:
            with contextlib.suppress(ValueError):
                return int(text)
        elif origin is float:
            with contextlib.suppress(ValueError):
                number = float(text)
                if math.isfinite(number):
                    return number
        elif origin in (dict, list) or (isinstance(origin, type) and issubclass(origin, OpenModel)):
            with contextlib.suppress(ValueError):
                return json.loads(text)
        else:
            return text  # text, an enum, or a type form fields cannot spell: as sent
    return text


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


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, list[str]], dict[str, Upload]]:
    """The text parts (every value of each name, in order) and the file parts of a form."""
    boundary = _header_param(content_type, "boundary")
    if not boundary:
        raise bad_request("The multipart body has no boundary.")
    fields: dict[str, list[str]] = {}
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
        else:
            fields.setdefault(name, []).append(content.decode())
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
