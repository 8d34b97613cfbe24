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


# Bounds: (label, attribute, which way refuses more): "up" for a lower bound raised, "down" for
# an upper bound lowered, "any" for a pattern (any new pattern may refuse values).
_BOUNDS: tuple[tuple[str, str, str], ...] = (
    ("minimum", "minimum", "up"),
    ("maximum", "maximum", "down"),
    ("min length", "min_length", "up"),
    ("max length", "max_length", "down"),
    ("min items", "min_items", "up"),
    ("max items", "max_items", "down"),
    ("pattern", "pattern", "any"),
)


def _tighter(before: Any, after: Any, way: str) -> bool:
    if after is None:
        return False
    if before is None or way == "any":
        return True
    return bool(after > before) if way == "up" else bool(after < before)


# Field flags: (aspect, attribute, (false, true) words, tightens when it becomes, loses when it
# becomes). Required tightens a request and may lose response data when dropped; nullable the
# other way round; read-only stops a field from being sent.
_FLAGS: tuple[tuple[str, str, tuple[str, str], bool, bool | None], ...] = (
    ("required", "required", ("optional", "required"), True, False),
    ("nullable", "nullable", ("not nullable", "nullable"), False, True),
    ("read-only", "read_only", ("writable", "read-only"), True, None),
)


def _flip(before: bool, after: bool, no: str, yes: str) -> str:
    return f"{yes if before else no} -> {yes if after else no}"


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

    def described(self, decl: str, wire: str, before: str, after: str) -> None:
        if before != after:
            prefix = f"`{wire}`: " if wire else ""
            text = f"{prefix}description {text_change(before, after)}"
            self.add(decl, wire, "description", text)

    def new_refs(self, expr: ir.TypeExpr) -> tuple[str, ...]:
        return tuple(n for n in ir.ref_names(expr) if n not in self.old_decls)

    # -- models

    def model(self, a: ir.Model, b: ir.Model) -> None:
        name = b.name
        self.described(name, "", a.description, b.description)
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
        for aspect, attribute, words, tightens_to, loses_to in _FLAGS:
            before, after = getattr(a, attribute), getattr(b, attribute)
            if before != after:
                self.add(
                    name,
                    wire,
                    aspect,
                    f"`{wire}`: {_flip(before, after, *words)}",
                    tightens=after is tightens_to,
                    loses=after is loses_to,
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
        if not self._inherited(a, b):
            self.described(name, wire, a.description, b.description)

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
        for label, attribute, way in _BOUNDS:
            before, after = getattr(a, attribute), getattr(b, attribute)
            if before == after:
                continue
            shown = [value if value is not None else "none" for value in (before, after)]
            parts.append(f"{label} {shown[0]} -> {shown[1]}")
            tighter = tighter or _tighter(before, after, way)
        if parts:
            self.add(name, wire, "bounds", f"`{wire}`: {', '.join(parts)}", tightens=tighter)

    # -- enums, unions, aliases

    def members(
        self,
        name: str,
        noun: str,
        before: dict[str, ir.TypeExpr | None],
        after: dict[str, ir.TypeExpr | None],
    ) -> None:
        """Enum values or union members gained (loosening) and lost (tightening requests)."""
        shown = '"{}"' if noun == "value" else "{}"
        for key, expr in after.items():
            if key not in before:
                refs = self.new_refs(expr) if expr is not None else ()
                text = f"gains {noun} {shown.format(key)}"
                self.add(name, key, f"{noun} added", text, new_decls=refs)
        for key in before:
            if key not in after:
                text = f"loses {noun} {shown.format(key)}"
                self.add(name, key, f"{noun} removed", text, tightens=True)

    def enum(self, a: ir.Enum, b: ir.Enum) -> None:
        self.members(
            b.name, "value", {m.value: None for m in a.members}, {m.value: None for m in b.members}
        )
        self.described(b.name, "", a.description, b.description)

    def union(self, a: ir.Union, b: ir.Union) -> None:
        before: dict[str, ir.TypeExpr | None] = {ir.describe(m): m for m in a.members}
        self.members(b.name, "member", before, {ir.describe(m): m for m in b.members})
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
                _flip(a.nullable, b.nullable, "not nullable", "nullable"),
                tightens=a.nullable,
                loses=b.nullable,
            )
        self.described(b.name, "", a.description, b.description)

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
        self.described(b.name, "", a.description, b.description)


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
