"""File arguments for multipart uploads (audio transcription and translation).

A file can be given as a path, raw bytes, a binary file object, or a tuple
``(filename, content)`` / ``(filename, content, content_type)``. Paths and file objects are
streamed by httpx in chunks, never read whole into memory; a path is opened only when the
upload starts and closed when it has been read, so a retry simply reads it again. A
non-seekable file object (a pipe) keeps a copy of what it sent, so a retry resends it whole.
"""

from __future__ import annotations

import io
import mimetypes
import os
from pathlib import PurePath
from typing import IO, Any, TypeAlias, Union

__all__ = ["FileInput"]

FileContent: TypeAlias = Union[bytes, IO[bytes], "os.PathLike[str]"]
FileInput: TypeAlias = Union[
    str,
    "os.PathLike[str]",
    bytes,
    IO[bytes],
    tuple[str, FileContent],
    tuple[str, FileContent, str],
]
"""What a file parameter accepts: a path, bytes, a binary file object, or a
``(filename, content[, content_type])`` tuple."""


class _LazyPathFile(io.RawIOBase):
    """Opens its path on first read and closes it at end of file (re-opened on seek)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self._path = path
        self._file: IO[bytes] | None = None
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such file to upload: {os.fspath(path)!r}")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._file is None:
            self._file = open(self._path, "rb")  # noqa: SIM115 - closed at EOF or on seek
        data = self._file.read(size)
        if not data or size < 0:
            self._release()
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._release()
        if offset or whence != io.SEEK_SET:
            self._file = open(self._path, "rb")  # noqa: SIM115
            return self._file.seek(offset, whence)
        return 0

    def tell(self) -> int:
        return 0 if self._file is None else self._file.tell()

    def _release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def close(self) -> None:
        self._release()
        super().close()


class _ReplayableReader(io.RawIOBase):
    """Makes a non-seekable binary stream (a pipe, a socket) safe to send more than once.

    The first pass reads the source in the chunks httpx asks for and keeps a copy of what
    went out, so that a retry (or a 307/308 redirect) can send the same bytes again instead
    of an empty file. The copy is bounded in practice by the service's upload limit (25 MB
    for audio); seekable sources never get one.
    """

    def __init__(self, source: IO[bytes]) -> None:
        super().__init__()
        self._source = source
        self._sent = bytearray()
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._position < len(self._sent):
            end = len(self._sent) if size < 0 else min(len(self._sent), self._position + size)
            data = bytes(self._sent[self._position : end])
        else:
            data = self._source.read(size)
            self._sent += data
        self._position += len(data)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # Only rewinding to what was already read is possible; the total length is unknown
        # (so httpx sends the body chunked, as it would for the source itself).
        if whence == io.SEEK_SET and 0 <= offset <= len(self._sent):
            self._position = offset
            return offset
        if whence == io.SEEK_CUR and offset == 0:
            return self._position
        raise io.UnsupportedOperation("a non-seekable upload can only be rewound")

    def tell(self) -> int:
        return self._position


def _is_seekable(value: Any) -> bool:
    seekable = getattr(value, "seekable", None)
    if callable(seekable):
        try:
            return bool(seekable())
        except (OSError, ValueError):
            return False
    return callable(getattr(value, "seek", None))


def _is_path(value: object) -> bool:
    return isinstance(value, str | os.PathLike)


def _content(value: Any) -> Any:
    if _is_path(value):
        return _LazyPathFile(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if hasattr(value, "read"):
        if isinstance(value, io.TextIOBase) or _is_seekable(value):
            return value  # httpx rewinds these itself (and rejects text mode clearly)
        return _ReplayableReader(value)
    raise TypeError(
        f"a file must be a path, bytes, a binary file object or a (filename, content) tuple; got {type(value).__name__}"
    )


def _guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def to_httpx_file(value: FileInput, *, default_name: str = "upload") -> tuple[str, Any, str]:
    """``(filename, content, content_type)`` for httpx's ``files=`` from any :data:`FileInput`."""
    if isinstance(value, tuple):
        if len(value) not in (2, 3):
            raise TypeError(
                "a file tuple must be (filename, content) or (filename, content, content_type)"
            )
        filename = value[0]
        content_type = value[2] if len(value) == 3 else _guess_type(filename)
        return filename, _content(value[1]), content_type
    if _is_path(value):
        filename = PurePath(os.fspath(value)).name  # type: ignore[arg-type]
        return filename, _content(value), _guess_type(filename)
    name = getattr(value, "name", None)
    filename = os.path.basename(name) if isinstance(name, str) and name else default_name
    return filename, _content(value), _guess_type(filename)
