"""Intermediate representation between the (transformed) spec and the emitted Python.

Type expressions are small immutable trees; declarations (enums, models, unions, aliases) are
named and refer to each other by Python name. Everything here is plain data so the emitter and
the changelog (``codegen.diff``) can share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# ------------------------------------------------------------------------------------ types


@dataclass(frozen=True)
class Prim:
    name: Literal["str", "int", "float", "bool", "bytes"]


@dataclass(frozen=True)
class AnyType:
    pass


@dataclass(frozen=True)
class Ref:
    """A generated declaration (model, enum, union or alias), by Python name."""

    name: str


@dataclass(frozen=True)
class ListOf:
    item: TypeExpr


@dataclass(frozen=True)
class DictOf:
    value: TypeExpr


@dataclass(frozen=True)
class LiteralOf:
    values: tuple[str, ...]


@dataclass(frozen=True)
class UnionOf:
    """An inline, untagged union (``str | list[str]``)."""

    members: tuple[TypeExpr, ...]


@dataclass(frozen=True)
class Nullable:
    """``T | None`` below the field level (array items, union members)."""

    inner: TypeExpr


TypeExpr = Prim | AnyType | Ref | ListOf | DictOf | LiteralOf | UnionOf | Nullable


def ref_names(expr: TypeExpr) -> list[str]:
    """The declaration names an expression mentions, in order of appearance, without repeats."""
    if isinstance(expr, Ref):
        return [expr.name]
    if isinstance(expr, ListOf):
        return ref_names(expr.item)
    if isinstance(expr, DictOf):
        return ref_names(expr.value)
    if isinstance(expr, Nullable):
        return ref_names(expr.inner)
    if isinstance(expr, UnionOf):
        found: list[str] = []
        for member in expr.members:
            found.extend(n for n in ref_names(member) if n not in found)
        return found
    return []


def type_refs(expr: TypeExpr) -> set[str]:
    """The declaration names an expression mentions."""
    return set(ref_names(expr))


def describe(expr: TypeExpr) -> str:
    """A compact, Python-like rendering (used by the changelog and the manifest)."""
    if isinstance(expr, Prim):
        return expr.name
    if isinstance(expr, AnyType):
        return "Any"
    if isinstance(expr, Ref):
        return expr.name
    if isinstance(expr, ListOf):
        return f"list[{describe(expr.item)}]"
    if isinstance(expr, DictOf):
        return f"dict[str, {describe(expr.value)}]"
    if isinstance(expr, LiteralOf):
        return "Literal[" + ", ".join(f'"{v}"' for v in expr.values) + "]"
    if isinstance(expr, UnionOf):
        return " | ".join(describe(m) for m in expr.members)
    return f"{describe(expr.inner)} | None"


# ----------------------------------------------------------------------------- declarations


@dataclass
class EnumMember:
    name: str
    value: str
    description: str = ""


@dataclass
class Enum:
    name: str
    schema: str  # component name or JSON pointer of the (first) site
    description: str
    members: list[EnumMember]


@dataclass
class Constraints:
    minimum: Any = None
    maximum: Any = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    # Not part of describe(): the type says it (int, bytes for binary, ...); the changelog
    # reports format changes.
    format: str | None = None

    def describe(self) -> str:
        parts: list[str] = []
        for label, value in (
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("min length", self.min_length),
            ("max length", self.max_length),
            ("min items", self.min_items),
            ("max items", self.max_items),
            ("pattern", self.pattern),
        ):
            if value is not None:
                parts.append(f"{label} {value!r}" if label == "pattern" else f"{label} {value}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Scalar:
    value: bool | int | float | str | None


@dataclass(frozen=True)
class EnumValue:
    enum: str
    member: str


@dataclass(frozen=True)
class ListValue:
    items: tuple[Value, ...]


@dataclass(frozen=True)
class EmptyDict:
    pass


Value = Scalar | EnumValue | ListValue | EmptyDict


@dataclass(frozen=True)
class Default:
    """A spec default as data: the value typed for its field (an enum member, a float for a
    float field, ...) and the raw JSON value. The emitter writes it as Python."""

    value: Value
    raw: Any


@dataclass
class Field:
    wire_name: str
    py_name: str
    type: TypeExpr
    required: bool
    nullable: bool
    description: str = ""
    default: Default | None = None
    constraints: Constraints = field(default_factory=Constraints)
    tag: str | None = None  # discriminator value when this field tags a union member
    # A tag field is typed as its member's own value, while the schema draws it from an enum
    # (the discriminator's): that enum's name. Only the changelog reads it, to count the enum
    # as sent or received wherever the member is (emitted code never names it).
    tag_enum: str | None = None
    secret: bool = False
    read_only: bool = False

    @property
    def aliased(self) -> bool:
        return self.py_name != self.wire_name


@dataclass
class Model:
    name: str
    schema: str
    description: str
    title: str = ""
    fields: list[Field] = field(default_factory=list[Field])
    additional_properties: bool = False


@dataclass
class Fallback:
    """The ``Unknown...`` member of a tagged union."""

    name: str
    union: str
    tag: str
    known: tuple[str, ...]
    schema: str


@dataclass
class Union:
    name: str
    schema: str
    description: str
    members: list[TypeExpr]
    discriminator: str | None = None  # tagged when set
    tags: dict[str, str] = field(default_factory=dict[str, str])  # tag value -> member name
    fallback: str | None = None
    nullable: bool = False  # an untagged union that also admits null


@dataclass
class Alias:
    name: str
    schema: str
    description: str
    target: TypeExpr


Decl = Enum | Model | Union | Alias


# ------------------------------------------------------------------------------- operations


@dataclass
class Parameter:
    name: str
    py_name: str
    location: Literal["path", "query", "header"]
    required: bool
    type: TypeExpr
    description: str = ""
    secret: bool = False  # a credential (a token header): never shown


@dataclass
class RequestBody:
    type: TypeExpr
    content_type: str
    required: bool
    file_fields: tuple[str, ...] = ()  # multipart parts that carry a file (binary)


@dataclass
class ResponseBody:
    status: str
    content_type: str  # "" when the response has no body
    type: TypeExpr | None  # None for plain text / binary bodies
    headers: tuple[str, ...] = ()  # response headers the spec declares


@dataclass(frozen=True)
class Paging:
    """How a list operation pages: ``cursor`` (``has_more`` + the ``after`` query parameter, the
    OpenAI style) or ``next_link`` (Azure's ``nextLink`` URL)."""

    style: Literal["cursor", "next_link"]
    items: str  # the response field holding the page's items
    next: str  # "has_more" or "nextLink"
    cursor_param: str | None = None  # the query parameter taking the last id (cursor style)


@dataclass(frozen=True)
class LongRunning:
    """An Azure long-running operation (``x-ms-long-running-operation``)."""

    final_state_via: str  # "operation-location", "azure-async-operation", "location", ...
    poll_header: str  # the response header naming the status monitor
    retry_after_header: str | None  # the polling hint header, when declared


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    tags: tuple[str, ...]
    summary: str
    description: str
    parameters: list[Parameter]
    request_bodies: list[RequestBody]
    responses: list[ResponseBody]
    error_type: TypeExpr | None
    streams: bool
    document: str = "inference"  # which document of the api-version declares it
    paging: Paging | None = None
    long_running: LongRunning | None = None


@dataclass(frozen=True)
class SourceDocument:
    """A document an IR was built from."""

    name: str  # "inference" / "authoring"
    api_version: str  # the version whose pin holds the file (differs when reused)
    sha256: str


# -------------------------------------------------------------------------------------- IR


@dataclass
class IR:
    api_version: str
    spec_sha256: str
    enums: list[Enum] = field(default_factory=list[Enum])
    models: list[Model] = field(default_factory=list[Model])
    fallbacks: list[Fallback] = field(default_factory=list[Fallback])
    unions: list[Union] = field(default_factory=list[Union])
    aliases: list[Alias] = field(default_factory=list[Alias])
    operations: list[Operation] = field(default_factory=list[Operation])
    # component schema -> Python name
    components: dict[str, str] = field(default_factory=dict[str, str])
    stream_events: dict[str, str] = field(default_factory=dict[str, str])  # event name -> class
    chat_completion_chunk: str | None = None
    completion_chunk: str | None = None
    # Models the SDK reads off a stream that no operation's schema names (the stream event
    # union, the chunk models) -> the operationId of that stream (see codegen/areas.py).
    stream_models: dict[str, str] = field(default_factory=dict[str, str])
    warnings: list[str] = field(default_factory=list[str])
    documents: list[SourceDocument] = field(default_factory=list[SourceDocument])

    def declarations(self) -> dict[str, Decl | Fallback]:
        found: dict[str, Decl | Fallback] = {}
        for group in (self.enums, self.models, self.fallbacks, self.unions, self.aliases):
            for decl in group:
                found[decl.name] = decl
        return found

    def public_names(self) -> list[str]:
        return sorted(self.declarations())
