"""Which declarations each operation's request and response reach, and by which field path."""

from __future__ import annotations

from collections import deque

from codegen import ir
from codegen.changes.records import SIDES, Side

Roots = list[tuple[str, ir.TypeExpr]]  # (path label, type)


def _children(decl: ir.Decl | ir.Fallback | None) -> list[tuple[str, ir.TypeExpr]]:
    """(field wire name or "", type) of what a declaration refers to. A union member's tag
    field counts as using the enum its value is drawn from: a value that enum loses is a tag
    the member can no longer be sent (or received) with."""
    if isinstance(decl, ir.Model):
        found = [(f.wire_name, f.type) for f in decl.fields]
        return found + [(f.wire_name, ir.Ref(f.tag_enum)) for f in decl.fields if f.tag_enum]
    if isinstance(decl, ir.Union):
        return [("", m) for m in decl.members]
    if isinstance(decl, ir.Alias):
        return [("", decl.target)]
    return []


def reach(decls: dict[str, ir.Decl | ir.Fallback], roots: Roots) -> dict[str, str]:
    """Every declaration reachable from ``roots`` -> the shortest field path to it."""
    paths: dict[str, str] = {}
    queue: deque[tuple[str, str]] = deque()
    for label, expr in roots:
        for name in ir.ref_names(expr):
            if name not in paths:
                paths[name] = label
                queue.append((name, label))
    while queue:
        name, path = queue.popleft()
        for wire, expr in _children(decls.get(name)):
            step = f"{path}.{wire}" if path and wire else (wire or path)
            for child in ir.ref_names(expr):
                if child not in paths:
                    paths[child] = step
                    queue.append((child, step))
    return paths


def roots_of(op: ir.Operation, side: Side) -> Roots:
    """What a side of an operation starts from: parameters and bodies, or responses and errors."""
    if side == "request":
        roots: Roots = [(p.name, p.type) for p in op.parameters]
        roots += [("", body.type) for body in op.request_bodies]
        return roots
    found: Roots = [("", r.type) for r in op.responses if r.type is not None]
    if op.error_type is not None:
        found.append(("(error)", op.error_type))
    return found


class Usage:
    """Per operation and side, the reachable declarations; per declaration, its sides."""

    def __init__(self, result: ir.IR) -> None:
        decls = result.declarations()
        self.by_operation: dict[str, dict[Side, dict[str, str]]] = {}
        self.sides: dict[str, set[Side]] = {}
        self.operations: dict[str, list[str]] = {}  # declaration -> operations reaching it
        for op in result.operations:
            per_side: dict[Side, dict[str, str]] = {}
            for side in SIDES:
                per_side[side] = reach(decls, roots_of(op, side))
                for name in per_side[side]:
                    self.sides.setdefault(name, set()).add(side)
                    users = self.operations.setdefault(name, [])
                    if op.operation_id not in users:
                        users.append(op.operation_id)
            self.by_operation[op.operation_id] = per_side
        # Streamed chunks and assistant events are received, though no operation's declared
        # response names them (the manifest ties them to streaming operations).
        hooks = [*result.stream_events.values()]
        hooks += [n for n in (result.chat_completion_chunk, result.completion_chunk) if n]
        for name in reach(decls, [("", ir.Ref(n)) for n in hooks]):
            self.sides.setdefault(name, set()).add("response")

    def sides_of(self, name: str) -> frozenset[Side]:
        return frozenset(self.sides.get(name, ()))
