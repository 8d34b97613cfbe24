"""Where the contract harness keeps things, and the knobs it reads from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parents[3]
"""The repository checkout (the folder holding package.json and pyproject.toml)."""

WORK_DIR = REPO_ROOT / ".contract"
"""Git-ignored scratch folder: built mock specs, Prism logs, probe results."""

PINS_DIR = REPO_ROOT / "specs"

STARTUP_TIMEOUT = float(os.environ.get("CONTRACT_PRISM_STARTUP_TIMEOUT", "60"))
"""Seconds to wait for a Prism server to answer before failing the session."""

DYNAMIC_SEED = os.environ.get("CONTRACT_PRISM_SEED", "20240501")
"""Seed for the dynamic-mode server: same seed, same generated bodies, run after run."""


def spec_mirror() -> Path:
    """The local folder holding ``<api-version>/inference.json`` copies of the spec.

    ``AZURE_OAI_SPEC_MIRROR`` wins; otherwise ``../shared/specs`` next to the checkout.
    """
    configured = os.environ.get("AZURE_OAI_SPEC_MIRROR")
    if configured:
        return Path(configured).expanduser().resolve()
    return (REPO_ROOT.parent / "shared" / "specs").resolve()


def default_api_version() -> str:
    """The api-version the contract suite targets.

    ``CONTRACT_API_VERSION`` wins; otherwise the pin marked ``default = true`` in ``specs/``.
    """
    configured = os.environ.get("CONTRACT_API_VERSION")
    if configured:
        return configured
    for pin in sorted(PINS_DIR.glob("*.toml")):
        with pin.open("rb") as handle:
            data = tomllib.load(handle)
        if data.get("default") is True:
            return str(data["api_version"])
    raise RuntimeError(f"no pin in {PINS_DIR} is marked `default = true`")
