"""``client.vector_stores``: vector stores for ``file_search``, their files and file batches."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Unpack

from .._call import Call
from .._polling import DEFAULT_POLL_INTERVAL, Flow, flow_operation, poll_until, then_poll
from .._resource import M, Resource, operation
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import (
        DeleteVectorStoreFileResponse,
        DeleteVectorStoreResponse,
        VectorStoreFileBatchObject,
        VectorStoreFileObject,
        VectorStoreObject,
    )
    from ..models._params import (
        CreateVectorStoreFileBatchParams,
        CreateVectorStoreFileParams,
        CreateVectorStoreParams,
        ModifyVectorStoreParams,
    )

__all__ = ["VectorStoreFileBatches", "VectorStoreFiles", "VectorStores"]

FileStatusFilter = Literal["in_progress", "completed", "failed", "cancelled"]


def _processed(item: Any) -> bool:
    # Files and batches are processed asynchronously; anything but these is final.
    status = getattr(item, "status", None)
    return getattr(status, "value", status) not in ("in_progress", "cancelling")


def _until_processed(
    retrieve: Callable[[str], Call[Any, Any]], poll_interval: float, timeout: float | None
) -> Callable[[Any], Flow[Any]]:
    """A poll of a file or batch: from its id, or from the object a create call returned."""

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


# -- vector stores ------------------------------------------------------------------------------


def create_vector_store(
    **params: Unpack[CreateVectorStoreParams],
) -> Call[VectorStoreObject, VectorStoreObject]:
    """Create a vector store (``Create_Vector_Store``), optionally with ``file_ids`` to index."""
    return body_call("Create_Vector_Store", "CreateVectorStoreRequest", "VectorStoreObject", params)


def list_vector_stores(
    *,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Call[CursorPage[VectorStoreObject], AsyncCursorPage[VectorStoreObject]]:
    """List vector stores (``List_Vector_Stores``); iterate the page to walk all of them."""
    query = {"limit": limit, "order": order, "after": after, "before": before}
    return list_call("List_Vector_Stores", "ListVectorStoresResponse", query)


def retrieve_vector_store(vector_store_id: str) -> Call[VectorStoreObject, VectorStoreObject]:
    """Retrieve a vector store (``Get_Vector_Store``)."""
    return plain_call("Get_Vector_Store", "VectorStoreObject", vector_store_id=vector_store_id)


def update_vector_store(
    vector_store_id: str, **params: Unpack[ModifyVectorStoreParams]
) -> Call[VectorStoreObject, VectorStoreObject]:
    """Modify a vector store's name, expiration policy or metadata (``Modify_Vector_Store``)."""
    return body_call(
        "Modify_Vector_Store",
        "UpdateVectorStoreRequest",
        "VectorStoreObject",
        params,
        vector_store_id=vector_store_id,
    )


def delete_vector_store(
    vector_store_id: str,
) -> Call[DeleteVectorStoreResponse, DeleteVectorStoreResponse]:
    """Delete a vector store (``Delete_Vector_Store``); the files themselves are kept."""
    return plain_call(
        "Delete_Vector_Store", "DeleteVectorStoreResponse", vector_store_id=vector_store_id
    )


# -- files ----------------------------------------------------------------------------------------


def create_vector_store_file(
    vector_store_id: str, **params: Unpack[CreateVectorStoreFileParams]
) -> Call[VectorStoreFileObject, VectorStoreFileObject]:
    """Attach an uploaded file to a vector store (``Create_Vector_Store_File``)."""
    return body_call(
        "Create_Vector_Store_File",
        "CreateVectorStoreFileRequest",
        "VectorStoreFileObject",
        params,
        vector_store_id=vector_store_id,
    )


def list_vector_store_files(
    vector_store_id: str,
    *,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    after: str | None = None,
    before: str | None = None,
    filter: FileStatusFilter | None = None,
) -> Call[CursorPage[VectorStoreFileObject], AsyncCursorPage[VectorStoreFileObject]]:
    """List a vector store's files (``List_Vector_Store_Files``), optionally only those in one ``filter`` status."""
    query = {"limit": limit, "order": order, "after": after, "before": before, "filter": filter}
    return list_call(
        "List_Vector_Store_Files",
        "ListVectorStoreFilesResponse",
        query,
        vector_store_id=vector_store_id,
    )


def retrieve_vector_store_file(
    file_id: str, *, vector_store_id: str
) -> Call[VectorStoreFileObject, VectorStoreFileObject]:
    """Retrieve a vector store file (``Get_Vector_Store_File``)."""
    return plain_call(
        "Get_Vector_Store_File",
        "VectorStoreFileObject",
        vector_store_id=vector_store_id,
        file_id=file_id,
    )


def delete_vector_store_file(
    file_id: str, *, vector_store_id: str
) -> Call[DeleteVectorStoreFileResponse, DeleteVectorStoreFileResponse]:
    """Remove a file from a vector store (``Delete_Vector_Store_File``); the file itself is kept."""
    return plain_call(
        "Delete_Vector_Store_File",
        "DeleteVectorStoreFileResponse",
        vector_store_id=vector_store_id,
        file_id=file_id,
    )


def poll_vector_store_file(
    file_id: str,
    *,
    vector_store_id: str,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
) -> Flow[VectorStoreFileObject]:
    """Retrieve the file every ``poll_interval`` seconds until it is no longer ``in_progress``.

    Raises :class:`~azure_oai_preview.PollTimeoutError` after ``timeout`` seconds (None: no limit).
    """
    retrieve = partial(retrieve_vector_store_file, vector_store_id=vector_store_id)
    return _until_processed(retrieve, poll_interval, timeout)(file_id)


def create_vector_store_file_and_poll(
    vector_store_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    **params: Unpack[CreateVectorStoreFileParams],
) -> Flow[VectorStoreFileObject]:
    """Attach a file, then poll until it is processed (see :meth:`VectorStoreFiles.poll`)."""
    retrieve = partial(retrieve_vector_store_file, vector_store_id=vector_store_id)
    return then_poll(
        create_vector_store_file(vector_store_id, **params),
        _until_processed(retrieve, poll_interval, timeout),
    )


# -- file batches -----------------------------------------------------------------------------


def create_file_batch(
    vector_store_id: str, **params: Unpack[CreateVectorStoreFileBatchParams]
) -> Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]:
    """Attach several uploaded files at once (``Create_Vector_Store_File_Batch``)."""
    return body_call(
        "Create_Vector_Store_File_Batch",
        "CreateVectorStoreFileBatchRequest",
        "VectorStoreFileBatchObject",
        params,
        vector_store_id=vector_store_id,
    )


def retrieve_file_batch(
    batch_id: str, *, vector_store_id: str
) -> Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]:
    """Retrieve a file batch (``Get_Vector_Store_File_Batch``)."""
    return plain_call(
        "Get_Vector_Store_File_Batch",
        "VectorStoreFileBatchObject",
        vector_store_id=vector_store_id,
        batch_id=batch_id,
    )


def cancel_file_batch(
    batch_id: str, *, vector_store_id: str
) -> Call[VectorStoreFileBatchObject, VectorStoreFileBatchObject]:
    """Cancel a file batch (``Cancel_Vector_Store_File_Batch``): files not yet processed are dropped."""
    return plain_call(
        "Cancel_Vector_Store_File_Batch",
        "VectorStoreFileBatchObject",
        vector_store_id=vector_store_id,
        batch_id=batch_id,
    )


def list_file_batch_files(
    batch_id: str,
    *,
    vector_store_id: str,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    after: str | None = None,
    before: str | None = None,
    filter: FileStatusFilter | None = None,
) -> Call[CursorPage[VectorStoreFileObject], AsyncCursorPage[VectorStoreFileObject]]:
    """List the files of a batch (``List_Vector_Store_File_Batch_Files``), optionally filtered by status."""
    query = {"limit": limit, "order": order, "after": after, "before": before, "filter": filter}
    return list_call(
        "List_Vector_Store_File_Batch_Files",
        "ListVectorStoreFilesResponse",
        query,
        vector_store_id=vector_store_id,
        batch_id=batch_id,
    )


def poll_file_batch(
    batch_id: str,
    *,
    vector_store_id: str,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
) -> Flow[VectorStoreFileBatchObject]:
    """Retrieve the batch every ``poll_interval`` seconds until it is no longer ``in_progress``."""
    retrieve = partial(retrieve_file_batch, vector_store_id=vector_store_id)
    return _until_processed(retrieve, poll_interval, timeout)(batch_id)


def create_file_batch_and_poll(
    vector_store_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    **params: Unpack[CreateVectorStoreFileBatchParams],
) -> Flow[VectorStoreFileBatchObject]:
    """Create a file batch, then poll until all its files are processed."""
    retrieve = partial(retrieve_file_batch, vector_store_id=vector_store_id)
    return then_poll(
        create_file_batch(vector_store_id, **params),
        _until_processed(retrieve, poll_interval, timeout),
    )


class VectorStoreFiles(Resource[M]):
    """``client.vector_stores.files``: the files of one vector store."""

    create = operation(create_vector_store_file)
    list = operation(list_vector_store_files)
    retrieve = operation(retrieve_vector_store_file)
    delete = operation(delete_vector_store_file)
    poll = flow_operation(poll_vector_store_file)
    create_and_poll = flow_operation(create_vector_store_file_and_poll)


class VectorStoreFileBatches(Resource[M]):
    """``client.vector_stores.file_batches``: attach many files in one go."""

    create = operation(create_file_batch)
    retrieve = operation(retrieve_file_batch)
    cancel = operation(cancel_file_batch)
    list_files = operation(list_file_batch_files)
    poll = flow_operation(poll_file_batch)
    create_and_poll = flow_operation(create_file_batch_and_poll)


class VectorStores(Resource[M]):
    """Vector stores: indexed files that the ``file_search`` tool searches."""

    create = operation(create_vector_store)
    list = operation(list_vector_stores)
    retrieve = operation(retrieve_vector_store)
    update = operation(update_vector_store)
    delete = operation(delete_vector_store)

    @cached_property
    def files(self) -> VectorStoreFiles[M]:
        return VectorStoreFiles(self._core)

    @cached_property
    def file_batches(self) -> VectorStoreFileBatches[M]:
        return VectorStoreFileBatches(self._core)
