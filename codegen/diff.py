"""The maintainer's changelog between two api-versions (``python -m codegen diff OLD NEW``).

What a maintainer has to act on, in three views (parts in :mod:`codegen.changes`):

* **Operations**: per operation, what its request and its response gain, lose or change,
  including the differences of every model, enum and union they reach (new fields of new
  models spelled out); added operations; removed ones grouped by document and API area.
* **Declarations**: every model, enum, union and alias added, removed or changed (fields:
  type, required, nullable, read-only, description, default, bounds, format).
* Each difference is flagged ``!`` when it breaks callers (tightens requests, removes response
  data) and ``[transform ...]`` when this project's spec transforms make it.
"""

from __future__ import annotations

from codegen import ir
from codegen.changes.comparison import compare
from codegen.changes.provenance import Provenance
from codegen.changes.render import render


def changelog(old: ir.IR, new: ir.IR, provenance: Provenance | None = None) -> str:
    """The changelog from ``old`` to ``new`` (the transformed IRs); with ``provenance`` the
    differences the transforms make are marked."""
    return render(compare(old, new), provenance)


def versions_changelog(old_version: str, new_version: str) -> str:
    """The changelog between two pinned versions, transform-made differences marked."""
    from codegen import transforms
    from codegen.generate import build
    from codegen.pins import DOCUMENTS, document_pin

    def declared(version: str) -> list[transforms.Transform]:
        found: list[transforms.Transform] = []
        for document in DOCUMENTS:
            source = document_pin(version, document)
            if source is not None:
                found += transforms.load(source.api_version, document=document)
        return found

    raw = compare(build(old_version, transformed=False), build(new_version, transformed=False))
    provenance = Provenance(
        raw=raw.items(),
        raw_comparison=raw,
        old_transforms=declared(old_version),
        new_transforms=declared(new_version),
        old_version=old_version,
        new_version=new_version,
    )
    return changelog(build(old_version), build(new_version), provenance)
