"""Vector stores, their files and file batches, with ingestion that progresses.

A file added to a store starts ``in_progress``; one step later it is ``completed`` (its
``usage_bytes`` is the file's size), or ``failed`` with ``last_error``: ``file_not_found``
when the file was deleted meanwhile, ``unhandled_mime_type`` when its extension is not
one file search reads. A batch completes when its files are done; cancelling it cancels
the files still in progress. A store's ``file_counts``, ``usage_bytes`` and ``status`` are
computed from its files; it is ``expired`` once its ``expires_after`` policy says so.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from ._errors import bad_request, lookup, not_found
from ._pages import page
from ._state import Json
from ._wire import EmulatedResponse, deleted, json_response
from ._world import Call, World, metadata_of

__all__ = ["HANDLERS", "SEARCHABLE_EXTENSIONS", "progress"]

SEARCHABLE_EXTENSIONS = frozenset(
    [
        ".c",
        ".cs",
        ".cpp",
        ".doc",
        ".docx",
        ".html",
        ".java",
        ".json",
        ".md",
        ".pdf",
        ".php",
        ".pptx",
        ".py",
        ".rb",
        ".tex",
        ".txt",
        ".css",
        ".js",
        ".sh",
        ".ts",
    ]
)
_DAY = 86_400


def _store(world: World, call: Call) -> Json:
    return lookup(world.state.vector_stores, call.path_params["vector_store_id"], "vector store")


def _counts(files: list[Json]) -> dict[str, int]:
    counts = {status: 0 for status in ("in_progress", "completed", "failed", "cancelled")}
    for item in files:
        counts[item["status"]] += 1
    return {**counts, "total": len(files)}


def render(world: World, store: Json) -> Json:
    """The store as sent: counts, bytes and status computed from its files."""
    files = list(world.state.vector_store_files[store["id"]].values())
    out = copy.deepcopy(store)
    out["file_counts"] = _counts(files)
    out["usage_bytes"] = sum(f["usage_bytes"] for f in files if f["status"] == "completed")
    expires_at = out.get("expires_at")
    if expires_at is not None and world.clock.now() >= expires_at:
        out["status"] = "expired"
    else:
        out["status"] = "in_progress" if out["file_counts"]["in_progress"] else "completed"
    return out


def _set_expiry(store: Json, expires_after: Any) -> None:
    if isinstance(expires_after, dict):
        store["expires_after"] = expires_after
        store["expires_at"] = (
            store["last_active_at"] + int(cast("dict[str, Any]", expires_after)["days"]) * _DAY
        )


def _add_file(world: World, store_id: str, file_id: str) -> Json:
    if file_id not in world.state.files:
        raise not_found("file", file_id)
    item: Json = {
        "id": file_id,
        "object": "vector_store.file",
        "usage_bytes": 0,
        "created_at": world.clock.now(),
        "vector_store_id": store_id,
        "status": "in_progress",
        "last_error": None,
    }
    world.state.vector_store_files[store_id][file_id] = item
    return item


def create_vector_store(world: World, call: Call) -> EmulatedResponse:
    body = call.body
    now = world.clock.now()
    store: Json = {
        "id": world.ids.new("vs_"),
        "object": "vector_store",
        "created_at": now,
        "name": body.get("name") or "",
        "expires_at": None,
        "last_active_at": now,
        "metadata": metadata_of(body),
    }
    file_ids = [str(f) for f in cast("list[Any]", body.get("file_ids") or [])]
    for file_id in file_ids:
        if file_id not in world.state.files:
            raise not_found("file", file_id)
    _set_expiry(store, body.get("expires_after"))
    world.state.vector_stores[store["id"]] = store
    world.state.vector_store_files[store["id"]] = {}
    world.state.file_batches[store["id"]] = {}
    for file_id in file_ids:
        _add_file(world, store["id"], file_id)
    return json_response(200, render(world, store))


def list_vector_stores(world: World, call: Call) -> EmulatedResponse:
    stores = [render(world, s) for s in world.state.vector_stores.values()]
    return json_response(200, page(stores, call.query))


def retrieve_vector_store(world: World, call: Call) -> EmulatedResponse:
    return json_response(200, render(world, _store(world, call)))


def modify_vector_store(world: World, call: Call) -> EmulatedResponse:
    store = _store(world, call)
    body = call.body
    if body.get("name") is not None:
        store["name"] = body["name"]
    if body.get("metadata") is not None:
        store["metadata"] = body["metadata"]
    store["last_active_at"] = world.clock.now()
    _set_expiry(store, body.get("expires_after") or store.get("expires_after"))
    return json_response(200, render(world, store))


def delete_vector_store(world: World, call: Call) -> EmulatedResponse:
    store = _store(world, call)
    for table in (
        world.state.vector_stores,
        world.state.vector_store_files,
        world.state.file_batches,
    ):
        table.pop(store["id"], None)
    return deleted(store["id"], "vector_store")


def _file(world: World, call: Call) -> Json:
    files = world.state.vector_store_files[_store(world, call)["id"]]
    return lookup(files, call.path_params["file_id"], "vector store file")


def create_vector_store_file(world: World, call: Call) -> EmulatedResponse:
    store = _store(world, call)
    store["last_active_at"] = world.clock.now()
    return json_response(200, _add_file(world, store["id"], str(call.body["file_id"])))


def _filtered(items: list[Json], call: Call) -> list[Json]:
    wanted = call.query.get("filter")
    return [i for i in items if wanted is None or i["status"] == wanted]


def list_vector_store_files(world: World, call: Call) -> EmulatedResponse:
    store = _store(world, call)
    items = list(world.state.vector_store_files[store["id"]].values())
    return json_response(200, page(_filtered(items, call), call.query))


def retrieve_vector_store_file(world: World, call: Call) -> EmulatedResponse:
    item = _file(world, call)
    if world.progress == "on_read":
        _ingest(world, item)
    return json_response(200, item)


def delete_vector_store_file(world: World, call: Call) -> EmulatedResponse:
    item = _file(world, call)
    del world.state.vector_store_files[item["vector_store_id"]][item["id"]]
    return deleted(item["id"], "vector_store.file")


def _batch(world: World, call: Call) -> Json:
    batches = world.state.file_batches[_store(world, call)["id"]]
    return lookup(batches, call.path_params["batch_id"], "vector store file batch")


def _render_batch(world: World, batch: Json) -> Json:
    files = world.state.vector_store_files.get(batch["vector_store_id"], {})
    members = [files[i] for i in world.state.batch_files[batch["id"]] if i in files]
    return {**batch, "file_counts": _counts(members)}


def create_file_batch(world: World, call: Call) -> EmulatedResponse:
    store = _store(world, call)
    file_ids = [str(f) for f in cast("list[Any]", call.body["file_ids"])]
    missing = [f for f in file_ids if f not in world.state.files]
    if missing:
        raise bad_request(f"Files not found: {', '.join(missing)}", param="file_ids")
    batch: Json = {
        "id": world.ids.new("vsfb_"),
        "object": "vector_store.file_batch",
        "created_at": world.clock.now(),
        "vector_store_id": store["id"],
        "status": "in_progress",
    }
    for file_id in file_ids:
        _add_file(world, store["id"], file_id)
    world.state.file_batches[store["id"]][batch["id"]] = batch
    world.state.batch_files[batch["id"]] = file_ids
    return json_response(200, _render_batch(world, batch))


def retrieve_file_batch(world: World, call: Call) -> EmulatedResponse:
    batch = _batch(world, call)
    if world.progress == "on_read":
        _step_batch(world, batch)
    return json_response(200, _render_batch(world, batch))


def cancel_file_batch(world: World, call: Call) -> EmulatedResponse:
    batch = _batch(world, call)
    if batch["status"] != "in_progress":
        raise bad_request(f"Cannot cancel a batch with status '{batch['status']}'.")
    batch["status"] = "cancelling"
    return json_response(200, _render_batch(world, batch))


def list_file_batch_files(world: World, call: Call) -> EmulatedResponse:
    batch = _batch(world, call)
    files = world.state.vector_store_files[batch["vector_store_id"]]
    items = [files[i] for i in world.state.batch_files[batch["id"]] if i in files]
    return json_response(200, page(_filtered(items, call), call.query))


def _ingest(world: World, item: Json) -> bool:
    if item["status"] != "in_progress":
        return False
    stored = world.state.files.get(item["id"])
    if stored is None:
        item.update(
            status="failed",
            last_error={"code": "file_not_found", "message": f"File {item['id']} was not found."},
        )
    elif not any(stored.filename.lower().endswith(ext) for ext in SEARCHABLE_EXTENSIONS):
        item.update(
            status="failed",
            last_error={
                "code": "unhandled_mime_type",
                "message": f"Files of the type of '{stored.filename}' are not supported for file search.",
            },
        )
    else:
        item.update(status="completed", usage_bytes=len(stored.content))
    return True


def _step_batch(world: World, batch: Json) -> bool:
    files = world.state.vector_store_files.get(batch["vector_store_id"], {})
    members = [files[i] for i in world.state.batch_files[batch["id"]] if i in files]
    if batch["status"] == "cancelling":
        for item in members:
            if item["status"] == "in_progress":
                item["status"] = "cancelled"
        batch["status"] = "cancelled"
        return True
    if batch["status"] != "in_progress":
        return False
    moved = any([_ingest(world, item) for item in members])
    if all(item["status"] != "in_progress" for item in members):
        batch["status"] = "completed"
        return True
    return moved


def progress(world: World) -> int:
    """The vector stores' progressor: batches first (a cancel wins), then single files."""
    moved = 0
    for batches in world.state.file_batches.values():
        for batch in batches.values():
            moved += _step_batch(world, batch)
    for files in world.state.vector_store_files.values():
        for item in files.values():
            moved += _ingest(world, item)
    return moved


HANDLERS = {
    "Create_Vector_Store": create_vector_store,
    "List_Vector_Stores": list_vector_stores,
    "Get_Vector_Store": retrieve_vector_store,
    "Modify_Vector_Store": modify_vector_store,
    "Delete_Vector_Store": delete_vector_store,
    "Create_Vector_Store_File": create_vector_store_file,
    "List_Vector_Store_Files": list_vector_store_files,
    "Get_Vector_Store_File": retrieve_vector_store_file,
    "Delete_Vector_Store_File": delete_vector_store_file,
    "Create_Vector_Store_File_Batch": create_file_batch,
    "Get_Vector_Store_File_Batch": retrieve_file_batch,
    "Cancel_Vector_Store_File_Batch": cancel_file_batch,
    "List_Vector_Store_File_Batch_Files": list_file_batch_files,
}
