"""``client.vector_stores``: vector stores for ``file_search``, their files and file batches.

Besides the operations, ``files.upload_and_poll`` and ``file_batches.upload_and_poll`` upload
local files (``client.files.create(purpose="assistants")``), attach them and wait until they
are processed: one call from a folder of documents to a searchable vector store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from typing_extensions import Unpack

from .._call import Call
from .._exceptions import InvalidRequestError, with_uploaded_files
from .._files import FileInput
from .._options import PollBodyOptions, PollOptions, RequestOptions, take_poll_options
from .._polling import (
    DEFAULT_POLL_INTERVAL,
    Flow,
    Gather,
    check_poll_timing,
    poll_until,
    then_poll,
)
from .._resource import M, Resource, method, polling
from ._crud import body_call, list_call, plain_call
from .files import upload_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import (
        DeleteVectorStoreFileResponse,
        DeleteVectorStoreResponse,
        VectorStoreFileBatchObject,
        VectorStoreFileObject,
        VectorStoreObject,
    )
    from ._args import (
        CreateVectorStoreArgs,
        CreateVectorStoreFileAndPollArgs,
        CreateVectorStoreFileArgs,
        CreateVectorStoreFileBatchAndPollArgs,
        CreateVectorStoreFileBatchArgs,
        ModifyVectorStoreArgs,
    )

__all__ = ["VectorStoreFileBatches", "VectorStoreFiles", "VectorStores"]

DEFAULT_UPLOAD_CONCURRENCY = 5
"""Uploads in flight at once in ``file_batches.upload_and_poll``."""

FileStatusFilter = Literal["in_progress", "completed", "failed", "cancelled"]

T = TypeVar("T")


def _processed(item: Any) -> bool:
    # Files and batches are processed asynchronously; anything but these is final.
    status = getattr(item, "status", None)
    return getattr(status, "value", status) not in ("in_progress", "cancelling")


def _until_processed(
    retrieve: Callable[[str], Call[Any, Any]], poll_interval: float, timeout: float | None
) -> Callable[[Any], Flow[Any]]:
    """A poll of a file or batch: from its id, or from the object a create call returned.
    The timing is checked now, before a create call is sent."""
    check_poll_timing(poll_interval, timeout)

    def poll(target: Any) -> Flow[Any]:
        object_id = target if isinstance(target, str) else target.id
        current = None if isinstance(target, str) else target
        return poll_until(
            lambda: retrieve(object_id),
            _processed,
            poll_interval=poll_interval,
            timeout=timeout,
            current=current,
        )

    return poll


Getter = Callable[[str, Mapping[str, Any]], Callable[[str], Call[Any, Any]]]
"""``(vector_store_id, options) -> (object id -> its retrieve call)``."""


def _poll(
    get: Getter,
    vector_store_id: str,
    object_id: str,
    options: Mapping[str, Any],
    poll_interval: float,
    timeout: float | None,
) -> Flow[Any]:
    _, _, each = take_poll_options(options)
    return _until_processed(get(vector_store_id, each), poll_interval, timeout)(object_id)


def _create_and_poll(
    get: Getter,
    create: tuple[str, str, str],
    vector_store_id: str,
    params: Mapping[str, Any],
    poll_interval: float,
    timeout: float | None,
) -> Flow[Any]:
    """Send the ``create`` operation ``(operation id, request model, response model)``, then
    poll what it made; ``extra_body`` goes with the create request only."""
    fields, first, each = take_poll_options(params)
    call = body_call(*create, {**fields, **first}, vector_store_id=vector_store_id)
    return then_poll(call, _until_processed(get(vector_store_id, each), poll_interval, timeout))


def _upload_then(uploads: Call[Any, Any] | Gather, then: Callable[[Any], Flow[T]]) -> Flow[T]:
    """:func:`~.._polling.then_poll` for the upload helpers: a failure once files are uploaded
    is raised as an error naming them (``uploaded_file_ids``, the original as its cause).

    Nothing is retried or deleted here: whether to keep the files is the caller's call.
    """
    try:
        uploaded = yield uploads
    except Exception as exc:
        # A gather that failed part-way: the uploads that went through are in its results.
        done = uploads.results if isinstance(uploads, Gather) else []
        file_ids = tuple(item.id for item in done if item is not None)
        if file_ids:
            raise with_uploaded_files(exc, file_ids) from exc
        raise
    file_ids = tuple(item.id for item in (uploaded if isinstance(uploads, Gather) else [uploaded]))
    try:
        return (yield from then(uploaded))
    except Exception as exc:
        raise with_uploaded_files(exc, file_ids) from exc


def _get_file(
    vector_store_id: str, options: Mapping[str, Any]
) -> Callable[[str], Call[VectorStoreFileObject, VectorStoreFileObject]]:
    def retrieve(file_id: str) -> Call[VectorStoreFileObject, VectorStoreFileObject]:
        return plain_call(
            "Get_Vector_Store_File",
            "VectorStoreFileObject",
            options,
            vector_store_id=vector_store_id,
            file_id=file_id,
        )

    return retrieve


def _get_batch(
    vector_store_id: str, options: Mapping[str, Any]
) -> Callable[[str], Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]]:
    def retrieve(batch_id: str) -> Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]:
        return plain_call(
            "Get_Vector_Store_File_Batch",
            "VectorStoreFileBatchObject",
            options,
            vector_store_id=vector_store_id,
            batch_id=batch_id,
        )

    return retrieve


class VectorStoreFiles(Resource[M]):
    """``client.vector_stores.files``: the files of one vector store."""

    @method
    def create(
        self, vector_store_id: str, **params: Unpack[CreateVectorStoreFileArgs]
    ) -> Call[VectorStoreFileObject, VectorStoreFileObject]:
        """Attach an uploaded file to a vector store (``Create_Vector_Store_File``)."""
        return body_call(
            "Create_Vector_Store_File",
            "CreateVectorStoreFileRequest",
            "VectorStoreFileObject",
            params,
            vector_store_id=vector_store_id,
        )

    @method
    def list(
        self,
        vector_store_id: str,
        *,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        after: str | None = None,
        before: str | None = None,
        filter: FileStatusFilter | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[VectorStoreFileObject], AsyncCursorPage[VectorStoreFileObject]]:
        """List a vector store's files (``List_Vector_Store_Files``), optionally only those in one ``filter`` status."""
        query = {"limit": limit, "order": order, "after": after, "before": before, "filter": filter}
        return list_call(
            "List_Vector_Store_Files",
            "ListVectorStoreFilesResponse",
            query,
            options,
            vector_store_id=vector_store_id,
        )

    @method
    def retrieve(
        self, file_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreFileObject, VectorStoreFileObject]:
        """Retrieve a vector store file (``Get_Vector_Store_File``)."""
        return _get_file(vector_store_id, options)(file_id)

    @method
    def delete(
        self, file_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeleteVectorStoreFileResponse, DeleteVectorStoreFileResponse]:
        """Remove a file from a vector store (``Delete_Vector_Store_File``); the file itself is kept."""
        return plain_call(
            "Delete_Vector_Store_File",
            "DeleteVectorStoreFileResponse",
            options,
            vector_store_id=vector_store_id,
            file_id=file_id,
        )

    @polling
    def poll(
        self,
        file_id: str,
        *,
        vector_store_id: str,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollOptions],
    ) -> Flow[VectorStoreFileObject]:
        """Retrieve the file every ``poll_interval`` seconds until it is no longer ``in_progress``.

        Raises :class:`~azure_oai_preview.PollTimeoutError` after ``timeout`` seconds (None: no
        limit). The per-request options apply to each retrieval.
        """
        return _poll(_get_file, vector_store_id, file_id, options, poll_interval, timeout)

    @polling
    def create_and_poll(
        self,
        vector_store_id: str,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **params: Unpack[CreateVectorStoreFileAndPollArgs],
    ) -> Flow[VectorStoreFileObject]:
        """Attach a file, then poll until it is processed (see :meth:`VectorStoreFiles.poll`)."""
        create = (
            "Create_Vector_Store_File",
            "CreateVectorStoreFileRequest",
            "VectorStoreFileObject",
        )
        return _create_and_poll(_get_file, create, vector_store_id, params, poll_interval, timeout)

    @polling
    def upload_and_poll(
        self,
        vector_store_id: str,
        *,
        file: FileInput,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollBodyOptions],
    ) -> Flow[VectorStoreFileObject]:
        """Upload ``file`` (``Files_Upload``, ``purpose="assistants"``), attach it to the vector
        store, then poll until it is processed (see :meth:`VectorStoreFiles.poll`).

        ``file`` is what ``client.files.create`` takes (streamed, never read whole). Returns
        the vector store file (``status`` ``completed`` or ``failed``); its ``id`` is the
        uploaded file's. The per-request options apply to every request; ``extra_body`` joins
        the body of the attach request.

        A failure after the upload (attaching, polling, ``PollTimeoutError``) is raised with
        ``uploaded_file_ids`` naming the uploaded file, which stays in ``client.files``: the
        same error class (a copy; the original is its ``__cause__``), or
        :class:`~azure_oai_preview.UploadAndPollError` for an error that is not this package's.
        """
        check_poll_timing(poll_interval, timeout)
        _, _, each = take_poll_options(options)
        create = (
            "Create_Vector_Store_File",
            "CreateVectorStoreFileRequest",
            "VectorStoreFileObject",
        )

        def attach(uploaded: Any) -> Flow[VectorStoreFileObject]:
            params = {**options, "file_id": uploaded.id}
            return _create_and_poll(
                _get_file, create, vector_store_id, params, poll_interval, timeout
            )

        return _upload_then(upload_call(file, "assistants", each), attach)


class VectorStoreFileBatches(Resource[M]):
    """``client.vector_stores.file_batches``: attach many files in one go."""

    @method
    def create(
        self, vector_store_id: str, **params: Unpack[CreateVectorStoreFileBatchArgs]
    ) -> Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]:
        """Attach several uploaded files at once (``Create_Vector_Store_File_Batch``)."""
        return body_call(
            "Create_Vector_Store_File_Batch",
            "CreateVectorStoreFileBatchRequest",
            "VectorStoreFileBatchObject",
            params,
            vector_store_id=vector_store_id,
        )

    @method
    def retrieve(
        self, batch_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]:
        """Retrieve a file batch (``Get_Vector_Store_File_Batch``)."""
        return _get_batch(vector_store_id, options)(batch_id)

    @method
    def cancel(
        self, batch_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]:
        """Cancel a file batch (``Cancel_Vector_Store_File_Batch``): files not yet processed are dropped."""
        return plain_call(
            "Cancel_Vector_Store_File_Batch",
            "VectorStoreFileBatchObject",
            options,
            vector_store_id=vector_store_id,
            batch_id=batch_id,
        )

    @method
    def list_files(
        self,
        batch_id: str,
        *,
        vector_store_id: str,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        after: str | None = None,
        before: str | None = None,
        filter: FileStatusFilter | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[VectorStoreFileObject], AsyncCursorPage[VectorStoreFileObject]]:
        """List the files of a batch (``List_Vector_Store_File_Batch_Files``), optionally filtered by status."""
        query = {"limit": limit, "order": order, "after": after, "before": before, "filter": filter}
        return list_call(
            "List_Vector_Store_File_Batch_Files",
            "ListVectorStoreFilesResponse",
            query,
            options,
            vector_store_id=vector_store_id,
            batch_id=batch_id,
        )

    @polling
    def poll(
        self,
        batch_id: str,
        *,
        vector_store_id: str,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollOptions],
    ) -> Flow[VectorStoreFileBatchObject]:
        """Retrieve the batch every ``poll_interval`` seconds until it is no longer ``in_progress``."""
        return _poll(_get_batch, vector_store_id, batch_id, options, poll_interval, timeout)

    @polling
    def create_and_poll(
        self,
        vector_store_id: str,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **params: Unpack[CreateVectorStoreFileBatchAndPollArgs],
    ) -> Flow[VectorStoreFileBatchObject]:
        """Create a file batch, then poll until all its files are processed."""
        create = (
            "Create_Vector_Store_File_Batch",
            "CreateVectorStoreFileBatchRequest",
            "VectorStoreFileBatchObject",
        )
        return _create_and_poll(_get_batch, create, vector_store_id, params, poll_interval, timeout)

    @polling
    def upload_and_poll(
        self,
        vector_store_id: str,
        *,
        files: Sequence[FileInput],
        file_ids: Sequence[str] = (),
        max_concurrency: int = DEFAULT_UPLOAD_CONCURRENCY,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollBodyOptions],
    ) -> Flow[VectorStoreFileBatchObject]:
        """Upload ``files`` concurrently, create a batch of them (and of ``file_ids``, files
        uploaded before), then poll until all are processed.

        At most ``max_concurrency`` uploads are in flight: threads on the sync client, an
        anyio task group on the async one (asyncio or trio). If an upload fails, uploads not
        yet started are not started, the first error is raised (after the uploads in flight
        ended: finished on the sync client, cancelled on the async one), and no batch is
        created; files uploaded by then stay in ``client.files``. Each file is what
        ``client.files.create`` takes (streamed, never read whole). Returns the batch
        (``status`` ``completed``, ``failed`` or ``cancelled``; ``file_counts``). The
        per-request options apply to every request; ``extra_body`` joins the body of the batch.

        Any failure once files are uploaded (an upload, the batch, its polling) is raised with
        ``uploaded_file_ids``: the files this call uploaded (not ``file_ids``; an upload
        cancelled on the async client is not among them, though the service may have kept
        it). The error keeps its class (a copy; the original is its ``__cause__``); one that
        is not this package's becomes :class:`~azure_oai_preview.UploadAndPollError`. Nothing
        is retried or deleted for you.
        """
        operation = "Create_Vector_Store_File_Batch"
        given = cast("object", files)  # checked as the untyped value a caller may pass
        if isinstance(given, str | bytes | os.PathLike) or not isinstance(given, Sequence):
            raise InvalidRequestError(operation, [("files", "must be a list of files")])
        if not files and not file_ids:
            raise InvalidRequestError(operation, [("files", "give at least one file")])
        concurrency = cast("object", max_concurrency)
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise InvalidRequestError(operation, [("max_concurrency", "must be an integer >= 1")])
        check_poll_timing(poll_interval, timeout)
        _, _, each = take_poll_options(options)
        uploads = Gather([upload_call(file, "assistants", each) for file in files], max_concurrency)
        create = (operation, "CreateVectorStoreFileBatchRequest", "VectorStoreFileBatchObject")

        def attach(uploaded: list[Any]) -> Flow[VectorStoreFileBatchObject]:
            params = {**options, "file_ids": [*file_ids, *(item.id for item in uploaded)]}
            return _create_and_poll(
                _get_batch, create, vector_store_id, params, poll_interval, timeout
            )

        return _upload_then(uploads, attach)


class VectorStores(Resource[M]):
    """Vector stores: indexed files that the ``file_search`` tool searches."""

    @method
    def create(
        self, **params: Unpack[CreateVectorStoreArgs]
    ) -> Call[VectorStoreObject, VectorStoreObject]:
        """Create a vector store (``Create_Vector_Store``), optionally with ``file_ids`` to index."""
        return body_call(
            "Create_Vector_Store", "CreateVectorStoreRequest", "VectorStoreObject", params
        )

    @method
    def list(
        self,
        *,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[VectorStoreObject], AsyncCursorPage[VectorStoreObject]]:
        """List vector stores (``List_Vector_Stores``); iterate the page to walk all of them."""
        query = {"limit": limit, "order": order, "after": after, "before": before}
        return list_call("List_Vector_Stores", "ListVectorStoresResponse", query, options)

    @method
    def retrieve(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreObject, VectorStoreObject]:
        """Retrieve a vector store (``Get_Vector_Store``)."""
        return plain_call(
            "Get_Vector_Store", "VectorStoreObject", options, vector_store_id=vector_store_id
        )

    @method
    def update(
        self, vector_store_id: str, **params: Unpack[ModifyVectorStoreArgs]
    ) -> Call[VectorStoreObject, VectorStoreObject]:
        """Modify a vector store's name, expiration policy or metadata (``Modify_Vector_Store``)."""
        return body_call(
            "Modify_Vector_Store",
            "UpdateVectorStoreRequest",
            "VectorStoreObject",
            params,
            vector_store_id=vector_store_id,
        )

    @method
    def delete(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeleteVectorStoreResponse, DeleteVectorStoreResponse]:
        """Delete a vector store (``Delete_Vector_Store``); the files themselves are kept."""
        return plain_call(
            "Delete_Vector_Store",
            "DeleteVectorStoreResponse",
            options,
            vector_store_id=vector_store_id,
        )

    @cached_property
    def files(self) -> VectorStoreFiles[M]:
        return VectorStoreFiles(self._core)

    @cached_property
    def file_batches(self) -> VectorStoreFileBatches[M]:
        return VectorStoreFileBatches(self._core)
