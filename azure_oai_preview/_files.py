"""File arguments for multipart uploads (files, audio transcription and translation).

A file can be given as a path, raw bytes, a binary file object, or a tuple
``(filename, content)`` / ``(filename, content, content_type)``. Paths and file objects are
streamed by httpx in 64 KiB chunks, never read whole into memory.

The upload rule: a body is sent again only if it can be sent whole again, and nothing is
ever buffered to make that possible.

* A path is opened only when the upload starts and closed when it has been read, so a
  retry simply reads it again. Bytes are resent as they are; a seekable file object is
  rewound (by httpx) and read again.
* A non-seekable file object (a pipe, a socket) is read once. Until its first byte has
  gone out the request is retried like any other (a refused connection, say); after that,
  a failure is raised as it is - no retry, no resend after a ``WWW-Authenticate``
  challenge - and a redirect that keeps the body raises :class:`UploadNotReplayableError`.
"""

from __future__ import annotations

import io
import mimetypes
import os
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any, TypeAlias, Union

from ._exceptions import UploadNotReplayableError

if TYPE_CHECKING:
    from ._call import Body

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


class _OneShotReader(io.RawIOBase):
    """A non-seekable binary stream (a pipe, a socket), streamed once and never buffered.

    httpx asks for it in 64 KiB chunks, so an upload of any size costs one chunk of memory;
    the price is that its bytes can be sent only once. ``sent`` counts what went out:
    :func:`replayable` tells the exchange, which then neither retries nor re-authenticates
    a request whose one-shot body has started to go out (the failure is raised as it is).
    A second pass that starts anyway (a 307/308 redirect) raises
    :class:`UploadNotReplayableError` instead of sending a truncated file.

    Neither ``fileno`` nor a length is offered: httpx would take a pipe's ``st_size`` (0) as
    the length; without one it sends the body chunked.
    """

    def __init__(self, source: IO[bytes]) -> None:
        super().__init__()
        self._source = source
        self.sent = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.sent += len(data)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) == (0, io.SEEK_SET):
            if self.sent:
                raise UploadNotReplayableError(self.sent)
            return 0  # the start of the first pass: nothing to rewind
        raise io.UnsupportedOperation("a stream upload can only be read once, from its start")

    def tell(self) -> int:
        return self.sent


def replayable(body: Body | None) -> bool:
    """Whether ``body`` can be sent (again): always, unless a one-shot stream in it has
    started to go out."""
    return bytes_sent_once(body) == 0


def bytes_sent_once(body: Body | None) -> int:
    """How many bytes of ``body``'s one-shot streams (pipes) have gone out; 0 for a body that
    can be sent again."""
    if body is None or not body.files:
        return 0
    sent = 0
    for _, value in body.files:
        content: object = value[1] if isinstance(value, tuple) else value  # pyright: ignore[reportUnknownVariableType]
        if isinstance(content, _OneShotReader):
            sent += content.sent
    return sent


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
        return _OneShotReader(value)
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
