"""Differences of the declarations two IRs share: model fields, enum values, union members,
alias targets, and their descriptions, defaults, bounds and formats."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from codegen import ir
from codegen.changes.records import DeclChange
from codegen.changes.typesets import TypeSets

_SNIPPET = 60  # characters of a description shown on each side of a change


def field_signature(f: ir.Field) -> str:
    parts = [ir.describe(f.type), "required" if f.required else "optional"]
    if f.nullable:
        parts.append("nullable")
    return ", ".join(parts)


def text_change(old: str, new: str) -> str:
    """``"...old..." -> "...new..."`` around the first difference, at most _SNIPPET each."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if not old:
        return f'added "{_clip(new, 0)}"'
    if not new:
        return "removed"
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    start = max(0, start - 15)
    return f'"{_clip(old, start)}" -> "{_clip(new, start)}"'


def _clip(text: str, start: int) -> str:
    head = "..." if start else ""
    tail = "..." if len(text) > start + _SNIPPET else ""
    return f"{head}{text[start : start + _SNIPPET]}{tail}"


def _raw(default: ir.Default | None) -> str:
    return "none" if default is None else json.dumps(default.raw, ensure_ascii=False)


# Bounds: (label, attribute, tighter) where tighter(old, new) says the new bound refuses more.
_BOUNDS: tuple[tuple[str, str, Any], ...] = (
    ("minimum", "minimum", lambda a, b: b > a),
    ("maximum", "maximum", lambda a, b: b < a),
    ("min length", "min_length", lambda a, b: b > a),
    ("max length", "max_length", lambda a, b: b < a),
    ("min items", "min_items", lambda a, b: b > a),
    ("max items", "max_items", lambda a, b: b < a),
    ("pattern", "pattern", lambda a, b: True),
)


@dataclass
class DeclDiff:
    added: list[str] = field(default_factory=list[str])  # declaration names, new version order
    removed: list[str] = field(default_factory=list[str])  # old version order
    changes: list[DeclChange] = field(default_factory=list[DeclChange])


class _Comparer:
    def __init__(self, old: ir.IR, new: ir.IR) -> None:
        self.old_decls = old.declarations()
        self.new_decls = new.declarations()
        self.types = TypeSets(old, new)
        self.out: list[DeclChange] = []

    def add(self, decl: str, member: str, aspect: str, text: str, **flags: Any) -> None:
        self.out.append(DeclChange(decl, member, aspect, text, **flags))

    def new_refs(self, expr: ir.TypeExpr) -> tuple[str, ...]:
        return tuple(n for n in ir.ref_names(expr) if n not in self.old_decls)

    # -- models

    def model(self, a: ir.Model, b: ir.Model) -> None:
        name = b.name
        if a.description != b.description:
            self.add(
                name, "", "description", f"description {text_change(a.description, b.description)}"
            )
        if a.additional_properties != b.additional_properties:
            self.add(
                name,
                "",
                "additional properties",
                f"additional properties: {a.additional_properties} -> {b.additional_properties}",
                tightens=a.additional_properties,
            )
        before = {f.wire_name: f for f in a.fields}
        after = {f.wire_name: f for f in b.fields}
        for wire, f in after.items():
            if wire not in before:
                self.add(
                    name,
                    wire,
                    "added",
                    f"gains `{wire}`: {field_signature(f)}",
                    tightens=f.required and not f.read_only,
                    new_decls=self.new_refs(f.type),
                )
        for wire in before:
            if wire not in after:
                self.add(name, wire, "removed", f"loses `{wire}`", tightens=True, loses=True)
        for wire, f in before.items():
            if wire in after:
                self.field(name, f, after[wire])

    def field(self, name: str, a: ir.Field, b: ir.Field) -> None:
        wire = a.wire_name
        if ir.describe(a.type) != ir.describe(b.type):
            self.add(
                name,
                wire,
                "type",
                f"`{wire}`: {ir.describe(a.type)} -> {ir.describe(b.type)}",
                tightens=not self.types.widens(a.type, b.type),
                loses=not self.types.narrows(a.type, b.type),
                new_decls=self.new_refs(b.type),
            )
        if a.required != b.required:
            self.add(
                name,
                wire,
                "required",
                f"`{wire}`: {'required' if a.required else 'optional'} -> "
                f"{'required' if b.required else 'optional'}",
                tightens=b.required,
                loses=a.required,
            )
        if a.nullable != b.nullable:
            self.add(
                name,
                wire,
                "nullable",
                f"`{wire}`: {'nullable' if a.nullable else 'not nullable'} -> "
                f"{'nullable' if b.nullable else 'not nullable'}",
                tightens=a.nullable,
                loses=b.nullable,
            )
        if a.read_only != b.read_only:
            self.add(
                name,
                wire,
                "read-only",
                f"`{wire}`: {'read-only' if a.read_only else 'writable'} -> "
                f"{'read-only' if b.read_only else 'writable'}",
                tightens=b.read_only,
            )
        if _raw(a.default) != _raw(b.default):
            self.add(
                name, wire, "default", f"`{wire}`: default {_raw(a.default)} -> {_raw(b.default)}"
            )
        self.bounds(name, wire, a.constraints, b.constraints)
        if a.constraints.format != b.constraints.format:
            self.add(
                name,
                wire,
                "format",
                f"`{wire}`: format {a.constraints.format or 'none'} -> {b.constraints.format or 'none'}",
                tightens=b.constraints.format is not None,
            )
        if a.description != b.description and not self._inherited(a, b):
            self.add(
                name,
                wire,
                "description",
                f"`{wire}`: description {text_change(a.description, b.description)}",
            )

    def _inherited(self, a: ir.Field, b: ir.Field) -> bool:
        """A field without a description of its own shows its type's; a change there is the
        type's, reported once on the type."""
        if not (isinstance(a.type, ir.Ref) and isinstance(b.type, ir.Ref)):
            return False
        before, after = self.old_decls.get(a.type.name), self.new_decls.get(b.type.name)
        return (
            before is not None
            and after is not None
            and not isinstance(before, ir.Fallback)
            and not isinstance(after, ir.Fallback)
            and (before.description, after.description) == (a.description, b.description)
        )

    def bounds(self, name: str, wire: str, a: ir.Constraints, b: ir.Constraints) -> None:
        parts: list[str] = []
        tighter = False
        for label, attribute, narrower in _BOUNDS:
            before, after = getattr(a, attribute), getattr(b, attribute)
            if before == after:
                continue
            parts.append(
                f"{label} {before if before is not None else 'none'} -> {after if after is not None else 'none'}"
            )
            if after is not None and (before is None or narrower(before, after)):
                tighter = True
        if parts:
            self.add(name, wire, "bounds", f"`{wire}`: {', '.join(parts)}", tightens=tighter)

    # -- enums, unions, aliases

    def enum(self, a: ir.Enum, b: ir.Enum) -> None:
        before = [m.value for m in a.members]
        after = [m.value for m in b.members]
        for value in after:
            if value not in before:
                self.add(b.name, value, "value added", f'gains value "{value}"')
        for value in before:
            if value not in after:
                self.add(b.name, value, "value removed", f'loses value "{value}"', tightens=True)
        if a.description != b.description:
            self.add(
                b.name,
                "",
                "description",
                f"description {text_change(a.description, b.description)}",
            )

    def union(self, a: ir.Union, b: ir.Union) -> None:
        before = {ir.describe(m): m for m in a.members}
        after = {ir.describe(m): m for m in b.members}
        for text, member in after.items():
            if text not in before:
                self.add(
                    b.name,
                    text,
                    "member added",
                    f"gains member {text}",
                    new_decls=self.new_refs(member),
                )
        for text in before:
            if text not in after:
                self.add(b.name, text, "member removed", f"loses member {text}", tightens=True)
        if a.discriminator != b.discriminator:
            self.add(
                b.name,
                "",
                "discriminator",
                f"tagged by {a.discriminator or 'nothing'} -> {b.discriminator or 'nothing'}",
                tightens=True,
                loses=True,
            )
        if a.nullable != b.nullable:
            self.add(
                b.name,
                "",
                "nullable",
                f"{'nullable' if a.nullable else 'not nullable'} -> {'nullable' if b.nullable else 'not nullable'}",
                tightens=a.nullable,
                loses=b.nullable,
            )
        if a.description != b.description:
            self.add(
                b.name,
                "",
                "description",
                f"description {text_change(a.description, b.description)}",
            )

    def alias(self, a: ir.Alias, b: ir.Alias) -> None:
        if ir.describe(a.target) != ir.describe(b.target):
            self.add(
                b.name,
                "",
                "type",
                f"{ir.describe(a.target)} -> {ir.describe(b.target)}",
                tightens=not self.types.widens(a.target, b.target),
                loses=not self.types.narrows(a.target, b.target),
                new_decls=self.new_refs(b.target),
            )
        if a.description != b.description:
            self.add(
                b.name,
                "",
                "description",
                f"description {text_change(a.description, b.description)}",
            )


_KIND = {
    ir.Model: "model",
    ir.Enum: "enum",
    ir.Union: "union",
    ir.Alias: "alias",
    ir.Fallback: "fallback",
}


def compare_declarations(old: ir.IR, new: ir.IR) -> DeclDiff:
    comparer = _Comparer(old, new)
    old_decls, new_decls = comparer.old_decls, comparer.new_decls
    diff = DeclDiff(
        added=[
            n for n in new_decls if n not in old_decls and not isinstance(new_decls[n], ir.Fallback)
        ],
        removed=[
            n for n in old_decls if n not in new_decls and not isinstance(old_decls[n], ir.Fallback)
        ],
    )
    for name, a in old_decls.items():
        b = new_decls.get(name)
        if b is None or isinstance(a, ir.Fallback):
            continue
        if type(a) is not type(b):
            comparer.add(
                name, "", "kind", f"{_KIND[type(a)]} -> {_KIND[type(b)]}", tightens=True, loses=True
            )
        elif isinstance(a, ir.Model) and isinstance(b, ir.Model):
            comparer.model(a, b)
        elif isinstance(a, ir.Enum) and isinstance(b, ir.Enum):
            comparer.enum(a, b)
        elif isinstance(a, ir.Union) and isinstance(b, ir.Union):
            comparer.union(a, b)
        elif isinstance(a, ir.Alias) and isinstance(b, ir.Alias):
            comparer.alias(a, b)
    diff.changes = comparer.out
    return diff
