"""Check the spec's examples against its schemas (the evidence behind every transform).

OpenAPI 3.0 schemas are not JSON Schema, so they are converted first:

* ``nullable: true`` becomes a ``null`` alternative (type list, enum entry, or ``anyOf`` around
  a ``$ref``);
* a ``$ref`` to a schema with a ``discriminator`` mapping, used as a value, dispatches on the
  tag like OpenAPI tooling does: a ``oneOf`` of the mapped schemas, each with its tag pinned;
* every object used as a value is closed with ``unevaluatedProperties: false`` unless it
  declares ``additionalProperties``. OpenAPI allows unknown properties, but a property the
  examples show and the spec does not know is a gap in the generated models, so it counts.
  Closing happens at use sites only: an ``allOf`` part must stay open, or its siblings'
  properties would be rejected.

The validator is jsonschema's Draft 2020-12 (needed for ``unevaluatedProperties``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.exceptions import best_match as _best_match  # pyright: ignore[reportUnknownVariableType]

from codegen.jsonish import as_array, as_object, object_at
from codegen.spec import Example, iter_operations, load_examples

_DROP_KEYS = {"discriminator", "example", "xml", "externalDocs", "deprecated"}


@dataclass(frozen=True)
class Violation:
    file: str
    operation_id: str
    side: str  # "request" | "response"
    path: str  # JSONPath-like location in the example body
    message: str
    schema_path: str = ""

    def __str__(self) -> str:
        return f"{self.file} [{self.operation_id} {self.side}] {self.path}: {self.message}"


def _convert(raw: Any, discriminators: dict[str, tuple[str, dict[str, str]]], use: bool) -> Any:
    array = as_array(raw)
    if array is not None:
        return [_convert(item, discriminators, True) for item in array]
    node = as_object(raw)
    if node is None:
        return raw
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP_KEYS or key.startswith("x-") or key == "nullable":
            continue
        if key == "allOf":
            out[key] = [_convert(part, discriminators, False) for part in as_array(value) or []]
        elif key in ("properties", "patternProperties"):
            props = as_object(value) or {}
            out[key] = {name: _convert(sub, discriminators, True) for name, sub in props.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = _convert(value, discriminators, True)
        elif key in ("oneOf", "anyOf"):
            out[key] = [_convert(member, discriminators, True) for member in as_array(value) or []]
        else:
            out[key] = value
    ref = out.get("$ref")
    if use and ref in discriminators:
        tag, mapping = discriminators[ref]
        dispatch = {
            "oneOf": [
                {
                    "$ref": child,
                    "properties": {tag: {"const": value}},
                    "required": [tag],
                    "unevaluatedProperties": False,
                }
                for value, child in mapping.items()
            ]
        }
        out = {k: v for k, v in out.items() if k != "$ref"}
        out = {**out, "allOf": [*out.get("allOf", []), dispatch]} if out else dispatch
    elif use and "additionalProperties" not in out:
        objectish = "properties" in out or "allOf" in out or "$ref" in out
        if objectish:
            out["unevaluatedProperties"] = False
    if node.get("nullable") is True:
        out = _nullable(out)
    return out


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in out or "allOf" in out or ("type" not in out and ("properties" in out)):
        return {"anyOf": [out, {"type": "null"}]}
    if "type" in out:
        types: list[Any] = as_array(out["type"]) or [out["type"]]
        out["type"] = [*types, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    for key in ("oneOf", "anyOf"):
        if key in out:
            out[key] = [*out[key], {"type": "null"}]
            return out
    return out


def to_json_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every schema converted; ``$ref``s keep working against the result."""
    schemas = object_at(object_at(spec, "components"), "schemas")
    discriminators: dict[str, tuple[str, dict[str, str]]] = {}
    for name, schema in schemas.items():
        disc = as_object((as_object(schema) or {}).get("discriminator"))
        if disc and disc.get("mapping"):
            discriminators[f"#/components/schemas/{name}"] = (disc["propertyName"], disc["mapping"])
    converted = {name: _convert(schema, discriminators, False) for name, schema in schemas.items()}
    paths: dict[str, Any] = {}
    for path, item in object_at(spec, "paths").items():
        paths[path] = {}
        for method, raw_op in (as_object(item) or {}).items():
            op = as_object(raw_op)
            if op is None:
                continue
            new_op: dict[str, Any] = {"requestBody": {}, "responses": {}}
            for ct, media in object_at(object_at(op, "requestBody"), "content").items():
                if "schema" in media:
                    new_op["requestBody"][ct] = _convert(media["schema"], discriminators, True)
            for status, response in object_at(op, "responses").items():
                new_op["responses"][status] = {
                    ct: _convert(media["schema"], discriminators, True)
                    for ct, media in object_at(as_object(response) or {}, "content").items()
                    if "schema" in media
                }
            paths[path][method] = new_op
    return {"components": {"schemas": converted}, "paths": paths}


def _json_path(error: ValidationError) -> str:
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _closest(errors: Iterable[ValidationError]) -> ValidationError | None:
    """The error jsonschema deems most relevant among ``errors``."""
    return cast("ValidationError | None", _best_match(errors))


def _errors(
    schema: dict[str, Any], components: dict[str, Any], instance: Any
) -> list[ValidationError]:
    validator = Draft202012Validator({**schema, "components": components})
    found: list[ValidationError] = []
    errors: Iterator[ValidationError] = validator.iter_errors(instance)  # pyright: ignore[reportUnknownMemberType]
    for error in errors:
        # oneOf/anyOf failures say "not valid under any"; the closest branch says why.
        if (
            error.context
            and error.validator in ("oneOf", "anyOf")
            and "valid under each" not in error.message
        ):
            error = _closest(error.context) or error
        found.append(error)
    return found


def check_example(
    example: Example, converted: dict[str, Any], spec: dict[str, Any]
) -> list[Violation]:
    op_conv = converted["paths"][example.path][example.method]
    components = converted["components"]
    operation = spec["paths"][example.path][example.method]
    violations: list[Violation] = []

    def add(side: str, path: str, message: str, schema_path: str = "") -> None:
        violations.append(
            Violation(example.file, example.operation_id, side, path, message, schema_path)
        )

    if example.has_request_body:
        declared = list(operation.get("requestBody", {}).get("content", {}))
        body = example.request_body
        form = op_conv["requestBody"].get("multipart/form-data")
        if example.request_form:
            # Form fields: a file part's raw content is a string, which `format: binary` allows.
            if form is None:
                add(
                    "request",
                    "$",
                    f"the example sends form fields; the operation declares {declared}",
                )
            else:
                for error in _errors(form, components, body):
                    add("request", _json_path(error), error.message)
        elif isinstance(body, (dict, list)):
            if "application/json" not in op_conv["requestBody"]:
                add(
                    "request",
                    "$",
                    f"the example sends a JSON body; the operation declares {declared}",
                )
            else:
                for error in _errors(op_conv["requestBody"]["application/json"], components, body):
                    add(
                        "request",
                        _json_path(error),
                        error.message,
                        "/".join(map(str, error.schema_path)),
                    )
        elif "application/json" in declared and not any(
            ct.startswith("multipart/") for ct in declared
        ):
            add(
                "request",
                "$",
                f"the example sends a non-JSON body; the operation declares {declared}",
            )
    declared_response = op_conv["responses"].get(example.status, {})
    content_types = list(operation.get("responses", {}).get(example.status, {}).get("content", {}))
    if example.kind == "json":
        schema = declared_response.get("application/json")
        if schema is None:
            add(
                "response",
                "$",
                f"a JSON body, but status {example.status} declares {content_types}",
            )
        else:
            for error in _errors(schema, components, example.response_body):
                add(
                    "response",
                    _json_path(error),
                    error.message,
                    "/".join(map(str, error.schema_path)),
                )
    elif example.kind == "empty":
        if content_types:
            add("response", "$", f"no body, but status {example.status} declares {content_types}")
    elif example.kind == "text":
        if not any(ct.startswith("text/") for ct in content_types):
            add(
                "response",
                "$",
                f"a text body, but status {example.status} declares {content_types}",
            )
    elif not any(
        ct == "application/octet-stream" or ct.startswith("audio/") for ct in content_types
    ):
        add("response", "$", f"a binary body, but status {example.status} declares {content_types}")
    return violations


def check_examples(
    spec: dict[str, Any], examples: list[Example] | None = None, version: str | None = None
) -> list[Violation]:
    """Every violation of ``spec`` by the examples (by default the spec's own cached examples).

    Examples of operations the spec does not have are reported as violations too.
    """
    if examples is None:
        examples, _ = load_examples(version, spec=spec)
    converted = to_json_schema(spec)
    known = {(path, method) for path, method, _ in iter_operations(spec)}
    by_id = {op["operationId"]: (path, method) for path, method, op in iter_operations(spec)}
    violations: list[Violation] = []
    for example in examples:
        if (example.path, example.method) not in known:
            # Examples borrowed from another api-version may sit on an operation renamed here.
            if example.operation_id in by_id:
                path, method = by_id[example.operation_id]
                example = replace(example, path=path, method=method)
            else:
                violations.append(
                    Violation(
                        example.file,
                        example.operation_id,
                        "request",
                        "$",
                        "operation not in this spec",
                    )
                )
                continue
        violations.extend(check_example(example, converted, spec))
    return violations
