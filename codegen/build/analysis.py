"""Pass 1: the facts about the whole document that naming and typing depend on.

*Union analysis* finds every union (a ``discriminator`` mapping, or a ``oneOf``/``anyOf`` of
objects) and whether its members share a tag: a property each member fixes to one distinct
value. Members are expanded through nested unions, so ``assistantStreamEvent`` becomes one union
of every event. The result maps each member schema (by JSON pointer) to its tag, so the model
built for it can declare that property as ``Literal[...]``.

*Enum names*: an ``x-ms-enum`` name used with different value sets cannot name a shared class.

The result is frozen: pass 2 reads it, never changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from codegen.build.schema import Members, SpecView, discriminator_members, union_members
from codegen.jsonish import object_at
from codegen.naming import cap

_TAG_PREFERENCE = ("type", "event", "role", "object", "kind")


@dataclass(frozen=True)
class UnionSite:
    pointer: str
    variants: tuple[tuple[str, dict[str, Any]], ...] | None  # expanded object members
    tag: str | None = None
    values: tuple[str, ...] | None = None  # tag value per variant

    @property
    def tagged(self) -> bool:
        return self.tag is not None and self.variants is not None and self.values is not None


@dataclass(frozen=True)
class Analysis:
    sites: Mapping[str, UnionSite]  # union pointer -> site
    tags: Mapping[str, tuple[str, str]]  # member pointer -> (property, value)
    ambiguous_enum_names: frozenset[str]


def _expand(view: SpecView, members: Members, stack: tuple[str, ...] = ()) -> Members | None:
    variants: Members = []
    for member_pointer, member in members:
        node, pointer = view.deref(member, member_pointer)
        if pointer in stack:
            return None
        nested = discriminator_members(node) or union_members(node, pointer)
        if nested is not None:
            sub = _expand(view, nested, (*stack, pointer))
            if sub is None:
                return None
            variants.extend(sub)
        elif "properties" in node or "allOf" in node:
            if node.get("type", "object") != "object":
                return None
            variants.append((pointer, node))
        else:
            return None
    unique: dict[str, dict[str, Any]] = {}
    for pointer, node in variants:
        unique.setdefault(pointer, node)
    return list(unique.items())


def _tag_of(
    view: SpecView, variants: Members, preferred: str | None
) -> tuple[str, list[str]] | None:
    candidates: dict[str, list[str]] | None = None
    for variant_pointer, variant in variants:
        values = view.single_values(variant, variant_pointer)
        if candidates is None:
            candidates = {k: [v] for k, v in values.items()}
        else:
            candidates = {k: [*vs, values[k]] for k, vs in candidates.items() if k in values}
    assert candidates is not None
    usable = [k for k, vs in candidates.items() if len(set(vs)) == len(vs)]
    if not usable:
        return None
    order = [preferred] if preferred else []
    order += [k for k in _TAG_PREFERENCE if k not in order]
    tag = next((k for k in order if k in usable), sorted(usable)[0])
    return tag, candidates[tag]


def _unions(
    view: SpecView, warn: Callable[[str], None]
) -> tuple[dict[str, UnionSite], dict[str, tuple[str, str]]]:
    sites: dict[str, UnionSite] = {}
    tags: dict[str, tuple[str, str]] = {}
    for pointer, node in view.schema_sites():
        members = discriminator_members(node)
        preferred: str | None = None
        if members is not None:
            preferred = node["discriminator"]["propertyName"]
        else:
            members = union_members(node, pointer)
        if members is None:
            continue
        variants = _expand(view, members)
        found = _tag_of(view, variants, preferred) if variants else None
        if variants is None or found is None:
            sites[pointer] = UnionSite(pointer, tuple(variants) if variants is not None else None)
            continue
        tag, values = found
        sites[pointer] = UnionSite(pointer, tuple(variants), tag, tuple(values))
        for (variant_pointer, _), value in zip(variants, values, strict=True):
            previous = tags.get(variant_pointer)
            if previous and previous != (tag, value):
                warn(
                    f"{variant_pointer} is tagged by {previous} in one union and {(tag, value)} in another"
                )
                continue
            tags[variant_pointer] = (tag, value)
    return sites, tags


def _ambiguous_enum_names(view: SpecView, warn: Callable[[str], None]) -> frozenset[str]:
    seen: dict[str, set[tuple[str, ...]]] = {}
    for _, node in view.schema_sites():
        name = object_at(node, "x-ms-enum").get("name")
        if name and "enum" in node:
            values = tuple(v for v in node["enum"] if v is not None)
            seen.setdefault(cap(str(name)), set()).add(values)
    ambiguous: set[str] = set()
    for name, value_sets in seen.items():
        if len(value_sets) > 1:
            ambiguous.add(name)
            warn(
                f"x-ms-enum name {name} is used for {len(value_sets)} different value sets; "
                "each use is named after its parent instead"
            )
    return frozenset(ambiguous)


def analyse(view: SpecView, warn: Callable[[str], None]) -> Analysis:
    ambiguous = _ambiguous_enum_names(view, warn)
    sites, tags = _unions(view, warn)
    return Analysis(
        sites=MappingProxyType(sites),
        tags=MappingProxyType(tags),
        ambiguous_enum_names=ambiguous,
    )
