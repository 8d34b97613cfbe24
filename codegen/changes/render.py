"""The changelog as text: documents, summary, operations, declarations."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from codegen import ir
from codegen.changes.areas import Area, tag_groups
from codegen.changes.comparison import Comparison
from codegen.changes.operations import new_declaration_lines
from codegen.changes.provenance import Provenance, schema_labels
from codegen.changes.records import LEGEND, DeclChange, OpChange, Origin, Side

_USERS_SHOWN = 6
_LISTED = 5  # more removed declarations than this are listed by name only
_WIDTH = 100


class _Writer:
    def __init__(self, comparison: Comparison, provenance: Provenance | None) -> None:
        self.c = comparison
        self.provenance = provenance
        self.lines: list[str] = []
        self.breaking = 0
        # Breaking upstream differences the transforms already made: the SDK behaves so
        # already, so they are counted apart from what the new version breaks.
        self.upstream_breaking = 0
        self.made = 0

    def origin(
        self, key: tuple[str, ...], decls: Iterable[str] = (), operation: str = "", member: str = ""
    ) -> Origin:
        if self.provenance is None:
            return Origin()
        schemas = schema_labels(decls, self.c.old, self.c.new)
        return self.provenance.origin(key, schemas, operation, member)

    def emit(
        self,
        indent: int,
        breaking: bool,
        text: str,
        origin: Origin | None = None,
        upstream: bool = False,
    ) -> None:
        label = origin.label() if origin is not None else ""
        if upstream:
            self.upstream_breaking += breaking
        else:
            self.breaking += breaking
        self.made += bool(label)
        mark = "! " if breaking else "  "
        self.lines.append(f"{' ' * indent}{mark}{text}{'  ' + label if label else ''}")

    def plain(self, text: str) -> None:
        self.lines.append(text)

    # -- documents

    def documents(self) -> None:
        old_docs = {d.name: d for d in self.c.old.documents}
        new_docs = {d.name: d for d in self.c.new.documents}
        self.plain("Documents:")
        for name in [*new_docs, *(n for n in old_docs if n not in new_docs)]:
            before, after = old_docs.get(name), new_docs.get(name)
            if after is None:
                text = f"- {name} (none in {self.c.new.api_version}: its operations are removed)"
            elif before is None:
                text = f"+ {name} (from {after.api_version}, sha256 {after.sha256[:12]})"
            elif before.sha256 != after.sha256:
                text = (
                    f"~ {name}: {before.api_version} {before.sha256[:12]} -> "
                    f"{after.api_version} {after.sha256[:12]}"
                )
            else:
                text = f"  {name}: unchanged (the {after.api_version} document)"
            self.emit(0, after is None, text)
        self.plain("")

    # -- operations

    def operations(self) -> None:
        ops = self.c.operations
        self.plain("Operations:")
        start = len(self.lines)
        old_order = [o.operation_id for o in self.c.old.operations]
        new_by_id = {o.operation_id: o for o in self.c.new.operations}
        for op_id in old_order:
            if op_id in ops.changed:
                self._changed(new_by_id[op_id], ops.changed[op_id])
        for op in ops.added:
            self.emit(
                0,
                False,
                f"+ {_route(op)}",
                self.origin(("op added", op.operation_id), operation=op.operation_id),
            )
        for area in self.c.removed.areas:
            self._area(area)
        if len(self.lines) == start:
            self.plain("    (none)")
        self.plain("")

    def _changed(self, op: ir.Operation, changes: list[OpChange]) -> None:
        self.emit(0, False, f"~ {_route(op)}")
        for change in changes:
            if change.via is not None:
                via = change.via
                origin = self.origin(via.key, [via.decl], member=via.member)
            else:
                origin = self.origin(change.key, operation=op.operation_id)
            self.emit(4, change.breaking, change.text, origin)
            for detail in change.details:
                self.plain(f"{' ' * 10}{detail}")

    def _area(self, area: Area) -> None:
        origins = [
            self.origin(("op removed", o.operation_id), operation=o.operation_id)
            for o in area.operations
        ]
        shared = origins[0] if all(o.label() == origins[0].label() for o in origins) else Origin()
        if len(area.operations) == 1:
            used = f", and {len(area.declarations)} declarations only it used"
            text = f"- {_route(area.operations[0])}"
        else:
            used = f", and {len(area.declarations)} declarations only they used"
            text = f"- {area.label}: {len(area.operations)} operations"
        self.emit(0, True, text + (used if area.declarations else ""), shared)
        if len(area.operations) == 1:
            return
        groups = tag_groups(area.operations)
        for tag, ops in groups:
            head = f"{tag} ({len(ops)}): " if len(groups) > 1 and tag else ""
            names = head + ", ".join(op.operation_id for op in ops)
            self.plain(
                textwrap.fill(names, _WIDTH, initial_indent=" " * 8, subsequent_indent=" " * 10)
            )

    # -- declarations

    def declarations(self) -> None:
        d = self.c.declarations
        new_decls, old_decls = self.c.new.declarations(), self.c.old.declarations()
        self.plain("Declarations (models, enums, unions, aliases):")
        start = len(self.lines)
        known = set(old_decls)
        for name in d.added:
            decl = new_decls[name]
            origin = self.origin(("decl added", name), [name])
            self.emit(0, False, f"+ {name} ({decl.schema})", origin)
            users = self.c.new_usage.operations.get(name, [])
            if users:
                sides = self.c.new_usage.by_operation
                shown = [
                    f"{u} ({'/'.join(s for s in ('request', 'response') if name in sides[u][s])})"
                    for u in users[:_USERS_SHOWN]
                ]
                more = (
                    f", and {len(users) - _USERS_SHOWN} more" if len(users) > _USERS_SHOWN else ""
                )
                self.plain(f"      used by: {', '.join(shown)}{more}")
            for line in new_declaration_lines(self.c.new, (name,), set(known))[1:]:
                self.plain(f"{' ' * 10}{line}")
        self._removed_declarations(self.c.removed.declarations)
        by_decl: dict[str, list[DeclChange]] = {}
        for change in d.changes:
            by_decl.setdefault(change.decl, []).append(change)
        for name, changes in by_decl.items():
            sides = self.c.old_usage.sides_of(name) | self.c.new_usage.sides_of(name)
            self._declaration(name, new_decls[name], changes, sides)
        if len(self.lines) == start:
            self.plain("    (none)")
        self.plain("")

    def _removed_declarations(self, names: list[str]) -> None:
        origins = {name: self.origin(("decl removed", name), [name]) for name in names}
        listed = [n for n in names if len(names) <= _LISTED or origins[n].from_transforms]
        for name in listed:
            schema = self.c.old.declarations()[name].schema
            self.emit(0, True, f"- {name} ({schema})", origins[name])
        rest = [n for n in names if n not in listed]
        if rest:
            self.emit(
                0,
                True,
                f"- {len(rest)} other declarations removed:",
            )
            self.plain(
                textwrap.fill(
                    ", ".join(rest), _WIDTH, initial_indent=" " * 8, subsequent_indent=" " * 8
                )
            )

    def _declaration(
        self,
        name: str,
        decl: ir.Decl | ir.Fallback,
        changes: list[DeclChange],
        sides: frozenset[Side],
    ) -> None:
        values = [c for c in changes if c.aspect in ("value added", "value removed")]
        rest = [c for c in changes if c not in values]
        if values:
            text = ", ".join(("+" if c.aspect == "value added" else "-") + c.member for c in values)
            origins = [self.origin(c.key, [name], member=c.member) for c in values]
            merged = Origin(
                sorted({t for o in origins for t in o.transforms}),
                any(o.from_transforms for o in origins),
            )
            self.emit(0, any(c.breaking_on(sides) for c in values), f"~ {name}: {text}", merged)
            if not rest:
                return
        else:
            self.emit(0, False, f"~ {name} ({decl.schema})")
        for change in rest:
            origin = self.origin(change.key, [name], member=change.member)
            self.emit(4, change.breaking_on(sides), change.text, origin)
            for line in new_declaration_lines(
                self.c.new, change.new_decls, set(self.c.old.declarations())
            ):
                self.plain(f"{' ' * 10}{line}")

    def hidden(self) -> None:
        if self.provenance is None:
            return
        made = self.c.items()
        texts = self.provenance.hidden(made)
        by_operation = self.provenance.hidden_operation_changes(made)
        if not texts and not by_operation:
            return
        raw = self.provenance.raw_comparison
        self.plain("Upstream differences the transforms hide (the SDK already behaves so):")
        for op_id, changes in by_operation.items():
            self.plain(f"  ~ {op_id}: upstream only")
            for change in changes:
                via = change.via
                decls = [via.decl] if via is not None else []
                schemas = schema_labels(decls, *((raw.old, raw.new) if raw else ()))
                names = self.provenance.hiding_transforms(
                    schemas, op_id, via.member if via is not None else ""
                )
                hidden_by = f"  [upstream; made already by transform {', '.join(names)}]"
                text = change.text + (hidden_by if names else "")
                self.emit(4, change.breaking, text, upstream=True)
        listed = {
            f"{c.via.decl}: {c.via.text}" for cs in by_operation.values() for c in cs if c.via
        }
        for text in texts:
            if text not in listed:
                self.plain(f"    {text}")
        self.plain("")


def _route(op: ir.Operation) -> str:
    where = "" if op.document == "inference" else f" [{op.document}]"
    return f"{op.operation_id}: {op.method} {op.path}{where}"


def render(comparison: Comparison, provenance: Provenance | None = None) -> str:
    writer = _Writer(comparison, provenance)
    writer.documents()
    body_start = len(writer.lines)
    writer.operations()
    writer.declarations()
    writer.hidden()
    c = comparison
    summary = (
        f"Summary: operations {len(c.operations.changed)} changed, {len(c.operations.added)} added, "
        f"{len(c.operations.removed)} removed; declarations "
        f"{len({x.decl for x in c.declarations.changes})} changed, {len(c.declarations.added)} added, "
        f"{len(c.declarations.removed)} removed; {writer.breaking} breaking entries (!)"
        + (f"; {writer.made} made by transforms" if provenance is not None else "")
        + (
            f"; {writer.upstream_breaking} upstream breaking changes the transforms already "
            "made (listed last: the SDK already behaves so)"
            if writer.upstream_breaking
            else ""
        )
    )
    head = [
        f"Changes from {c.old.api_version} to {c.new.api_version}",
        "",
        *(textwrap.fill(part, _WIDTH, subsequent_indent="  ") for part in LEGEND.splitlines()),
        "",
    ]
    lines = [
        *head,
        *writer.lines[:body_start],
        textwrap.fill(summary, _WIDTH),
        "",
        *writer.lines[body_start:],
    ]
    return "\n".join(lines).rstrip() + "\n"
