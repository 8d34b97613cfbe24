"""IR -> Python source for the models modules (the manifest is :mod:`codegen.manifest`, the split
into API areas :mod:`codegen.emit_areas`)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Collection, Mapping

from codegen import ir
from codegen.order import dependency_order, unique
from codegen.paths import GENERATED_MARK
from codegen.pyfmt import (
    INDENT,
    LINE_LENGTH,
    Bracket,
    Node,
    Or,
    Writer,
    annotated,
    call,
    flat,
    import_from,
    py_str,
    render,
    statement,
    sub,
)

_REGEX_META = set(".^$*+?{}[]\\|()")
_DOCSTRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""')


def sources(ir_: ir.IR) -> list[str]:
    """One line per document: ``inference sha256 ...``, ``authoring of <version> sha256 ...``
    (a reused document names the version that pins it)."""
    documents = ir_.documents or [ir.SourceDocument("inference", ir_.api_version, ir_.spec_sha256)]
    return [
        d.name
        + (f" of {d.api_version}" if d.api_version != ir_.api_version else "")
        + f" sha256 {d.sha256}"
        for d in documents
    ]


def header(ir_: ir.IR, what: str, doc: str) -> list[str]:
    """The opening of a generated module: the do-not-edit comment, the module docstring and
    a blank line."""
    return [
        f"{GENERATED_MARK} from the Azure OpenAI data-plane specs of",
        f"# api-version {ir_.api_version}, with specs/transforms/ applied:",
        *(f"#   {line}" for line in sources(ir_)),
        f"# Do not edit: change codegen/ or specs/transforms/ and regenerate. {what}",
        *docstring(doc, 0),
        "",
    ]


# ------------------------------------------------------------------------------- docstrings


def _clean(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).strip()
    if not text:
        return []
    lines = [line.rstrip() for line in text.split("\n")]
    first, rest = (
        lines[0].strip(),
        textwrap.dedent("\n".join(lines[1:])).split("\n") if len(lines) > 1 else [],
    )
    out: list[str] = [first]
    for line in rest:
        if line == "" and out[-1] == "":
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


def _wrap(lines: list[str], width: int) -> list[str]:
    wrapped: list[str] = []
    for line in lines:
        if len(line) <= width or not line.strip():
            wrapped.append(line)
            continue
        lead = len(line) - len(line.lstrip())
        bullet = re.match(r"^(\s*)([-*+]|\d+[.)])\s+", line)
        subsequent = " " * (len(bullet.group(0)) if bullet else lead)
        pieces = textwrap.wrap(
            line.strip(),
            width=width,
            initial_indent=" " * lead,
            subsequent_indent=subsequent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        wrapped.extend(pieces or [line])
    return wrapped


def docstring(text: str, indent: int) -> list[str]:
    """A docstring (or attribute docstring) at ``indent``, as ruff would leave it."""
    lines = _clean(text)
    if not lines:
        return []
    lines = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
    pad = " " * indent
    lines = _wrap(lines, LINE_LENGTH - indent - 3)
    if lines[0].startswith(" "):
        lines[0] = lines[0].lstrip()
    if len(lines) == 1:
        # ruff keeps a one-line docstring on one line whatever its length.
        body = lines[0]
        if body.endswith('"'):
            body += " "
        return [f'{pad}"""{body}"""']
    out = [f'{pad}"""{lines[0]}']
    out.extend(f"{pad}{line}" if line else "" for line in lines[1:])
    out.append(f'{pad}"""')
    return out


# ------------------------------------------------------------------------------ annotations


def annotation(expr: ir.TypeExpr) -> Node:
    if isinstance(expr, ir.Prim):
        return expr.name
    if isinstance(expr, ir.AnyType):
        return "Any"
    if isinstance(expr, ir.Ref):
        return expr.name
    if isinstance(expr, ir.ListOf):
        return sub("list", annotation(expr.item))
    if isinstance(expr, ir.DictOf):
        return sub("dict", "str", annotation(expr.value))
    if isinstance(expr, ir.LiteralOf):
        return sub("Literal", *(py_str(v) for v in expr.values))
    if isinstance(expr, ir.UnionOf):
        return _or([annotation(m) for m in expr.members])
    return _or([annotation(expr.inner), "None"])


def _or(parts: list[Node]) -> Node:
    flat: list[Node] = []
    for part in parts:
        for p in part.parts if isinstance(part, Or) else (part,):
            if p not in flat:
                flat.append(p)
    if "None" in flat:
        flat = [p for p in flat if p != "None"] + ["None"]
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def runtime_annotation(expr: ir.TypeExpr) -> Node:
    """For values evaluated at import (aliases): unions spelled with ``Union[...]``."""
    if isinstance(expr, ir.ListOf):
        return sub("list", runtime_annotation(expr.item))
    if isinstance(expr, ir.DictOf):
        return sub("dict", "str", runtime_annotation(expr.value))
    if isinstance(expr, ir.UnionOf):
        return sub("Union", *(runtime_annotation(m) for m in expr.members))
    if isinstance(expr, ir.Nullable):
        inner = runtime_annotation(expr.inner)
        if isinstance(inner, Bracket) and inner.head == "Union":
            return sub("Union", *inner.items, "None")
        return sub("Union", inner, "None")
    result = annotation(expr)
    return result


def _escape_regex(value: str) -> str:
    return "".join("\\" + ch if ch in _REGEX_META else ch for ch in value)


def _constraint_text(f: ir.Field) -> str:
    notes: list[str] = []
    described = f.constraints.describe()
    if described:
        notes.append(f"Constraints (documented, not enforced): {described}.")
    if f.default is not None:
        notes.append(f"Default: `{_json(f.default.raw)}`.")
    return " ".join(notes)


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------------------- models


def _class_header(w: Writer, name: str, base: str, doc: str) -> None:
    w.blank(2)
    w.add(*render(Bracket(f"class {name}", "(", (base,)), 0, "", ":"))
    lines = docstring(doc, 4)
    if lines:
        w.add(*lines)
        w.add("")


def emit_enum(w: Writer, enum: ir.Enum) -> None:
    doc = enum.description
    _class_header(w, enum.name, "OpenEnum", doc)
    for member in enum.members:
        w.add(*statement(member.name, py_str(member.value), 4))
        if member.description:
            w.add(*docstring(member.description, 4))


def _field_lines(f: ir.Field, forward: bool = False) -> list[str]:
    t: Node = annotation(f.type)
    # A non-nullable optional field with a spec default keeps its plain type (`n: int = 1`).
    plain_default = f.default is not None and not f.nullable
    if f.tag is None and (f.nullable or not f.required) and not plain_default:
        t = _or([t, "None"])
    if forward:
        # Names a class defined later (a reference cycle): the whole type is one string.
        t = py_str(flat(t))
    metadata: dict[str, Node] = {}
    if f.aliased:
        metadata["alias"] = py_str(f.wire_name)
    if f.secret:
        metadata["repr"] = "False"
    ann: Node = sub("Annotated", t, call("Field", **metadata)) if metadata else t
    value: Node | None = None
    if not f.required:
        value = "None" if f.default is None else default_value(f.default.value)
    lines = annotated(f.py_name, ann, value, 4)
    doc = "\n\n".join(p for p in (f.description, _constraint_text(f)) if p)
    if f.aliased:
        doc = "\n\n".join(p for p in (doc, f"Sent as `{f.wire_name}`.") if p)
    lines.extend(docstring(doc, 4))
    return lines


def value_source(value: ir.Value) -> str:
    """A default value as a Python expression."""
    if isinstance(value, ir.Scalar):
        return py_str(value.value) if isinstance(value.value, str) else repr(value.value)
    if isinstance(value, ir.EnumValue):
        return f"{value.enum}.{value.member}"
    if isinstance(value, ir.ListValue):
        return "[" + ", ".join(value_source(v) for v in value.items) + "]"
    return "{}"


def default_value(value: ir.Value) -> Node:
    """What follows ``=`` for a field with a spec default; lists and dicts are built by a
    factory (evaluated at class creation, before the aliases exist, so ``list[Any]`` rather
    than ``list[T]``; ``list[Any]``, unlike a bare ``list``, also keeps pyright from inferring
    ``list[Unknown]``)."""
    if isinstance(value, ir.ListValue):
        factory: Node = sub("list", "Any")
        if value.items:
            factory = Bracket("lambda: ", "[", tuple(value_source(v) for v in value.items))
        return call("Field", default_factory=factory)
    if isinstance(value, ir.EmptyDict):
        return call("Field", default_factory=sub("dict", "str", "Any"))
    return value_source(value)


def emit_model(w: Writer, model: ir.Model, defined: Collection[str]) -> None:
    """A model class; field types naming a declaration not in ``defined`` yet are quoted."""
    doc = model.description
    if model.title and model.title.lower() not in doc.lower():
        doc = f"{model.title}\n\n{doc}" if doc else model.title
    _class_header(w, model.name, "OpenModel", doc)
    w.add(*statement("__azure_schema__", py_str(model.schema), 4))
    non_nullable = sorted(
        f.py_name for f in model.fields if not f.required and not f.nullable and f.tag is None
    )
    if non_nullable:
        items = Bracket("", "{", tuple(py_str(n) for n in non_nullable))
        w.add(*render(call("frozenset", items), 4, "__azure_non_nullable__ = "))
    read_only = sorted(f.py_name for f in model.fields if f.read_only)
    if read_only:
        items = Bracket("", "{", tuple(py_str(n) for n in read_only))
        w.add(*render(call("frozenset", items), 4, "__azure_read_only__ = "))
    if model.additional_properties:
        w.add(f"{INDENT}__azure_additional_properties__ = True")
    if model.fields:
        w.add("")
    for f in model.fields:
        w.add(*_field_lines(f, forward=any(n not in defined for n in ir.ref_names(f.type))))


def emit_fallback(w: Writer, fallback: ir.Fallback) -> None:
    doc = (
        f"A `{fallback.union}` member whose `{fallback.tag}` this version of the SDK does not know.\n\n"
        "Every field the service sent is kept (reachable as attributes and through `model_extra`), "
        "so a newer service never breaks parsing; sending one in a request is an error."
    )
    _class_header(w, fallback.name, "UnknownVariantModel", doc)
    w.add(*statement("__azure_schema__", py_str(fallback.schema), 4))
    w.add("")
    pattern = "^(?!(?:" + "|".join(_escape_regex(v) for v in fallback.known) + ")$)"
    ann = sub("Annotated", "str", call("Field", pattern=f'r"{pattern}"'))
    w.add(*annotated(fallback.tag, ann, None, 4))
    w.add(
        *docstring(f"Any `{fallback.tag}` except the known ones: {', '.join(fallback.known)}.", 4)
    )


def union_value(union: ir.Union) -> Node:
    members: list[Node] = [runtime_annotation(m) for m in union.members]
    if union.discriminator is not None and union.fallback is not None:
        inner: Node = members[0]
        if len(members) > 1:
            inner = sub(
                "Annotated",
                sub("Union", *members),
                call("Field", discriminator=py_str(union.discriminator)),
            )
        return sub(
            "Annotated",
            sub("Union", inner, union.fallback),
            call("Field", union_mode=py_str("left_to_right")),
        )
    if union.nullable:
        members.append("None")
    return sub("Union", *members) if len(members) > 1 else members[0]


def declaration_deps(decl: ir.Decl | ir.Fallback) -> list[str]:
    """The declarations ``decl`` names, in order of appearance."""
    if isinstance(decl, ir.Model):
        return unique(n for f in decl.fields for n in ir.ref_names(f.type))
    if isinstance(decl, ir.Union):
        names = [n for m in decl.members for n in ir.ref_names(m)]
        return unique([*names, *([decl.fallback] if decl.fallback else [])])
    if isinstance(decl, ir.Alias):
        return ir.ref_names(decl.target)
    return []


def definition_order(ir_: ir.IR) -> list[ir.Decl | ir.Fallback]:
    """Every declaration after the ones it uses (annotations are evaluated at import).

    Seeded with enums, models, fallbacks, then unions and aliases, so enums come first and
    everything else is pulled in just before its first user. Only model fields may refer to a
    class defined later (a cycle through recursive schemas); they are quoted.
    """
    seeds: list[ir.Decl | ir.Fallback] = [
        *ir_.enums,
        *ir_.models,
        *ir_.fallbacks,
        *ir_.unions,
        *ir_.aliases,
    ]
    by_name = {d.name: d for d in seeds}
    names = dependency_order(
        [d.name for d in seeds],
        {d.name: declaration_deps(d) for d in seeds},
        lazy=lambda name: isinstance(by_name[name], ir.Model),
    )
    return [by_name[n] for n in names]


def _uses(source: str, name: str) -> bool:
    return re.search(rf"\b{name}\b", source) is not None


def emit_models(ir_: ir.IR) -> str:
    """Every declaration of ``ir_`` in one module (the split per API area is
    :mod:`codegen.emit_areas`; this single-module form serves the generator's own tests)."""
    return emit_module(
        ir_,
        None,
        {},
        f"Pydantic models for the Azure OpenAI data-plane API, api-version {ir_.api_version}.",
    )


def emit_module(
    ir_: ir.IR, names: Collection[str] | None, imports: Mapping[str, str], title: str
) -> str:
    """A models module holding the declarations ``names`` (all when None), in definition order.

    ``imports`` maps each declaration these refer to but that lives in a sibling module to that
    module's name (``"_common"``); it is imported, so it counts as defined.
    """
    body = Writer()
    # Real (evaluated) annotations: pydantic then has no strings to compile at import. Every
    # declaration follows the ones it uses; only a reference cycle leaves a quoted annotation.
    defined: set[str] = set(imports)
    for decl in definition_order(ir_):
        if names is not None and decl.name not in names:
            continue
        if isinstance(decl, ir.Enum):
            emit_enum(body, decl)
        elif isinstance(decl, ir.Model):
            emit_model(body, decl, defined)
        elif isinstance(decl, ir.Fallback):
            emit_fallback(body, decl)
        else:
            value = (
                union_value(decl) if isinstance(decl, ir.Union) else runtime_annotation(decl.target)
            )
            body.blank(2)
            body.add(*annotated(decl.name, "TypeAlias", value, 0))
            body.add(*docstring(decl.description, 0))
        defined.add(decl.name)
    code = body.text()
    # What the code uses, docstrings aside (they mention names too).
    used = _DOCSTRING.sub("", code)

    typing_names = [
        n for n in ("Annotated", "Any", "Literal", "TypeAlias", "Union") if _uses(used, n)
    ]
    base_names = [n for n in ("OpenEnum", "OpenModel", "UnknownVariantModel") if _uses(used, n)]
    w = Writer()
    w.add(
        *header(
            ir_,
            "The public facade is azure_oai_preview.models.",
            f"{title}\n\n"
            "Responses are parsed leniently (unknown fields and enum values are kept, unknown union "
            "members land in `Unknown...` classes); every model builds its validator lazily.",
        )
    )
    if typing_names:
        w.add(f"from typing import {', '.join(typing_names)}")
        w.add("")
    if _uses(used, "Field"):
        w.add("from pydantic import Field")
        w.add("")
    if base_names:
        w.add(f"from azure_oai_preview._models import {', '.join(base_names)}")
    by_module: dict[str, list[str]] = {}
    for name, module in imports.items():
        if _uses(used, name):
            by_module.setdefault(module, []).append(name)
    if by_module and base_names:
        w.add("")
    for module in sorted(by_module):
        w.add(*import_from(f".{module}", by_module[module]))
    w.blank(1)
    public = sorted(ir_.declarations()) if names is None else sorted(names)
    w.add(*render(Bracket("", "[", tuple(py_str(n) for n in public)), 0, "__all__ = "))
    if code.strip():
        w.blank(2)
        w.add(code.rstrip("\n"))
    return w.text()
