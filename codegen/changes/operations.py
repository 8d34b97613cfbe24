"""Per operation: its own differences (route, parameters, bodies, responses, streaming, paging)
and those of every declaration its request or response reaches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from codegen import ir
from codegen.changes.declarations import DeclDiff, field_signature, text_change
from codegen.changes.records import SIDES, DeclChange, OpChange, Side
from codegen.changes.typesets import TypeSets
from codegen.changes.usage import Usage, roots_of


@dataclass
class OperationDiff:
    added: list[ir.Operation] = field(default_factory=list[ir.Operation])
    removed: list[ir.Operation] = field(default_factory=list[ir.Operation])
    changed: dict[str, list[OpChange]] = field(default_factory=dict[str, list[OpChange]])


_Add = Callable[["Side | None", str, str, bool], None]
_Entry = tuple[ir.TypeExpr, bool, str]  # type, required, description


def _flip(before: bool, after: bool, no: str, yes: str) -> str:
    return f"{yes if before else no} -> {yes if after else no}"


def new_declaration_lines(result: ir.IR, names: tuple[str, ...], known: set[str]) -> list[str]:
    """What declarations new in ``result`` contain (and the new ones they use, once each)."""
    decls = result.declarations()
    lines: list[str] = []
    pending = list(names)
    while pending:
        name = pending.pop(0)
        if name in known:
            continue
        known.add(name)
        decl = decls.get(name)
        if isinstance(decl, ir.Model):
            fields = "; ".join(f"`{f.wire_name}`: {field_signature(f)}" for f in decl.fields)
            lines.append(f"new {name}: {fields or 'no fields'}")
            pending += [n for f in decl.fields for n in ir.ref_names(f.type)]
        elif isinstance(decl, ir.Enum):
            lines.append(f"new {name}: " + ", ".join(f'"{m.value}"' for m in decl.members))
        elif isinstance(decl, ir.Union):
            lines.append(f"new {name}: " + " | ".join(ir.describe(m) for m in decl.members))
            pending += [n for m in decl.members for n in ir.ref_names(m)]
        elif isinstance(decl, ir.Alias):
            lines.append(f"new {name}: {ir.describe(decl.target)}")
            pending += ir.ref_names(decl.target)
    return lines


class _OperationComparer:
    def __init__(self, old: ir.IR, new: ir.IR, decls: DeclDiff) -> None:
        self.old, self.new = old, new
        self.decls = decls
        self.types = TypeSets(old, new)
        self.old_usage, self.new_usage = Usage(old), Usage(new)
        self.old_names = set(old.declarations())

    def own(self, a: ir.Operation, b: ir.Operation) -> list[OpChange]:
        op = b.operation_id
        out: list[OpChange] = []

        def add(side: Side | None, aspect: str, text: str, breaking: bool) -> None:
            out.append(OpChange(op, side, text, breaking, ("op", op, side or "", aspect)))

        if (a.method, a.path) != (b.method, b.path):
            add(None, "route", f"{a.method} {a.path} -> {b.method} {b.path}", True)
        if a.document != b.document:
            add(None, "document", f"document {a.document} -> {b.document}", False)
        self._parameters(a, b, add)
        self._bodies(a, b, add)
        self._responses(a, b, add)
        if a.streams != b.streams:
            add("response", "streams", f"streaming: {a.streams} -> {b.streams}", a.streams)
        for label in ("paging", "long_running"):
            before, after = getattr(a, label), getattr(b, label)
            if before != after:
                add(
                    "response",
                    label,
                    f"{label.replace('_', '-')}: {before} -> {after}",
                    before is not None,
                )
        return out

    def _parameters(self, a: ir.Operation, b: ir.Operation, add: _Add) -> None:
        def keyed(op: ir.Operation) -> dict[str, _Entry]:
            return {
                f"{p.location} parameter `{p.name}`": (p.type, p.required, p.description)
                for p in op.parameters
            }

        self._entries(keyed(a), keyed(b), add, new_required_breaks=True)

    def _bodies(self, a: ir.Operation, b: ir.Operation, add: _Add) -> None:
        def keyed(op: ir.Operation) -> dict[str, _Entry]:
            return {f"body ({x.content_type})": (x.type, x.required, "") for x in op.request_bodies}

        self._entries(keyed(a), keyed(b), add, new_required_breaks=False)

    def _entries(
        self,
        before: dict[str, _Entry],
        after: dict[str, _Entry],
        add: _Add,
        new_required_breaks: bool,
    ) -> None:
        """Parameters or request bodies: gained, lost, retyped, newly required, redescribed."""
        for key, (t, required, _) in after.items():
            if key not in before:
                need = "required" if required else "optional"
                text = f"request gains {key}: {ir.describe(t)}, {need}"
                add("request", key, text, new_required_breaks and required)
        for key, (t, required, description) in before.items():
            if key not in after:
                add("request", key, f"request loses {key}", True)
                continue
            new_t, new_required, new_description = after[key]
            if ir.describe(t) != ir.describe(new_t):
                text = f"request {key}: {ir.describe(t)} -> {ir.describe(new_t)}"
                add("request", f"{key} type", text, not self.types.widens(t, new_t))
            if required != new_required:
                text = f"request {key}: {_flip(required, new_required, 'optional', 'required')}"
                add("request", f"{key} required", text, new_required)
            if description != new_description:
                text = f"request {key}: description {text_change(description, new_description)}"
                add("request", f"{key} description", text, False)

    def _responses(self, a: ir.Operation, b: ir.Operation, add: _Add) -> None:
        def label(r: ir.ResponseBody) -> str:
            return f"{r.status} {r.content_type or '(no body)'}"

        def kind(r: ir.ResponseBody) -> str:
            return ir.describe(r.type) if r.type is not None else "(raw)"

        before = {label(r): r for r in a.responses}
        after = {label(r): r for r in b.responses}
        for key, r in after.items():
            if key not in before:
                add("response", f"response {key}", f"response gains {key}: {kind(r)}", False)
        for key, r in before.items():
            if key not in after:
                add("response", f"response {key}", f"response loses {key}", True)
                continue
            s = after[key]
            if kind(r) != kind(s):
                narrower = (
                    r.type is not None and s.type is not None and self.types.narrows(r.type, s.type)
                )
                add(
                    "response",
                    f"response {key} type",
                    f"response {key}: {kind(r)} -> {kind(s)}",
                    not narrower,
                )
            for gone, there, verb in ((r, s, "gains"), (s, r, "loses")):
                for header in there.headers:
                    if header not in gone.headers:
                        text = f"response {key} {verb} header {header}"
                        add("response", f"header {key} {header}", text, verb == "loses")
        old_error = ir.describe(a.error_type) if a.error_type else "none"
        new_error = ir.describe(b.error_type) if b.error_type else "none"
        if old_error != new_error:
            add("response", "error", f"error body: {old_error} -> {new_error}", False)

    def via(self, a: ir.Operation, b: ir.Operation, changes: list[DeclChange]) -> list[OpChange]:
        """The differences of declarations this operation's sides reach (in either version)."""
        op = b.operation_id
        old_sides = self.old_usage.by_operation.get(op, {})
        new_sides = self.new_usage.by_operation[op]
        out: list[OpChange] = []
        for side in SIDES:
            paths = {**old_sides.get(side, {}), **new_sides[side]}
            direct = {n for label, t in roots_of(b, side) if not label for n in ir.ref_names(t)}
            for change in changes:
                if change.decl not in paths:
                    continue
                path = paths[change.decl]
                if change.decl in direct:
                    where = ""
                elif path:
                    where = f"`{path}` ({change.decl}) "
                else:
                    where = f"({change.decl}) "
                breaking = change.tightens if side == "request" else change.loses
                details = new_declaration_lines(self.new, change.new_decls, set(self.old_names))
                out.append(
                    OpChange(
                        op,
                        side,
                        f"{side} {where}{change.text}",
                        breaking,
                        ("op", op, side, *change.key),
                        via=change,
                        details=tuple(details),
                    )
                )
        return out


def compare_operations(old: ir.IR, new: ir.IR, decls: DeclDiff) -> OperationDiff:
    comparer = _OperationComparer(old, new, decls)
    old_ops = {o.operation_id: o for o in old.operations}
    new_ops = {o.operation_id: o for o in new.operations}
    diff = OperationDiff(
        added=[o for o in new.operations if o.operation_id not in old_ops],
        removed=[o for o in old.operations if o.operation_id not in new_ops],
    )
    for op_id, a in old_ops.items():
        b = new_ops.get(op_id)
        if b is None:
            continue
        changes = comparer.own(a, b) + comparer.via(a, b, decls.changes)
        if changes:
            diff.changed[op_id] = changes
    return diff
