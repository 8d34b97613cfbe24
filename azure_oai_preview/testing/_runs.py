"""Runs and run steps: create (also with a new thread), read, list, modify, submit tool
outputs, cancel; streamed variants send the run's events until it is stable."""

from __future__ import annotations

import copy
from typing import Any, cast

from ._assistants import active_run, add_message, get_assistant, get_thread, new_thread
from ._errors import bad_request, lookup
from ._pages import page
from ._run_engine import RUN_TTL, Sink, cancel, emit, run_until_stable, step_run, submit_outputs
from ._sse import assistant_stream
from ._state import Json, RunRecord
from ._wire import EmulatedResponse, json_response
from ._world import Call, World, metadata_of

__all__ = ["HANDLERS"]

_CANCELLABLE = frozenset({"queued", "in_progress", "requires_action"})


def _record(world: World, call: Call) -> RunRecord:
    thread_id = get_thread(world, call.path_params["thread_id"])["id"]
    return lookup(world.state.runs[thread_id], call.path_params["run_id"], "run")


def _answer(
    world: World, call: Call, record: RunRecord, sink: Sink, before: Json
) -> EmulatedResponse:
    """A streamed request gets the events until the run is stable; others the run as it was."""
    if call.stream:
        run_until_stable(world, record, sink)
        return assistant_stream(sink)
    return json_response(200, before)


def _start(world: World, call: Call, thread_id: str, sink: Sink) -> RunRecord:
    body = call.body
    assistant = get_assistant(world, str(body["assistant_id"]))
    running = active_run(world, thread_id)
    if running is not None:
        raise bad_request(f"Thread {thread_id} already has an active run {running}.")
    model = body.get("model") or assistant["model"]
    world.catalogue.for_assistants(str(model))
    for message in cast("list[dict[str, Any]]", body.get("additional_messages") or []):
        add_message(world, thread_id, message)
    instructions = body.get("instructions") or assistant["instructions"]
    if body.get("additional_instructions"):
        instructions = f"{instructions or ''}\n{body['additional_instructions']}".strip()
    now = world.clock.now()
    run: Json = {
        "id": world.ids.new("run_"),
        "object": "thread.run",
        "created_at": now,
        "thread_id": thread_id,
        "assistant_id": assistant["id"],
        "status": "queued",
        "required_action": None,
        "last_error": None,
        "expires_at": now + RUN_TTL,
        "started_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "incomplete_details": None,
        "model": model,
        "instructions": instructions,
        "tools": list(body.get("tools") or assistant["tools"]),
        "metadata": metadata_of(body),
        "usage": None,
        "temperature": body.get("temperature", assistant.get("temperature", 1.0)),
        "top_p": body.get("top_p", assistant.get("top_p", 1.0)),
        "max_prompt_tokens": body.get("max_prompt_tokens"),
        "max_completion_tokens": body.get("max_completion_tokens"),
        "truncation_strategy": body.get("truncation_strategy")
        or {"type": "auto", "last_messages": None},
        "tool_choice": body.get("tool_choice", "auto"),
        "response_format": body.get("response_format", assistant.get("response_format", "auto")),
        "tool_resources": body.get("tool_resources") or assistant.get("tool_resources") or {},
    }
    record = RunRecord(run)
    world.state.runs[thread_id][run["id"]] = record
    emit(sink, "thread.run.created", run)
    emit(sink, "thread.run.queued", run)
    return record


def create_run(world: World, call: Call) -> EmulatedResponse:
    thread_id = call.path_params["thread_id"]
    get_thread(world, thread_id)
    sink: Sink = []
    record = _start(world, call, thread_id, sink)
    return _answer(world, call, record, sink, copy.deepcopy(record.run))


def create_thread_and_run(world: World, call: Call) -> EmulatedResponse:
    get_assistant(world, str(call.body["assistant_id"]))
    sink: Sink = []
    thread = new_thread(world, dict(call.body.get("thread") or {}))
    emit(sink, "thread.created", thread)
    record = _start(world, call, thread["id"], sink)
    return _answer(world, call, record, sink, copy.deepcopy(record.run))


def list_runs(world: World, call: Call) -> EmulatedResponse:
    thread_id = call.path_params["thread_id"]
    get_thread(world, thread_id)
    runs = [record.run for record in world.state.runs[thread_id].values()]
    return json_response(200, page(runs, call.query))


def retrieve_run(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    if world.progress == "on_read":
        step_run(world, record, [])
    return json_response(200, record.run)


def modify_run(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    if call.body.get("metadata") is not None:
        record.run["metadata"] = call.body["metadata"]
    return json_response(200, record.run)


def submit_tool_outputs(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    run = record.run
    if run["status"] != "requires_action" or run["required_action"] is None:
        raise bad_request(
            f'Runs in status "{run["status"]}" do not accept tool outputs.', param="tool_outputs"
        )
    outputs = cast("list[Json]", call.body.get("tool_outputs") or [])
    expected = [c["id"] for c in run["required_action"]["submit_tool_outputs"]["tool_calls"]]
    given = [str(o.get("tool_call_id")) for o in outputs]
    if sorted(expected) != sorted(given):
        raise bad_request(
            f"Expected tool outputs for call_ids {expected}, got {given}", param="tool_outputs"
        )
    sink: Sink = []
    submit_outputs(world, record, outputs, sink)
    return _answer(world, call, record, sink, copy.deepcopy(run))


def cancel_run(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    status = record.run["status"]
    if status not in _CANCELLABLE:
        raise bad_request(f"Cannot cancel run with status '{status}'.")
    cancel(record, [])
    return json_response(200, record.run)


def list_run_steps(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    return json_response(200, page(list(record.steps.values()), call.query))


def retrieve_run_step(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    return json_response(200, lookup(record.steps, call.path_params["step_id"], "run step"))


HANDLERS = {
    "Create_Run": create_run,
    "Create_Thread_And_Run": create_thread_and_run,
    "List_Runs": list_runs,
    "Get_Run": retrieve_run,
    "Modify_Run": modify_run,
    "Submit_Tool_Outputs_To_Run": submit_tool_outputs,
    "Cancel_Run": cancel_run,
    "List_Run_Steps": list_run_steps,
    "Get_Run_Step": retrieve_run_step,
}
