"""Put each pinned spec into the git-ignored cache, refusing any file whose sha256 is wrong.

Nothing lands in the cache before it is verified: the bytes are hashed in memory, written to a
temporary file next to the target, hashed again from disk, and only then moved into place with
``os.replace``. A failed sync leaves the cache exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from codegen.paths import CACHE_DIR, MIRROR_ENV, document_files
from codegen.pins import DocumentPin, Pin, load_pins

_DOWNLOAD_TIMEOUT_S = 60


class SyncError(Exception):
    """A spec could not be fetched or did not match its pin."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
    """Write ``data`` to ``target`` via a verified temp file in the same directory."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates owner-only files; the cache is ordinary data.
        os.chmod(tmp, 0o644)
        if expected_sha256 is not None:
            on_disk = sha256_file(tmp)
            if on_disk != expected_sha256:
                raise SyncError(
                    f"{target}: sha256 of the written file is {on_disk}, expected {expected_sha256}"
                )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def _sync_examples(
    version_dir: Path, mirror_examples: Path, document: str, created: list[Path]
) -> list[str]:
    actions: list[str] = []
    _, examples_dir, examples_listing = document_files(document)
    target_dir = version_dir / examples_dir
    _make_dirs(target_dir, created)
    sources = sorted(p for p in mirror_examples.iterdir() if p.is_file())
    wanted = {p.name for p in sources}
    listing: list[str] = []
    for source in sources:
        data = source.read_bytes()
        digest = sha256_bytes(data)
        listing.append(f"{digest}  {source.name}\n")
        target = target_dir / source.name
        if target.is_file() and sha256_file(target) == digest:
            continue
        _atomic_write(target, data, digest)
        actions.append(f"example {source.name}")
    for stale in sorted(target_dir.iterdir()):
        # The cache mirrors the source: an example dropped there must not keep passing here.
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
            actions.append(f"removed stale example {stale.name}")
    listing_data = "".join(listing).encode()
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
    if mirror is not None:
        mirror_examples = mirror / pin.api_version / examples_dir
        if mirror_examples.is_dir():
            actions.extend(_sync_examples(version_dir, mirror_examples, pin.document, []))
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
