"""One ``models`` namespace for both documents of an api-version.

The inference and authoring documents are built into separate IRs (each names its own
declarations), then merged here. A name both declare is a *clash*, settled by one rule:

* **identical** declarations (same kind and shape: fields with their wire names, types,
  required/nullable/read-only flags and defaults; enum values; union members and tags; alias
  targets — descriptions do not count) are **merged**: the inference declaration serves both
  documents. Identity is decided over the whole reference graph: two ``ErrorResponse`` models
  are identical only if the ``Error`` models they refer to are identical too;
* **different** declarations: the inference one keeps the name (it was public first; renaming it
  would break users), and the authoring one is renamed ``Authoring<Name>`` (the document's name as
  a prefix), together with every reference to it in the authoring IR.

Every merge and rename is reported as a generator warning, so the rule is visible whenever the
models are regenerated; docs/codegen.md explains it.
"""

from __future__ import annotations

from dataclasses import replace

from codegen import ir
from codegen.build.names import assign_field_names


class MergeError(Exception):
    """The documents cannot share one namespace (e.g. both declare one operationId)."""


def _signature(decl: ir.Decl | ir.Fallback) -> object:
    """The shape of a declaration: what must be equal for two of them to be one."""
    if isinstance(decl, ir.Enum):
        return ("enum", tuple(m.value for m in decl.members))
    if isinstance(decl, ir.Model):
        fields = tuple(
            (f.wire_name, f.type, f.required, f.nullable, f.default, f.tag, f.read_only)
            for f in decl.fields
        )
        return ("model", fields, decl.additional_properties)
    if isinstance(decl, ir.Union):
        tags = tuple(sorted(decl.tags.items()))
        shape = (tuple(decl.members), decl.discriminator, tags, decl.fallback, decl.nullable)
        return ("union", shape)
    if isinstance(decl, ir.Alias):
        return ("alias", decl.target)
    return ("fallback", decl.union, decl.tag, decl.known)


def _references(decl: ir.Decl | ir.Fallback) -> set[str]:
    if isinstance(decl, ir.Model):
        return {n for f in decl.fields for n in ir.ref_names(f.type)}
    if isinstance(decl, ir.Union):
        found = {n for m in decl.members for n in ir.ref_names(m)}
        return found | ({decl.fallback} if decl.fallback else set())
    if isinstance(decl, ir.Alias):
        return set(ir.ref_names(decl.target))
    if isinstance(decl, ir.Fallback):
        return {decl.union}
    return set()


def identical_names(first: ir.IR, second: ir.IR) -> tuple[set[str], set[str]]:
    """(names both declare identically, names both declare differently)."""
    a, b = first.declarations(), second.declarations()
    clashes = set(a) & set(b)
    same = {n for n in clashes if _signature(a[n]) == _signature(b[n])}
    # Greatest fixpoint: a pair stays identical only while everything it refers to that is
    # declared by both documents is identical as well.
    changed = True
    while changed:
        changed = False
        for name in sorted(same):
            if any(r in clashes and r not in same for r in _references(a[name])):
                same.discard(name)
                changed = True
    return same, clashes - same


# ----------------------------------------------------------------------------------- rename


def _retype(expr: ir.TypeExpr, names: dict[str, str]) -> ir.TypeExpr:
    if isinstance(expr, ir.Ref):
        return ir.Ref(names.get(expr.name, expr.name))
    if isinstance(expr, ir.ListOf):
        return ir.ListOf(_retype(expr.item, names))
    if isinstance(expr, ir.DictOf):
        return ir.DictOf(_retype(expr.value, names))
    if isinstance(expr, ir.Nullable):
        return ir.Nullable(_retype(expr.inner, names))
    if isinstance(expr, ir.UnionOf):
        return ir.UnionOf(tuple(_retype(m, names) for m in expr.members))
    return expr


def _revalue(value: ir.Value, names: dict[str, str]) -> ir.Value:
    if isinstance(value, ir.EnumValue):
        return ir.EnumValue(names.get(value.enum, value.enum), value.member)
    if isinstance(value, ir.ListValue):
        return ir.ListValue(tuple(_revalue(v, names) for v in value.items))
    return value


def rename(result: ir.IR, names: dict[str, str]) -> None:
    """Rename declarations of ``result`` (old -> new) and every reference to them, in place."""

    def new(name: str) -> str:
        return names.get(name, name)

    def retype(expr: ir.TypeExpr) -> ir.TypeExpr:
        return _retype(expr, names)

    for enum in result.enums:
        enum.name = new(enum.name)
    for model in result.models:
        model.name = new(model.name)
        for f in model.fields:
            f.type = retype(f.type)
            f.tag_enum = new(f.tag_enum) if f.tag_enum else None
            if f.default is not None:
                f.default = replace(f.default, value=_revalue(f.default.value, names))
    for fallback in result.fallbacks:
        fallback.name, fallback.union = new(fallback.name), new(fallback.union)
    for union in result.unions:
        union.name = new(union.name)
        union.members = [retype(m) for m in union.members]
        union.tags = {k: new(v) for k, v in union.tags.items()}
        union.fallback = new(union.fallback) if union.fallback else None
    for alias in result.aliases:
        alias.name, alias.target = new(alias.name), retype(alias.target)
    for op in result.operations:
        for p in op.parameters:
            p.type = retype(p.type)
        for body in op.request_bodies:
            body.type = retype(body.type)
        for response in op.responses:
            response.type = retype(response.type) if response.type else None
        op.error_type = retype(op.error_type) if op.error_type else None
    result.components = {k: new(v) for k, v in result.components.items()}
    result.stream_events = {k: new(v) for k, v in result.stream_events.items()}
    result.stream_models = {new(k): v for k, v in result.stream_models.items()}


# ------------------------------------------------------------------------------------ merge


def _prefix(document: str) -> str:
    return document[:1].upper() + document[1:]


def merge(first: ir.IR, second: ir.IR) -> ir.IR:
    """``second`` (the authoring IR) merged into ``first`` (the inference IR), in place of
    ``first``; see the module docstring for the clash rule."""
    document = second.documents[0].name if second.documents else "second"
    same, different = identical_names(first, second)
    taken = set(first.declarations()) | set(second.declarations())
    names: dict[str, str] = {}
    for name in sorted(different):
        candidate = f"{_prefix(document)}{name}"
        n = 2
        while candidate in taken:
            candidate = f"{_prefix(document)}{name}{n}"
            n += 1
        taken.add(candidate)
        names[name] = candidate
    rename(second, names)
    for name in sorted(same):
        first.warnings.append(
            f"name clash: {name} is declared identically by both documents; merged into one class"
        )
    for old, new in sorted(names.items()):
        first.warnings.append(
            f"name clash: {old} differs between the inference and {document} documents; "
            f"the {document} one is named {new}"
        )
    first.warnings.extend(f"{document}: {w}" for w in second.warnings)
    ops = {op.operation_id for op in first.operations}
    doubled = sorted(op.operation_id for op in second.operations if op.operation_id in ops)
    if doubled:
        raise MergeError(f"both documents declare the operations {', '.join(doubled)}")
    first.enums += [e for e in second.enums if e.name not in same]
    first.models += [m for m in second.models if m.name not in same]
    first.fallbacks += [f for f in second.fallbacks if f.name not in same]
    first.unions += [u for u in second.unions if u.name not in same]
    first.aliases += [a for a in second.aliases if a.name not in same]
    first.operations += second.operations
    first.components.update({f"{document}:{k}": v for k, v in second.components.items()})
    first.documents += second.documents
    first.stream_models.update(second.stream_models)
    assign_field_names(first)
    return first
