"""Whether a type accepts every value of another: a request type that stops doing so was
narrowed (callers' values may now be refused)."""

from __future__ import annotations

from codegen import ir

_DEPTH = 6  # union/alias declarations are opened this deep; deeper is judged by name


def _open(expr: ir.TypeExpr, decls: dict[str, ir.Decl | ir.Fallback]) -> ir.TypeExpr:
    """A reference to a union or alias declaration, as the type it stands for."""
    if isinstance(expr, ir.Ref):
        decl = decls.get(expr.name)
        if isinstance(decl, ir.Union):
            members: tuple[ir.TypeExpr, ...] = tuple(decl.members)
            opened = ir.UnionOf(members)
            return ir.Nullable(opened) if decl.nullable else opened
        if isinstance(decl, ir.Alias):
            return decl.target
    return expr


def _members(expr: ir.TypeExpr) -> tuple[ir.TypeExpr, ...]:
    return expr.members if isinstance(expr, ir.UnionOf) else (expr,)


class TypeSets:
    """Compares types of two IRs (``old`` and ``new``)."""

    def __init__(self, old: ir.IR, new: ir.IR) -> None:
        self._old = old.declarations()
        self._new = new.declarations()

    def widens(self, old: ir.TypeExpr, new: ir.TypeExpr) -> bool:
        """Every value of ``old`` (a type of the old version) is a value of ``new``."""
        return self._within(old, new, _DEPTH)

    def narrows(self, old: ir.TypeExpr, new: ir.TypeExpr) -> bool:
        """Every value of ``new`` is a value of ``old``."""
        return self._within_reversed(new, old, _DEPTH)

    def _within(self, a: ir.TypeExpr, b: ir.TypeExpr, depth: int) -> bool:
        return self._check(a, b, depth, self._old, self._new)

    def _within_reversed(self, a: ir.TypeExpr, b: ir.TypeExpr, depth: int) -> bool:
        return self._check(a, b, depth, self._new, self._old)

    def _check(
        self,
        a: ir.TypeExpr,
        b: ir.TypeExpr,
        depth: int,
        a_decls: dict[str, ir.Decl | ir.Fallback],
        b_decls: dict[str, ir.Decl | ir.Fallback],
    ) -> bool:
        if a == b or isinstance(b, ir.AnyType):
            return True
        if depth <= 0:
            return False
        deeper = depth - 1

        def within(x: ir.TypeExpr, y: ir.TypeExpr) -> bool:
            return self._check(x, y, deeper, a_decls, b_decls)

        a, b = _open(a, a_decls), _open(b, b_decls)
        if isinstance(a, ir.Nullable):
            return isinstance(b, ir.Nullable) and within(a.inner, b.inner)
        if isinstance(b, ir.Nullable):
            return within(a, b.inner)
        if isinstance(a, ir.UnionOf):
            return all(within(member, b) for member in a.members)
        if isinstance(b, ir.UnionOf):
            return any(within(a, member) for member in _members(b))
        if isinstance(a, ir.ListOf) and isinstance(b, ir.ListOf):
            return within(a.item, b.item)
        if isinstance(a, ir.DictOf) and isinstance(b, ir.DictOf):
            return within(a.value, b.value)
        if isinstance(a, ir.LiteralOf):
            if isinstance(b, ir.LiteralOf):
                return set(a.values) <= set(b.values)
            return b == ir.Prim("str") or self._enum_has(b, a.values, b_decls)
        if isinstance(a, ir.Prim) and isinstance(b, ir.Prim):
            return (a.name, b.name) == ("int", "float")
        if isinstance(a, ir.Ref) and isinstance(b, ir.Ref):
            return self._same_declaration(a.name, b.name, a_decls, b_decls)
        if isinstance(a, ir.Ref) and b == ir.Prim("str"):
            return isinstance(a_decls.get(a.name), ir.Enum)
        return False

    @staticmethod
    def _enum_has(
        expr: ir.TypeExpr, values: tuple[str, ...], decls: dict[str, ir.Decl | ir.Fallback]
    ) -> bool:
        decl = decls.get(expr.name) if isinstance(expr, ir.Ref) else None
        return isinstance(decl, ir.Enum) and set(values) <= {m.value for m in decl.members}

    @staticmethod
    def _same_declaration(
        a: str,
        b: str,
        a_decls: dict[str, ir.Decl | ir.Fallback],
        b_decls: dict[str, ir.Decl | ir.Fallback],
    ) -> bool:
        """Two references are the same type when they name the same declaration; how that
        declaration itself changed is reported (and judged) on its own."""
        if a != b:
            return False
        before, after = a_decls.get(a), b_decls.get(b)
        return type(before) is type(after)
