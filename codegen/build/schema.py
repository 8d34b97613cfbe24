"""Reading the (transformed) OpenAPI 3 document: references, ``allOf`` merging, union members
and tags. Pure queries over the document; nothing here builds or names a declaration."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codegen import ir
from codegen import pointer as jp
from codegen.jsonish import array_at, as_array, as_object, object_at
from codegen.spec import iter_operations

_CONSTRAINT_KEYS = {"required", "description", "title", "not", "minProperties", "maxProperties"}

Members = list[tuple[str, dict[str, Any]]]  # (JSON pointer, schema node) per member
Flat = tuple[dict[str, tuple[dict[str, Any], str]], list[str], bool, str]


def component_of(pointer: str) -> str | None:
    """The component name when ``pointer`` is ``/components/schemas/<name>`` itself."""
    tokens = jp.tokens(pointer)
    if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
        return tokens[2]
    return None


def is_body_root(pointer: str) -> bool:
    """An operation's request or response schema: named (``<Op>Request``) even as a union."""
    tokens = jp.tokens(pointer)
    return (
        len(tokens) in (7, 8)
        and tokens[0] == "paths"
        and tokens[-1] == "schema"
        and tokens[3] in ("requestBody", "responses")
    )


def union_members(node: dict[str, Any], pointer: str) -> Members | None:
    """The members of a real union; ``oneOf`` lists of bare constraints are not unions."""
    for key in ("oneOf", "anyOf"):
        members = as_array(node.get(key))
        if members:
            objects = [as_object(m) for m in members]
            if all(m is not None and set(m) <= _CONSTRAINT_KEYS for m in objects):
                return None
            return [(f"{pointer}/{key}/{i}", m or {}) for i, m in enumerate(objects)]
    return None


def discriminator_members(node: dict[str, Any]) -> Members | None:
    mapping = object_at(object_at(node, "discriminator"), "mapping")
    if mapping:
        return [(str(ref).removeprefix("#"), {"$ref": ref}) for ref in mapping.values()]
    return None


def is_model_like(node: dict[str, Any]) -> bool:
    return "properties" in node or "allOf" in node


def primitive(node: dict[str, Any]) -> ir.TypeExpr:
    node_type = node.get("type")
    if node_type == "string":
        return ir.Prim("bytes") if node.get("format") == "binary" else ir.Prim("str")
    if node_type == "integer":
        return ir.Prim("int")
    if node_type == "number":
        return ir.Prim("float")
    if node_type == "boolean":
        return ir.Prim("bool")
    return ir.AnyType()


def describe(node: dict[str, Any]) -> str:
    """A declaration's docstring: its title (unless the description repeats it) and description."""
    description = str(node.get("description", "") or "").strip()
    title = str(node.get("title", "") or "").strip()
    if title and title.lower() not in description.lower():
        return f"{title}\n\n{description}".strip()
    return description


class SpecView:
    """The document with the look-ups the builder needs."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})

    def node_at(self, pointer: str) -> Any:
        return jp.resolve(self.spec, pointer)

    def deref(self, node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
        seen: set[str] = set()
        while "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"{pointer}: external $ref {ref} is not supported")
            if ref in seen:
                raise ValueError(f"{pointer}: $ref cycle through {ref}")
            seen.add(ref)
            pointer = ref.removeprefix("#")
            node = self.node_at(pointer)
        return node, pointer

    def flatten(self, node: dict[str, Any], pointer: str, stack: tuple[str, ...] = ()) -> Flat:
        """Merge a schema with its ``allOf`` parts: properties, required, additionalProperties,
        description (own first, else the parts')."""
        if pointer in stack:
            raise ValueError(f"allOf cycle at {pointer}")
        props: dict[str, tuple[dict[str, Any], str]] = {}
        required: list[str] = []
        additional = False
        description = node.get("description", "")
        for i, part in enumerate(node.get("allOf", [])):
            part_node, part_pointer = self.deref(part, f"{pointer}/allOf/{i}")
            sub_props, sub_required, sub_additional, sub_description = self.flatten(
                part_node, part_pointer, (*stack, pointer)
            )
            props.update(sub_props)
            required.extend(r for r in sub_required if r not in required)
            additional = additional or sub_additional
            description = description or sub_description
        for name, prop in node.get("properties", {}).items():
            props[name] = (prop, jp.join(f"{pointer}/properties", name))
        required.extend(r for r in node.get("required", []) if r not in required)
        if node.get("additionalProperties") not in (None, False):
            additional = True
        return props, required, additional, description

    def discriminator_tag(self, node: dict[str, Any], pointer: str) -> tuple[str, str] | None:
        """(property, value) when ``pointer`` is a mapped child of a discriminator base."""
        for i, raw in enumerate(array_at(node, "allOf")):
            part = as_object(raw) or {}
            if "$ref" not in part:
                continue
            base, base_pointer = self.deref(part, f"{pointer}/allOf/{i}")
            disc = as_object(base.get("discriminator"))
            if disc is not None:
                for value, ref in object_at(disc, "mapping").items():
                    if str(ref).removeprefix("#") == pointer:
                        return disc["propertyName"], value
                value = node.get("x-ms-discriminator-value")
                if isinstance(value, str):
                    return disc["propertyName"], value
            found = self.discriminator_tag(base, base_pointer)
            if found:
                return found
        return None

    def single_values(self, node: dict[str, Any], pointer: str) -> dict[str, str]:
        """Properties a schema fixes to exactly one string value (tag candidates)."""
        props, _, _, _ = self.flatten(node, pointer)
        values: dict[str, str] = {}
        for name, (prop, prop_pointer) in props.items():
            target, _ = self.deref(prop, prop_pointer)
            enum = [v for v in target.get("enum", []) if v is not None]
            if len(enum) == 1 and isinstance(enum[0], str):
                values[name] = enum[0]
        found = self.discriminator_tag(node, pointer)
        if found:
            values[found[0]] = found[1]
        return values

    def operations(self) -> list[tuple[str, str, dict[str, Any]]]:
        return iter_operations(self.spec)

    def schema_sites(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every schema node in the document (components and operations), not through $ref."""

        def walk(raw: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
            node = as_object(raw)
            if node is None:
                return
            yield pointer, node
            for key in ("allOf", "oneOf", "anyOf"):
                for i, member in enumerate(array_at(node, key)):
                    yield from walk(member, f"{pointer}/{key}/{i}")
            for name, prop in object_at(node, "properties").items():
                yield from walk(prop, jp.join(f"{pointer}/properties", name))
            for key in ("items", "additionalProperties", "not"):
                yield from walk(node.get(key), f"{pointer}/{key}")

        for name, schema in self.schemas.items():
            yield from walk(schema, jp.join("/components/schemas", name))
        for path, method, op in self.operations():
            base = f"{jp.join('/paths', path)}/{method}"
            for i, param in enumerate(op.get("parameters", [])):
                if "schema" in param:
                    yield from walk(param["schema"], f"{base}/parameters/{i}/schema")
            for ct, media in op.get("requestBody", {}).get("content", {}).items():
                if "schema" in media:
                    yield from walk(
                        media["schema"], jp.join(f"{base}/requestBody/content", ct) + "/schema"
                    )
            for status, response in op.get("responses", {}).items():
                for ct, media in response.get("content", {}).items():
                    if "schema" in media:
                        yield from walk(
                            media["schema"],
                            jp.join(f"{base}/responses/{status}/content", ct) + "/schema",
                        )
