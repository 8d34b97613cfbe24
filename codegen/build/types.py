"""Pass 2: schema -> IR type expression, declaring models, unions and aliases on the way.

Every function takes the build :class:`Context` explicitly; the only state is what it holds.
"""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen import pointer as jp
from codegen.build.context import Context
from codegen.build.enums import build_enum, default_of
from codegen.build.names import schema_label
from codegen.build.schema import (
    Members,
    component_of,
    describe,
    discriminator_members,
    is_body_root,
    primitive,
    union_members,
)
from codegen.jsonish import array_at, as_object
from codegen.naming import is_secret


def type_of(ctx: Context, node: dict[str, Any], pointer: str) -> tuple[ir.TypeExpr, bool]:
    """The type of the schema at ``pointer`` and whether it admits null."""
    nullable = node.get("nullable") is True
    component = component_of(pointer)
    if "$ref" in node:
        target, target_pointer = ctx.view.deref(node, pointer)
        t, target_nullable = type_of(ctx, target, target_pointer)
        if component is not None:
            return build_alias(ctx, node, pointer, t, target_nullable), nullable
        return t, nullable or target_nullable
    allof = array_at(node, "allOf")
    if (
        len(allof) == 1
        and "$ref" in (as_object(allof[0]) or {})
        and not node.get("properties")
        and component is None
    ):
        # `allOf: [$ref]` is a way to attach a description to a reference.
        t, inner_nullable = type_of(ctx, allof[0], f"{pointer}/allOf/0")
        return t, nullable or inner_nullable
    if pointer in ctx.built:
        return ctx.built[pointer], nullable
    discriminated = discriminator_members(node)
    members = discriminated or union_members(node, pointer)
    site = ctx.analysis.sites.get(pointer)
    if members is not None and (len(members) > 1 or discriminated or (site and site.tag)):
        union = build_union(ctx, node, pointer, members)
        if isinstance(union, ir.Nullable):
            return union.inner, True
        return union, nullable
    if members is not None:
        t, member_nullable = type_of(ctx, members[0][1], members[0][0])
        if component is not None:
            return build_alias(ctx, node, pointer, t, member_nullable), nullable
        return t, nullable or member_nullable
    if "enum" in node:
        return build_enum(ctx, node, pointer), nullable
    node_type = node.get("type")
    t: ir.TypeExpr
    if node_type == "array" or "items" in node:
        item, item_nullable = type_of(ctx, node.get("items", {}), f"{pointer}/items")
        t = ir.ListOf(ir.Nullable(item) if item_nullable else item)
    elif "properties" in node or "allOf" in node:
        return build_model(ctx, node, pointer), nullable
    elif node_type == "object" or "additionalProperties" in node:
        extra = as_object(node.get("additionalProperties"))
        if extra:
            value, value_nullable = type_of(ctx, extra, f"{pointer}/additionalProperties")
            t = ir.DictOf(ir.Nullable(value) if value_nullable else value)
        else:
            t = ir.DictOf(ir.AnyType())
    else:
        t = primitive(node)
    if component is not None:
        return build_alias(ctx, node, pointer, t, False), nullable
    return t, nullable


def build_alias(
    ctx: Context, node: dict[str, Any], pointer: str, target: ir.TypeExpr, nullable: bool
) -> ir.Ref:
    ref = ctx.declare(pointer, ctx.names.name_for(pointer))
    ctx.out.aliases.append(
        ir.Alias(
            name=ref.name,
            schema=schema_label(pointer),
            description=describe(node),
            target=ir.Nullable(target) if nullable else target,
        )
    )
    return ref


# ------------------------------------------------------------------------------------ models


def build_model(ctx: Context, node: dict[str, Any], pointer: str) -> ir.Ref:
    ref = ctx.declare(pointer, ctx.names.name_for(pointer))
    label = schema_label(pointer)
    props, required, additional, description = ctx.view.flatten(node, pointer)
    model = ir.Model(
        name=ref.name,
        schema=label,
        description=str(node.get("description", "") or description or "").strip(),
        title=str(node.get("title", "") or "").strip(),
        additional_properties=additional and bool(props),
    )
    ctx.out.models.append(model)
    for missing in [r for r in required if r not in props]:
        ctx.warn(f"{label} requires {missing!r}, which it does not define")
    tag = ctx.analysis.tags.get(pointer)
    for wire, (prop, prop_pointer) in props.items():
        if tag and tag[0] == wire:
            values = tag[1]
            always = (
                f"Always `{values[0]}`."
                if len(values) == 1
                else "One of " + ", ".join(f"`{v}`" for v in values) + " (the same kind)."
            )
            model.fields.append(
                ir.Field(
                    wire_name=wire,
                    py_name=wire,
                    type=ir.LiteralOf(values),
                    required=True,
                    nullable=False,
                    description=field_description(ctx, prop, prop_pointer) or always,
                    tag=values[0],
                    tag_enum=_tag_enum(ctx, node, pointer, wire),
                )
            )
            continue
        model.fields.append(_field(ctx, wire, prop, prop_pointer, wire in required, label))
    return ref


def _tag_enum(
    ctx: Context, node: dict[str, Any], pointer: str, wire: str, depth: int = 8
) -> str | None:
    """The component enum a member's tag property is drawn from: its own definition, or else
    the one of an ``allOf`` parent (a transform may pin the member's tag to its one value
    while the discriminator's base still names the enum)."""
    node, pointer = ctx.view.deref(node, pointer)
    properties = as_object(node.get("properties")) or {}
    own = as_object(properties.get(wire))
    if own is not None:
        found = _component_enum(ctx, own, f"{pointer}/properties/{jp.escape(wire)}")
        if found is not None:
            return found
    if depth > 0:  # bounds an allOf cycle in a malformed document
        for i, part in enumerate(array_at(node, "allOf")):
            part_node = as_object(part)
            if part_node is not None:
                found = _tag_enum(ctx, part_node, f"{pointer}/allOf/{i}", wire, depth - 1)
                if found is not None:
                    return found
    return None


def _component_enum(ctx: Context, node: dict[str, Any], pointer: str) -> str | None:
    """The name of the component enum a property's schema refers to (through ``$ref`` or a
    describing ``allOf: [$ref]``), read off the names claimed up front so that nothing is built
    out of order; None for an inline enum or anything else."""
    # One reference per step: a cycle of describing allOfs stops after every schema was seen.
    for _ in range(len(ctx.view.schemas) + 1):
        allof = array_at(node, "allOf")
        if "$ref" in node:
            node, pointer = ctx.view.deref(node, pointer)
        elif len(allof) == 1 and "$ref" in (as_object(allof[0]) or {}):
            node, pointer = ctx.view.deref(as_object(allof[0]) or {}, f"{pointer}/allOf/0")
        else:
            break
    component = component_of(pointer)
    values = [v for v in array_at(node, "enum") if v is not None]
    if component is None or not values or not all(isinstance(v, str) for v in values):
        return None
    return ctx.out.components.get(component)


def _field(
    ctx: Context, wire: str, prop: dict[str, Any], pointer: str, required: bool, owner: str
) -> ir.Field:
    t, nullable = type_of(ctx, prop, pointer)
    target, _ = ctx.view.deref(prop, pointer) if "$ref" in prop else (prop, pointer)
    field = ir.Field(
        wire_name=wire,
        py_name=wire,
        type=t,
        required=required,
        nullable=nullable,
        description=field_description(ctx, prop, pointer),
        constraints=constraints(prop, target),
        secret=is_secret(wire),
        read_only=bool(prop.get("readOnly") or target.get("readOnly")),
    )
    if not required:
        source = prop if "default" in prop else target
        if "default" in source:
            field.default = default_of(ctx, source["default"], t, f"{owner}.{wire}")
    return field


def field_description(ctx: Context, prop: dict[str, Any], pointer: str) -> str:
    text = str(prop.get("description", "") or "").strip()
    if not text and "$ref" in prop:
        target, _ = ctx.view.deref(prop, pointer)
        text = str(target.get("description", "") or "").strip()
    return text


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
        format=get("format"),
    )


# ------------------------------------------------------------------------------------ unions


def _flat_members(ctx: Context, members: Members, into: list[ir.TypeExpr]) -> bool:
    """Append each member's type (flattening inline unions, no repeats); whether any is nullable."""
    any_nullable = False
    for member_pointer, member in members:
        t, member_nullable = type_of(ctx, member, member_pointer)
        any_nullable = any_nullable or member_nullable
        for flat in t.members if isinstance(t, ir.UnionOf) else (t,):
            if flat not in into:
                into.append(flat)
    return any_nullable


def build_union(ctx: Context, node: dict[str, Any], pointer: str, members: Members) -> ir.TypeExpr:
    site = ctx.analysis.sites.get(pointer)
    tagged = site is not None and site.tagged
    if not tagged and component_of(pointer) is None and not is_body_root(pointer):
        types: list[ir.TypeExpr] = []
        any_nullable = _flat_members(ctx, members, types)
        if len(types) == 1 or not any(isinstance(t, ir.Ref) for t in types):
            # Unions of builtins read best inline (`str | list[str]`); one of generated
            # classes (`enum | object`) gets a name of its own, like every other union.
            union: ir.TypeExpr = ir.UnionOf(tuple(types)) if len(types) > 1 else types[0]
            return ir.Nullable(union) if any_nullable else union
    ref = ctx.declare(pointer, ctx.names.name_for(pointer))
    decl = ir.Union(
        name=ref.name, schema=schema_label(pointer), description=describe(node), members=[]
    )
    ctx.out.unions.append(decl)
    if site is None or site.tag is None or site.variants is None or site.values is None:
        decl.nullable = _flat_members(ctx, members, decl.members)
        return ref
    decl.discriminator = site.tag
    for (variant_pointer, variant), values in zip(site.variants, site.values, strict=True):
        t, _ = type_of(ctx, variant, variant_pointer)
        decl.members.append(t)
        if isinstance(t, ir.Ref):
            decl.tags.update(dict.fromkeys(values, t.name))
    decl.fallback = ctx.names.claim([f"Unknown{ref.name}"], f"fallback of {ref.name}")
    ctx.out.fallbacks.append(
        ir.Fallback(
            name=decl.fallback,
            union=ref.name,
            tag=site.tag,
            known=tuple(v for values in site.values for v in values),
            schema=schema_label(pointer),
        )
    )
    return ref
