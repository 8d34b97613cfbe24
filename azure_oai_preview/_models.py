"""Base classes for the generated models.

Everything the service returns must survive contact with a newer service than the spec
we were generated from, so the bases are open: unknown fields are kept (``extra="allow"``),
unknown enum values become pseudo-members instead of errors, and unions carry an
``Unknown...`` fallback member (emitted by the generator). Requests go the other way: the
client checks them strictly against the spec with
:func:`azure_oai_preview._strict.validate_request`, using the class-level metadata declared here.
"""

# No `from __future__ import annotations` here: pydantic would re-evaluate these ClassVar
# strings for every one of the ~300 generated subclasses at import.

import enum
import logging
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = ["OpenEnum", "OpenModel", "UnknownVariantModel"]

_log = logging.getLogger("azure_oai_preview")

validating_request: ContextVar[bool] = ContextVar(
    "azure_oai_preview_validating_request", default=False
)
"""Set while a *request* is validated: an unknown enum value there is the caller's input
(an error reported without its value, which could be a secret), not news from the service."""


class OpenModel(BaseModel):
    """Base of every generated model.

    Unknown fields are kept: reachable as attributes / ``model_extra`` and written back by
    ``model_dump``. Validation schemas are built lazily on first use (``defer_build``),
    which keeps ``import azure_oai_preview`` cheap.
    """

    model_config = ConfigDict(
        extra="allow",
        defer_build=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        arbitrary_types_allowed=False,
    )

    # Holds the deviations found when a response had to be parsed leniently; set only on
    # that slow path (see ``_deviations``), so ordinary parsing pays nothing for it.
    __slots__ = ("_azure_deviations_",)

    # Request-side metadata, read by ``_strict.validate_request`` (Python field names).
    # Annotated for type checkers only: pydantic would otherwise re-evaluate these ClassVar
    # annotations for each of the ~300 generated subclasses at import.
    if TYPE_CHECKING:
        __azure_non_nullable__: ClassVar[frozenset[str]]
        __azure_read_only__: ClassVar[frozenset[str]]
        __azure_additional_properties__: ClassVar[bool]
        __azure_unknown_variant__: ClassVar[bool]
        __azure_schema__: ClassVar[str]

    __azure_non_nullable__ = frozenset[str]()
    """Optional fields the spec does not allow to be ``null``: setting them to None is an error."""
    __azure_read_only__ = frozenset[str]()
    """Fields the service sets; a request must not send them."""
    __azure_additional_properties__ = False
    """Whether the spec allows properties it does not name (requests only; responses keep them anyway)."""
    __azure_unknown_variant__ = False
    """True on the ``Unknown...`` fallback member of a union: fine in a response, an error in a request."""
    __azure_schema__ = ""
    """The component schema (or inline location) this class was generated from."""


class UnknownVariantModel(OpenModel):
    """Base of the fallback member of a tagged union.

    A response item whose tag the spec does not know (a new tool type, say) lands here with
    every field kept, instead of failing the whole response. The generator gives each
    fallback a tag field whose pattern excludes the known tags, so a *known* tag with a
    broken body is never swallowed here: it surfaces as a deviation instead.
    """

    # Lookahead patterns need Python's re; this only runs when the known members failed.
    model_config = ConfigDict(regex_engine="python-re")
    __azure_unknown_variant__ = True


class OpenEnum(str, enum.Enum):
    """A string enum that accepts values the spec does not list.

    ``MyEnum("new-value")`` returns a pseudo-member (cached, so identity comparisons hold)
    whose ``value`` is the raw string; it compares equal to that string and is written back
    unchanged. The first time each unknown value is seen it is logged at warning level.
    Use :meth:`is_known` to tell them apart.
    """

    # Behave like the plain string in f-strings and str(), on every supported Python.
    __str__ = str.__str__
    __format__ = str.__format__

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        unknown: dict[str, OpenEnum] | None = cls.__dict__.get("_azure_unknown_")
        if unknown is None:
            unknown = {}
            type.__setattr__(cls, "_azure_unknown_", unknown)
        member = unknown.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            unknown[value] = member
        if not validating_request.get():
            reported: set[str] = cls.__dict__.get("_azure_reported_") or set()
            if value not in reported:
                reported.add(value)
                type.__setattr__(cls, "_azure_reported_", reported)
                _log.warning(
                    "%s received %r, a value the spec does not list; it is kept as is.",
                    cls.__name__,
                    value,
                )
        return member

    def is_known(self) -> bool:
        """Whether this value is one the spec lists (False for pseudo-members)."""
        return type(self).__members__.get(self._name_) is self

    @classmethod
    def known_values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls.__members__.values())
