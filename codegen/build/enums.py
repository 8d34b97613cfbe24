"""Enums (``enum`` + ``x-ms-enum``) and spec defaults, which may name enum members."""

from __future__ import annotations

from typing import Any, cast

from codegen import ir
from codegen.build.context import Context
from codegen.build.names import schema_label
from codegen.build.schema import component_of, describe, primitive
from codegen.jsonish import array_at, as_object, object_at
from codegen.naming import cap, enum_member_name


def build_enum(ctx: Context, node: dict[str, Any], pointer: str) -> ir.TypeExpr:
    values = [v for v in node["enum"] if v is not None]
    if not all(isinstance(v, str) for v in values):
        ctx.warn(f"{pointer}: non-string enum {values!r} is typed by its base type only")
        return primitive(node)
    x_ms = object_at(node, "x-ms-enum")
    given = cap(str(x_ms["name"])) if x_ms.get("name") else None
    component = component_of(pointer)
    usable = component is None and given and given not in ctx.analysis.ambiguous_enum_names
    key = (given or "", tuple(values))
    if usable and key in ctx.enum_by_key:
        return ctx.declare(pointer, ctx.enum_by_key[key])
    preferred: list[str] = []
    if usable and given:
        owner = ctx.names.owner(given)
        if owner is None:
            preferred = [given]
        else:
            ctx.warn(
                f"x-ms-enum name {given} at {pointer} is already used by {owner}; named after its parent"
            )
    name = ctx.names.name_for(pointer, preferred)
    ref = ctx.declare(pointer, name)
    if component is None and given:
        ctx.enum_by_key[key] = name
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
    ctx.out.enums.append(
        ir.Enum(
            name=name,
            schema=schema_label(pointer),
            description=describe(node) or f"Values of `{ctx.names.readable(pointer)}`.",
            members=members,
        )
    )
    return ref


def default_of(ctx: Context, raw: Any, t: ir.TypeExpr, where: str) -> ir.Default | None:
    """The spec default ``raw`` as a value of the field's type ``t`` (None: no default)."""
    if raw is None:
        return None
    value = value_of(ctx, raw, t)
    if value is None:
        ctx.warn(f"{where}: default {raw!r} does not fit its type; not emitted")
        return None
    return ir.Default(value=value, raw=raw)


def value_of(ctx: Context, raw: Any, t: ir.TypeExpr) -> ir.Value | None:
    """``raw`` (JSON) typed by ``t``, or None when it does not fit."""
    if isinstance(t, ir.Nullable):
        return ir.Scalar(None) if raw is None else value_of(ctx, raw, t.inner)
    if isinstance(t, ir.Prim):
        if t.name == "bool" and isinstance(raw, bool):
            return ir.Scalar(raw)
        if t.name == "int" and isinstance(raw, int) and not isinstance(raw, bool):
            return ir.Scalar(raw)
        if t.name == "float" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return ir.Scalar(float(raw))
        if t.name == "str" and isinstance(raw, str):
            return ir.Scalar(raw)
        return None
    if isinstance(t, ir.Ref) and isinstance(raw, str):
        enum = ctx.enum(t.name)
        member = next((m for m in enum.members if m.value == raw), None) if enum else None
        return ir.EnumValue(enum.name, member.name) if enum and member else None
    if isinstance(t, ir.ListOf) and isinstance(raw, list):
        items = [value_of(ctx, v, t.item) for v in cast("list[Any]", raw)]
        if any(i is None for i in items):
            return None
        return ir.ListValue(tuple(i for i in items if i is not None))
    if isinstance(t, ir.DictOf) and isinstance(raw, dict) and not raw:
        return ir.EmptyDict()
    if isinstance(t, ir.UnionOf):
        for member_type in t.members:
            found = value_of(ctx, raw, member_type)
            if found is not None:
                return found
    return None
