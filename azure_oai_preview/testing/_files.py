"""Files (authoring API): upload, import from a URL, list, retrieve, delete, download content.

``File`` objects (``object: file``, ``status``, ``bytes``, ``purpose``, ``filename``), errors in
the authoring ``ErrorResponse`` form (``code``: ``invalidPayload``, ``notFound``...). A new
file is ``pending``, then ``processed``; a ``fine-tune`` file whose lines are not JSON objects
with ``messages`` (or ``prompt``/``completion``) ends in ``error`` with ``status_details``.
An import downloads its ``content_url`` from the emulated web (``emulator.web``, or a
``data:`` URL; the emulator never goes online): a URL with nothing there ends in ``error``.
Assistant files get ``assistant-...`` ids, the others ``file-...`` (as on Azure). Content is
downloaded as ``application/octet-stream``, byte for byte.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import unquote_to_bytes

from ._errors import ServiceError, authoring_lookup
from ._state import Json, StoredFile
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS", "PURPOSES", "process", "progress"]

PURPOSES = ("fine-tune", "fine-tune-results", "assistants", "assistants_output")


def _invalid(message: str, target: str) -> ServiceError:
    return ServiceError(400, "invalidPayload", message, target=target)


def _get(world: World, call: Call) -> StoredFile:
    return authoring_lookup(world.state.files, call.path_params["file-id"], "file")


def _store(world: World, purpose: str, filename: str, content: bytes) -> StoredFile:
    file_id = world.ids.new("assistant-") if purpose == "assistants" else world.ids.hex("file-")
    obj: Json = {
        "object": "file",
        "id": file_id,
        "created_at": world.clock.now(),
        "bytes": len(content),
        "purpose": purpose,
        "filename": filename,
        "status": "pending",
    }
    stored = world.state.files[file_id] = StoredFile(obj, content)
    return stored


def _created(call: Call, stored: StoredFile) -> EmulatedResponse:
    location = f"{call.base_url}/openai/files/{stored.id}"
    return json_response(201, stored.object, {"location": location})


def upload_file(world: World, call: Call) -> EmulatedResponse:
    purpose = call.body.get("purpose")
    upload = call.files.get("file")
    if purpose is None:
        raise _invalid("The 'purpose' form field is required.", "purpose")
    if purpose not in PURPOSES:
        raise _invalid(f"The purpose '{purpose}' is not one of {', '.join(PURPOSES)}.", "purpose")
    if upload is None:
        raise _invalid("The 'file' form field (a file part) is required.", "file")
    return _created(call, _store(world, purpose, upload.filename, upload.content))


def import_file(world: World, call: Call) -> EmulatedResponse:
    body = call.body
    content = _download(world, body["content_url"])
    stored = _store(world, body["purpose"], body["filename"], content or b"")
    if content is None:
        del stored.object["bytes"]  # unknown until downloaded: the spec's "when available"
        stored.download_error = "The file could not be downloaded from its content_url."
    return _created(call, stored)


def _download(world: World, url: str) -> bytes | None:
    """What ``url`` serves in the emulated web: ``emulator.web[url]``, or a ``data:`` URL's
    payload; None when nothing is there."""
    if url.startswith("data:"):
        head, comma, payload = url[5:].partition(",")
        if not comma:
            return None
        if head.endswith(";base64"):
            try:
                return base64.b64decode(payload, validate=True)
            except ValueError:
                return None
        return unquote_to_bytes(payload)
    return world.state.web.get(url)


def list_files(world: World, call: Call) -> EmulatedResponse:
    purpose = call.query.get("purpose")
    if purpose is not None and purpose not in PURPOSES:
        raise _invalid(f"The purpose '{purpose}' is not one of {', '.join(PURPOSES)}.", "purpose")
    data = [f.object for f in world.state.files.values() if purpose is None or f.purpose == purpose]
    return json_response(200, {"object": "list", "data": data})


def retrieve_file(world: World, call: Call) -> EmulatedResponse:
    stored = _get(world, call)
    if world.progress == "on_read":
        process(stored)
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


def process(stored: StoredFile) -> bool:
    """Validate a pending file: ``processed``, or ``error`` with ``status_details``."""
    if stored.status != "pending":
        return False
    problem = stored.download_error
    if problem is None and stored.purpose == "fine-tune":
        problem = _fine_tune_problem(stored.content)
    if problem is None:
        stored.object["status"] = "processed"
    else:
        stored.object.update(status="error", status_details=problem)
    return True


def progress(world: World) -> int:
    """The files' progressor: each pending upload is processed."""
    return sum(process(stored) for stored in world.state.files.values())


HANDLERS = {
    "Files_Upload": upload_file,
    "Files_List": list_files,
    "Files_Get": retrieve_file,
    "Files_Delete": delete_file,
    "Files_GetContent": file_content,
    "Files_Import": import_file,
}
