"""Put each pinned spec into the git-ignored cache, refusing any file whose sha256 is wrong.

Nothing lands in the cache before it is verified: the bytes are hashed in memory, written to a
temporary file next to the target, hashed again from disk, and only then moved into place with
``os.replace``. A failed sync leaves the cache exactly as it was.

A mirror's examples are copied too. Their source of truth is the mirror's ``SOURCES.tsv`` in the
examples folder (each file's upstream commit and sha256, written when the mirror was made): when
it is there every example must match it, or none is copied; a folder without one (no record
exists for those files) is copied as it is, and sync says so. What was copied is listed in
``<folder>.sha256``, which the readers of the cache check (codegen.spec). A cached conversion
of a Swagger 2.0 document that is not what its stamp records is removed (codegen.swagger).
"""

from __future__ import annotations

import os
import shutil
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from codegen import swagger
from codegen.cachefile import (
    CacheWriteError,
    atomic_write,
    format_listing,
    is_sha256,
    sha256_bytes,
    sha256_file,
)
from codegen.paths import CACHE_DIR, EXAMPLES_SOURCES, MIRROR_ENV, document_files
from codegen.pins import DocumentPin, Pin, load_pins

_DOWNLOAD_TIMEOUT_S = 60


class SyncError(Exception):
    """A spec could not be fetched or did not match its pin."""


def mirror_from_env() -> Path | None:
    value = os.environ.get(MIRROR_ENV)
    return Path(value) if value else None


def _fetch(pin: DocumentPin, mirror: Path | None) -> tuple[bytes, str]:
    if mirror is not None:
        source = mirror / pin.api_version / document_files(pin.document)[0]
        if not source.is_file():
            raise SyncError(f"{pin.api_version}: the mirror has no {source}")
        return source.read_bytes(), str(source)
    try:
        with urllib.request.urlopen(pin.url, timeout=_DOWNLOAD_TIMEOUT_S) as response:
            return response.read(), pin.url
    except OSError as exc:
        raise SyncError(
            f"{pin.api_version}: download of {pin.url} failed ({exc}); "
            f"use --from DIR or set {MIRROR_ENV} to sync from a local mirror"
        ) from exc


def _atomic_write(target: Path, data: bytes, expected_sha256: str | None) -> None:
    try:
        atomic_write(target, data, expected_sha256)
    except CacheWriteError as exc:
        raise SyncError(str(exc)) from exc


def _make_dirs(path: Path, created: list[Path]) -> None:
    """mkdir -p that remembers what it created, so a failure can undo it."""
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        directory.mkdir()
        created.append(directory)


def _recorded_hashes(mirror_examples: Path) -> dict[str, str] | None:
    """File -> sha256 as the mirror's ``SOURCES.tsv`` records them (``file``, ``upstream
    commit``, ``sha256``, tab-separated, after a header), or None when the folder has none."""
    sources = mirror_examples / EXAMPLES_SOURCES
    if not sources.is_file():
        return None
    found: dict[str, str] = {}
    for number, line in enumerate(sources.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split("\t")
        if (number == 1 and cells[0] == "file") or not line.strip():
            continue
        if len(cells) != 3 or not is_sha256(cells[2].strip().lower()):
            raise SyncError(
                f"{sources}:{number}: expected `file<TAB>upstream commit<TAB>sha256`, got {line!r}"
            )
        found[cells[0]] = cells[2].strip().lower()
    return found


def _check_recorded(
    where: str, digests: dict[str, str], recorded: dict[str, str], mirror_examples: Path
) -> None:
    """Every example matches the sha256 SOURCES.tsv records for it, and the listing is whole."""
    problems = [
        f"{name}: sha256 {digest}, {EXAMPLES_SOURCES} records {recorded[name]}"
        for name, digest in digests.items()
        if name in recorded and recorded[name] != digest
    ]
    problems += [
        f"{name}: not listed in {EXAMPLES_SOURCES}" for name in digests if name not in recorded
    ]
    problems += [
        f"{name}: listed in {EXAMPLES_SOURCES}, missing from the mirror"
        for name in recorded
        if name not in digests
    ]
    if problems:
        details = "".join(f"\n  {problem}" for problem in problems)
        raise SyncError(
            f"{where}: the examples in {mirror_examples} do not match its {EXAMPLES_SOURCES}:"
            f"{details}\nNo example was written."
        )


def _sync_examples(version_dir: Path, mirror_examples: Path, document: str) -> list[str]:
    """Copy a mirror's examples folder, each file checked first against the sha256 its
    ``SOURCES.tsv`` records (when it has one: that record is the only one there is), and
    list what was copied in ``<folder>.sha256``, which readers of the cache check."""
    _, examples_dir, examples_listing = document_files(document)
    files = {
        p.name: p.read_bytes()
        for p in sorted(mirror_examples.iterdir())
        if p.is_file() and p.name != EXAMPLES_SOURCES
    }
    digests = {name: sha256_bytes(data) for name, data in files.items()}
    recorded = _recorded_hashes(mirror_examples)
    if recorded is not None:
        _check_recorded(version_dir.name, digests, recorded, mirror_examples)
    actions: list[str] = []
    target_dir = version_dir / examples_dir
    _make_dirs(target_dir, [])
    for name, data in files.items():
        target = target_dir / name
        if target.is_file() and sha256_file(target) == digests[name]:
            continue
        _atomic_write(target, data, digests[name])
        actions.append(f"example {name}")
    if actions and recorded is None:
        actions.append(
            f"{examples_dir}/ without a recorded sha256 to check (the mirror has no "
            f"{EXAMPLES_SOURCES} there)"
        )
    for stale in sorted(target_dir.iterdir()):
        # The cache mirrors the source: an example dropped there must not keep passing here.
        if stale.is_file() and stale.name not in files:
            stale.unlink()
            actions.append(f"removed stale example {stale.name}")
    listing_data = format_listing(digests)
    listing_path = version_dir / examples_listing
    if not listing_path.is_file() or listing_path.read_bytes() != listing_data:
        _atomic_write(listing_path, listing_data, sha256_bytes(listing_data))
    return actions


def sync_pin(pin: Pin, mirror: Path | None, cache_dir: Path = CACHE_DIR) -> list[str]:
    """Sync the files one pin holds; returns what changed (empty when the cache was right)."""
    actions: list[str] = []
    for document in pin.own():
        actions.extend(_sync_document(document, mirror, cache_dir))
    return actions


def _sync_document(pin: DocumentPin, mirror: Path | None, cache_dir: Path) -> list[str]:
    version_dir = cache_dir / pin.api_version
    spec_file, examples_dir, _ = document_files(pin.document)
    target = version_dir / spec_file
    label = "spec" if pin.document == "inference" else f"{pin.document} spec"
    actions: list[str] = []
    if not (target.is_file() and sha256_file(target) == pin.sha256):
        data, source = _fetch(pin, mirror)
        actual = sha256_bytes(data)
        if actual != pin.sha256:
            raise SyncError(
                f"{pin.api_version}: sha256 mismatch for {source}: pinned {pin.sha256}, "
                f"got {actual}. The file was not written; if the new file is intended, "
                f"update [{pin.document}] in {pin.api_version}.toml."
            )
        created: list[Path] = []
        try:
            _make_dirs(version_dir, created)
            _atomic_write(target, data, pin.sha256)
        except BaseException:
            for directory in reversed(created):
                shutil.rmtree(directory, ignore_errors=True)
            raise
        actions.append(f"{label} from {source}")
    problem = swagger.conversion_problem(target, pin.sha256)
    if problem is not None:
        # Derived from the verified file, so it is dropped rather than trusted or repaired here
        # (converting needs Node.js, which syncing does not).
        removed = swagger.discard_conversion(target)
        actions.append(f"removed {removed}: {problem}; converted again on next use")
    if mirror is not None:
        mirror_examples = mirror / pin.api_version / examples_dir
        if mirror_examples.is_dir():
            actions.extend(_sync_examples(version_dir, mirror_examples, pin.document))
    return actions


def sync(
    mirror: Path | None = None,
    versions: Iterable[str] | None = None,
    cache_dir: Path = CACHE_DIR,
    log: Callable[[str], None] = print,
) -> None:
    """Sync every pin (or the named versions) from ``mirror`` or upstream."""
    wanted = set(versions) if versions is not None else None
    pins = [pin for pin in load_pins() if wanted is None or pin.api_version in wanted]
    if wanted is not None:
        unknown = wanted - {pin.api_version for pin in pins}
        if unknown:
            raise SyncError(f"no pin for {', '.join(sorted(unknown))}")
    by_version = {pin.api_version: pin for pin in load_pins()}
    for pin in pins:
        actions = sync_pin(pin, mirror, cache_dir)
        reused = by_version[pin.authoring_reuse].authoring if pin.authoring_reuse else None
        if reused is not None:
            # The document this version serves but another version pins.
            actions += [
                f"{action} (reused)" for action in _sync_document(reused, mirror, cache_dir)
            ]
        if actions:
            for action in actions:
                log(f"{pin.api_version}: synced {action}")
        else:
            log(f"{pin.api_version}: up to date")
