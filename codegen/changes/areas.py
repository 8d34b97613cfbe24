"""Removed API areas as single entries: a document the new version lacks, or a tag's operations,
each with the declarations only they used, so a removed area reads as one entry with counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen import ir
from codegen.changes.usage import Usage

MIN_AREA = 3  # fewer removed operations of one tag are listed one by one


@dataclass(eq=False)  # compared and hashed by identity
class Area:
    label: str
    operations: list[ir.Operation] = field(default_factory=list[ir.Operation])
    declarations: list[str] = field(default_factory=list[str])


@dataclass
class Removed:
    areas: list[Area]  # documents and tags; then single operations (areas of one)
    declarations: list[str]  # removed declarations no area accounts for


def _tag(op: ir.Operation) -> str:
    return op.tags[0].strip().rstrip(":") if op.tags else ""


def _tag_key(op: ir.Operation) -> str:
    return _tag(op).lower().rstrip("s")  # upstream tags both "Assistant" and "Assistants"


def tag_groups(operations: list[ir.Operation]) -> list[tuple[str, list[ir.Operation]]]:
    """Operations by tag (spelling variants together, named by the most used spelling)."""
    groups: dict[str, list[ir.Operation]] = {}
    for op in operations:
        groups.setdefault(_tag_key(op), []).append(op)
    named: list[tuple[str, list[ir.Operation]]] = []
    for ops in groups.values():
        labels = [_tag(o) for o in ops]
        named.append((max(labels, key=labels.count), ops))
    return named


def _areas(
    old: ir.IR, new: ir.IR, removed: list[ir.Operation]
) -> tuple[list[Area], list[ir.Operation]]:
    kept_documents = {d.name for d in new.documents}
    areas: dict[str, Area] = {}
    by_tag: dict[str, list[ir.Operation]] = {}
    for op in removed:
        if op.document not in kept_documents:
            area = areas.setdefault(
                op.document, Area(f"{op.document} document (none in {new.api_version})")
            )
            area.operations.append(op)
        elif op.tags:
            by_tag.setdefault(_tag_key(op), []).append(op)
        else:
            by_tag.setdefault("", []).append(op)
    single: list[ir.Operation] = []
    for key, ops in by_tag.items():
        if key and len(ops) >= MIN_AREA:
            areas[key] = Area(tag_groups(ops)[0][0], list(ops))
        else:
            single += ops
    order = [op.operation_id for op in old.operations]
    single.sort(key=lambda op: order.index(op.operation_id))
    return list(areas.values()), single


def _children(decl: ir.Decl | ir.Fallback | None) -> set[str]:
    if isinstance(decl, ir.Model):
        return {n for f in decl.fields for n in ir.ref_names(f.type)}
    if isinstance(decl, ir.Union):
        return {n for m in decl.members for n in ir.ref_names(m)}
    if isinstance(decl, ir.Alias):
        return set(ir.ref_names(decl.target))
    return set()


def group_removed(
    old: ir.IR, new: ir.IR, operations: list[ir.Operation], declarations: list[str]
) -> Removed:
    grouped, single = _areas(old, new, operations)
    areas = grouped + [Area(op.operation_id, [op]) for op in single]
    area_of_op = {op.operation_id: area for area in areas for op in area.operations}
    usage = Usage(old)
    decls = old.declarations()
    document_area = {
        op.document: area_of_op[op.operation_id]
        for op in operations
        if op.operation_id in area_of_op
    }
    documents = {py: key.split(":", 1)[0] for key, py in old.components.items() if ":" in key}
    placed: dict[str, Area] = {}
    pending: list[str] = []
    for name in declarations:
        users = {area_of_op.get(op) for op in usage.operations.get(name, [])}
        if len(users) == 1 and None not in users:
            (area,) = users
            assert area is not None
            placed[name] = area
        elif not users and documents.get(name) in document_area:
            # A schema of a document the new version lacks (e.g. an enum only its tags use).
            placed[name] = document_area[documents[name]]
        elif not users:
            pending.append(name)
    # Declarations no operation reaches (stream events, chunks, helpers) follow the removed
    # declarations they refer to or that refer to them, when those all belong to one area.
    neighbours: dict[str, set[str]] = {name: set() for name in pending}
    for name, decl in decls.items():
        for child in _children(decl):
            if child in neighbours:
                neighbours[child].add(name)
            if name in neighbours:
                neighbours[name].add(child)
    progress = True
    while progress:
        progress = False
        for name in [n for n in pending if n not in placed]:
            found = {placed[n] for n in neighbours[name] if n in placed}
            if len(found) == 1:
                placed[name] = found.pop()
                progress = True
    for name in declarations:
        if name in placed:
            placed[name].declarations.append(name)
    rest = [name for name in declarations if name not in placed]
    return Removed(areas, rest)
