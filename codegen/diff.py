"""The maintainer's changelog: what changed between the IRs of two api-versions."""

from __future__ import annotations

from codegen import ir


def _field_sig(f: ir.Field) -> str:
    parts = [ir.describe(f.type), "required" if f.required else "optional"]
    if f.nullable:
        parts.append("nullable")
    return ", ".join(parts)


def _users(result: ir.IR, name: str) -> list[str]:
    """Fields, union members and aliases that mention ``name``."""
    found: list[str] = []
    for model in result.models:
        for f in model.fields:
            if name in ir.type_refs(f.type):
                found.append(f"{model.name}.{f.py_name}")
    for union in result.unions:
        if any(name in ir.type_refs(m) for m in union.members):
            found.append(union.name)
    for alias in result.aliases:
        if name in ir.type_refs(alias.target):
            found.append(alias.name)
    return sorted(found)


def _params(op: ir.Operation) -> dict[str, str]:
    return {
        f"{p.location} {p.name}": f"{ir.describe(p.type)}, {'required' if p.required else 'optional'}"
        for p in op.parameters
    }


def _bodies(op: ir.Operation) -> dict[str, str]:
    return {
        b.content_type: f"{ir.describe(b.type)}{'' if b.required else ' (optional)'}"
        for b in op.request_bodies
    }


def _responses(op: ir.Operation) -> dict[str, str]:
    found = {
        f"{r.status} {r.content_type or '(no body)'}": (ir.describe(r.type) if r.type else "(raw)")
        + (f" headers {', '.join(r.headers)}" if r.headers else "")
        for r in op.responses
    }
    if op.error_type is not None:
        found["default"] = ir.describe(op.error_type)
    return found


def _where(op: ir.Operation) -> str:
    return "" if op.document == "inference" else f" [{op.document}]"


def _dict_changes(label: str, old: dict[str, str], new: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for key in sorted(new.keys() - old.keys()):
        lines.append(f"      + {label} {key}: {new[key]}")
    for key in sorted(old.keys() - new.keys()):
        lines.append(f"      - {label} {key}: {old[key]}")
    for key in sorted(old.keys() & new.keys()):
        if old[key] != new[key]:
            lines.append(f"      ~ {label} {key}: {old[key]} -> {new[key]}")
    return lines


def changelog(old: ir.IR, new: ir.IR) -> str:
    out: list[str] = [f"Changes from {old.api_version} to {new.api_version}", ""]

    def section(title: str, lines: list[str]) -> None:
        out.append(f"{title}:")
        out.extend(lines or ["  (none)"])
        out.append("")

    old_docs = {d.name: d for d in old.documents}
    new_docs = {d.name: d for d in new.documents}
    lines: list[str] = []
    for name in [*new_docs, *(n for n in old_docs if n not in new_docs)]:
        before, after = old_docs.get(name), new_docs.get(name)
        if after is None:
            lines.append(f"  - {name} (none in {new.api_version}: its operations are removed)")
        elif before is None:
            lines.append(f"  + {name} (from {after.api_version}, sha256 {after.sha256[:12]})")
        elif before.sha256 != after.sha256:
            lines.append(
                f"  ~ {name}: {before.api_version} {before.sha256[:12]} -> "
                f"{after.api_version} {after.sha256[:12]}"
            )
        else:
            lines.append(f"    {name}: unchanged (the {after.api_version} document)")
    section("Documents", lines)

    added = [n for n in new.components if n not in old.components]
    removed = [n for n in old.components if n not in new.components]
    lines = []
    for name in added:
        py = new.components[name]
        lines.append(f"  + {name} ({py})")
        users = _users(new, py)
        if users:
            lines.append(f"      used by: {', '.join(users)}")
    for name in removed:
        lines.append(f"  - {name} ({old.components[name]})")
    section("Schemas", lines)

    old_models = {m.name: m for m in old.models}
    new_models = {m.name: m for m in new.models}
    lines = []
    for name in sorted(new_models.keys() - old_models.keys()):
        lines.append(f"  + {name} ({new_models[name].schema})")
    for name in sorted(old_models.keys() - new_models.keys()):
        lines.append(f"  - {name} ({old_models[name].schema})")
    for name in sorted(old_models.keys() & new_models.keys()):
        before = {f.wire_name: f for f in old_models[name].fields}
        after = {f.wire_name: f for f in new_models[name].fields}
        changes: list[str] = []
        for wire in [w for w in after if w not in before]:
            changes.append(f"      + {wire}: {_field_sig(after[wire])}")
        for wire in [w for w in before if w not in after]:
            changes.append(f"      - {wire}: {_field_sig(before[wire])}")
        for wire in [w for w in before if w in after]:
            a, b = before[wire], after[wire]
            if _field_sig(a) != _field_sig(b):
                changes.append(f"      ~ {wire}: {_field_sig(a)} -> {_field_sig(b)}")
        if changes:
            lines.append(f"  ~ {name}")
            lines.extend(changes)
    section("Models (fields: type, required/optional, nullable)", lines)

    old_enums = {e.name: e for e in old.enums}
    new_enums = {e.name: e for e in new.enums}
    lines = []
    for name in sorted(new_enums.keys() - old_enums.keys()):
        lines.append(f"  + {name}: {', '.join(m.value for m in new_enums[name].members)}")
    for name in sorted(old_enums.keys() - new_enums.keys()):
        lines.append(f"  - {name}")
    for name in sorted(old_enums.keys() & new_enums.keys()):
        a_values = [m.value for m in old_enums[name].members]
        b_values = [m.value for m in new_enums[name].members]
        plus = [v for v in b_values if v not in a_values]
        minus = [v for v in a_values if v not in b_values]
        if plus or minus:
            lines.append(
                f"  ~ {name}: " + ", ".join([*(f"+{v}" for v in plus), *(f"-{v}" for v in minus)])
            )
    section("Enum values", lines)

    old_unions = {u.name: u for u in [*old.unions, *old.aliases]}
    new_unions = {u.name: u for u in [*new.unions, *new.aliases]}
    lines = []
    for name in sorted(new_unions.keys() - old_unions.keys()):
        lines.append(f"  + {name}")
    for name in sorted(old_unions.keys() - new_unions.keys()):
        lines.append(f"  - {name}")
    for name in sorted(old_unions.keys() & new_unions.keys()):
        a, b = old_unions[name], new_unions[name]
        a_members = (
            [ir.describe(m) for m in a.members]
            if isinstance(a, ir.Union)
            else [ir.describe(a.target)]
        )
        b_members = (
            [ir.describe(m) for m in b.members]
            if isinstance(b, ir.Union)
            else [ir.describe(b.target)]
        )
        if a_members != b_members:
            lines.append(f"  ~ {name}: {' | '.join(a_members)} -> {' | '.join(b_members)}")
    section("Unions and aliases", lines)

    old_ops = {o.operation_id: o for o in old.operations}
    new_ops = {o.operation_id: o for o in new.operations}
    lines = []
    for op_id in [o for o in new_ops if o not in old_ops]:
        op = new_ops[op_id]
        lines.append(f"  + {op_id}: {op.method} {op.path}{_where(op)}")
    for op_id in [o for o in old_ops if o not in new_ops]:
        op = old_ops[op_id]
        lines.append(f"  - {op_id}: {op.method} {op.path}{_where(op)}")
    for op_id in [o for o in old_ops if o in new_ops]:
        a, b = old_ops[op_id], new_ops[op_id]
        changes = []
        if (a.method, a.path) != (b.method, b.path):
            changes.append(f"      ~ {a.method} {a.path} -> {b.method} {b.path}")
        changes += _dict_changes("parameter", _params(a), _params(b))
        changes += _dict_changes("body", _bodies(a), _bodies(b))
        changes += _dict_changes("response", _responses(a), _responses(b))
        if a.streams != b.streams:
            changes.append(f"      ~ streams: {a.streams} -> {b.streams}")
        for label in ("paging", "long_running", "document"):
            before, after = getattr(a, label), getattr(b, label)
            if before != after:
                changes.append(f"      ~ {label}: {before} -> {after}")
        if changes:
            lines.append(f"  ~ {op_id}")
            lines.extend(changes)
    section("Operations", lines)
    return "\n".join(out).rstrip() + "\n"
