"""The built site's checks (``nox -s docs`` runs them after the strict build).

``DOCS_SITE`` names the built site (default: ``site/``); ``DOCS_CHROMIUM`` the Chromium binary
(default: ``chromium`` on PATH). The site tools in ``docs/_tools`` are importable here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_tools"))


@pytest.fixture(scope="session")
def site() -> Path:
    path = Path(os.environ.get("DOCS_SITE") or ROOT / "site")
    if not (path / "index.html").is_file():
        pytest.fail(f"no built site at {path}: run `nox -s docs` (it builds, then tests)")
    return path
