"""Assistants, threads and messages: create, read, modify, delete, list.

Deleting a thread deletes its messages and runs. A message cannot be added to a thread
while one of its runs is active (queued, in progress, requires action, cancelling), as on
the service.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from ._errors import bad_request, lookup, not_found
from ._pages import page
from ._state import Json
from ._wire import EmulatedResponse, deleted, json_response
from ._world import Call, World, metadata_of

__all__ = [
    "ACTIVE_RUN_STATUSES",
    "HANDLERS",
    "active_run",
    "get_assistant",
    "get_thread",
    "new_message",
    "new_thread",
    "text_content",
]

ACTIVE_RUN_STATUSES = frozenset({"queued", "in_progress", "requires_action", "cancelling"})

_ASSISTANT_FIELDS = (
    "name",
    "description",
    "model",
    "instructions",
    "tools",
    "tool_resources",
    "metadata",
    "temperature",
    "top_p",
    "response_format",
)


def _ok(payload: Any) -> EmulatedResponse:
    return json_response(200, copy.deepcopy(payload))


def get_assistant(world: World, assistant_id: str) -> Json:
    return lookup(world.state.assistants, assistant_id, "assistant")


def get_thread(world: World, thread_id: str) -> Json:
    return lookup(world.state.threads, thread_id, "thread")


def active_run(world: World, thread_id: str) -> str | None:
    for run_id, record in world.state.runs.get(thread_id, {}).items():
        if record.run["status"] in ACTIVE_RUN_STATUSES:
            return run_id
    return None


def text_content(text: str) -> list[Json]:
    return [{"type": "text", "text": {"value": text, "annotations": []}}]


# -- assistants ---------------------------------------------------------------------------


def create_assistant(world: World, call: Call) -> EmulatedResponse:
    body = call.body
    world.catalogue.for_assistants(str(body["model"]))
    assistant: Json = {
        "id": world.ids.new("asst_"),
        "object": "assistant",
        "created_at": world.clock.now(),
        "name": body.get("name"),
        "description": body.get("description"),
        "model": body["model"],
        "instructions": body.get("instructions"),
        "tools": list(body.get("tools") or []),
        "tool_resources": body.get("tool_resources") or {},
        "metadata": metadata_of(body),
        "temperature": body.get("temperature", 1.0),
        "top_p": body.get("top_p", 1.0),
        "response_format": body.get("response_format", "auto"),
    }
    world.state.assistants[assistant["id"]] = assistant
    return _ok(assistant)


def list_assistants(world: World, call: Call) -> EmulatedResponse:
    return _ok(page(list(world.state.assistants.values()), call.query))


def retrieve_assistant(world: World, call: Call) -> EmulatedResponse:
    return _ok(get_assistant(world, call.path_params["assistant_id"]))


def modify_assistant(world: World, call: Call) -> EmulatedResponse:
    assistant = get_assistant(world, call.path_params["assistant_id"])
    body = call.body
    if body.get("model") is not None:
        world.catalogue.for_assistants(str(body["model"]))
    for name in _ASSISTANT_FIELDS:
        if name in body and body[name] is not None:
            assistant[name] = body[name]
    return _ok(assistant)


def delete_assistant(world: World, call: Call) -> EmulatedResponse:
    assistant_id = call.path_params["assistant_id"]
    get_assistant(world, assistant_id)
    del world.state.assistants[assistant_id]
    return deleted(assistant_id, "assistant")


# -- threads ------------------------------------------------------------------------------


def new_thread(world: World, body: dict[str, Any]) -> Json:
    """Create a thread (with its initial ``messages``) from a createThreadRequest."""
    thread: Json = {
        "id": world.ids.new("thread_"),
        "object": "thread",
        "created_at": world.clock.now(),
        "tool_resources": body.get("tool_resources") or {},
        "metadata": metadata_of(body),
    }
    world.state.threads[thread["id"]] = thread
    world.state.messages[thread["id"]] = {}
    world.state.runs[thread["id"]] = {}
    for message in cast("list[dict[str, Any]]", body.get("messages") or []):
        add_message(world, thread["id"], message)
    return thread


def create_thread(world: World, call: Call) -> EmulatedResponse:
    return _ok(new_thread(world, call.body))


def retrieve_thread(world: World, call: Call) -> EmulatedResponse:
    return _ok(get_thread(world, call.path_params["thread_id"]))


def modify_thread(world: World, call: Call) -> EmulatedResponse:
    thread = get_thread(world, call.path_params["thread_id"])
    for name in ("tool_resources", "metadata"):
        if call.body.get(name) is not None:
            thread[name] = call.body[name]
    return _ok(thread)


def delete_thread(world: World, call: Call) -> EmulatedResponse:
    thread_id = call.path_params["thread_id"]
    get_thread(world, thread_id)
    for store in (world.state.threads, world.state.messages, world.state.runs):
        store.pop(thread_id, None)
    return deleted(thread_id, "thread")


# -- messages -----------------------------------------------------------------------------


def new_message(
    world: World,
    thread_id: str,
    role: str,
    text: str | None,
    *,
    assistant_id: str | None = None,
    run_id: str | None = None,
    attachments: list[Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Json:
    """Add a message to a thread; ``text=None`` makes an empty, ``in_progress`` one."""
    now = world.clock.now()
    message: Json = {
        "id": world.ids.new("msg_"),
        "object": "thread.message",
        "created_at": now,
        "thread_id": thread_id,
        "status": "in_progress" if text is None else "completed",
        "incomplete_details": None,
        "completed_at": None if text is None else now,
        "incomplete_at": None,
        "role": role,
        "content": [] if text is None else text_content(text),
        "assistant_id": assistant_id,
        "run_id": run_id,
        "attachments": attachments or [],
        "metadata": metadata or {},
    }
    world.state.messages[thread_id][message["id"]] = message
    return message


def add_message(world: World, thread_id: str, body: dict[str, Any]) -> Json:
    """Add a createMessageRequest's message, after the checks the service makes."""
    for attachment in cast("list[dict[str, Any]]", body.get("attachments") or []):
        file_id = str(attachment.get("file_id"))
        if file_id not in world.state.files:
            raise not_found("file", file_id)
    return new_message(
        world,
        thread_id,
        str(body["role"]),
        str(body["content"]),
        attachments=list(body.get("attachments") or []),
        metadata=metadata_of(body),
    )


def _message(world: World, call: Call) -> Json:
    thread_id = get_thread(world, call.path_params["thread_id"])["id"]
    return lookup(world.state.messages[thread_id], call.path_params["message_id"], "message")


def create_message(world: World, call: Call) -> EmulatedResponse:
    thread_id = call.path_params["thread_id"]
    get_thread(world, thread_id)
    running = active_run(world, thread_id)
    if running is not None:
        raise bad_request(f"Can't add messages to {thread_id} while a run {running} is active.")
    return _ok(add_message(world, thread_id, call.body))


def list_messages(world: World, call: Call) -> EmulatedResponse:
    thread_id = call.path_params["thread_id"]
    get_thread(world, thread_id)
    messages = list(world.state.messages[thread_id].values())
    run_id = call.query.get("run_id")
    if run_id is not None:
        messages = [m for m in messages if m["run_id"] == run_id]
    return _ok(page(messages, call.query))


def retrieve_message(world: World, call: Call) -> EmulatedResponse:
    return _ok(_message(world, call))


def modify_message(world: World, call: Call) -> EmulatedResponse:
    message = _message(world, call)
    if call.body.get("metadata") is not None:
        message["metadata"] = call.body["metadata"]
    return _ok(message)


HANDLERS = {
    "Create_Assistant": create_assistant,
    "List_Assistants": list_assistants,
    "Get_Assistant": retrieve_assistant,
    "Modify_Assistant": modify_assistant,
    "Delete_Assistant": delete_assistant,
    "Create_Thread": create_thread,
    "Get_Thread": retrieve_thread,
    "Modify_Thread": modify_thread,
    "Delete_Thread": delete_thread,
    "Create_Message": create_message,
    "List_Messages": list_messages,
    "Get_Message": retrieve_message,
    "Modify_Message": modify_message,
}
