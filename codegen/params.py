"""IR -> ``models/_params.py``: TypedDicts for request keyword arguments.

The resource methods take a request body's fields as keyword arguments
(``**params: Unpack[ChatCompletionsCreateParams]``), and nested values as plain dicts or model
instances. This module gives type checkers and editors those shapes:

* ``<OperationIdPascal>Params`` for every operation with a JSON body: the body's fields except
  ``stream`` (the method overloads choose streaming) and read-only ones, ``Required[...]`` for
  the required ones;
* ``<Model>Param`` for every model reachable from a request body (same key rules, wire names as
  keys; the functional ``TypedDict("X", {...})`` form when a key is not an identifier);
* ``<Union>Param`` / ``<Alias>Param`` type aliases for the unions and aliases reachable from a
  request body: the union of the members' parameter types. Tagged members declare their tag as
  ``Required[Literal["value"]]``, so a type checker narrows on it; the ``Unknown...`` fallback
  is left out (sending one is an error).

Field types: primitives as they are; enums ``Literal[<known values>] | <Enum>``; models
``<Model>Param | <Model>`` (a dict or an instance); arrays ``Sequence[...]``; maps
``Mapping[str, ...]``; nullable ``... | None``. The module is only imported for typing by the
SDK, but it imports at runtime too (the area modules of the models it names): like the models
modules it is written in dependency order with real annotations, quoting only references inside
a cycle.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from codegen import ir
from codegen.emit import _constraint_text, _or, docstring, header
from codegen.naming import pascal
from codegen.order import dependency_order, unique
from codegen.pyfmt import (
    INDENT,
    Bracket,
    Kw,
    Node,
    Or,
    Pair,
    Writer,
    annotated,
    flat,
    import_from,
    py_str,
    render,
    sub,
)
from codegen.sdk import ParamHooks, load_param_hooks

PARAM_SUFFIX = "Param"
OPERATION_SUFFIX = "Params"
EXCLUDED_KEYS = frozenset({"stream"})  # chosen by the method overloads, never a keyword
RESERVED_KEYWORDS = frozenset(
    {"timeout", "max_retries", "extra_headers", "extra_query", "extra_body", "request_timeout"}
)
"""Keywords every SDK operation method takes for its per-call options
(``azure_oai_preview._options``); a request field or parameter of the same name could not be
passed as a keyword, so generation refuses the spec (see :func:`check_reserved_keywords`)."""
DEPLOYMENT_KEYWORDS = frozenset({"model"})
"""Keywords the operations on a deployment (a ``deployment-id`` path parameter) reserve besides:
``model``, openai-python's spelling of the deployment (``azure_oai_preview._options``)."""


def param_name(declaration: str) -> str:
    """``ChatCompletionTool`` -> ``ChatCompletionToolParam``."""
    return declaration + PARAM_SUFFIX


def operation_params_name(operation_id: str) -> str:
    """``ChatCompletions_Create`` -> ``ChatCompletionsCreateParams``."""
    return pascal(operation_id) + OPERATION_SUFFIX


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


@dataclass(frozen=True)
class OperationParams:
    operation: ir.Operation
    name: str
    model: ir.Model


@dataclass(frozen=True)
class Plan:
    """What ``_params.py`` declares, in a stable order."""

    operations: list[OperationParams]
    # JSON bodies that are a union of objects (`IngestionJobs_Create`): <Op>Params is an alias of
    # the union's parameter type, for a method that takes the body whole.
    union_bodies: list[tuple[str, ir.Operation, ir.TypeExpr]]
    models: list[ir.Model]  # each gets <Model>Param
    aliases: list[ir.Union | ir.Alias]  # each gets <Name>Param
    skipped: list[str]  # JSON-body operations whose body is not an object (warned about)


def _resolve_model(ir_: ir.IR, expr: ir.TypeExpr) -> ir.Model | None:
    decls = ir_.declarations()
    seen: set[str] = set()
    while isinstance(expr, ir.Ref) and expr.name not in seen:
        seen.add(expr.name)
        decl = decls.get(expr.name)
        if isinstance(decl, ir.Model):
            return decl
        if not isinstance(decl, ir.Alias):
            return None
        expr = decl.target
    return None


def request_fields(model: ir.Model, *, operation: bool) -> list[ir.Field]:
    """The fields a request sends: read-only ones never; ``stream`` not as a keyword."""
    return [
        f
        for f in model.fields
        if not f.read_only and not (operation and f.wire_name in EXCLUDED_KEYS)
    ]


def plan(ir_: ir.IR) -> Plan:
    decls = ir_.declarations()
    operations: list[OperationParams] = []
    union_bodies: list[tuple[str, ir.Operation, ir.TypeExpr]] = []
    skipped: list[str] = []
    for op in ir_.operations:
        body = next((b for b in op.request_bodies if is_json(b.content_type)), None)
        if body is None:
            continue
        model = _resolve_model(ir_, body.type)
        if model is None:
            decl = decls.get(ir.ref_names(body.type)[0]) if ir.ref_names(body.type) else None
            if isinstance(decl, ir.Union) and all(isinstance(m, ir.Ref) for m in decl.members):
                union_bodies.append((operation_params_name(op.operation_id), op, body.type))
            else:
                skipped.append(op.operation_id)
            continue
        operations.append(OperationParams(op, operation_params_name(op.operation_id), model))

    reached: list[str] = []

    def walk(expr: ir.TypeExpr) -> None:
        for name in ir.ref_names(expr):
            if name in reached:
                continue
            reached.append(name)
            decl = decls[name]
            if isinstance(decl, ir.Model):
                for f in request_fields(decl, operation=False):
                    walk(f.type)
            elif isinstance(decl, ir.Union):
                for member in decl.members:
                    walk(member)
            elif isinstance(decl, ir.Alias):
                walk(decl.target)

    for entry in operations:
        for f in request_fields(entry.model, operation=True):
            walk(f.type)
    for _, _, body_type in union_bodies:
        walk(body_type)
    # Spec order (like _generated.py), not discovery order, so the output reads the same way.
    models = [m for m in ir_.models if m.name in reached]
    aliases: list[ir.Union | ir.Alias] = [
        d for d in (*ir_.unions, *ir_.aliases) if d.name in reached
    ]
    return Plan(
        operations=operations,
        union_bodies=union_bodies,
        models=models,
        aliases=aliases,
        skipped=skipped,
    )


# ----------------------------------------------------------------------------------- types


class _Types:
    """Parameter types for IR expressions, and the declarations of this module they name."""

    def __init__(self, ir_: ir.IR, hooks: ParamHooks | None = None) -> None:
        self.decls = ir_.declarations()
        self.imported: set[str] = set()  # names taken from _generated
        self.written: list[str] = []  # every type written, to find the imports it needs
        # declaration -> the (response) models also accepted for it (codegen/sdk.toml)
        self.accepts: dict[str, tuple[str, ...]] = {}
        for schema, models in (hooks.accepts if hooks else {}).items():
            name = ir_.components.get(schema)
            extra = tuple(ir_.components[m] for m in models if m in ir_.components)
            if name is not None and extra:
                self.accepts[name] = extra

    def also_accepted(self, name: str) -> tuple[str, ...]:
        extra = self.accepts.get(name, ())
        self.imported.update(extra)
        return extra

    def use(self, node: Node) -> Node:
        self.written.append(flat(node))
        return node

    def node(self, expr: ir.TypeExpr) -> Node:
        if isinstance(expr, ir.Prim):
            return expr.name
        if isinstance(expr, ir.AnyType):
            return "Any"
        if isinstance(expr, ir.Ref):
            decl = self.decls[expr.name]
            if isinstance(decl, ir.Enum):
                self.imported.add(decl.name)
                values = sub("Literal", *(py_str(m.value) for m in decl.members))
                return Or((values, decl.name))
            if isinstance(decl, ir.Model):
                self.imported.add(decl.name)
                return Or((param_name(decl.name), decl.name, *self.also_accepted(decl.name)))
            return param_name(decl.name)
        if isinstance(expr, ir.ListOf):
            return sub("Sequence", self.node(expr.item))
        if isinstance(expr, ir.DictOf):
            return sub("Mapping", "str", self.node(expr.value))
        if isinstance(expr, ir.LiteralOf):
            return sub("Literal", *(py_str(v) for v in expr.values))
        if isinstance(expr, ir.UnionOf):
            return _or([self.node(m) for m in expr.members])
        return _or([self.node(expr.inner), "None"])

    def local_refs(self, expr: ir.TypeExpr) -> list[str]:
        """The names of this module an expression's parameter type uses."""
        found: list[str] = []
        for name in ir.ref_names(expr):
            decl = self.decls[name]
            if not isinstance(decl, ir.Enum):
                found.append(param_name(name))
        return found


def _union_items(node: Node) -> tuple[Node, ...]:
    return node.parts if isinstance(node, Or) else (node,)


def _key_doc(f: ir.Field) -> str:
    return "\n\n".join(p for p in (f.description, _constraint_text(f)) if p)


def _functional(fields: list[ir.Field]) -> bool:
    return any(not f.wire_name.isidentifier() or keyword.iskeyword(f.wire_name) for f in fields)


# ---------------------------------------------------------------------------------- emitter


@dataclass
class _TypedDict:
    name: str
    doc: str
    fields: list[ir.Field]
    int_key_fields: frozenset[str] = frozenset()  # maps whose keys may also be ints


def _typed_dict_lines(td: _TypedDict, types: _Types, defined: Collection[str], w: Writer) -> None:
    entries: list[tuple[ir.Field, Node]] = []
    for f in td.fields:
        t = types.node(f.type)
        if f.wire_name in td.int_key_fields and isinstance(f.type, ir.DictOf):
            value = types.node(f.type.value)
            t = Or((sub("Mapping", "str", value), sub("Mapping", "int", value)))
        if f.nullable and f.tag is None:
            t = _or([t, "None"])
        if any(n not in defined for n in types.local_refs(f.type)):
            t = py_str(flat(t))  # a reference cycle: the whole type is one string
        if f.required:
            t = sub("Required", t)
        entries.append((f, types.use(t)))
    w.blank(2)
    if _functional(td.fields):
        items = tuple(Pair(py_str(f.wire_name), t) for f, t in entries)
        value = Bracket(
            "TypedDict",
            "(",
            (py_str(td.name), Bracket("", "{", items), Kw("total", "False")),
        )
        w.add(*render(value, 0, f"{td.name} = "))
        keys = "\n".join(
            f"* `{f.wire_name}`: {' '.join(_key_doc(f).split())}" for f, _ in entries if _key_doc(f)
        )
        w.add(*docstring("\n\n".join(p for p in (td.doc, keys) if p), 0))
        return
    header_node = Bracket(f"class {td.name}", "(", ("TypedDict", Kw("total", "False")))
    w.add(*render(header_node, 0, "", ":"))
    lines = docstring(td.doc, 4)
    if lines:
        w.add(*lines)
        if entries:
            w.add("")
    if not entries:
        if not lines:
            w.add(f"{INDENT}pass")
        return
    for f, t in entries:
        w.add(*annotated(f.wire_name, t, None, 4))
        w.add(*docstring(_key_doc(f), 4))


def _model_doc(model: ir.Model) -> str:
    doc = model.description
    if model.title and model.title.lower() not in doc.lower():
        doc = f"{model.title}\n\n{doc}" if doc else model.title
    note = f"`{model.name}` as a dict, for requests."
    return f"{note}\n\n{doc}" if doc else note


def _operation_doc(entry: OperationParams) -> str:
    op = entry.operation
    first = f"Keyword arguments of `{op.operation_id}`"
    if op.summary:
        first += f": {op.summary.rstrip('.')}"
    rest = (
        f"The fields of the `{entry.model.name}` body"
        + (", except `stream` (chosen by the method)" if _has_stream(entry.model) else "")
        + ". Nested values are dicts or model instances."
    )
    return f"{first}.\n\n{rest}"


def _has_stream(model: ir.Model) -> bool:
    return any(f.wire_name in EXCLUDED_KEYS for f in model.fields)


def _alias_value(decl: ir.Union | ir.Alias, types: _Types) -> Node:
    if isinstance(decl, ir.Union):
        items: list[Node] = []
        for member in decl.members:
            items.extend(_union_items(types.node(member)))
        items.extend(types.also_accepted(decl.name))
        if decl.nullable:
            items.append("None")
    else:
        items = list(_union_items(types.node(decl.target)))
    items = list(dict.fromkeys(items))
    return sub("Union", *items) if len(items) > 1 else items[0]


def _alias_doc(decl: ir.Union | ir.Alias, types: _Types) -> str:
    note = f"`{decl.name}` in a request: any member, as a dict or a model instance."
    extra = types.accepts.get(decl.name, ())
    if extra:
        names = ", ".join(f"`{name}`" for name in extra)
        note += f" {names} (from a response) is accepted too and sent in the request shape."
    return f"{note}\n\n{decl.description}" if decl.description else note


def declared_names(ir_: ir.IR) -> list[str]:
    """Every public name of ``_params.py`` (sorted)."""
    p = plan(ir_)
    names = [e.name for e in p.operations]
    names += [name for name, _, _ in p.union_bodies]
    names += [param_name(m.name) for m in p.models]
    names += [param_name(a.name) for a in p.aliases]
    return sorted(names)


def check_reserved_keywords(ir_: ir.IR) -> None:
    """Refuse a spec whose request fields or parameters are named like a per-call option.

    The SDK's methods take a body's fields, and path and query parameters, as keyword
    arguments next to ``timeout``, ``extra_body``... (:data:`RESERVED_KEYWORDS`). A clash
    would make the spec's field unreachable as a keyword (it can still be sent with
    ``extra_body``/``extra_query``), so it must be resolved on purpose: rename it with a spec
    transform, or give the resource method its own spelling.
    """
    clashes: list[str] = []
    for op in ir_.operations:
        on_deployment = any(p.name == "deployment-id" for p in op.parameters)
        reserved = RESERVED_KEYWORDS | DEPLOYMENT_KEYWORDS if on_deployment else RESERVED_KEYWORDS
        clashes += [
            f"{op.operation_id}: {p.location} parameter {p.name!r}"
            for p in op.parameters
            if p.py_name in reserved or p.name in reserved
        ]
        for body in op.request_bodies:
            model = _resolve_model(ir_, body.type)
            fields = request_fields(model, operation=True) if model is not None else []
            clashes += [
                f"{op.operation_id}: {body.content_type} field {f.wire_name!r}"
                for f in fields
                if f.wire_name in reserved
            ]
    if clashes:
        raise ValueError(
            "request fields or parameters named like the SDK's per-call options "
            f"({', '.join(sorted(RESERVED_KEYWORDS | DEPLOYMENT_KEYWORDS))}): "
            + "; ".join(dict.fromkeys(clashes))
            + ". Rename them with a spec transform (specs/transforms/) or in the resource method."
        )


def _check_names(ir_: ir.IR, names: list[str]) -> None:
    generated = set(ir_.declarations())
    clashes = sorted(n for n in names if n in generated)
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if clashes or duplicates:
        raise ValueError(
            "request parameter names clash: "
            + ", ".join([*(f"{n} (a model)" for n in clashes), *duplicates])
        )


def _iter_declarations(
    p: Plan, hooks: ParamHooks
) -> Iterator[tuple[str, _TypedDict | ir.Union | ir.Alias, list[ir.TypeExpr]]]:
    for model in p.models:
        fields = request_fields(model, operation=False)
        yield (
            param_name(model.name),
            _TypedDict(param_name(model.name), _model_doc(model), fields),
            [f.type for f in fields],
        )
    for decl in p.aliases:
        exprs = decl.members if isinstance(decl, ir.Union) else [decl.target]
        yield param_name(decl.name), decl, list(exprs)
    for entry in p.operations:
        fields = request_fields(entry.model, operation=True)
        int_keys = frozenset(
            wire for op_id, wire in hooks.int_key_fields if op_id == entry.operation.operation_id
        )
        yield (
            entry.name,
            _TypedDict(entry.name, _operation_doc(entry), fields, int_keys),
            [f.type for f in fields],
        )
    for name, op, body_type in p.union_bodies:
        union = ir.describe(body_type)
        doc = (
            f"The body of `{op.operation_id}`"
            + (f" ({op.summary.rstrip('.')})" if op.summary else "")
            + ", passed whole: one member of the union."
        )
        yield name, ir.Alias(name=union, schema="", description=doc, target=body_type), [body_type]


@dataclass(frozen=True)
class Prepared:
    """Every parameter declaration of an IR, checked and in definition order."""

    plan: Plan
    declarations: dict[str, tuple[_TypedDict | ir.Union | ir.Alias, list[ir.TypeExpr]]]
    order: list[str]
    decls: dict[str, ir.Decl | ir.Fallback]  # the IR's declarations
    hooks: ParamHooks

    def refs(self, name: str) -> list[str]:
        """The parameter declarations ``name`` refers to."""
        return unique(
            param_name(n)
            for e in self.declarations[name][1]
            for n in ir.ref_names(e)
            if not isinstance(self.decls[n], ir.Enum)
        )


def prepare(ir_: ir.IR, hooks: ParamHooks | None = None) -> Prepared:
    """Every parameter declaration of ``ir_``; ``hooks`` default to ``codegen/sdk.toml``'s."""
    hooks = hooks if hooks is not None else load_param_hooks()
    check_reserved_keywords(ir_)
    p = plan(ir_)
    for op_id in p.skipped:
        ir_.warnings.append(f"{op_id}: the JSON body is not an object; no keyword parameters")
    types = _Types(ir_, hooks)
    declarations = {name: (decl, exprs) for name, decl, exprs in _iter_declarations(p, hooks)}
    names = list(declarations)
    _check_names(ir_, names)
    order = dependency_order(
        names,
        {
            name: unique(n for e in exprs for n in types.local_refs(e))
            for name, (_, exprs) in declarations.items()
        },
        lazy=lambda name: isinstance(declarations[name][0], _TypedDict),
    )
    return Prepared(p, declarations, order, ir_.declarations(), hooks)


PARAMS_DOC = (
    "The resource methods take a request body's fields as keyword arguments typed with "
    "`Unpack[<OperationId>Params]`; nested values are plain dicts (`<Model>Param`) or "
    "model instances. Only type checkers need this module (the SDK imports it under "
    "`TYPE_CHECKING`); it imports at runtime all the same."
)


def emit_params(ir_: ir.IR, hooks: ParamHooks | None = None) -> str:
    """Every parameter declaration in one ``_params`` module, importing the models from
    ``_generated`` (the split per API area is :func:`codegen.emit_areas.emit_params_split`)."""
    return emit_params_module(
        ir_,
        prepare(ir_, hooks),
        None,
        {},
        f"Request parameters as TypedDicts, api-version {ir_.api_version}.\n\n{PARAMS_DOC}",
    )


def emit_params_module(
    ir_: ir.IR,
    prepared: Prepared,
    names: Collection[str] | None,
    modules: Mapping[str, str],
    doc: str,
) -> str:
    """A parameters module holding ``names`` (all when None). ``modules`` maps what it uses from
    sibling modules (model and enum classes, other modules' parameter types) to their module;
    a model or enum missing from it comes from ``_generated``."""
    types = _Types(ir_, prepared.hooks)
    declarations = prepared.declarations
    body = Writer()
    defined: set[str] = {n for n in declarations if names is not None and n not in names}
    for name in prepared.order:
        if names is not None and name not in names:
            continue
        decl, _ = declarations[name]
        if isinstance(decl, _TypedDict):
            _typed_dict_lines(decl, types, defined, body)
        else:
            body.blank(2)
            value = types.use(_alias_value(decl, types))
            body.add(*annotated(name, "TypeAlias", value, 0))
            body.add(*docstring(_alias_doc(decl, types), 0))
        defined.add(name)
    code = body.text()

    written = "\n".join(types.written)

    def uses(name: str) -> bool:
        return re.search(rf"\b{name}\b", written) is not None

    w = Writer()
    w.add(*header(ir_, "The public facade is azure_oai_preview.models.", doc))
    stdlib: list[str] = []
    abc_names = [n for n in ("Mapping", "Sequence") if uses(n)]
    if abc_names:
        stdlib.append(f"from collections.abc import {', '.join(abc_names)}")
    typing_names = [n for n in ("Any", "Literal", "Union") if uses(n)]
    if re.search(r"^\w+: TypeAlias = ", code, re.MULTILINE):
        typing_names.append("TypeAlias")
    typing_names.sort()
    if typing_names:
        stdlib.append(f"from typing import {', '.join(typing_names)}")
    if stdlib:
        w.add(*stdlib)
        w.add("")
    extensions = [n for n in ("Required",) if uses(n)]
    if re.search(r"^class \w+\(TypedDict|= TypedDict\(", code, re.MULTILINE):
        extensions.append("TypedDict")
    if extensions:
        w.add(f"from typing_extensions import {', '.join(extensions)}")
        w.add("")
    local = set(declarations) if names is None else set(names)
    imported = {n for n in types.imported if uses(n)}
    imported |= {n for n in declarations if n not in local and uses(n)}
    by_module: dict[str, list[str]] = {}
    for name in sorted(imported):
        by_module.setdefault(modules.get(name, "_generated"), []).append(name)
    for module in sorted(by_module):
        w.add(*import_from(f".{module}", by_module[module]))
    w.blank(1)
    w.add(*render(Bracket("", "[", tuple(py_str(n) for n in sorted(local))), 0, "__all__ = "))
    if code.strip():
        w.blank(2)
        w.add(code.rstrip("\n"))
    return w.text()
