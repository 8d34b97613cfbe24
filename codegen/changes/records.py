"""One difference between two api-versions, and when it breaks callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Side = Literal["request", "response"]
SIDES: tuple[Side, ...] = ("request", "response")

LEGEND = (
    "! = breaking: tightens what a request may send (a field or parameter becomes required, "
    "a value, member or bound is taken away, a type is narrowed), or removes response data "
    "(a field, response or operation is gone, or may now be missing); removed model classes "
    "break imports.\n"
    "[transform ...] = the difference comes from this project's spec transforms "
    "(specs/transforms/), not from upstream."
)


@dataclass(frozen=True)
class DeclChange:
    """A difference of one declaration (model, enum, union or alias) present in both versions.

    ``tightens``: breaking where the declaration is sent (a request reaches it); ``loses``:
    breaking where it is received (a response reaches it).
    """

    decl: str  # Python name
    member: str  # field wire name, enum value, union member; "" for the declaration itself
    aspect: str  # added, removed, type, required, nullable, read-only, description, ...
    text: str  # e.g. "`type`: optional -> required"
    tightens: bool = False
    loses: bool = False
    new_decls: tuple[str, ...] = ()  # declarations new in this version that an added field uses

    @property
    def key(self) -> tuple[str, ...]:
        return ("decl", self.decl, self.member, self.aspect)

    def breaking_on(self, sides: frozenset[Side]) -> bool:
        return (self.tightens and "request" in sides) or (self.loses and "response" in sides)


@dataclass(frozen=True)
class OpChange:
    """A difference of one operation: its own (path, parameters, bodies, responses, paging...)
    or one of a declaration its request or response reaches (``via``)."""

    operation: str
    side: Side | None  # None: the operation as a whole (method, path, streaming)
    text: str
    breaking: bool
    key: tuple[str, ...]
    via: DeclChange | None = None
    details: tuple[str, ...] = ()  # what new declarations it brings contain


@dataclass
class Origin:
    """Where a difference comes from: upstream, or this project's transforms (named)."""

    transforms: list[str] = field(default_factory=list[str])
    from_transforms: bool = False

    def label(self) -> str:
        if not self.from_transforms:
            return ""
        return f"[transform {', '.join(self.transforms)}]" if self.transforms else "[transform]"
