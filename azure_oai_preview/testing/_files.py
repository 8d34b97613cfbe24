"""Files (authoring API): upload, list, retrieve, delete, download content.

Served from the authoring document's shapes ahead of its generated models: ``File``
objects (``object: file``, ``status``, ``bytes``, ``purpose``, ``filename``), errors in the
authoring ``ErrorResponse`` form (``code``: ``invalidPayload``, ``notFound``...). An upload
is ``pending``, then ``processed``; a ``fine-tune`` upload whose lines are not JSON objects
with ``messages`` (or ``prompt``/``completion``) ends in ``error`` with ``status_details``.
Assistant files get ``assistant-...`` ids, the others ``file-...`` (as on Azure).
"""

from __future__ import annotations

import json
from typing import Any

from ._errors import ServiceError
from ._state import Json, StoredFile
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS", "PURPOSES", "progress"]

PURPOSES = ("fine-tune", "fine-tune-results", "assistants", "assistants_output")


def _invalid(message: str, target: str) -> ServiceError:
    return ServiceError(400, "invalidPayload", message, target=target)


def _get(world: World, call: Call) -> StoredFile:
    file_id = call.path_params["file-id"]
    stored = world.state.files.get(file_id)
    if stored is None:
        raise ServiceError(404, "notFound", f"File with id '{file_id}' not found.")
    return stored


def upload_file(world: World, call: Call) -> EmulatedResponse:
    purpose = call.body.get("purpose")
    upload = call.files.get("file")
    if purpose is None:
        raise _invalid("The 'purpose' form field is required.", "purpose")
    if purpose not in PURPOSES:
        raise _invalid(f"The purpose '{purpose}' is not one of {', '.join(PURPOSES)}.", "purpose")
    if upload is None:
        raise _invalid("The 'file' form field (a file part) is required.", "file")
    file_id = world.ids.new("assistant-") if purpose == "assistants" else world.ids.hex("file-")
    obj: Json = {
        "object": "file",
        "id": file_id,
        "created_at": world.clock.now(),
        "bytes": len(upload.content),
        "purpose": purpose,
        "filename": upload.filename,
        "status": "pending",
    }
    world.state.files[file_id] = StoredFile(obj, upload.content)
    location = f"{call.base_url}/openai/files/{file_id}"
    return json_response(201, obj, {"location": location})


def list_files(world: World, call: Call) -> EmulatedResponse:
    purpose = call.query.get("purpose")
    if purpose is not None and purpose not in PURPOSES:
        raise _invalid(f"The purpose '{purpose}' is not one of {', '.join(PURPOSES)}.", "purpose")
    data = [f.object for f in world.state.files.values() if purpose is None or f.purpose == purpose]
    return json_response(200, {"object": "list", "data": data})


def retrieve_file(world: World, call: Call) -> EmulatedResponse:
    stored = _get(world, call)
    if world.progress == "on_read":
        _process(stored)
    return json_response(200, stored.object)


def delete_file(world: World, call: Call) -> EmulatedResponse:
    stored = _get(world, call)
    del world.state.files[stored.id]
    return EmulatedResponse(204)


def file_content(world: World, call: Call) -> EmulatedResponse:
    stored = _get(world, call)
    return EmulatedResponse(200, {"content-type": "application/octet-stream"}, body=stored.content)


def _fine_tune_problem(content: bytes) -> str | None:
    lines = [line for line in content.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        return "The file is empty."
    for number, line in enumerate(lines, start=1):
        try:
            record: Any = json.loads(line)
        except ValueError:
            return f"Line {number} is not valid JSON."
        if not isinstance(record, dict) or not (
            "messages" in record or {"prompt", "completion"} <= record.keys()
        ):
            return f"Line {number} has neither 'messages' nor 'prompt' and 'completion'."
    return None


def _process(stored: StoredFile) -> bool:
    if stored.status != "pending":
        return False
    problem = _fine_tune_problem(stored.content) if stored.purpose == "fine-tune" else None
    if problem is None:
        stored.object["status"] = "processed"
    else:
        stored.object.update(status="error", status_details=problem)
    return True


def progress(world: World) -> int:
    """The files' progressor: each pending upload is processed."""
    return sum(_process(stored) for stored in world.state.files.values())


HANDLERS = {
    "Files_Upload": upload_file,
    "Files_List": list_files,
    "Files_Get": retrieve_file,
    "Files_Delete": delete_file,
    "Files_GetContent": file_content,
}
