"""Binary responses (text-to-speech audio), streamed rather than held in memory.

A body that stops being readable - the connection breaks, or the bytes do not decode with
their ``content-encoding`` - raises :class:`~azure_oai_preview.IncompleteStreamError`, the
httpx exception as its cause.

``write_to_file`` never leaves half a file: the body goes into a temporary file next to the
target (same directory, so same file system), which replaces the target only once the whole
body is written. If the download breaks, the temporary file is removed and a file that was
already at the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from ._closing import AsyncClosesOnExit, ClosesOnExit
from ._error_mapping import body_read_error
from ._exceptions import IncompleteStreamError, request_id_of

if TYPE_CHECKING:
    from ._call import AsyncExecutor, Call, SyncExecutor

__all__ = ["AsyncBinaryResponse", "BinaryResponse"]


def _target(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Where the body goes - the file a symbolic link at ``path`` points to, as writing
    through it would have - and a fresh name for the temporary file next to it (hidden, and
    marked as partial)."""
    target = Path(os.path.realpath(path))
    return target, target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")


def _commit(part: Path, target: Path) -> None:
    """Put the complete temporary file in place of ``target`` (atomically, on one file
    system). A file already there keeps its permission bits, as writing over it would have."""
    with contextlib.suppress(OSError):
        shutil.copymode(target, part)
    os.replace(part, target)


def _discard(part: Path) -> None:
    with contextlib.suppress(OSError):
        part.unlink()


class _BinaryInfo:
    response: httpx.Response

    @property
    def content_type(self) -> str | None:
        return self.response.headers.get("content-type")

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.response.headers)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} content_type={self.content_type!r}>"

    def _broken(self, exc: httpx.RequestError) -> IncompleteStreamError:
        # A cut connection and a body that does not decode (corrupt gzip) alike.
        return body_read_error(exc, request_id=self.request_id)


class BinaryResponse(_BinaryInfo, ClosesOnExit):
    """An open binary response: :meth:`read` it whole, :meth:`iter_bytes` it, or
    :meth:`write_to_file`. Use as a context manager (or :meth:`close`) to release the
    connection if you do not consume it."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def read(self) -> bytes:
        """All the bytes (reads the rest of the body)."""
        try:
            return self.response.read()
        except httpx.RequestError as exc:
            raise self._broken(exc) from exc
        finally:
            self.response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as they arrive."""
        try:
            yield from self.response.iter_bytes(chunk_size)
        except httpx.RequestError as exc:
            raise self._broken(exc) from exc
        finally:
            self.response.close()

    def write_to_file(self, path: str | os.PathLike[str]) -> int:
        """Stream the body into ``path``; returns the number of bytes written.

        The bytes go to a temporary file in the same directory, which replaces ``path`` only
        when the body is complete. When the download breaks
        (:class:`~azure_oai_preview.IncompleteStreamError`), or anything else fails, the
        temporary file is removed and ``path`` is left as it was - absent, or the earlier
        file. ``OSError`` when the directory cannot be written to.
        """
        target, part = _target(path)
        try:
            file = open(part, "xb")  # noqa: SIM115 - closed below, before the commit
        except BaseException:
            self.close()
            raise
        try:
            written = 0
            with file:
                for chunk in self.iter_bytes():
                    written += file.write(chunk)
            _commit(part, target)
        except BaseException:
            _discard(part)
            raise
        return written

    def close(self) -> None:
        self.response.close()


class AsyncBinaryResponse(_BinaryInfo, AsyncClosesOnExit):
    """The async twin of :class:`BinaryResponse`."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    async def read(self) -> bytes:
        try:
            return await self.response.aread()
        except httpx.RequestError as exc:
            raise self._broken(exc) from exc
        finally:
            await self.response.aclose()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.RequestError as exc:
            raise self._broken(exc) from exc
        finally:
            await self.response.aclose()

    async def write_to_file(self, path: str | os.PathLike[str]) -> int:
        """Stream the body into ``path``, replacing it only once complete (see
        :meth:`BinaryResponse.write_to_file`); returns the number of bytes written."""
        import anyio  # the async client's only: a sync program never loads it
        import anyio.to_thread

        target, part = _target(path)
        try:
            file = await anyio.open_file(part, "xb")
        except BaseException as exc:
            if not isinstance(exc, OSError):
                _discard(part)  # cancelled: the worker thread may have made the file
            await self.close()
            raise
        try:
            written = 0
            async with file:
                async for chunk in self.iter_bytes():
                    written += await file.write(chunk)
            await anyio.to_thread.run_sync(_commit, part, target)
        except BaseException:
            # Not awaited: it must run even when the task is being cancelled.
            _discard(part)
            raise
        return written

    async def close(self) -> None:
        await self.response.aclose()


class BinaryReader:
    """Result reader for binary operations; the call streams so nothing is read up front."""

    __slots__ = ()

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> BinaryResponse:
        return BinaryResponse(response)

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> AsyncBinaryResponse:
        return AsyncBinaryResponse(response)
