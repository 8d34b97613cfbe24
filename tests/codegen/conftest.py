"""Shared fixtures: the tests need the pinned specs in .spec-cache/ and sync them themselves."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from codegen.cachefile import sha256_file
from codegen.paths import CACHE_DIR, MIRROR_ENV, REPO_ROOT, SPEC_FILE
from codegen.pins import load_pins
from codegen.sync import sync
from tests.versions import ALL_VERSIONS, DEFAULT_VERSION, EXAMPLES_VERSION, GA_VERSION, NEXT_VERSION

__all__ = ["ALL_VERSIONS", "DEFAULT_VERSION", "EXAMPLES_VERSION", "GA_VERSION", "NEXT_VERSION"]


def find_mirror() -> Path | None:
    configured = os.environ.get(MIRROR_ENV)
    if configured:
        return Path(configured)
    sibling = REPO_ROOT.parent / "shared" / "specs"
    return sibling if sibling.is_dir() else None


@pytest.fixture(scope="session", autouse=True)
def spec_cache() -> Path:
    """Sync the pinned specs (and the mirror's examples) into .spec-cache/ once per session."""
    mirror = find_mirror()
    if mirror is not None:
        sync(mirror=mirror, log=lambda _: None)
        return CACHE_DIR
    pins = load_pins()
    stale = [
        pin.api_version
        for pin in pins
        if not (CACHE_DIR / pin.api_version / SPEC_FILE).is_file()
        or sha256_file(CACHE_DIR / pin.api_version / SPEC_FILE) != pin.sha256
    ]
    if stale:
        pytest.fail(
            f"no spec mirror and .spec-cache/ lacks {', '.join(stale)}: set {MIRROR_ENV} to a "
            "directory laid out like shared/specs (<api-version>/inference.json) or run "
            "`python -m codegen sync` with network access",
            pytrace=False,
        )
    return CACHE_DIR


def import_from(path: Path, name: str) -> ModuleType:
    """Import a generated module from an arbitrary directory under a unique name."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Pydantic resolves forward references through sys.modules[cls.__module__].
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def import_generated(directory: Path, package: str, module: str) -> ModuleType:
    """Import ``module`` (a file stem: ``_generated``, ``_manifest``...) of a generated models
    directory as a submodule of ``package``, a package made for that directory (the area
    modules import their siblings relatively)."""
    if package not in sys.modules:
        parent = ModuleType(package)
        parent.__path__ = [str(directory)]
        sys.modules[package] = parent
    return importlib.import_module(f"{package}.{module.removesuffix('.py')}")


@pytest.fixture(scope="session")
def generated_dirs(tmp_path_factory: pytest.TempPathFactory, spec_cache: Path) -> dict[str, Path]:
    from codegen.generate import generate, write

    dirs: dict[str, Path] = {}
    for version in ALL_VERSIONS:
        out = tmp_path_factory.mktemp(f"gen-{version}")
        write(generate(version), out)
        dirs[version] = out
    return dirs
