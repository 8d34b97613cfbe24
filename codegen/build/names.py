"""Names of declarations: components keep theirs (first letter upper-cased); inline schemas are
named after the schema or operation that owns them, read off their JSON pointer
(``/components/schemas/messageObject/properties/incomplete_details`` ->
``MessageObjectIncompleteDetails``), so a name never depends on build order."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen import pointer as jp
from codegen.build.analysis import Analysis
from codegen.build.schema import SpecView, component_of, is_model_like
from codegen.naming import NameRegistry, cap, field_name, pascal


def claim_components(view: SpecView, registry: NameRegistry) -> dict[str, str]:
    """Every component schema's Python name, claimed before anything inline can take it."""
    return {name: registry.claim([cap(name)], f"schema {name}") for name in view.schemas}


def _operation_name(op: dict[str, Any], path: str, method: str) -> str:
    return pascal(op.get("operationId") or f"{method}_{path}")


class Namer:
    """Hands out declaration names; components and operations are registered up front."""

    def __init__(
        self,
        view: SpecView,
        analysis: Analysis,
        registry: NameRegistry,
        components: dict[str, str],
    ) -> None:
        self.view = view
        self.analysis = analysis
        self.registry = registry
        self.components = components  # component schema -> Python name
        self.operations: dict[tuple[str, str], str] = {
            (path, method): _operation_name(op, path, method)
            for path, method, op in view.operations()
        }

    def name_for(self, pointer: str, preferred: list[str] | None = None) -> str:
        component = component_of(pointer)
        if component is not None:
            return self.components[component]
        return self.registry.claim([*(preferred or []), self.hint(pointer)], pointer)

    def claim(self, candidates: list[str], owner: str) -> str:
        return self.registry.claim(candidates, owner)

    def owner(self, name: str) -> str | None:
        return self.registry.owner(name)

    def hint(self, pointer: str) -> str:
        """The readable name of the schema at ``pointer``, derived from its owner."""
        tokens = jp.tokens(pointer)
        if tokens[:2] == ["components", "schemas"]:
            name = self.components[tokens[2]]
            rest = tokens[3:]
            prefix = jp.join("/components/schemas", tokens[2])
        elif tokens[0] == "paths":
            name = self.operations[(tokens[1], tokens[2])]
            prefix = f"{jp.join('/paths', tokens[1])}/{tokens[2]}"
            rest = tokens[3:]
            if rest[:1] == ["requestBody"]:
                name += "Request"
                prefix = jp.join(f"{prefix}/requestBody/content", rest[2]) + "/schema"
                rest = rest[4:]
            elif rest[:1] == ["responses"]:
                status = rest[1]
                name += (
                    "Response"
                    if status == "200"
                    else ("Error" if status == "default" else f"Response{status}")
                )
                prefix = jp.join(f"{prefix}/responses/{status}/content", rest[3]) + "/schema"
                rest = rest[5:]
            elif rest[:1] == ["parameters"]:
                param = self.view.node_at(f"{prefix}/parameters/{rest[1]}")
                name += pascal(param.get("name", f"Param{rest[1]}"))
                prefix += f"/parameters/{rest[1]}/schema"
                rest = rest[3:]
        else:
            raise ValueError(f"cannot name {pointer}")
        return self._walk_name(name, prefix, rest)

    def _walk_name(self, name: str, current: str, rest: list[str]) -> str:
        i = 0
        while i < len(rest):
            token = rest[i]
            if token == "properties":
                name += pascal(rest[i + 1])
                current = jp.join(f"{current}/properties", rest[i + 1])
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
                name = self._member_name(name, current, token, int(rest[i + 1]))
                current = f"{current}/{token}/{rest[i + 1]}"
                i += 2
            else:
                current = jp.join(current, token)
                i += 1
        return name

    def _member_name(self, name: str, union: str, key: str, index: int) -> str:
        site = self.analysis.sites.get(union)
        member_pointer = f"{union}/{key}/{index}"
        tag = self.analysis.tags.get(member_pointer)
        if site and site.tag and site.variants and tag is not None:
            return pascal(tag[1]) if site.tag == "event" else name + pascal(tag[1])
        members = self.view.node_at(union).get(key, [])
        member = members[index]
        kind = _member_kind(member)
        same = [m for m in members if _member_kind(m) == kind]
        return name + (kind if len(same) == 1 else f"{kind}{same.index(member) + 1}")

    def readable(self, pointer: str) -> str:
        """``contentFilterSeverityResult.severity`` for a JSON pointer (for docstrings)."""
        tokens = jp.tokens(pointer)
        if tokens[:2] == ["components", "schemas"]:
            out, rest = tokens[2], tokens[3:]
        elif tokens[0] == "paths" and len(tokens) > 3:
            op_pointer = f"{jp.join('/paths', tokens[1])}/{tokens[2]}"
            op = self.view.node_at(op_pointer)
            out = str(op.get("operationId", tokens[1]))
            rest = tokens[3:]
            if rest[:1] == ["requestBody"]:
                out, rest = out + " request", rest[4:]
            elif rest[:1] == ["responses"]:
                out, rest = f"{out} {rest[1]} response", rest[5:]
            elif rest[:1] == ["parameters"]:
                param = self.view.node_at(f"{op_pointer}/parameters/{rest[1]}")
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


def _member_kind(member: dict[str, Any]) -> str:
    if "enum" in member:
        return "Enum"
    if is_model_like(member) or member.get("type") == "object":
        return "Object"
    return "Option"


def schema_label(pointer: str) -> str:
    """What ``__azure_schema__`` says: the component name, or ``#<pointer>`` of an inline schema."""
    return component_of(pointer) or f"#{pointer}"


def assign_field_names(out: ir.IR) -> None:
    """Python attribute names for every field, once every public name is known (a field must
    not shadow a declaration the class body refers to)."""
    public = set(out.declarations())
    for model in out.models:
        taken: set[str] = set()
        for f in model.fields:
            f.py_name = field_name(f.wire_name, taken, public)
            taken.add(f.py_name)
