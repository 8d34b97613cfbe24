"""Named, evidenced corrections of upstream spec defects (``specs/transforms/<api-version>.toml``).

Every transform says why (``reason``), how we know (``evidence``) and what it changes (``ops``).
Ops are small and declarative; each one checks that its target exists and is still in the
defective state, so a transform that upstream has made unnecessary fails loudly instead of
silently doing nothing.

File format::

    include = ["common/some-shared-fragment.toml"]   # optional, resolved in specs/transforms/

    [[transform]]
    name = "kebab-case-name"
    reason = "what is wrong and what the service really does"
    evidence = ["examples/cancel_run.json: $.status", "..."]
    ops = [
      { op = "add-enum-value", schema = "runStepObject", property = "object", value = "thread.run.step" },
    ]

Schema locators (used by most ops): ``schema`` (a component) or ``operation`` (an operationId,
with ``body = "request" | "response"``, ``status`` and ``content_type``), optionally narrowed by
``property`` (dot-separated property names; ``[]`` steps into array items). ``pointer`` (an
RFC 6901 JSON pointer) reaches anything else.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.jsonish import array_at, as_array, as_object, object_at
from codegen.paths import TRANSFORMS_DIR
from codegen.pointer import PointerError, escape, unescape, walk
from codegen.pointer import tokens as pointer_tokens
from codegen.tomlfile import load_toml

_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MISSING = object()


class TransformError(Exception):
    """A transform file is malformed."""


class StaleTransformError(Exception):
    """A transform's target is gone or already fixed upstream: the transform must be revisited."""


@dataclass(frozen=True)
class Target:
    """What an op explains: a schema (and property) or an operation's body, or a pointer."""

    op: str
    schema: str | None = None
    property: str | None = None
    operation_id: str | None = None
    body: str | None = None
    pointer: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Op:
    kind: str
    params: Mapping[str, Any]

    def target(self) -> Target:
        p = self.params
        schema = p.get("schema")
        pointer = p.get("pointer")
        prop = p.get("property")
        if self.kind == "make-optional" or self.kind == "drop-undefined-required":
            prop = ",".join(p.get("properties", []))
        if self.kind == "add-schema":
            schema = p.get("name")
        if pointer and schema is None:
            match = re.match(r"^/components/schemas/([^/]+)(?:/properties/([^/]+))?", pointer)
            if match:
                schema = unescape(match.group(1))
                if prop is None and match.group(2):
                    prop = unescape(match.group(2))
        detail = ""
        if self.kind == "add-enum-value":
            detail = f"value {p.get('value')!r}"
        elif self.kind == "set-request-content-type":
            detail = f"{p.get('from')} -> {p.get('to')}"
        return Target(
            op=self.kind,
            schema=schema,
            property=prop,
            operation_id=p.get("operation"),
            body=p.get("body"),
            pointer=pointer,
            detail=detail,
        )


@dataclass(frozen=True)
class Transform:
    name: str
    reason: str
    evidence: tuple[str, ...]
    ops: tuple[Op, ...]
    source: Path
    version: str = ""
    explains: tuple[Target, ...] = field(default=())


# --------------------------------------------------------------------------------------- load


_OP_KEYS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (required keys, optional keys); locator keys are checked separately
    "add-enum-value": ({"value"}, {"description"}),
    "make-nullable": (set(), set()),
    "make-optional": ({"properties"}, set()),
    "drop-undefined-required": ({"properties"}, set()),
    "set-request-content-type": ({"operation", "from", "to"}, set()),
    "add-schema": ({"name"}, {"schema", "schema_json"}),
    "add-property": ({"name"}, {"definition", "definition_json", "required"}),
    "pin-discriminator-values": ({"schema"}, set()),
    "replace": ({"pointer"}, {"value", "value_json", "old", "old_json"}),
    "add": ({"pointer"}, {"value", "value_json"}),
    "remove": ({"pointer"}, {"old", "old_json"}),
}
_LOCATOR_KEYS = {"schema", "operation", "body", "status", "content_type", "property", "pointer"}
_USES_LOCATOR = {
    "add-enum-value",
    "make-nullable",
    "make-optional",
    "drop-undefined-required",
    "add-property",
}


def _read(path: Path, seen: tuple[Path, ...]) -> list[tuple[dict[str, Any], Path]]:
    if path in seen:
        raise TransformError(f"include cycle: {' -> '.join(str(p) for p in (*seen, path))}")
    if not path.is_file():
        raise TransformError(f"transform file {path} does not exist")
    data = load_toml(path)
    unknown = set(data) - {"include", "transform"}
    if unknown:
        raise TransformError(f"{path}: unknown top-level keys {sorted(unknown)}")
    found: list[tuple[dict[str, Any], Path]] = []
    for include in data.get("include", []):
        found.extend(_read(path.parent / include, (*seen, path)))
    found.extend((entry, path) for entry in data.get("transform", []))
    return found


def _parse_op(raw: Mapping[str, Any], where: str) -> Op:
    kind = raw.get("op")
    if kind not in _OP_KEYS:
        raise TransformError(f"{where}: unknown op {kind!r}; known: {', '.join(sorted(_OP_KEYS))}")
    required, optional = _OP_KEYS[kind]
    params = {k: v for k, v in raw.items() if k != "op"}
    allowed: set[str] = required | optional | (_LOCATOR_KEYS if kind in _USES_LOCATOR else set())
    if kind == "set-request-content-type":
        allowed |= {"operation"}
    missing = required - set(params)
    if missing:
        raise TransformError(f"{where}: op {kind} needs {sorted(missing)}")
    extra = set(params) - allowed
    if extra:
        raise TransformError(f"{where}: op {kind} does not take {sorted(extra)}")
    if kind in _USES_LOCATOR and not ({"schema", "operation", "pointer"} & set(params)):
        raise TransformError(f"{where}: op {kind} needs one of schema / operation / pointer")
    return Op(kind=kind, params=params)


def load_file(path: Path, version: str = "") -> list[Transform]:
    result: list[Transform] = []
    for entry, source in _read(path, ()):
        name = entry.get("name", "")
        where = f"{source.name}: transform {name!r}"
        if not _NAME_RE.match(name):
            raise TransformError(f"{where}: name must be kebab-case")
        for key in ("reason", "evidence", "ops"):
            if not entry.get(key):
                raise TransformError(f"{where}: {key} is required")
        extra = set(entry) - {"name", "reason", "evidence", "ops"}
        if extra:
            raise TransformError(f"{where}: unknown keys {sorted(extra)}")
        evidence = entry["evidence"]
        if isinstance(evidence, str):
            evidence = [evidence]
        ops = tuple(_parse_op(op, f"{where} op {i}") for i, op in enumerate(entry["ops"]))
        result.append(
            Transform(
                name=name,
                reason=" ".join(entry["reason"].split()),
                evidence=tuple(" ".join(e.split()) for e in evidence),
                ops=ops,
                source=source,
                version=version,
                explains=tuple(op.target() for op in ops),
            )
        )
    names = [t.name for t in result]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise TransformError(f"{path}: duplicate transform names {dupes}")
    return result


def load(version: str, transforms_dir: Path = TRANSFORMS_DIR) -> list[Transform]:
    """The transforms declared for ``version`` (none when it has no file)."""
    path = transforms_dir / f"{version}.toml"
    if not path.is_file():
        return []
    return load_file(path, version)


# -------------------------------------------------------------------------------------- apply


def _split_pointer(pointer: str) -> list[str]:
    try:
        return pointer_tokens(pointer)
    except PointerError as exc:
        raise StaleTransformError(str(exc)) from None


def _walk(doc: Any, steps: list[str], pointer: str) -> Any:
    try:
        return walk(doc, steps, pointer)
    except PointerError as exc:
        raise StaleTransformError(str(exc)) from None


def _json_value(params: Mapping[str, Any], key: str) -> Any:
    if key in params:
        return copy.deepcopy(params[key])
    if f"{key}_json" in params:
        return json.loads(params[f"{key}_json"])
    return _MISSING


def _find_operation(spec: dict[str, Any], operation_id: str) -> tuple[str, dict[str, Any]]:
    for path, item in object_at(spec, "paths").items():
        for method, raw in (as_object(item) or {}).items():
            op = as_object(raw)
            if op is not None and op.get("operationId") == operation_id:
                return f"/paths/{escape(path)}/{method}", op
    raise StaleTransformError(f"operation {operation_id!r} does not exist")


def _locate(spec: dict[str, Any], params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Resolve a locator to (pointer, schema node)."""
    if "pointer" in params:
        pointer = params["pointer"]
        node = _walk(spec, _split_pointer(pointer), pointer)
    elif "schema" in params:
        name = params["schema"]
        schemas = spec.get("components", {}).get("schemas", {})
        if name not in schemas:
            raise StaleTransformError(f"schema {name!r} does not exist")
        pointer, node = f"/components/schemas/{escape(name)}", schemas[name]
    else:
        op_pointer, op = _find_operation(spec, params["operation"])
        body = params.get("body", "response")
        content_type = params.get("content_type", "application/json")
        if body == "request":
            content = op.get("requestBody", {}).get("content", {})
            pointer = f"{op_pointer}/requestBody/content/{escape(content_type)}/schema"
        else:
            status = str(params.get("status", "200"))
            content = op.get("responses", {}).get(status, {}).get("content", {})
            pointer = f"{op_pointer}/responses/{status}/content/{escape(content_type)}/schema"
        if content_type not in content or "schema" not in content[content_type]:
            raise StaleTransformError(f"{pointer} does not exist")
        node = content[content_type]["schema"]
    prop = params.get("property")
    if prop:
        for step in prop.split("."):
            if step == "[]":
                schema = as_object(node)
                if schema is None or "items" not in schema:
                    raise StaleTransformError(f"{pointer} has no array items")
                pointer, node = f"{pointer}/items", schema["items"]
                continue
            pointer, node = _child_property(node, step, pointer)
    schema = as_object(node)
    if schema is None:
        raise StaleTransformError(f"{pointer} is not a schema")
    return pointer, schema


def locate(spec: dict[str, Any], params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Resolve an op's locator (``schema``/``operation``/``pointer`` + ``property``) in ``spec``
    to ``(JSON pointer, schema node)``; raises StaleTransformError when it is not there."""
    return _locate(spec, params)


def _child_property(node: Any, name: str, pointer: str) -> tuple[str, dict[str, Any]]:
    """A property declared by ``node`` itself or by one of its inline allOf parts."""
    schema = as_object(node)
    if schema is not None:
        found = as_object(object_at(schema, "properties").get(name))
        if found is not None:
            return f"{pointer}/properties/{escape(name)}", found
        for i, raw in enumerate(array_at(schema, "allOf")):
            part = as_object(raw) or {}
            found = as_object(object_at(part, "properties").get(name))
            if "$ref" not in part and found is not None:
                return f"{pointer}/allOf/{i}/properties/{escape(name)}", found
    raise StaleTransformError(f"{pointer} declares no property {name!r}")


def _required_lists(node: dict[str, Any]) -> list[list[str]]:
    lists = [node["required"]] if isinstance(node.get("required"), list) else []
    for part in node.get("allOf", []):
        if "$ref" not in part and isinstance(part.get("required"), list):
            lists.append(part["required"])
    return lists


def _declared_properties(
    spec: dict[str, Any], node: dict[str, Any], seen: frozenset[str]
) -> set[str]:
    names = set(node.get("properties", {}))
    for part in node.get("allOf", []):
        if "$ref" in part:
            ref = part["$ref"]
            if ref in seen:
                continue
            target = _walk(spec, _split_pointer(ref), ref)
            names |= _declared_properties(spec, target, seen | {ref})
        else:
            names |= _declared_properties(spec, part, seen)
    return names


def _apply_op(spec: dict[str, Any], op: Op) -> None:
    p = op.params
    kind = op.kind
    if kind == "add-enum-value":
        pointer, node = _locate(spec, p)
        if "$ref" in node:
            raise StaleTransformError(f"{pointer} is a $ref; target the referenced schema")
        if "enum" not in node:
            raise StaleTransformError(f"{pointer} is not an enum")
        value = p["value"]
        if value in node["enum"]:
            raise StaleTransformError(f"{pointer} already lists {value!r}")
        node["enum"].append(value)
        values = as_array(object_at(node, "x-ms-enum").get("values"))
        if values is not None:
            entry: dict[str, Any] = {"value": value}
            if "description" in p:
                entry["description"] = p["description"]
            values.append(entry)
    elif kind == "make-nullable":
        pointer, node = _locate(spec, p)
        if node.get("nullable") is True:
            raise StaleTransformError(f"{pointer} is already nullable")
        node["nullable"] = True
    elif kind in ("make-optional", "drop-undefined-required"):
        pointer, node = _locate(spec, p)
        lists = _required_lists(node)
        declared = _declared_properties(spec, node, frozenset())
        for name in p["properties"]:
            holders = [lst for lst in lists if name in lst]
            if not holders:
                raise StaleTransformError(f"{pointer} does not require {name!r}")
            if kind == "drop-undefined-required" and name in declared:
                raise StaleTransformError(
                    f"{pointer} now defines {name!r}; it is no longer undefined"
                )
            if kind == "make-optional" and name not in declared:
                raise StaleTransformError(
                    f"{pointer} does not define {name!r}; use drop-undefined-required"
                )
            for lst in holders:
                lst.remove(name)
        for container in [node, *[part for part in node.get("allOf", []) if "$ref" not in part]]:
            if container.get("required") == []:
                # OpenAPI 3.0 forbids an empty required list.
                del container["required"]
    elif kind == "set-request-content-type":
        op_pointer, operation = _find_operation(spec, p["operation"])
        content = operation.get("requestBody", {}).get("content", {})
        if p["from"] not in content:
            raise StaleTransformError(f"{op_pointer}/requestBody has no {p['from']!r} content")
        if p["to"] in content:
            raise StaleTransformError(f"{op_pointer}/requestBody already has {p['to']!r}")
        # Rebuild to keep the position of the entry (key order is part of the output).
        operation["requestBody"]["content"] = {
            (p["to"] if k == p["from"] else k): v for k, v in content.items()
        }
    elif kind == "add-schema":
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        if p["name"] in schemas:
            raise StaleTransformError(f"schema {p['name']!r} already exists")
        schema = _json_value(p, "schema")
        if schema is _MISSING or not isinstance(schema, dict):
            raise TransformError(
                f"add-schema {p['name']!r} needs schema or schema_json (an object)"
            )
        schemas[p["name"]] = schema
    elif kind == "add-property":
        pointer, node = _locate(spec, p)
        definition = _json_value(p, "definition")
        if definition is _MISSING:
            raise TransformError(f"add-property {p['name']!r} needs definition or definition_json")
        if p["name"] in _declared_properties(spec, node, frozenset()):
            raise StaleTransformError(f"{pointer} already declares {p['name']!r}")
        node.setdefault("properties", {})[p["name"]] = definition
        if p.get("required"):
            node.setdefault("required", []).append(p["name"])
    elif kind == "pin-discriminator-values":
        pointer, node = _locate(spec, {"schema": p["schema"]})
        discriminator = node.get("discriminator", {})
        mapping = discriminator.get("mapping")
        if not mapping:
            raise StaleTransformError(f"{pointer} has no discriminator mapping")
        tag = discriminator["propertyName"]
        for value, ref in mapping.items():
            child = _walk(spec, _split_pointer(ref), ref)
            existing = as_object(object_at(child, "properties").get(tag))
            if existing is not None and existing.get("enum") == [value]:
                raise StaleTransformError(f"{ref} already pins {tag} to {value!r}")
            child.setdefault("properties", {})[tag] = {"type": "string", "enum": [value]}
    elif kind in ("replace", "add", "remove"):
        pointer = p["pointer"]
        tokens = _split_pointer(pointer)
        if not tokens:
            raise StaleTransformError("cannot replace the whole document")
        parent = _walk(spec, tokens[:-1], pointer)
        key = tokens[-1]
        mapping, array = as_object(parent), as_array(parent)
        if kind == "add":
            value = _json_value(p, "value")
            if value is _MISSING:
                raise TransformError(f"add {pointer}: value or value_json is required")
            if array is not None:
                if key == "-":
                    array.append(value)
                elif key.isdigit() and int(key) <= len(array):
                    array.insert(int(key), value)
                else:
                    raise StaleTransformError(f"{pointer}: bad array index")
            elif mapping is not None:
                if key in mapping:
                    raise StaleTransformError(f"{pointer} already exists")
                mapping[key] = value
            else:
                raise StaleTransformError(f"{pointer}: parent is not a container")
            return
        index = int(key) if array is not None and key.isdigit() else None
        if mapping is not None and key in mapping:
            current: Any = mapping[key]
        elif array is not None and index is not None and index < len(array):
            current = array[index]
        else:
            raise StaleTransformError(f"{pointer} does not exist")
        old = _json_value(p, "old")
        if old is not _MISSING and old != current:
            raise StaleTransformError(f"{pointer} no longer holds the expected old value")
        if kind == "remove":
            if array is not None and index is not None:
                del array[index]
            elif mapping is not None:
                del mapping[key]
        else:
            value = _json_value(p, "value")
            if value is _MISSING:
                raise TransformError(f"replace {pointer}: value or value_json is required")
            if value == current:
                raise StaleTransformError(f"{pointer} already holds the replacement value")
            if array is not None and index is not None:
                array[index] = value
            elif mapping is not None:
                mapping[key] = value
    else:  # pragma: no cover - _parse_op rejects unknown kinds
        raise TransformError(f"unknown op {kind}")


def apply(spec: dict[str, Any], transforms: list[Transform]) -> dict[str, Any]:
    """A transformed deep copy of ``spec``; raises StaleTransformError naming the transform."""
    result = copy.deepcopy(spec)
    for transform in transforms:
        for i, op in enumerate(transform.ops):
            try:
                _apply_op(result, op)
            except StaleTransformError as exc:
                raise StaleTransformError(
                    f"transform {transform.name!r} ({transform.source.name}) op {i} "
                    f"({op.kind}) is stale: {exc}"
                ) from None
    return result
