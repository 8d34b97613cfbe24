"""API areas: which generated module holds each declaration.

A chat-only application should never pay for the assistants, vector-store or authoring
models, so the models are written to one module per API area (``models/_chat.py``,
``models/_assistants.py``, ...), plus ``models/_common.py`` for what several areas share.

The rule, decided from the operations (``codegen/areas.toml`` maps each operation to an area by
its path):

* a declaration reached from the schemas of one area's operations (request body, responses,
  error, parameters, transitively) belongs to that area; reached from several areas, to
  ``common``. Streams count as their operation: the models the SDK reads off a stream that no
  schema names (``IR.stream_models``) are reached from that operation;
* a declaration no operation reaches (a union's base schema, a discriminator enum, a schema
  this api-version no longer uses) follows what it refers to: when everything it reaches lies
  in one area (or ``common``), it joins that area; when it is referred to by such declarations
  of several areas (and reaches only ``common``), it is ``common``; otherwise it is
  ``unreferenced``.

So an area module refers only to itself and ``common``, ``common`` only to itself, and
``unreferenced`` to anything; loading an area never loads another. :func:`assign` checks this
and raises :class:`AreaError` if it ever failed, and for an operation no area claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from codegen import ir
from codegen.emit import declaration_deps
from codegen.tomlfile import load_toml

AREAS_CONFIG = Path(__file__).resolve().parent / "areas.toml"
COMMON = "common"
UNREFERENCED = "unreferenced"
_RESERVED = frozenset({COMMON, UNREFERENCED, "generated", "manifest", "params", "areas"})


class AreaError(ValueError):
    """The area configuration does not fit the spec (an operation no area claims, ...)."""


@dataclass(frozen=True)
class AreaRule:
    name: str
    title: str
    paths: tuple[str, ...]

    def claims(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.paths)


def load_rules(path: Path = AREAS_CONFIG) -> tuple[AreaRule, ...]:
    data = load_toml(path)
    unknown = set(data) - {"areas"}
    if unknown:
        raise AreaError(f"{path}: unknown sections {sorted(unknown)}")
    rules: list[AreaRule] = []
    for entry in data.get("areas", []):
        name = entry["name"]
        reserved = name in _RESERVED or name.startswith("params_")  # _params_<area> modules
        if not name.isidentifier() or reserved or name != name.lower():
            raise AreaError(f"{path}: {name!r} cannot name an area (reserved or not a module name)")
        if any(r.name == name for r in rules):
            raise AreaError(f"{path}: area {name!r} is declared twice")
        rules.append(AreaRule(name, entry.get("title", name), tuple(entry["paths"])))
    return tuple(rules)


@dataclass(frozen=True)
class Layout:
    """Where everything goes: the outcome of :func:`assign`."""

    rules: tuple[AreaRule, ...]
    operations: dict[str, str]  # operationId -> area
    declarations: dict[str, str]  # declaration name -> area, COMMON or UNREFERENCED

    @property
    def modules(self) -> list[str]:
        """The areas that hold declarations, in module order: common, the areas, unreferenced."""
        used = set(self.declarations.values())
        order = [COMMON, *(r.name for r in self.rules), UNREFERENCED]
        return [a for a in order if a in used]

    def names_in(self, area: str) -> list[str]:
        return sorted(n for n, a in self.declarations.items() if a == area)


def module_name(area: str) -> str:
    """The file stem of an area's module (``chat`` -> ``_chat``)."""
    return f"_{area}"


def operation_area(op: ir.Operation, rules: Iterable[AreaRule]) -> str:
    for rule in rules:
        if rule.claims(op.path):
            return rule.name
    raise AreaError(
        f"operation {op.operation_id} ({op.method.upper()} {op.path}) belongs to no API area: "
        f"add its path to an area in {AREAS_CONFIG.name}"
    )


def _operation_roots(op: ir.Operation) -> list[str]:
    roots: list[str] = []
    for body in op.request_bodies:
        roots += ir.ref_names(body.type)
    for response in op.responses:
        if response.type is not None:
            roots += ir.ref_names(response.type)
    if op.error_type is not None:
        roots += ir.ref_names(op.error_type)
    for parameter in op.parameters:
        roots += ir.ref_names(parameter.type)
    return roots


def _closure(roots: Iterable[str], deps: Mapping[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [r for r in roots if r in deps]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(d for d in deps[name] if d in deps and d not in seen)
    return seen


def assign(ir_: ir.IR, rules: tuple[AreaRule, ...] | None = None) -> Layout:
    """Every operation's area and every declaration's module (see the module docstring)."""
    rules = load_rules() if rules is None else rules
    decls = ir_.declarations()
    deps = {name: declaration_deps(decl) for name, decl in decls.items()}
    operations = {op.operation_id: operation_area(op, rules) for op in ir_.operations}

    reached: dict[str, set[str]] = {}
    roots_of = {op.operation_id: _operation_roots(op) for op in ir_.operations}
    for name, operation_id in ir_.stream_models.items():
        if operation_id not in operations:
            raise AreaError(f"the stream of {name} names {operation_id}, not an operation")
        roots_of[operation_id] = [*roots_of[operation_id], name]
    for operation_id, roots in roots_of.items():
        for name in _closure(roots, deps):
            reached.setdefault(name, set()).add(operations[operation_id])

    placed = {n: (next(iter(a)) if len(a) == 1 else COMMON) for n, a in reached.items()}
    placed.update(_place_unreached([n for n in decls if n not in reached], placed, deps))
    layout = Layout(rules, operations, {n: placed[n] for n in decls})
    _check(layout, deps)
    return layout


def _place_unreached(
    unreached: list[str], placed: Mapping[str, str], deps: Mapping[str, list[str]]
) -> dict[str, str]:
    # What each unreached declaration leans to: the one area of the reached declarations it
    # refers to (None when it refers to common ones or nothing; "" when to several areas).
    leaning: dict[str, str | None] = {}
    closures = {name: _closure([name], deps) for name in unreached}
    for name in unreached:
        areas = {placed[d] for d in closures[name] if d in placed} - {COMMON}
        leaning[name] = None if not areas else (next(iter(areas)) if len(areas) == 1 else "")
    # A declaration takes the areas of the unreached declarations that lean somewhere and
    # reach it; itself included.
    pulled: dict[str, set[str]] = {name: set() for name in unreached}
    for name in unreached:
        area = leaning[name]
        if area:
            for reached_name in closures[name]:
                if reached_name in pulled:
                    pulled[reached_name].add(area)
    result: dict[str, str] = {}
    for name in unreached:
        areas = pulled[name]
        if len(areas) == 1:
            result[name] = next(iter(areas))
        elif len(areas) > 1 and leaning[name] is None:
            result[name] = COMMON
        else:
            result[name] = UNREFERENCED
    return result


def _check(layout: Layout, deps: Mapping[str, list[str]]) -> None:
    """Loading an area must never load another: refuse a layout where it would."""
    where = layout.declarations
    for name, area in where.items():
        if area == UNREFERENCED:
            continue
        allowed = {area, COMMON}
        for dep in deps[name]:
            if dep in where and where[dep] not in allowed:
                raise AreaError(
                    f"{name} ({area}) refers to {dep} ({where[dep]}): the layout would make "
                    f"loading {area} load {where[dep]}"
                )
