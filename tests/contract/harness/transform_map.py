"""Explain violations reported by the *untransformed* server with the declared transforms.

The untransformed Prism serves the upstream spec as pinned. Whatever it rejects (or says
about its own responses) that the transformed server accepts is a difference our spec
transforms introduced, and every such difference must be *declared*: a named transform
that touches the schema, property or JSON pointer the violation is about. A violation no
transform explains is a defect nobody has written down (or a bug in a transform) and
fails the suite.

How a violation is located: take its operation in the *source* document (before the Prism
adapter, so pointers are the ones transforms use), pick the request or response body
schema, then follow ``location`` (``request.body.tool_resources.file_search...``) through
``$ref``/``allOf``/``anyOf``/``oneOf``/``properties``/``items``, collecting every
component schema and JSON pointer on the way. ``required`` and ``additionalProperties``
violations name their property in the message; that property is part of the site too.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .specs import escape_pointer_token, import_codegen, iter_operations
from .violations import Violation

_NAMED_PROPERTY = re.compile(r"(?:required property|found) '([^']+)'")


@dataclass(frozen=True)
class TransformTouch:
    """What one declared transform touches, normalised from its declaration."""

    name: str
    schemas: frozenset[str] = frozenset()
    """Component schemas touched as a whole: any violation inside them is explained."""
    properties: frozenset[tuple[str | None, str]] = frozenset()
    """``(schema, property)``; ``schema`` None means that property in any schema."""
    pointers: frozenset[str] = frozenset()
    """JSON pointers: a violation at or below one of them is explained."""


@dataclass
class ViolationSite:
    """Where in the source document a violation points."""

    schemas: set[str] = field(default_factory=set)
    properties: set[tuple[str | None, str]] = field(default_factory=set)
    pointers: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Explanation:
    violation: Violation
    transforms: tuple[str, ...]
    site: ViolationSite

    @property
    def explained(self) -> bool:
        return bool(self.transforms)


class UnexplainedViolationsError(AssertionError):
    """The untransformed spec disagrees somewhere no declared transform accounts for."""

    def __init__(self, unexplained: list[Explanation]) -> None:
        self.unexplained = unexplained
        lines = [
            f"{len(unexplained)} violation(s) of the untransformed spec match no declared "
            "spec transform (declare one in specs/transforms, or fix the transform):"
        ]
        for item in unexplained:
            site = item.site
            lines.append(f"  - {item.violation.describe()}")
            lines.append(
                f"      schemas={sorted(site.schemas)} properties="
                f"{sorted((s or '*', p) for s, p in site.properties)}"
            )
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------- transforms


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(item) for item in value]
    return [str(value)]


def _field(transform: Any, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        if isinstance(transform, Mapping):
            raw = transform.get(name)
        else:
            raw = getattr(transform, name, None)
        values += _strings(raw)
    return values


def normalise_pointer(pointer: str) -> str:
    pointer = pointer.strip()
    if pointer.startswith("#"):
        pointer = pointer[1:]
    return pointer.rstrip("/") or "/"


def touch_of(transform: Any, document: dict[str, Any] | None = None) -> TransformTouch:
    """Normalise a transform declaration to what it touches.

    Understands codegen's ``Transform`` (``name`` + ``ops`` with locators; pointers are
    resolved against ``document``, the untransformed spec) and a plain form — a mapping
    or object with ``name`` and any of ``schema(s)``, ``property``/``properties``,
    ``pointer(s)`` — used for hand-written declarations and tests.
    """
    ops = None if isinstance(transform, Mapping) else getattr(transform, "ops", None)
    if ops is not None:
        return _touch_of_codegen(transform, ops, document)
    names = _field(transform, "name", "id")
    if not names:
        raise ValueError(f"transform without a name: {transform!r}")
    schemas = _field(transform, "schema", "schemas")
    properties = _field(transform, "property", "properties")
    pointers = frozenset(normalise_pointer(p) for p in _field(transform, "pointer", "pointers"))
    if not properties:
        return TransformTouch(names[0], frozenset(schemas), frozenset(), pointers)
    owners: list[str | None] = list(schemas) or [None]
    pairs = frozenset((owner, prop) for owner in owners for prop in properties)
    return TransformTouch(names[0], frozenset(), pairs, pointers)


def _codegen_locator() -> Any:
    module = import_codegen("transforms")
    # `locate` is public from the codegen commit after a64721b; `_locate` before it.
    return getattr(module, "locate", None) or getattr(module, "_locate", None)


def _touch_of_codegen(transform: Any, ops: Any, document: dict[str, Any] | None) -> TransformTouch:
    locator = _codegen_locator() if document is not None else None
    schemas: set[str] = set()
    pairs: set[tuple[str | None, str]] = set()
    pointers: set[str] = set()
    for op in ops:
        kind, params = str(op.kind), dict(op.params)
        target = op.target()
        located: str | None = None
        if locator is not None and kind not in ("add-schema", "set-request-content-type"):
            with contextlib.suppress(Exception):  # a target missing upstream: schema-level only
                located = normalise_pointer(str(locator(document, params)[0]))
        owner = _schema_name(located) if located else target.schema
        if kind in ("make-optional", "drop-undefined-required"):
            for prop in params.get("properties", []):
                pairs.add((owner, str(prop)))
                if located:
                    pointers.add(f"{located}/properties/{escape_pointer_token(str(prop))}")
        elif kind == "add-property":
            pairs.add((owner, str(params["name"])))
            if located:
                pointers.add(f"{located}/properties/{escape_pointer_token(str(params['name']))}")
        elif kind in ("add-schema", "pin-discriminator-values"):
            schemas.add(str(params.get("name") or params.get("schema")))
        elif kind == "set-request-content-type" and document is not None:
            found = _find_operation(document, str(params["operation"]))
            if found:
                method, path = found
                pointers.add(f"/paths/{escape_pointer_token(path)}/{method}/requestBody")
        elif located:
            pointers.add(located)
        elif target.schema and target.property:
            last = [step for step in str(target.property).split(".") if step != "[]"][-1]
            pairs.add((target.schema, last))
        elif target.schema:
            schemas.add(target.schema)
        if target.pointer and not located:
            pointers.add(normalise_pointer(str(target.pointer)))
    return TransformTouch(
        str(transform.name), frozenset(schemas), frozenset(pairs), frozenset(pointers)
    )


def declared_transforms(api_version: str, document: str = "inference") -> list[Any]:
    """The transforms declared for ``document`` of ``api_version`` (``specs/transforms/``,
    via codegen). A version that reuses another version's document (its pin's ``reuse``) is
    served that document with that version's transforms."""
    pin = import_codegen("pins").document_pin(api_version, document)
    source_version = pin.api_version if pin is not None else api_version
    return list(import_codegen("transforms").load(source_version, document=document))


# --------------------------------------------------------------------------- locating


class _Walker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, pointer: str) -> Any:
        node: Any = self.document
        for token in pointer.lstrip("/").split("/"):
            if not token:
                continue
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def expand(self, pointer: str, site: ViolationSite, seen: set[str] | None = None) -> list[str]:
        """Pointers of ``pointer`` and of every schema it is composed of (each once)."""
        seen = set() if seen is None else seen
        if pointer in seen:
            return []
        seen.add(pointer)
        site.pointers.add(pointer)
        match = re.fullmatch(r"/components/schemas/([^/]+)", pointer)
        if match:
            site.schemas.add(match.group(1).replace("~1", "/").replace("~0", "~"))
        try:
            node = self.resolve(pointer)
        except (KeyError, IndexError, ValueError, TypeError):
            return []
        if not isinstance(node, dict):
            return []
        found = [pointer]
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            found += self.expand(normalise_pointer(ref), site, seen)
        for keyword in ("allOf", "anyOf", "oneOf"):
            for index, _ in enumerate(node.get(keyword) or []):
                found += self.expand(f"{pointer}/{keyword}/{index}", site, seen)
        # The value may be any mapped schema (the adapter makes Prism check the mapped one).
        mapping = (node.get("discriminator") or {}).get("mapping") or {}
        for target in mapping.values():
            found += self.expand(normalise_pointer(str(target)), site, seen)
        return found

    def step(self, pointers: list[str], segment: str) -> list[str]:
        following = []
        for pointer in pointers:
            node = self.resolve(pointer)
            properties = node.get("properties") or {}
            if segment in properties:
                following.append(f"{pointer}/properties/{escape_pointer_token(segment)}")
            elif segment.isdigit() and isinstance(node.get("items"), dict):
                following.append(f"{pointer}/items")
            elif isinstance(node.get("additionalProperties"), dict):
                following.append(f"{pointer}/additionalProperties")
        return following


def _schema_name(pointer: str) -> str | None:
    match = re.match(r"/components/schemas/([^/]+)", pointer)
    return match.group(1).replace("~1", "/").replace("~0", "~") if match else None


def _find_operation(document: dict[str, Any], operation_id: str) -> tuple[str, str] | None:
    for method, path, operation in iter_operations(document):
        if operation.get("operationId") == operation_id:
            return method.lower(), path
    return None


def locate(violation: Violation, document: dict[str, Any]) -> ViolationSite:
    """The schemas, properties and pointers of ``document`` that ``violation`` is about."""
    site = ViolationSite()
    if violation.operation_id is None:
        return site
    found = _find_operation(document, violation.operation_id)
    if found is None:
        return site
    method, path = found
    op_pointer = f"/paths/{escape_pointer_token(path)}/{method}"
    operation = document["paths"][path][method]
    site.pointers.add(op_pointer)
    side, part, *rest = [*violation.location, "", ""][: max(2, len(violation.location))]
    named = _NAMED_PROPERTY.search(violation.message)
    walker = _Walker(document)

    if part == "body":
        roots: list[str] = []
        if side == "request":
            contents = (operation.get("requestBody") or {}).get("content") or {}
            base = f"{op_pointer}/requestBody/content"
        else:
            responses = operation.get("responses") or {}
            code = str(violation.status) if str(violation.status) in responses else "default"
            contents = (responses.get(code) or {}).get("content") or {}
            base = f"{op_pointer}/responses/{code}/content"
        roots = [f"{base}/{escape_pointer_token(media)}/schema" for media in contents]
        current: list[str] = []
        seen: set[str] = set()
        for root in roots:
            current += walker.expand(root, site, seen)
        for segment in rest:
            for pointer in current:
                owner = _schema_name(pointer)
                if owner:
                    site.properties.add((owner, segment))
            seen = set()
            current = [
                p for nxt in walker.step(current, segment) for p in walker.expand(nxt, site, seen)
            ]
        if named:
            prop = named.group(1)
            for pointer in current:
                owner = _schema_name(pointer)
                site.properties.add((owner, prop))
                suffix = "required" if violation.code == "required" else "additionalProperties"
                site.pointers.add(f"{pointer}/{suffix}")
                site.pointers.add(f"{pointer}/properties/{escape_pointer_token(prop)}")
    elif part == "" and side == "request":  # whole-request problem, e.g. 415 content type
        site.pointers.add(f"{op_pointer}/requestBody/content")
    elif part in ("query", "header", "headers", "path", "cookie"):
        where = "header" if part.startswith("header") else part
        name = rest[0] if rest else (named.group(1) if named else None)
        for index, parameter in enumerate(operation.get("parameters") or []):
            if parameter.get("in") == where and (name is None or parameter.get("name") == name):
                site.pointers.add(f"{op_pointer}/parameters/{index}")
                site.properties.add((None, str(parameter.get("name"))))
    return site


# --------------------------------------------------------------------------- explaining


def explains(touch: TransformTouch, site: ViolationSite) -> bool:
    for pointer in touch.pointers:
        if any(
            candidate == pointer or candidate.startswith(pointer + "/")
            for candidate in site.pointers
        ):
            return True
    for schema, prop in touch.properties:
        if (schema, prop) in site.properties:
            return True
        if schema is None and any(p == prop for _, p in site.properties):
            return True
    return bool(touch.schemas & site.schemas)


def explain_violations(
    violations: Iterable[Violation],
    document: dict[str, Any],
    transforms: Iterable[Any],
    *,
    require_all: bool = True,
) -> list[Explanation]:
    """Map each violation to the declared transforms that explain it.

    ``document`` is the untransformed *source* document (pointers as transforms declare
    them). Raises ``UnexplainedViolationsError`` listing every violation no transform
    explains, unless ``require_all`` is False.
    """
    touches = [touch_of(transform, document) for transform in transforms]
    explanations = []
    for violation in violations:
        site = locate(violation, document)
        names = tuple(touch.name for touch in touches if explains(touch, site))
        explanations.append(Explanation(violation, names, site))
    unexplained = [item for item in explanations if not item.explained]
    if unexplained and require_all:
        raise UnexplainedViolationsError(unexplained)
    return explanations
