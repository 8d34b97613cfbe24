"""Node.js side of the harness: find ``node``/``npm`` and make sure Prism is installed.

CI starts from a fresh clone with only Python, Node and npm, so the harness installs the
locked Node tools itself (``npm ci``) when Prism is missing or does not match
``package-lock.json``. A missing ``node`` or ``npm`` is an error, never a skip: a contract
run that silently proves nothing is worse than a red one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import REPO_ROOT, WORK_DIR

PRISM_PACKAGE = "@stoplight/prism-cli"
NPM_CI_ARGS = ("ci", "--no-audit", "--no-fund", "--ignore-scripts")
"""``--ignore-scripts``: nothing we install needs a build step; the only install script in
the tree is a telemetry ping (``@scarf/scarf``), which has no business running in CI."""

INSTALL_HINT = (
    "The contract tests run the Prism mock server, which needs Node.js (20 or newer) and npm "
    "on PATH. Install Node.js from https://nodejs.org/ (or your package manager: "
    "`apt-get install nodejs npm`, `brew install node`), then run the tests again; the "
    "harness installs Prism itself with `npm ci`."
)


class NodeToolchainError(RuntimeError):
    """Node.js/npm is missing or Prism could not be installed."""


@dataclass(frozen=True)
class PrismInstall:
    node: str
    """Absolute path of the ``node`` executable."""
    entry_point: Path
    """Prism's CLI script (run as ``node <entry_point> mock ...``)."""
    version: str


def find_executable(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise NodeToolchainError(f"`{name}` was not found on PATH. {INSTALL_HINT}")
    return found


def _locked_packages(lock_file: Path) -> dict[str, dict[str, object]]:
    data = json.loads(lock_file.read_text(encoding="utf-8"))
    packages = data.get("packages")
    if not isinstance(packages, dict):
        raise NodeToolchainError(
            f"{lock_file} has no `packages` map (lockfileVersion >= 2 is required)"
        )
    return {key: value for key, value in packages.items() if key}


def stale_reason(repo_root: Path = REPO_ROOT) -> str | None:
    """Why ``node_modules`` does not match ``package-lock.json``, or None when it does.

    npm records what ``npm ci`` installed in ``node_modules/.package-lock.json``; every
    package the lock file names must be installed there at the locked version (optional
    packages for another platform, such as ``fsevents``, may be absent).
    """
    lock_file = repo_root / "package-lock.json"
    if not lock_file.is_file():
        raise NodeToolchainError(f"{lock_file} is missing; it pins the Node tools the tests use")
    entry = _entry_point(repo_root)
    if entry is None:
        return f"{PRISM_PACKAGE} is not installed"
    launcher = repo_root / "node_modules" / ".bin" / ("prism.cmd" if os.name == "nt" else "prism")
    if not launcher.exists():
        return f"{launcher.relative_to(repo_root)} is missing"
    installed_file = repo_root / "node_modules" / ".package-lock.json"
    if not installed_file.is_file():
        return "node_modules/.package-lock.json is missing (not installed by npm ci)"
    locked = _locked_packages(lock_file)
    installed = _locked_packages(installed_file)
    for key, spec in locked.items():
        have = installed.get(key)
        if have is None:
            if spec.get("optional"):
                continue
            return f"{key} is locked but not installed"
        if have.get("version") != spec.get("version"):
            return f"{key} is {have.get('version')}, the lock file says {spec.get('version')}"
    return None


def _entry_point(repo_root: Path) -> Path | None:
    package_dir = repo_root / "node_modules" / PRISM_PACKAGE
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    bin_field = data.get("bin")
    relative = bin_field.get("prism") if isinstance(bin_field, dict) else bin_field
    if not isinstance(relative, str):
        return None
    entry = package_dir / relative
    return entry if entry.is_file() else None


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """Serialise ``npm ci`` between pytest processes sharing this checkout."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with (WORK_DIR / ".npm-ci.lock").open("w") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; a lone run is the common case.
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_prism(repo_root: Path = REPO_ROOT) -> PrismInstall:
    """Return the installed Prism, running ``npm ci`` first if it is missing or stale."""
    node = find_executable("node")
    reason = stale_reason(repo_root)
    if reason is not None:
        npm = find_executable("npm")
        with _install_lock():
            reason = stale_reason(repo_root)  # another process may have installed it
            if reason is not None:
                _npm_ci(npm, repo_root, reason)
        reason = stale_reason(repo_root)
        if reason is not None:
            raise NodeToolchainError(f"`npm ci` finished but Prism is still not usable: {reason}")
    entry = _entry_point(repo_root)
    assert entry is not None
    manifest = json.loads((entry.parents[1] / "package.json").read_text(encoding="utf-8"))
    return PrismInstall(node=node, entry_point=entry, version=str(manifest["version"]))


def _npm_ci(npm: str, repo_root: Path, reason: str) -> None:
    command = [npm, *NPM_CI_ARGS]
    print(f"\n[contract] {reason}; running `npm {' '.join(NPM_CI_ARGS)}`", file=sys.stderr)
    env = {**os.environ, "SCARF_ANALYTICS": "false"}
    completed = subprocess.run(
        command,
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip().splitlines()
        tail = "\n".join(output[-40:])
        raise NodeToolchainError(
            f"`npm {' '.join(NPM_CI_ARGS)}` failed in {repo_root} (exit {completed.returncode}):"
            f"\n{tail}"
        )
