"""Which differences this project's spec transforms make, and which transforms.

A difference between the transformed documents that is absent between the documents as
upstream ships them comes from the transforms: typically a transform that applies to one
version only (``common/preview.toml`` is not applied to the GA version). The transforms named
are those that differ between the two versions and touch the difference's schema (or
operation) and property.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codegen import ir
from codegen.changes.records import Origin
from codegen.pointer import escape
from codegen.transforms import Target, Transform

if TYPE_CHECKING:
    from codegen.changes.comparison import Comparison
    from codegen.changes.records import OpChange


@dataclass
class Provenance:
    """The differences of the raw (untransformed) documents, by key, and the transforms of
    each version."""

    raw: dict[tuple[str, ...], str]
    old_transforms: list[Transform] = field(default_factory=list[Transform])
    new_transforms: list[Transform] = field(default_factory=list[Transform])
    old_version: str = ""
    new_version: str = ""
    raw_comparison: Comparison | None = None

    def differing(self) -> list[tuple[Transform, str]]:
        """Transforms one version applies and the other does not (or applies differently),
        with the version(s) they belong to."""
        old = {t.name: t for t in self.old_transforms}
        new = {t.name: t for t in self.new_transforms}
        found: list[tuple[Transform, str]] = []
        for name, t in old.items():
            if name not in new:
                found.append((t, f"{self.old_version} only"))
            elif t.ops != new[name].ops:
                found.append((t, "differs"))
        found += [(t, f"{self.new_version} only") for name, t in new.items() if name not in old]
        return found

    def origin(
        self, key: tuple[str, ...], schemas: Iterable[str], operation: str = "", member: str = ""
    ) -> Origin:
        if key in self.raw:
            return Origin()
        names = [
            f"{t.name} ({where})"
            for t, where in self.differing()
            if any(_touches(target, set(schemas), operation, member) for target in t.explains)
        ]
        return Origin(transforms=names, from_transforms=True)

    def hidden(self, keys: Iterable[tuple[str, ...]]) -> list[str]:
        """Upstream differences that the transforms make disappear (e.g. a defect upstream
        fixed in one version and a transform fixes in the other)."""
        made = set(keys)
        return [text for key, text in self.raw.items() if key not in made]

    def hidden_operation_changes(
        self, keys: Iterable[tuple[str, ...]]
    ) -> dict[str, list[OpChange]]:
        """Per operation, the upstream changes the transforms make disappear - with their
        breaking flag, because upstream tightening a request still tells a maintainer that a
        transform of the old version became the new version's own rule."""
        if self.raw_comparison is None:
            return {}
        made = set(keys)
        found: dict[str, list[OpChange]] = {}
        for op_id, changes in self.raw_comparison.operations.changed.items():
            for change in changes:
                key = change.via.key if change.via is not None else change.key
                if key not in made:
                    found.setdefault(op_id, []).append(change)
        return found

    def hiding_transforms(self, schemas: Iterable[str], operation: str, member: str) -> list[str]:
        """The transforms (that differ between the versions) touching a hidden difference."""
        wanted = set(schemas)
        return [
            f"{t.name} ({where})"
            for t, where in self.differing()
            if any(_touches(target, wanted, operation, member) for target in t.explains)
        ]


def _touches(target: Target, schemas: set[str], operation: str, member: str) -> bool:
    subject = (
        (target.schema is not None and target.schema in schemas)
        or bool(operation and target.operation_id == operation)
        or bool(target.pointer and any(_within(target.pointer, s) for s in schemas))
    )
    if not subject:
        return False
    if not member or not target.property:
        return True
    parts = {p for chunk in target.property.split(",") for p in chunk.split(".")}
    return member in parts


def _within(pointer: str, label: str) -> bool:
    """Whether a transform's pointer and a declaration's label (a component name or the JSON
    pointer of an inline schema) are about the same schema."""
    base = label if label.startswith("/") else f"/components/schemas/{escape(label)}"
    return f"{pointer}/".startswith(f"{base}/") or f"{base}/".startswith(f"{pointer}/")


def schema_labels(names: Iterable[str], *results: ir.IR) -> list[str]:
    """The spec labels (component names or JSON pointers) of declarations, in either IR."""
    labels: list[str] = []
    for result in results:
        decls = result.declarations()
        for name in names:
            decl = decls.get(name)
            if decl is not None and decl.schema not in labels:
                labels.append(decl.schema)
    return labels
