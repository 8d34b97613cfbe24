"""TOML files on every supported Python: ``tomllib`` from 3.11, the ``tomli`` backport before."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, cast

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # pyright: ignore[reportMissingImports]


def load_toml(path: Path) -> dict[str, Any]:
    """The parsed document (a table) of the TOML file at ``path``."""
    with path.open("rb") as fh:
        return cast("dict[str, Any]", tomllib.load(fh))  # pyright: ignore[reportUnknownMemberType]
