"""The life of an assistant run, one step at a time, with the events each step emits.

``queued`` -> ``in_progress`` -> one model turn, which ends the run ``completed`` (a message
was written), ``requires_action`` (function tools were called; outputs are awaited) or
``failed`` (a scripted :class:`RunFailure`, or a prompt the content filter blocks).
Submitting tool outputs puts the run back to ``queued``. ``cancel`` makes it ``cancelling``,
then ``cancelled``; a run waiting for outputs past its ``expires_at`` becomes ``expired``.

Every change appends ``(event name, snapshot)`` pairs to a sink: the documented stream
events (``thread.run.created``, ``thread.run.step.delta``, ``thread.message.delta``...).
Streamed requests send them; other requests drop them.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from ._assistants import new_message, text_content
from ._behaviour import split_text
from ._generation import Generation, generate, prompt_tokens
from ._jsonish import field_of
from ._script import RunFailure, ToolOutput, Turn
from ._state import Json, RunRecord
from ._world import World

__all__ = [
    "Sink",
    "cancel",
    "expire_due",
    "new_step",
    "progress_runs",
    "run_until_stable",
    "step_run",
    "submit_outputs",
]

Sink = list[tuple[str, Json]]
RUN_TTL = 600
"""Seconds a run may wait (queued, in progress, requires action) before it expires."""
_STABLE = frozenset({"requires_action", "completed", "failed", "cancelled", "expired"})
_ARGUMENT_PIECE = 12


def emit(sink: Sink, name: str, obj: Json) -> None:
    sink.append((name, copy.deepcopy(obj)))


def step_run(world: World, record: RunRecord, sink: Sink) -> bool:
    """Move ``record`` one step; False when it is waiting or finished."""
    run = record.run
    status = run["status"]
    if status == "queued":
        run["status"] = "in_progress"
        run["started_at"] = run["started_at"] or world.clock.now()
        emit(sink, "thread.run.in_progress", run)
        return True
    if status == "in_progress":
        _model_turn(world, record, sink)
        return True
    if status == "cancelling":
        _finish(world, record, "cancelled", sink)
        return True
    return False


def run_until_stable(world: World, record: RunRecord, sink: Sink) -> None:
    while record.run["status"] not in _STABLE and step_run(world, record, sink):
        pass


def progress_runs(world: World) -> int:
    """The runs' progressor: every run not waiting and not finished moves one step."""
    moved = 0
    for runs in list(world.state.runs.values()):
        for record in list(runs.values()):
            moved += step_run(world, record, [])
    return moved


def expire_due(world: World) -> None:
    """Expire the runs whose ``expires_at`` has passed."""
    now = world.clock.now()
    for runs in world.state.runs.values():
        for record in runs.values():
            expires_at = record.run["expires_at"]
            if (
                expires_at is not None
                and expires_at <= now
                and record.run["status"] not in _STABLE - {"requires_action"}
            ):
                _finish(world, record, "expired", [])


def _turn(world: World, record: RunRecord) -> Turn:
    run = record.run
    messages = [
        {
            "role": m["role"],
            "content": "".join(
                part["text"]["value"] for part in m["content"] if part["type"] == "text"
            ),
        }
        for m in world.state.messages[run["thread_id"]].values()
        if m["status"] == "completed"
    ]
    tools = [
        cast("dict[str, Any]", tool["function"])
        for tool in cast("list[dict[str, Any]]", run["tools"])
        if tool.get("type") == "function"
    ]
    return Turn(
        kind="run",
        deployment=str(run["model"]),
        messages=tuple(messages),
        tools=tuple(tools),
        tool_choice=run.get("tool_choice"),
        tool_outputs=tuple(record.outputs),
        instructions=run["instructions"],
        request={"run_id": run["id"], "assistant_id": run["assistant_id"]},
    )


def _model_turn(world: World, record: RunRecord, sink: Sink) -> None:
    run = record.run
    turn = _turn(world, record)
    prompt = "\n".join([run["instructions"] or "", *(str(m["content"]) for m in turn.messages)])
    _, blocked = world.filters.check_prompt(prompt)
    if blocked is not None:
        failure = RunFailure(
            "server_error",
            "The prompt was filtered due to triggering Azure OpenAI's content management policy.",
        )
        _finish(world, record, "failed", sink, failure=failure)
        return
    json_mode = field_of(run.get("response_format"), "type") == "json_object"
    generation = generate(world, turn, json_mode=json_mode)
    record.outputs = []
    if isinstance(generation, RunFailure):
        _finish(world, record, "failed", sink, failure=generation)
        return
    usage = _add_usage(record, prompt_tokens(turn), generation.completion_tokens)
    if generation.tool_calls:
        _request_tools(world, record, generation, usage, sink)
    else:
        _write_message(world, record, generation, usage, sink)


def _add_usage(record: RunRecord, prompt: int, completion: int) -> dict[str, int]:
    """Adds one model turn's tokens to the run's; returns the turn's (its step's usage)."""
    turn = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    for name, tokens in turn.items():
        record.usage[name] += tokens
    return turn


def new_step(
    world: World, record: RunRecord, kind: str, details: Json, usage: dict[str, int]
) -> Json:
    """A new ``in_progress`` step; ``usage`` (its model turn's tokens) is shown once it ends,
    as the service shows a step's usage (null while the step is in progress)."""
    run = record.run
    step: Json = {
        "id": world.ids.new("step_"),
        "object": "thread.run.step",
        "created_at": world.clock.now(),
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "run_id": run["id"],
        "type": kind,
        "status": "in_progress",
        "step_details": details,
        "last_error": None,
        "expired_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "metadata": {},
        "usage": None,
    }
    record.steps[step["id"]] = step
    record.step_usage[step["id"]] = usage
    return step


def _request_tools(
    world: World, record: RunRecord, generation: Generation, usage: dict[str, int], sink: Sink
) -> None:
    run = record.run
    calls: list[Json] = [
        {
            "id": c.id,
            "type": "function",
            "function": {"name": c.name, "arguments": c.arguments_json(), "output": None},
        }
        for c in generation.tool_calls
    ]
    step = new_step(world, record, "tool_calls", {"type": "tool_calls", "tool_calls": calls}, usage)
    record.tool_step_id = step["id"]
    # The service announces a tool step with no calls yet: the calls (ids, names, then the
    # arguments piece by piece) arrive in the deltas only, so a client that adds the deltas
    # to the announced step gets each argument once. Retrieving the step shows the calls.
    announced: Json = {**step, "step_details": {"type": "tool_calls", "tool_calls": []}}
    emit(sink, "thread.run.step.created", announced)
    emit(sink, "thread.run.step.in_progress", announced)
    for index, tool_call in enumerate(calls):
        arguments = tool_call["function"]["arguments"]
        first = {
            "index": index,
            "id": tool_call["id"],
            "type": "function",
            "function": {"name": tool_call["function"]["name"], "arguments": "", "output": None},
        }
        emit(sink, "thread.run.step.delta", _step_delta(step["id"], first))
        for start in range(0, len(arguments), _ARGUMENT_PIECE):
            piece = {
                "index": index,
                "type": "function",
                "function": {"arguments": arguments[start : start + _ARGUMENT_PIECE]},
            }
            emit(sink, "thread.run.step.delta", _step_delta(step["id"], piece))
    run["status"] = "requires_action"
    run["required_action"] = {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {
                    "id": c["id"],
                    "type": "function",
                    "function": {
                        "name": c["function"]["name"],
                        "arguments": c["function"]["arguments"],
                    },
                }
                for c in calls
            ]
        },
    }
    emit(sink, "thread.run.requires_action", run)


def _step_delta(step_id: str, tool_call: Json) -> Json:
    return {
        "id": step_id,
        "object": "thread.run.step.delta",
        "delta": {"step_details": {"type": "tool_calls", "tool_calls": [tool_call]}},
    }


def _write_message(
    world: World, record: RunRecord, generation: Generation, usage: dict[str, int], sink: Sink
) -> None:
    run = record.run
    message = new_message(
        world,
        run["thread_id"],
        "assistant",
        None,
        assistant_id=run["assistant_id"],
        run_id=run["id"],
    )
    step = new_step(
        world,
        record,
        "message_creation",
        {"type": "message_creation", "message_creation": {"message_id": message["id"]}},
        usage,
    )
    emit(sink, "thread.run.step.created", step)
    emit(sink, "thread.run.step.in_progress", step)
    emit(sink, "thread.message.created", message)
    emit(sink, "thread.message.in_progress", message)
    text = generation.text or ""
    for piece in split_text(text) if text else []:
        delta: Json = {
            "content": [{"index": 0, "type": "text", "text": {"value": piece, "annotations": []}}]
        }
        emit(
            sink,
            "thread.message.delta",
            {"id": message["id"], "object": "thread.message.delta", "delta": delta},
        )
    now = world.clock.now()
    message.update(status="completed", completed_at=now, content=text_content(text))
    emit(sink, "thread.message.completed", message)
    _end_step(record, step, "completed", now)
    emit(sink, "thread.run.step.completed", step)
    _finish(world, record, "completed", sink)


_STEP_STAMPS = {
    "completed": "completed_at",
    "cancelled": "cancelled_at",
    "expired": "expired_at",
    "failed": "failed_at",
}


def _end_step(record: RunRecord, step: Json, status: str, now: int) -> None:
    step.update({"status": status, _STEP_STAMPS[status]: now})
    usage = record.step_usage.get(step["id"])
    step["usage"] = dict(usage) if usage is not None else None


def _finish(
    world: World, record: RunRecord, status: str, sink: Sink, failure: RunFailure | None = None
) -> None:
    run = record.run
    now = world.clock.now()
    run["status"] = status
    run["required_action"] = None
    run["expires_at"] = None
    stamp = {"completed": "completed_at", "failed": "failed_at", "cancelled": "cancelled_at"}.get(
        status
    )
    if stamp is not None:
        run[stamp] = now
    if failure is not None:
        run["last_error"] = {"code": failure.code, "message": failure.message}
    run["usage"] = dict(record.usage)
    step_status = {"cancelled": "cancelled", "expired": "expired", "failed": "failed"}.get(status)
    for step in record.steps.values():
        if step["status"] == "in_progress" and step_status is not None:
            _end_step(record, step, step_status, now)
            if failure is not None:
                step["last_error"] = {"code": failure.code, "message": failure.message}
            emit(sink, f"thread.run.step.{step_status}", step)
    emit(sink, f"thread.run.{status}", run)


def submit_outputs(world: World, record: RunRecord, outputs: list[Json], sink: Sink) -> None:
    """Record the tool outputs on the tool step and queue the run again (checked by the caller)."""
    run = record.run
    step = record.steps[cast("str", record.tool_step_id)]
    by_id = {str(o["tool_call_id"]): str(o.get("output", "")) for o in outputs}
    names: dict[str, str] = {}
    for tool_call in step["step_details"]["tool_calls"]:
        tool_call["function"]["output"] = by_id.get(tool_call["id"])
        names[tool_call["id"]] = tool_call["function"]["name"]
    now = world.clock.now()
    _end_step(record, step, "completed", now)
    emit(sink, "thread.run.step.completed", step)
    record.outputs = [
        ToolOutput(call_id, names.get(call_id, ""), output) for call_id, output in by_id.items()
    ]
    run["status"] = "queued"
    run["required_action"] = None
    run["expires_at"] = now + RUN_TTL
    emit(sink, "thread.run.queued", run)


def cancel(record: RunRecord, sink: Sink) -> None:
    record.run["status"] = "cancelling"
    emit(sink, "thread.run.cancelling", record.run)
