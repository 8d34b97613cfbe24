"""``client.files``: upload, import, list, retrieve, download and delete files (authoring API).

Files hold training data for fine-tuning (``purpose="fine-tune"``) and documents for the
assistants' tools (``purpose="assistants"``). An upload is processed after it arrives
(``status`` ``pending`` -> ``processed`` or ``error``); :meth:`Files.wait_for_processing`
waits for that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Unpack

from .._binary import AsyncBinaryResponse, BinaryReader, BinaryResponse
from .._call import Call, JsonReader
from .._files import FileInput
from .._options import PollOptions, RequestOptions, apply_options, take_poll_options
from .._polling import Flow, poll_until
from .._resource import M, Resource, method, polling
from ._authoring import empty_call
from ._common import model, multipart_body, operation_named
from ._crud import body_call, list_call, plain_call, reader_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import File, Purpose
    from ._args import FilesImportArgs

__all__ = ["Files", "PurposeName", "upload_call"]

PurposeName = Literal["fine-tune", "fine-tune-results", "assistants", "assistants_output"]
"""The ``purpose`` values of the pinned spec (``Purpose``)."""

FILE_SETTLED_STATUSES = frozenset({"processed", "error", "deleted"})
"""File statuses after which processing is over."""

DEFAULT_FILE_POLL_INTERVAL = 5.0
"""Seconds between two retrievals while a file is processed (usually seconds to minutes)."""


def upload_call(file: FileInput, purpose: Any, options: Mapping[str, Any]) -> Call[File, File]:
    """The ``Files_Upload`` call: ``purpose`` checked against the spec, ``file`` streamed."""
    body = multipart_body(
        "Files_Upload", "FilesUploadRequest", {"purpose": purpose}, {"file": file}
    )
    call: Call[File, File] = Call(
        operation=operation_named("Files_Upload"), body=body, reader=JsonReader(model("File"))
    )
    return apply_options(call, options)


def _retrieve(options: Mapping[str, Any]) -> Callable[[str], Call[File, File]]:
    def retrieve(file_id: str) -> Call[File, File]:
        return plain_call("Files_Get", "File", options, **{"file-id": file_id})

    return retrieve


def file_processed(item: Any) -> bool:
    """Whether an uploaded file's processing is over (``processed``, ``error`` or ``deleted``)."""
    status = getattr(item, "status", None)
    return getattr(status, "value", status) in FILE_SETTLED_STATUSES


class Files(Resource[M]):
    """``client.files``: the files of the Azure OpenAI resource."""

    @method
    def create(
        self,
        *,
        file: FileInput,
        purpose: Purpose | PurposeName,
        **options: Unpack[RequestOptions],
    ) -> Call[File, File]:
        """Upload a file (``Files_Upload``, a multipart request); returns it as ``pending``.

        ``file`` is a path, bytes, a binary file object or ``(filename, content[,
        content_type])``. It is streamed in 64 KiB chunks, never read whole: a 100 MB upload
        costs a chunk of memory. A path, bytes or a seekable file object is sent again whole
        if the request is retried; a non-seekable stream (a pipe) is sent once, and a failure
        after its first bytes went out is raised without a retry (see
        :class:`~azure_oai_preview.UploadNotReplayableError`). ``purpose``: ``"fine-tune"``
        for training data (JSON Lines), ``"assistants"`` for the assistants' tools.
        ``extra_body`` entries are sent as extra form fields. Processing follows the upload:
        :meth:`wait_for_processing` waits for it.
        """
        return upload_call(file, purpose, options)

    @method
    def import_from_url(self, **params: Unpack[FilesImportArgs]) -> Call[File, File]:
        """Create a file from the content at ``content_url`` (``Files_Import``).

        The service downloads it (a blob SAS URL, or any URL it can GET) and processes it
        like an upload; ``filename`` names it, ``purpose`` as for :meth:`create`.
        """
        return body_call("Files_Import", "FileImport", "File", params)

    @method
    def list(
        self,
        *,
        purpose: Purpose | PurposeName | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[File], AsyncCursorPage[File]]:
        """List the resource's files (``Files_List``), optionally only those of one ``purpose``.

        The service answers with one page (no cursor); iterate it for the files.
        """
        return list_call("Files_List", "FileList", {"purpose": purpose}, options)

    @method
    def retrieve(self, file_id: str, **options: Unpack[RequestOptions]) -> Call[File, File]:
        """Retrieve a file's metadata and status (``Files_Get``)."""
        return _retrieve(options)(file_id)

    @method
    def delete(self, file_id: str, **options: Unpack[RequestOptions]) -> Call[None, None]:
        """Delete a file (``Files_Delete``; the service answers ``204 No Content``)."""
        return empty_call("Files_Delete", options, **{"file-id": file_id})

    @method
    def content(
        self, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[BinaryResponse, AsyncBinaryResponse]:
        """Download a file's content (``Files_GetContent``); the body is streamed.

        Returns a :class:`~azure_oai_preview.BinaryResponse`: ``.read()`` for the bytes,
        ``.iter_bytes()`` for chunks, ``.write_to_file(path)`` to stream it to disk. Use it as
        a context manager (or ``.close()``) when you do not read it all.
        """
        call = reader_call("Files_GetContent", BinaryReader(), options, **{"file-id": file_id})
        return replace(call, stream=True, accept="application/octet-stream")

    @polling
    def wait_for_processing(
        self,
        file_id: str,
        *,
        poll_interval: float = DEFAULT_FILE_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollOptions],
    ) -> Flow[File]:
        """Retrieve the file every ``poll_interval`` seconds until its processing is over.

        Returns the file once its ``status`` is ``processed``, ``error`` (see
        ``status_details``) or ``deleted``. Raises :class:`~azure_oai_preview.PollTimeoutError`
        after ``timeout`` seconds (None: no limit). The per-request options apply to each
        retrieval.
        """
        _, _, each = take_poll_options(options)
        retrieve = _retrieve(each)
        return poll_until(
            lambda: retrieve(file_id),
            file_processed,
            poll_interval=poll_interval,
            timeout=timeout,
        )
