"""A small code layout engine that writes what ``ruff format`` (line length 100) would.

The generator only emits a handful of statement shapes, so instead of depending on a formatter
at generation time it lays them out itself with ruff's rules for those shapes:

* a statement that fits stays on one line;
* otherwise the last bracket pair is split: its content goes on one indented line if that fits,
  else one element per line with a trailing comma (recursively); a bracket holding a single
  element keeps it on one indented line, split further if needed;
* annotated assignments prefer splitting the value (its own brackets, then parentheses around
  it), then the annotation (its own brackets, or parentheses around a ``|`` union).

The tests run ``ruff format --check`` over everything generated, so a shape this engine gets
wrong shows up as a test failure rather than as churn in the committed files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LINE_LENGTH = 100
INDENT = "    "


@dataclass(frozen=True)
class Bracket:
    """``head[items]`` / ``head(items)`` / ``(items)`` / ``[items]`` / ``{items}``."""

    head: str
    open: str
    items: tuple[Node, ...]
    tuple1: bool = False  # a one-element tuple keeps its comma when flat

    @property
    def close(self) -> str:
        return {"(": ")", "[": "]", "{": "}"}[self.open]


@dataclass(frozen=True)
class Kw:
    name: str
    value: Node


@dataclass(frozen=True)
class Pair:
    """``key: value`` in a dict display (the key already a literal)."""

    key: str
    value: Node


@dataclass(frozen=True)
class Or:
    """``a | b | None``."""

    parts: tuple[Node, ...]


Node = str | Bracket | Kw | Pair | Or


def call(head: str, *items: Node, **kwargs: Node) -> Bracket:
    return Bracket(head, "(", (*items, *(Kw(k, v) for k, v in kwargs.items())))


def sub(head: str, *items: Node) -> Bracket:
    return Bracket(head, "[", tuple(items))


def tuple_of(items: list[Node]) -> Bracket:
    return Bracket("", "(", tuple(items), tuple1=len(items) == 1)


def flat(node: Node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, Kw):
        return f"{node.name}={flat(node.value)}"
    if isinstance(node, Pair):
        return f"{node.key}: {flat(node.value)}"
    if isinstance(node, Or):
        return " | ".join(flat(p) for p in node.parts)
    body = ", ".join(flat(i) for i in node.items)
    if node.tuple1:
        body += ","
    return f"{node.head}{node.open}{body}{node.close}"


def fits(text: str, indent: int) -> bool:
    return indent + len(text) <= LINE_LENGTH


def render(node: Node, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
    """Lines (without the leading indent of the first line's statement) for ``node``."""
    pad = " " * indent
    one = prefix + flat(node) + suffix
    if fits(one, indent) or isinstance(node, str):
        return [pad + one]
    if isinstance(node, Kw):
        return render(node.value, indent, prefix + node.name + "=", suffix)
    if isinstance(node, Pair):
        if isinstance(node.value, Or):
            # A dict value that is a long `|` chain gets parentheses of its own.
            head = f"{pad}{prefix}{node.key}: ("
            return [head, *render(node.value, indent + len(INDENT)), f"{pad}){suffix}"]
        return render(node.value, indent, f"{prefix}{node.key}: ", suffix)
    if isinstance(node, Or):
        # Inside brackets a long `|` chain puts each operand on its own line, `| ` leading.
        lines: list[str] = []
        for i, part in enumerate(node.parts):
            last = i == len(node.parts) - 1
            lines.extend(render(part, indent, prefix if i == 0 else "| ", suffix if last else ""))
        return lines
    if not node.items:
        return [pad + one]
    inner = indent + len(INDENT)
    head = pad + prefix + node.head + node.open
    tail = pad + node.close + suffix
    body = ", ".join(flat(i) for i in node.items) + ("," if node.tuple1 else "")
    if len(node.items) == 1:
        item_suffix = "," if node.tuple1 else ""
        return [head, *render(node.items[0], inner, "", item_suffix), tail]
    if fits(body, inner):
        return [head, " " * inner + body, tail]
    lines = [head]
    for item in node.items:
        lines.extend(render(item, inner, "", ","))
    lines.append(tail)
    return lines


def isort_key(name: str) -> tuple[int, list[str | int]]:
    """The order ruff's isort gives imported names: constants, classes, the rest; then
    case-insensitively, numbers by value."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    parts = re.split(r"(\d+)", name.lower())
    return kind, [int(p) if p.isdigit() else p for p in parts]


def import_from(module: str, names: list[str]) -> list[str]:
    """``from module import a, b`` (sorted like ruff's isort); one name per line when it does not
    fit (ruff's rule)."""
    names = sorted(names, key=isort_key)
    one = f"from {module} import {', '.join(names)}"
    if fits(one, 0):
        return [one]
    return [f"from {module} import (", *(f"{INDENT}{n}," for n in names), ")"]


def statement(target: str, value: Node, indent: int = 0) -> list[str]:
    """``target = value``; a long atom is wrapped in parentheses when that makes it fit."""
    pad = " " * indent
    if (
        isinstance(value, str)
        and not fits(f"{target} = {value}", indent)
        and fits(f"{target} = (", indent)
        and fits(value, indent + len(INDENT))
    ):
        return [f"{pad}{target} = (", f"{pad}{INDENT}{value}", f"{pad})"]
    return render(value, indent, f"{target} = ")


def annotated(name: str, annotation: Node, value: Node | None, indent: int) -> list[str]:
    """``name: annotation [= value]`` laid out like ruff does in a class body."""
    pad = " " * indent
    ann = flat(annotation)
    tail = "" if value is None else f" = {flat(value)}"
    one = f"{name}: {ann}{tail}"
    if fits(one, indent):
        return [pad + one]
    if isinstance(value, Bracket) and fits(f"{name}: {ann} = {value.head}{value.open}", indent):
        return render(value, indent, f"{name}: {ann} = ")
    if value is not None and fits(f"{name}: {ann} = (", indent):
        return [
            f"{pad}{name}: {ann} = (",
            *render(value, indent + len(INDENT)),
            f"{pad})",
        ]
    if isinstance(annotation, Bracket):
        lines = render(annotation, indent, f"{name}: ", tail)
        if value is not None and not fits(lines[-1].lstrip(), indent):
            closing = annotation.close
            lines[-1:] = render(value, indent, f"{closing} = ")
        return lines
    if isinstance(annotation, str) and value is not None:
        # A bare name with a value: ruff leaves the line as it is.
        return [pad + one]
    inner = " " * (indent + len(INDENT))
    lines = [f"{pad}{name}: ("]
    if fits(ann, indent + len(INDENT)) or not isinstance(annotation, Or):
        lines.append(inner + ann)
    else:
        parts = [flat(p) for p in annotation.parts]
        lines.append(inner + parts[0])
        lines.extend(f"{inner}| {p}" for p in parts[1:])
    closing = ")"
    if value is None:
        lines.append(pad + closing)
    else:
        lines.extend(render(value, indent, f"{closing} = "))
    return lines


@dataclass
class Writer:
    """Accumulates lines; keeps blank-line rules (two around top-level defs) in one place."""

    lines: list[str] = field(default_factory=list[str])

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def blank(self, count: int = 1) -> None:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        if self.lines:
            self.lines.extend([""] * count)

    def text(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def py_str(text: str) -> str:
    """A Python string literal the way ruff would write it (double quotes unless that needs
    more escapes)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + quote)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote
