"""TEMPORARY stand-in for ``codegen.spec`` / ``codegen.transforms`` until they land.

Reads the spec straight from the local mirror and strips ``x-ms-examples`` (Prism cannot
resolve those file references). It applies no spec transforms: there are none to apply
yet. Delete this module once ``codegen.spec.load_spec``/``mock_ready`` exist.
"""

from __future__ import annotations

import json
from typing import Any

from .config import spec_mirror


def load_spec(version: str, transformed: bool = True) -> dict[str, Any]:
    del transformed  # no transforms exist before codegen lands
    path = spec_mirror() / version / "inference.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found; set AZURE_OAI_SPEC_MIRROR to the folder holding "
            "<api-version>/inference.json"
        )
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def mock_ready(spec: dict[str, Any]) -> dict[str, Any]:
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: strip(value) for key, value in node.items() if key != "x-ms-examples"}
        if isinstance(node, list):
            return [strip(value) for value in node]
        return node

    stripped: dict[str, Any] = strip(spec)
    return stripped


def load_transforms(version: str) -> list[Any]:
    del version
    return []
