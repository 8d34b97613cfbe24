"""Everything that differs between two IRs, gathered once for rendering and provenance."""

from __future__ import annotations

from dataclasses import dataclass

from codegen import ir
from codegen.changes import areas
from codegen.changes.declarations import DeclDiff, compare_declarations
from codegen.changes.operations import OperationDiff, compare_operations
from codegen.changes.usage import Usage


@dataclass
class Comparison:
    old: ir.IR
    new: ir.IR
    declarations: DeclDiff
    operations: OperationDiff
    removed: areas.Removed
    old_usage: Usage
    new_usage: Usage

    def items(self) -> dict[tuple[str, ...], str]:
        """Every difference by key, with its text (what provenance compares)."""
        found: dict[tuple[str, ...], str] = {}
        for change in self.declarations.changes:
            found[change.key] = f"{change.decl}: {change.text}"
        for name in self.declarations.added:
            found[("decl added", name)] = f"+ {name}"
        for name in self.declarations.removed:
            found[("decl removed", name)] = f"- {name}"
        for op in self.operations.added:
            found[("op added", op.operation_id)] = f"+ {op.operation_id}"
        for op in self.operations.removed:
            found[("op removed", op.operation_id)] = f"- {op.operation_id}"
        for op_id, changes in self.operations.changed.items():
            for change in changes:
                if change.via is None:
                    found[change.key] = f"{op_id}: {change.text}"
        return found


def compare(old: ir.IR, new: ir.IR) -> Comparison:
    declarations = compare_declarations(old, new)
    operations = compare_operations(old, new, declarations)
    removed = areas.group_removed(old, new, operations.removed, declarations.removed)
    return Comparison(old, new, declarations, operations, removed, Usage(old), Usage(new))
