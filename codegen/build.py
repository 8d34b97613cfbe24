"""Transformed spec -> IR.

Two passes over the same document:

1. *Union analysis* finds every union (a ``discriminator`` mapping, or a ``oneOf``/``anyOf``
   of objects) and whether its members share a tag: a property each member fixes to one
   distinct value. Members are expanded through nested unions, so ``assistantStreamEvent``
   becomes one union of every event. The result maps each member schema (by JSON pointer) to
   its tag, so the model built for it can declare that property as ``Literal[...]``.
2. *Building* resolves every component schema, inline schema and operation into IR
   declarations. Inline schemas are named after the schema that owns them, read off their
   JSON pointer (``/components/schemas/messageObject/properties/incomplete_details`` ->
   ``MessageObjectIncompleteDetails``), so a name never depends on which user of a shared
   schema happened to be built first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from codegen import ir
from codegen.jsonish import array_at, as_array, as_object, object_at
from codegen.naming import (
    NameRegistry,
    cap,
    enum_member_name,
    field_name,
    identifier,
    is_secret,
    pascal,
)
from codegen.spec import iter_operations

_TAG_PREFERENCE = ("type", "event", "role", "object", "kind")
_CONSTRAINT_KEYS = {"required", "description", "title", "not", "minProperties", "maxProperties"}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _tokens(pointer: str) -> list[str]:
    return [_unescape(t) for t in pointer.removeprefix("#").split("/")[1:]]


@dataclass
class UnionSite:
    pointer: str
    members: list[tuple[str, dict[str, Any]]]  # raw members (pointer, node)
    variants: list[tuple[str, dict[str, Any]]] | None  # expanded object members, if all are objects
    tag: str | None = None
    values: list[str] | None = None  # tag value per variant


class Builder:
    def __init__(self, spec: dict[str, Any], api_version: str, spec_sha256: str) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
        self.out = ir.IR(api_version=api_version, spec_sha256=spec_sha256)
        self.names = NameRegistry(self.warn)
        self.component_names: dict[str, str] = {}
        self.union_sites: dict[str, UnionSite] = {}
        self.tags: dict[str, tuple[str, str]] = {}  # member pointer -> (property, value)
        self.built: dict[str, ir.TypeExpr] = {}  # pointer of a declared schema -> Ref
        self.enum_by_key: dict[tuple[str, tuple[str, ...]], str] = {}
        self.ambiguous_enum_names: set[str] = set()
        self.operation_names: dict[tuple[str, str], str] = {}
        self._warned: set[str] = set()

    # ------------------------------------------------------------------------ utilities

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.out.warnings.append(message)

    def node_at(self, pointer: str) -> Any:
        node: Any = self.spec
        for token in _tokens(pointer):
            array = as_array(node)
            node = array[int(token)] if array is not None else cast("dict[str, Any]", node)[token]
        return node

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

    @staticmethod
    def component_of(pointer: str) -> str | None:
        tokens = _tokens(pointer)
        if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
            return tokens[2]
        return None

    @staticmethod
    def is_body_root(pointer: str) -> bool:
        """An operation's request or response schema: named (``<Op>Request``) even as a union."""
        tokens = _tokens(pointer)
        return (
            len(tokens) in (7, 8)
            and tokens[0] == "paths"
            and tokens[-1] == "schema"
            and tokens[3] in ("requestBody", "responses")
        )

    @staticmethod
    def union_members(
        node: dict[str, Any], pointer: str
    ) -> list[tuple[str, dict[str, Any]]] | None:
        """The members of a real union; ``oneOf`` lists of bare constraints are not unions."""
        for key in ("oneOf", "anyOf"):
            members = as_array(node.get(key))
            if members:
                objects = [as_object(m) for m in members]
                if all(m is not None and set(m) <= _CONSTRAINT_KEYS for m in objects):
                    return None
                return [(f"{pointer}/{key}/{i}", m or {}) for i, m in enumerate(objects)]
        return None

    def discriminator_members(
        self, node: dict[str, Any]
    ) -> list[tuple[str, dict[str, Any]]] | None:
        mapping = object_at(object_at(node, "discriminator"), "mapping")
        if mapping:
            return [(str(ref).removeprefix("#"), {"$ref": ref}) for ref in mapping.values()]
        return None

    @staticmethod
    def is_model_like(node: dict[str, Any]) -> bool:
        return "properties" in node or "allOf" in node

    def flatten(
        self, node: dict[str, Any], pointer: str, stack: tuple[str, ...] = ()
    ) -> tuple[dict[str, tuple[dict[str, Any], str]], list[str], bool, str]:
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
            props[name] = (prop, f"{pointer}/properties/{_escape(name)}")
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

    # ------------------------------------------------------------------ pass 1: unions

    def iter_schema_sites(self) -> Iterator[tuple[str, dict[str, Any]]]:
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
                yield from walk(prop, f"{pointer}/properties/{_escape(name)}")
            for key in ("items", "additionalProperties", "not"):
                yield from walk(node.get(key), f"{pointer}/{key}")

        for name, schema in self.schemas.items():
            yield from walk(schema, f"/components/schemas/{_escape(name)}")
        for path, method, op in iter_operations(self.spec):
            base = f"/paths/{_escape(path)}/{method}"
            for i, param in enumerate(op.get("parameters", [])):
                if "schema" in param:
                    yield from walk(param["schema"], f"{base}/parameters/{i}/schema")
            for ct, media in op.get("requestBody", {}).get("content", {}).items():
                if "schema" in media:
                    yield from walk(
                        media["schema"], f"{base}/requestBody/content/{_escape(ct)}/schema"
                    )
            for status, response in op.get("responses", {}).items():
                for ct, media in response.get("content", {}).items():
                    if "schema" in media:
                        yield from walk(
                            media["schema"],
                            f"{base}/responses/{status}/content/{_escape(ct)}/schema",
                        )

    def expand(
        self, members: list[tuple[str, dict[str, Any]]], stack: tuple[str, ...] = ()
    ) -> list[tuple[str, dict[str, Any]]] | None:
        variants: list[tuple[str, dict[str, Any]]] = []
        for member_pointer, member in members:
            node, pointer = self.deref(member, member_pointer)
            if pointer in stack:
                return None
            nested = self.discriminator_members(node) or self.union_members(node, pointer)
            if nested is not None:
                sub = self.expand(nested, (*stack, pointer))
                if sub is None:
                    return None
                variants.extend(sub)
            elif self.is_model_like(node) and node.get("type", "object") == "object":
                variants.append((pointer, node))
            else:
                return None
        seen: set[str] = set()
        unique: list[tuple[str, dict[str, Any]]] = []
        for pointer, node in variants:
            if pointer not in seen:
                seen.add(pointer)
                unique.append((pointer, node))
        return unique

    def analyse_unions(self) -> None:
        for pointer, node in self.iter_schema_sites():
            members = self.discriminator_members(node)
            preferred: str | None = None
            if members is not None:
                preferred = node["discriminator"]["propertyName"]
            else:
                members = self.union_members(node, pointer)
            if members is None:
                continue
            variants = self.expand(members)
            site = UnionSite(pointer=pointer, members=members, variants=variants)
            self.union_sites[pointer] = site
            if not variants:
                continue
            candidates: dict[str, list[str]] | None = None
            for variant_pointer, variant in variants:
                values = self.single_values(variant, variant_pointer)
                if candidates is None:
                    candidates = {k: [v] for k, v in values.items()}
                else:
                    candidates = {
                        k: [*vs, values[k]] for k, vs in candidates.items() if k in values
                    }
            assert candidates is not None
            usable = [k for k, vs in candidates.items() if len(set(vs)) == len(vs)]
            if not usable:
                continue
            order = [preferred] if preferred else []
            order += [k for k in _TAG_PREFERENCE if k not in order]
            tag = next((k for k in order if k in usable), sorted(usable)[0])
            site.tag = tag
            site.values = candidates[tag]
            for (variant_pointer, _), value in zip(variants, candidates[tag], strict=True):
                previous = self.tags.get(variant_pointer)
                if previous and previous != (tag, value):
                    self.warn(
                        f"{variant_pointer} is tagged by {previous} in one union and {(tag, value)} in another"
                    )
                    continue
                self.tags[variant_pointer] = (tag, value)

    def scan_enum_names(self) -> None:
        """x-ms-enum names used with different value sets cannot name a shared class."""
        seen: dict[str, set[tuple[str, ...]]] = {}
        for _, node in self.iter_schema_sites():
            name = (
                node.get("x-ms-enum", {}).get("name")
                if isinstance(node.get("x-ms-enum"), dict)
                else None
            )
            if name and "enum" in node:
                values = tuple(v for v in node["enum"] if v is not None)
                seen.setdefault(cap(name), set()).add(values)
        for name, value_sets in seen.items():
            if len(value_sets) > 1:
                self.ambiguous_enum_names.add(name)
                self.warn(
                    f"x-ms-enum name {name} is used for {len(value_sets)} different value sets; "
                    "each use is named after its parent instead"
                )

    # --------------------------------------------------------------------- naming inline

    def hint(self, pointer: str) -> str:
        """The readable name of the schema at ``pointer``, derived from its owner."""
        tokens = _tokens(pointer)
        if tokens[:2] == ["components", "schemas"]:
            name = self.component_names[tokens[2]]
            rest = tokens[3:]
            prefix = f"/components/schemas/{_escape(tokens[2])}"
        elif tokens[0] == "paths":
            name = self.operation_names[(tokens[1], tokens[2])]
            prefix = f"/paths/{_escape(tokens[1])}/{tokens[2]}"
            rest = tokens[3:]
            if rest[:1] == ["requestBody"]:
                name += "Request"
                prefix += f"/requestBody/content/{_escape(rest[2])}/schema"
                rest = rest[4:]
            elif rest[:1] == ["responses"]:
                status = rest[1]
                name += (
                    "Response"
                    if status == "200"
                    else ("Error" if status == "default" else f"Response{status}")
                )
                prefix += f"/responses/{status}/content/{_escape(rest[3])}/schema"
                rest = rest[5:]
            elif rest[:1] == ["parameters"]:
                param = self.node_at(f"{prefix}/parameters/{rest[1]}")
                name += pascal(param.get("name", f"Param{rest[1]}"))
                prefix += f"/parameters/{rest[1]}/schema"
                rest = rest[3:]
        else:
            raise ValueError(f"cannot name {pointer}")
        i = 0
        current = prefix
        while i < len(rest):
            token = rest[i]
            if token == "properties":
                name += pascal(rest[i + 1])
                current += f"/properties/{_escape(rest[i + 1])}"
                i += 2
            elif token == "items":
                name += "Item"
                current += "/items"
                i += 1
            elif token == "additionalProperties":
                name += "Value"
                current += "/additionalProperties"
                i += 1
            elif token == "allOf":
                current += f"/allOf/{rest[i + 1]}"
                i += 2
            elif token in ("oneOf", "anyOf"):
                site = self.union_sites.get(current)
                index = int(rest[i + 1])
                member_pointer = f"{current}/{token}/{rest[i + 1]}"
                if site and site.tag and site.variants and member_pointer in self.tags:
                    value = self.tags[member_pointer][1]
                    name = pascal(value) if site.tag == "event" else name + pascal(value)
                else:
                    members = self.node_at(current).get(token, [])
                    member = members[index]
                    kind = self.member_kind(member)
                    same = [m for m in members if self.member_kind(m) == kind]
                    name += kind if len(same) == 1 else f"{kind}{same.index(member) + 1}"
                current = member_pointer
                i += 2
            else:
                current += f"/{_escape(token)}"
                i += 1
        return name

    def member_kind(self, member: dict[str, Any]) -> str:
        if "enum" in member:
            return "Enum"
        if self.is_model_like(member) or member.get("type") == "object":
            return "Object"
        return "Option"

    # ------------------------------------------------------------------- pass 2: build

    def build(self) -> ir.IR:
        for name in self.schemas:
            self.component_names[name] = self.names.claim([cap(name)], f"schema {name}")
            self.out.components[name] = self.component_names[name]
        for path, method, op in iter_operations(self.spec):
            op_id = op.get("operationId") or f"{method}_{path}"
            self.operation_names[(path, method)] = pascal(op_id)
        self.scan_enum_names()
        self.analyse_unions()
        for name in self.schemas:
            self.type_of(self.schemas[name], f"/components/schemas/{_escape(name)}")
        for path, method, op in iter_operations(self.spec):
            self.build_operation(path, method, op)
        self.finish()
        return self.out

    def declared(self, pointer: str) -> ir.Ref | None:
        found = self.built.get(pointer)
        return found if isinstance(found, ir.Ref) else None

    def name_for(self, pointer: str, preferred: list[str] | None = None) -> str:
        component = self.component_of(pointer)
        if component is not None:
            return self.component_names[component]
        return self.names.claim([*(preferred or []), self.hint(pointer)], pointer)

    def type_of(self, node: dict[str, Any], pointer: str) -> tuple[ir.TypeExpr, bool]:
        """The type of the schema at ``pointer`` and whether it admits null."""
        nullable = node.get("nullable") is True
        if "$ref" in node:
            target, target_pointer = self.deref(node, pointer)
            t, target_nullable = self.type_of(target, target_pointer)
            if self.component_of(pointer) is not None:
                return self.build_alias(node, pointer, t, target_nullable), nullable
            return t, nullable or target_nullable
        allof = array_at(node, "allOf")
        if (
            len(allof) == 1
            and "$ref" in (as_object(allof[0]) or {})
            and not node.get("properties")
            and self.component_of(pointer) is None
        ):
            # `allOf: [$ref]` is a way to attach a description to a reference.
            t, inner_nullable = self.type_of(allof[0], f"{pointer}/allOf/0")
            return t, nullable or inner_nullable
        if pointer in self.built:
            return self.built[pointer], nullable
        discriminated = self.discriminator_members(node)
        members = discriminated or self.union_members(node, pointer)
        site = self.union_sites.get(pointer)
        if members is not None and (len(members) > 1 or discriminated or (site and site.tag)):
            union = self.build_union(node, pointer, members)
            if isinstance(union, ir.Nullable):
                return union.inner, True
            return union, nullable
        if members is not None:
            t, member_nullable = self.type_of(members[0][1], members[0][0])
            if self.component_of(pointer) is not None:
                return self.build_alias(node, pointer, t, member_nullable), nullable
            return t, nullable or member_nullable
        if "enum" in node:
            return self.build_enum(node, pointer), nullable
        node_type = node.get("type")
        if node_type == "array" or "items" in node:
            item_node = node.get("items", {})
            item, item_nullable = self.type_of(item_node, f"{pointer}/items")
            t: ir.TypeExpr = ir.ListOf(ir.Nullable(item) if item_nullable else item)
            if self.component_of(pointer) is not None:
                return self.build_alias(node, pointer, t, False), nullable
            return t, nullable
        if "properties" in node or "allOf" in node:
            return self.build_model(node, pointer), nullable
        if node_type == "object" or "additionalProperties" in node:
            extra = as_object(node.get("additionalProperties"))
            if extra:
                value, value_nullable = self.type_of(extra, f"{pointer}/additionalProperties")
                t = ir.DictOf(ir.Nullable(value) if value_nullable else value)
            else:
                t = ir.DictOf(ir.AnyType())
            if self.component_of(pointer) is not None:
                return self.build_alias(node, pointer, t, False), nullable
            return t, nullable
        t = self.primitive(node)
        if self.component_of(pointer) is not None:
            return self.build_alias(node, pointer, t, False), nullable
        return t, nullable

    @staticmethod
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

    def build_alias(
        self, node: dict[str, Any], pointer: str, target: ir.TypeExpr, nullable: bool
    ) -> ir.Ref:
        name = self.name_for(pointer)
        ref = ir.Ref(name)
        self.built[pointer] = ref
        if nullable:
            target = ir.Nullable(target)
        self.out.aliases.append(
            ir.Alias(
                name=name,
                schema=self.schema_label(pointer),
                description=self.describe(node),
                target=target,
            )
        )
        return ref

    def schema_label(self, pointer: str) -> str:
        return self.component_of(pointer) or f"#{pointer}"

    def readable(self, pointer: str) -> str:
        """``contentFilterSeverityResult.severity`` for a JSON pointer (for docstrings)."""
        tokens = _tokens(pointer)
        if tokens[:2] == ["components", "schemas"]:
            out, rest = tokens[2], tokens[3:]
        elif tokens[0] == "paths" and len(tokens) > 3:
            op = self.node_at(f"/paths/{_escape(tokens[1])}/{tokens[2]}")
            out = str(op.get("operationId", tokens[1]))
            rest = tokens[3:]
            if rest[:1] == ["requestBody"]:
                out, rest = out + " request", rest[4:]
            elif rest[:1] == ["responses"]:
                out, rest = f"{out} {rest[1]} response", rest[5:]
            elif rest[:1] == ["parameters"]:
                param = self.node_at(
                    f"/paths/{_escape(tokens[1])}/{tokens[2]}/parameters/{rest[1]}"
                )
                out, rest = f"{out} parameter {param.get('name')}", rest[3:]
        else:
            return pointer
        i = 0
        while i < len(rest):
            if rest[i] == "properties":
                out += f".{rest[i + 1]}"
                i += 2
            elif rest[i] == "items":
                out += "[]"
                i += 1
            elif rest[i] in ("allOf", "oneOf", "anyOf"):
                i += 2
            else:
                i += 1
        return out

    @staticmethod
    def describe(node: dict[str, Any]) -> str:
        description = str(node.get("description", "") or "").strip()
        title = str(node.get("title", "") or "").strip()
        if title and title.lower() not in description.lower():
            return f"{title}\n\n{description}".strip()
        return description

    # --------------------------------------------------------------------------- enums

    def build_enum(self, node: dict[str, Any], pointer: str) -> ir.TypeExpr:
        values = [v for v in node["enum"] if v is not None]
        if not all(isinstance(v, str) for v in values):
            self.warn(f"{pointer}: non-string enum {values!r} is typed by its base type only")
            return self.primitive(node)
        x_ms = object_at(node, "x-ms-enum")
        given = cap(str(x_ms["name"])) if x_ms.get("name") else None
        component = self.component_of(pointer)
        key = (given or "", tuple(values))
        if (
            component is None
            and given
            and given not in self.ambiguous_enum_names
            and key in self.enum_by_key
        ):
            ref = ir.Ref(self.enum_by_key[key])
            self.built[pointer] = ref
            return ref
        preferred: list[str] = []
        if component is None and given and given not in self.ambiguous_enum_names:
            owner = self.names.owner(given)
            if owner is None:
                preferred = [given]
            else:
                self.warn(
                    f"x-ms-enum name {given} at {pointer} is already used by {owner}; named after its parent"
                )
        name = self.name_for(pointer, preferred)
        ref = ir.Ref(name)
        self.built[pointer] = ref
        if component is None and given:
            self.enum_by_key[key] = name
        entries = [as_object(entry) for entry in array_at(x_ms, "values")]
        descriptions = {entry.get("value"): entry for entry in entries if entry is not None}
        members: list[ir.EnumMember] = []
        used: set[str] = set()
        for value in values:
            entry: dict[str, Any] = descriptions.get(value, {})
            member = enum_member_name(value, entry.get("name"))
            while member in used:
                member += "_"
            used.add(member)
            members.append(
                ir.EnumMember(
                    name=member,
                    value=value,
                    description=str(entry.get("description", "") or "").strip(),
                )
            )
        self.out.enums.append(
            ir.Enum(
                name=name,
                schema=self.schema_label(pointer),
                description=self.describe(node) or f"Values of `{self.readable(pointer)}`.",
                members=members,
            )
        )
        return ref

    # -------------------------------------------------------------------------- models

    def build_model(self, node: dict[str, Any], pointer: str) -> ir.Ref:
        name = self.name_for(pointer)
        ref = ir.Ref(name)
        self.built[pointer] = ref
        props, required, additional, description = self.flatten(node, pointer)
        title = str(node.get("title", "") or "").strip()
        model = ir.Model(
            name=name,
            schema=self.schema_label(pointer),
            description=str(node.get("description", "") or description or "").strip(),
            title=title,
            additional_properties=additional and bool(props),
        )
        self.out.models.append(model)
        for missing in [r for r in required if r not in props]:
            self.warn(
                f"{self.schema_label(pointer)} requires {missing!r}, which it does not define"
            )
        tag = self.tags.get(pointer)
        for wire, (prop, prop_pointer) in props.items():
            is_required = wire in required
            if tag and tag[0] == wire:
                model.fields.append(
                    ir.Field(
                        wire_name=wire,
                        py_name=wire,
                        type=ir.LiteralOf((tag[1],)),
                        required=True,
                        nullable=False,
                        description=self.field_description(prop, prop_pointer)
                        or f"Always `{tag[1]}`.",
                        tag=tag[1],
                    )
                )
                continue
            t, nullable = self.type_of(prop, prop_pointer)
            target, _ = self.deref(prop, prop_pointer) if "$ref" in prop else (prop, prop_pointer)
            field = ir.Field(
                wire_name=wire,
                py_name=wire,
                type=t,
                required=is_required,
                nullable=nullable,
                description=self.field_description(prop, prop_pointer),
                constraints=self.constraints(prop, target),
                secret=is_secret(wire),
                read_only=bool(prop.get("readOnly") or target.get("readOnly")),
            )
            if not is_required:
                source = prop if "default" in prop else target
                if "default" in source:
                    field.default = self.default(
                        source["default"], t, f"{self.schema_label(pointer)}.{wire}"
                    )
            model.fields.append(field)
        return ref

    def field_description(self, prop: dict[str, Any], pointer: str) -> str:
        text = str(prop.get("description", "") or "").strip()
        if not text and "$ref" in prop:
            target, _ = self.deref(prop, pointer)
            text = str(target.get("description", "") or "").strip()
        return text

    @staticmethod
    def constraints(prop: dict[str, Any], target: dict[str, Any]) -> ir.Constraints:
        def get(key: str) -> Any:
            return prop.get(key, target.get(key))

        return ir.Constraints(
            minimum=get("minimum"),
            maximum=get("maximum"),
            min_length=get("minLength"),
            max_length=get("maxLength"),
            min_items=get("minItems"),
            max_items=get("maxItems"),
            pattern=get("pattern"),
        )

    def default(self, raw: Any, t: ir.TypeExpr, where: str) -> ir.Default | None:
        if raw is None:
            return None
        expr = self.value_expr(raw, t)
        if expr is None:
            self.warn(f"{where}: default {raw!r} does not fit its type; not emitted")
            return None
        if isinstance(raw, (list, dict)):
            if not raw:
                return ir.Default(
                    expr="list" if isinstance(raw, list) else "dict", raw=raw, factory=True
                )
            return ir.Default(expr=f"lambda: {expr}", raw=raw, factory=True)
        return ir.Default(expr=expr, raw=raw)

    def enum_decl(self, name: str) -> ir.Enum | None:
        for enum in self.out.enums:
            if enum.name == name:
                return enum
        return None

    def value_expr(self, raw: Any, t: ir.TypeExpr) -> str | None:
        if isinstance(t, ir.Nullable):
            return "None" if raw is None else self.value_expr(raw, t.inner)
        if isinstance(t, ir.Prim):
            if t.name == "bool" and isinstance(raw, bool):
                return repr(raw)
            if t.name == "int" and isinstance(raw, int) and not isinstance(raw, bool):
                return repr(raw)
            if t.name == "float" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
                return repr(float(raw))
            if t.name == "str" and isinstance(raw, str):
                return py_str(raw)
            return None
        if isinstance(t, ir.Ref) and isinstance(raw, str):
            enum = self.enum_decl(t.name)
            if enum is not None:
                for member in enum.members:
                    if member.value == raw:
                        return f"{enum.name}.{member.name}"
            return None
        if isinstance(t, ir.ListOf) and isinstance(raw, list):
            items = [self.value_expr(v, t.item) for v in cast("list[Any]", raw)]
            if any(i is None for i in items):
                return None
            return "[" + ", ".join(i for i in items if i is not None) + "]"
        if isinstance(t, ir.DictOf) and isinstance(raw, dict) and not raw:
            return "{}"
        if isinstance(t, ir.UnionOf):
            for member in t.members:
                found = self.value_expr(raw, member)
                if found is not None:
                    return found
        return None

    # -------------------------------------------------------------------------- unions

    def build_union(
        self, node: dict[str, Any], pointer: str, members: list[tuple[str, dict[str, Any]]]
    ) -> ir.TypeExpr:
        site = self.union_sites.get(pointer)
        tagged = site is not None and site.tag is not None and site.variants is not None
        component = self.component_of(pointer)
        if not tagged and component is None and not self.is_body_root(pointer):
            types: list[ir.TypeExpr] = []
            any_nullable = False
            for member_pointer, member in members:
                t, member_nullable = self.type_of(member, member_pointer)
                any_nullable = any_nullable or member_nullable
                for flat in t.members if isinstance(t, ir.UnionOf) else (t,):
                    if flat not in types:
                        types.append(flat)
            if len(types) == 1 or not any(isinstance(t, ir.Ref) for t in types):
                # Unions of builtins read best inline (`str | list[str]`); one of generated
                # classes (`enum | object`) gets a name of its own, like every other union.
                union: ir.TypeExpr = ir.UnionOf(tuple(types)) if len(types) > 1 else types[0]
                return ir.Nullable(union) if any_nullable else union
        name = self.name_for(pointer)
        ref = ir.Ref(name)
        self.built[pointer] = ref
        decl = ir.Union(
            name=name,
            schema=self.schema_label(pointer),
            description=self.describe(node),
            members=[],
        )
        self.out.unions.append(decl)
        if tagged:
            assert site is not None
            assert site.variants is not None
            assert site.values is not None
            decl.discriminator = site.tag
            for (variant_pointer, variant), value in zip(site.variants, site.values, strict=True):
                t, _ = self.type_of(variant, variant_pointer)
                decl.members.append(t)
                if isinstance(t, ir.Ref):
                    decl.tags[value] = t.name
            fallback = self.names.claim([f"Unknown{name}"], f"fallback of {name}")
            decl.fallback = fallback
            self.out.fallbacks.append(
                ir.Fallback(
                    name=fallback,
                    union=name,
                    tag=site.tag or "",
                    known=tuple(site.values),
                    schema=self.schema_label(pointer),
                )
            )
        else:
            any_nullable = False
            for member_pointer, member in members:
                t, member_nullable = self.type_of(member, member_pointer)
                any_nullable = any_nullable or member_nullable
                for flat in t.members if isinstance(t, ir.UnionOf) else (t,):
                    if flat not in decl.members:
                        decl.members.append(flat)
            decl.nullable = any_nullable
        return ref

    # ---------------------------------------------------------------------- operations

    def build_operation(self, path: str, method: str, op: dict[str, Any]) -> None:
        base = f"/paths/{_escape(path)}/{method}"
        op_id = op.get("operationId") or f"{method}_{path}"
        params: list[ir.Parameter] = []
        path_item = self.spec["paths"][path]
        raw_params = [
            (f"/paths/{_escape(path)}/parameters/{i}", p)
            for i, p in enumerate(path_item.get("parameters", []))
        ]
        raw_params += [
            (f"{base}/parameters/{i}", p) for i, p in enumerate(op.get("parameters", []))
        ]
        taken: set[str] = set()
        for param_pointer, param in raw_params:
            param, param_pointer = self.deref(param, param_pointer)
            if param.get("name") == "api-version" and param.get("in") == "query":
                continue
            location = param.get("in")
            if location not in ("path", "query", "header"):
                self.warn(f"{op_id}: parameter {param.get('name')} in {location} is not supported")
                continue
            schema = param.get("schema", {})
            t, _ = self.type_of(schema, f"{param_pointer}/schema")
            py_name = identifier(param["name"])
            while py_name in taken:
                py_name += "_"
            taken.add(py_name)
            params.append(
                ir.Parameter(
                    name=param["name"],
                    py_name=py_name,
                    location=location,
                    required=bool(param.get("required", location == "path")),
                    type=t,
                    description=str(
                        param.get("description", schema.get("description", "")) or ""
                    ).strip(),
                )
            )
        bodies: list[ir.RequestBody] = []
        streams = False
        request = op.get("requestBody", {})
        for ct, media in request.get("content", {}).items():
            if "schema" not in media:
                continue
            schema_pointer = f"{base}/requestBody/content/{_escape(ct)}/schema"
            t, _ = self.type_of(media["schema"], schema_pointer)
            bodies.append(
                ir.RequestBody(
                    type=t, content_type=ct, required=bool(request.get("required", False))
                )
            )
            target, target_pointer = self.deref(media["schema"], schema_pointer)
            if "stream" in self.flatten(target, target_pointer)[0]:
                streams = True
        responses: list[ir.ResponseBody] = []
        error_type: ir.TypeExpr | None = None
        for status, response in op.get("responses", {}).items():
            for ct, media in response.get("content", {}).items():
                schema = media.get("schema")
                t: ir.TypeExpr | None = None
                if schema is not None and (ct == "application/json" or ct.endswith("+json")):
                    t, _ = self.type_of(
                        schema, f"{base}/responses/{status}/content/{_escape(ct)}/schema"
                    )
                if status == "default":
                    if t is not None and error_type is None:
                        error_type = t
                    continue
                responses.append(ir.ResponseBody(status=str(status), content_type=ct, type=t))
        self.out.operations.append(
            ir.Operation(
                operation_id=op_id,
                method=method.upper(),
                path=path,
                tags=tuple(op.get("tags", [])),
                summary=str(op.get("summary", "") or "").strip(),
                description=str(op.get("description", "") or "").strip(),
                parameters=params,
                request_bodies=bodies,
                responses=responses,
                error_type=error_type,
                streams=streams,
            )
        )

    # --------------------------------------------------------------------------- finish

    def finish(self) -> None:
        public = set(self.out.declarations())
        for model in self.out.models:
            taken: set[str] = set()
            for f in model.fields:
                f.py_name = field_name(f.wire_name, taken, public)
                taken.add(f.py_name)
        for union in self.out.unions:
            if union.schema == "assistantStreamEvent":
                self.out.stream_events = dict(union.tags)
        chunk = self.component_names.get("createChatCompletionStreamResponse")
        self.out.chat_completion_chunk = chunk
        completion_chunk = self.component_names.get("createCompletionStreamResponse")
        if completion_chunk is None:
            for op in self.out.operations:
                if op.operation_id == "Completions_Create":
                    for response in op.responses:
                        if response.status == "200" and isinstance(response.type, ir.Ref):
                            completion_chunk = response.type.name
        self.out.completion_chunk = completion_chunk


def py_str(text: str) -> str:
    """A Python string literal the way ruff would write it (double quotes unless that needs
    more escapes)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + quote)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


def build_ir(spec: dict[str, Any], api_version: str, spec_sha256: str) -> ir.IR:
    return Builder(spec, api_version, spec_sha256).build()
