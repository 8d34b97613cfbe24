"""The state pass 2 builds into, handed explicitly to every builder function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from codegen import ir
from codegen.build.analysis import Analysis
from codegen.build.names import Namer
from codegen.build.schema import SpecView


@dataclass
class Context:
    view: SpecView
    analysis: Analysis  # frozen facts from pass 1
    names: Namer
    out: ir.IR  # what is being built
    warn: Callable[[str], None]
    # JSON pointer of every schema that got a declaration -> its reference, so a schema used
    # in many places is declared once.
    built: dict[str, ir.TypeExpr] = field(default_factory=dict[str, ir.TypeExpr])
    # (x-ms-enum name, values) -> the class already generated for that named inline enum
    enum_by_key: dict[tuple[str, tuple[str, ...]], str] = field(
        default_factory=dict[tuple[str, tuple[str, ...]], str]
    )

    def declare(self, pointer: str, name: str) -> ir.Ref:
        ref = ir.Ref(name)
        self.built[pointer] = ref
        return ref

    def enum(self, name: str) -> ir.Enum | None:
        return next((e for e in self.out.enums if e.name == name), None)
