"""Files of the spec cache: their sha256, atomic writes, and the ``sha256sum``-style listings
that record what was verified when a file was written (so a later reader can tell a file
changed since)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class CacheWriteError(Exception):
    """A file written to the cache did not read back as written."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write(target: Path, data: bytes, expected_sha256: str | None = None) -> None:
    """Write ``data`` to ``target`` via a temporary file in the same directory, moved into place
    with ``os.replace`` only once its bytes on disk hash to ``expected_sha256`` (when given)."""
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
                raise CacheWriteError(
                    f"{target}: sha256 of the written file is {on_disk}, expected {expected_sha256}"
                )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def format_listing(digests: dict[str, str]) -> bytes:
    """``<sha256>  <name>`` lines (the ``sha256sum`` format), in name order."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items())).encode()


def read_listing(path: Path) -> dict[str, str]:
    """File name -> sha256 from a listing written by :func:`format_listing`; ValueError when a
    line is not ``<64 hex digits>  <name>``."""
    found: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or not name or not is_sha256(digest):
            raise ValueError(f"{path}:{number}: not a `<sha256>  <file>` line: {line!r}")
        found[name] = digest
    return found


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)
