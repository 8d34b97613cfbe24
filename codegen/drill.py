"""The upgrade drill: the README's maintainer steps, run verbatim on a scratch copy.

``python -m codegen drill`` (CI: ``nox -s upgrade-drill``) copies the working tree (tracked and
unignored files; ``node_modules`` is linked, not copied), then runs each command of the README
block that follows ``<!-- upgrade-steps``, with ``<old>`` the current default api-version,
``<new>`` the one to move to (by default the newest pinned version after it) and ``<examples>``
a version whose examples the sync step brought (``<new>`` when it has them). ``.venv/bin/python``
is the interpreter running the drill, with the scratch copy first on the import path. Any step
that fails fails the drill: an upgrade must need no edit besides the pin. The scratch copy is
removed afterwards.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from codegen.paths import EXAMPLES_DIR, MIRROR_ENV, REPO_ROOT
from codegen.pins import default_version, load_pins

MARKER = "<!-- upgrade-steps"
README_PYTHON = ".venv/bin/python"
PLACEHOLDERS = ("<old>", "<new>", "<examples>")
# Copied when the tree is not a git checkout: everything but these.
_NOT_COPIED = {".git", ".venv", ".nox", "node_modules", ".spec-cache", ".contract", "site"}
_NOT_COPIED_PATTERNS = ("__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".hypothesis")


class DrillError(Exception):
    """The README has no runnable upgrade steps, or the drill cannot start."""


def readme_steps(readme: str) -> list[str]:
    """The command lines of the fenced block after the upgrade-steps marker."""
    if MARKER not in readme:
        raise DrillError(f"README.md has no {MARKER} ... --> block")
    after = readme.split(MARKER, 1)[1]
    if "```bash\n" not in after:
        raise DrillError(f"no ```bash block follows {MARKER} in README.md")
    block = after.split("```bash\n", 1)[1].split("```", 1)[0]
    steps = [line.strip() for line in block.splitlines()]
    steps = [line for line in steps if line and not line.startswith("#")]
    if not steps:
        raise DrillError(f"the {MARKER} block of README.md is empty")
    return steps


def command(step: str, values: dict[str, str], python: str) -> list[str]:
    """A README step as argv: its comment dropped, placeholders and the interpreter filled in."""
    words = shlex.split(step, comments=True)
    argv: list[str] = []
    for word in words:
        if word == README_PYTHON:
            argv.append(python)
            continue
        for placeholder in PLACEHOLDERS:
            if placeholder in word:
                word = word.replace(placeholder, values[placeholder])
        if "<" in word and ">" in word:
            raise DrillError(f"unknown placeholder in README step {step!r}: {word}")
        argv.append(word)
    return argv


def _version_key(version: str) -> tuple[str, bool]:
    # 2024-07-01-preview sorts after 2024-06-01; a GA version after a preview of the same day.
    return version.removesuffix("-preview"), not version.endswith("-preview")


def target_version(old: str, pins_dir: Path) -> str | None:
    """The newest pinned version after ``old`` (what an upgrade moves to), if any."""
    newer = [
        p.api_version
        for p in load_pins(pins_dir)
        if _version_key(p.api_version) > _version_key(old)
    ]
    return max(newer, key=_version_key) if newer else None


def examples_version(new: str, cache_dir: Path, pins_dir: Path) -> str:
    """``new`` when its examples were synced, else the newest older version whose were."""

    def has_examples(version: str) -> bool:
        return any((cache_dir / version / EXAMPLES_DIR).glob("*.json"))

    if has_examples(new):
        return new
    older = [
        p.api_version
        for p in load_pins(pins_dir)
        if _version_key(p.api_version) < _version_key(new) and has_examples(p.api_version)
    ]
    if not older:
        raise DrillError(f"no synced examples for {new} or an older version: nothing to check")
    return max(older, key=_version_key)


def copy_tree(root: Path, dest: Path) -> int:
    """Copy the working tree's tracked and unignored files (``git ls-files``) into ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        shutil.copytree(
            root,
            dest,
            dirs_exist_ok=True,
            ignore=lambda d, names: [
                n
                for n in names
                if (Path(d) == root and n in _NOT_COPIED)
                or any(Path(n).match(p) for p in _NOT_COPIED_PATTERNS)
            ],
        )
        return sum(1 for p in dest.rglob("*") if p.is_file())
    count = 0
    for name in listed.stdout.decode().split("\0"):
        source = root / name
        if name and source.is_file():  # a tracked file deleted in the work tree is skipped
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            count += 1
    return count


def _changed_files(root: Path, scratch: Path) -> list[str]:
    """Files of the scratch copy that differ from (or are not in) the original tree."""
    changed: list[str] = []
    for folder, dirs, files in os.walk(scratch):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not (here == scratch and d in _NOT_COPIED)
            and not any(Path(d).match(p) for p in _NOT_COPIED_PATTERNS)
        )
        for file in sorted(files):
            name = (here / file).relative_to(scratch).as_posix()
            original = root / name
            if not original.is_file() or original.read_bytes() != (here / file).read_bytes():
                changed.append(name)
    return changed


def run(
    root: Path = REPO_ROOT,
    new: str | None = None,
    mirror: str | None = None,
    keep: bool = False,
    log: Callable[[str], None] = print,
) -> int:
    """Run the drill; 0 when every step passed."""
    steps = readme_steps((root / "README.md").read_text(encoding="utf-8"))
    old = default_version(root / "specs")
    new = new or target_version(old, root / "specs")
    if new is None:
        log(f"upgrade drill: no pinned api-version is newer than the default {old}: nothing to do")
        return 0
    if new == old:
        raise DrillError(f"{new} already is the default: name a newer pinned version")
    scratch = Path(tempfile.mkdtemp(prefix="upgrade-drill-"))
    env = {**os.environ, "PYTHONPATH": str(scratch)}
    if mirror:
        env[MIRROR_ENV] = str(Path(mirror).resolve())
    timings: list[tuple[str, float]] = []
    try:
        copied = copy_tree(root, scratch)
        if (root / "node_modules").is_dir():
            (scratch / "node_modules").symlink_to(root / "node_modules", target_is_directory=True)
        log(f"upgrade drill: {old} -> {new} in {scratch} ({copied} files)")
        values = {"<old>": old, "<new>": new}
        for number, step in enumerate(steps, 1):
            if any("<examples>" in word for word in shlex.split(step, comments=True)):
                values["<examples>"] = examples_version(
                    new, scratch / ".spec-cache", scratch / "specs"
                )
            argv = command(step, values, sys.executable)
            shown = shlex.join([README_PYTHON if a == sys.executable else a for a in argv])
            log(f"\n== step {number}/{len(steps)}: {shown}")
            sys.stdout.flush()
            started = time.monotonic()
            result = subprocess.run(argv, cwd=scratch, env=env, check=False)
            timings.append((shown, time.monotonic() - started))
            if result.returncode != 0:
                log(f"\nupgrade drill FAILED at step {number} ({shown}): exit {result.returncode}")
                return 1
        log("\nupgrade drill passed; the steps changed:")
        for name in _changed_files(root, scratch):
            log(f"  {name}")
        for shown, seconds in timings:
            log(f"  {seconds:6.1f} s  {shown}")
        return 0
    finally:
        if keep:
            log(f"(scratch copy kept: {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
