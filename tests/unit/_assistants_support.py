"""Test support for the assistants surface: spec examples, realistic bodies, SSE, paged service.

The spec's examples are data, not project code: they are read from the synced cache
(``.spec-cache``), or from ``AZURE_OAI_SPEC_MIRROR`` / ``../shared/specs``, never copied here.
Operations whose example the upstream repository lacks get bodies built below from the
neighbouring examples (same ids, same shapes).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.versions import API_VERSION as API_VERSION  # re-exported for the tests
from tests.versions import EXAMPLES_VERSION

BASE_ENDPOINT = "https://example-resource.openai.azure.com"
ROOT = Path(__file__).resolve().parents[2]


def _example_dirs() -> list[Path]:
    dirs = [ROOT / ".spec-cache" / EXAMPLES_VERSION / "examples"]
    mirror = os.environ.get("AZURE_OAI_SPEC_MIRROR")
    if mirror:
        dirs.append(Path(mirror) / EXAMPLES_VERSION / "examples")
    dirs.append(ROOT.parent / "shared" / "specs" / EXAMPLES_VERSION / "examples")
    return dirs


@cache
def example(name: str) -> dict[str, Any]:
    """The spec example ``name`` (without ``.json``); a missing copy fails the test loudly."""
    for directory in _example_dirs():
        path = directory / f"{name}.json"
        if path.is_file():
            loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return loaded
    pytest.fail(
        f"spec example {name}.json not available: run `python -m codegen sync --from <mirror>`"
    )


def example_response(name: str) -> dict[str, Any]:
    response = example(name)["responses"]["200"]
    # One upstream example puts the object straight under "200" instead of under "body".
    body = response.get("body", response) if isinstance(response, dict) else response
    return copy.deepcopy(body)


def example_with(example_name: str, /, **changes: Any) -> dict[str, Any]:
    """The response body of example ``example_name`` with some fields changed."""
    return {**example_response(example_name), **changes}


def example_request(name: str) -> dict[str, Any]:
    return copy.deepcopy(example(name)["parameters"].get("body", {}))


# -- realistic bodies for operations without an upstream example ----------------------------------

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def run_body(**changes: Any) -> dict[str, Any]:
    return example_with("create_run", **changes)


def thread_body(**changes: Any) -> dict[str, Any]:
    return example_with("create_thread", **changes)


def message_body(**changes: Any) -> dict[str, Any]:
    return example_with("create_message", **changes)


def run_step_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "step_abc123",
        "object": "thread.run.step",
        "created_at": 1699063291,
        "run_id": "run_abc123",
        "assistant_id": "asst_abc123",
        "thread_id": "thread_abc123",
        "type": "message_creation",
        "status": "completed",
        "cancelled_at": None,
        "completed_at": 1699063291,
        "expired_at": None,
        "failed_at": None,
        "last_error": None,
        "step_details": {
            "type": "message_creation",
            "message_creation": {"message_id": "msg_abc123"},
        },
        "usage": {"prompt_tokens": 123, "completion_tokens": 456, "total_tokens": 579},
        "metadata": None,
    }
    body.update(changes)
    return body


def vector_store_body(**changes: Any) -> dict[str, Any]:
    return example_with("retrieve_vector_store", **changes)


def vector_store_file_body(**changes: Any) -> dict[str, Any]:
    return example_with("retrieve_vector_store_file", **changes)


def file_batch_body(**changes: Any) -> dict[str, Any]:
    return example_with("retrieve_vector_store_file_batch", **changes)


# -- server-sent events -------------------------------------------------------------------------


def sse(event: str, data: Any) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"event: {event}\ndata: {text}\n\n".encode()


def sse_body(events: Iterable[tuple[str, Any]], *, done: bool = True) -> bytes:
    body = b"".join(sse(name, data) for name, data in events)
    return body + (sse("done", "[DONE]") if done else b"")


def sse_response(body: bytes | Sequence[bytes], status: int = 200) -> httpx.Response:
    chunks = [body] if isinstance(body, bytes) else list(body)
    return httpx.Response(
        status, headers={"content-type": "text/event-stream"}, stream=_Chunks(chunks)
    )


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in exactly the given chunks (sync and async)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Any:
        yield from self.chunks

    async def __aiter__(self) -> Any:
        for chunk in self.chunks:
            yield chunk


def delta_text(message_id: str, index: int, value: str) -> dict[str, Any]:
    return {
        "id": message_id,
        "object": "thread.message.delta",
        "delta": {"content": [{"index": index, "type": "text", "text": {"value": value}}]},
    }


def stream_message(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "msg_abc123",
        "object": "thread.message",
        "created_at": 1699063291,
        "thread_id": "thread_abc123",
        "status": "in_progress",
        "incomplete_details": None,
        "completed_at": None,
        "incomplete_at": None,
        "role": "assistant",
        "content": [],
        "assistant_id": "asst_abc123",
        "run_id": "run_abc123",
        "attachments": [],
        "metadata": {},
    }
    body.update(changes)
    return body


def stream_step(**changes: Any) -> dict[str, Any]:
    body = run_step_body(status="in_progress", completed_at=None, usage=None)
    body.update(changes)
    return body


# -- a cursor-paginated service ------------------------------------------------------------------


class PagedService:
    """Answers list requests like the service: ``after``/``before``/``limit``/``order``
    (both cursors: the items between them, from ``after`` on).

    ``items`` are in ascending creation order. ``filters`` maps a query parameter (``run_id``,
    ``filter``) to the item field it selects on. Every request is recorded in ``queries``.
    """

    def __init__(
        self, items: Sequence[Mapping[str, Any]], filters: Mapping[str, str] | None = None
    ) -> None:
        self.items = [dict(item) for item in items]
        self.filters = dict(filters or {})
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        self.queries.append(query)
        items = [
            item
            for item in self.items
            if all(
                item.get(field) == query[param]
                for param, field in self.filters.items()
                if param in query
            )
        ]
        if query.get("order", "desc") == "desc":
            items.reverse()
        ids = [item["id"] for item in items]
        limit = int(query.get("limit", "20"))
        if "after" in query:
            # With before= too: the items between the two, from after= on (a window).
            start = ids.index(query["after"]) + 1
            end = ids.index(query["before"]) if "before" in query else len(items)
            page, has_more = items[start : min(start + limit, end)], start + limit < end
        elif "before" in query:
            end = ids.index(query["before"])
            start = max(0, end - limit)
            page, has_more = items[start:end], start > 0
        else:
            page, has_more = items[:limit], limit < len(items)
        return httpx.Response(200, json=listing(page, has_more))


def listing(items: Sequence[Mapping[str, Any]], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": list(items),
        "first_id": items[0].get("id") if items else None,
        "last_id": items[-1].get("id") if items else None,
        "has_more": has_more,
    }


def messages(count: int, *, run_ids: Sequence[str | None] = (None,)) -> list[dict[str, Any]]:
    """``count`` realistic messages, ``run_id`` cycling through ``run_ids``."""
    template = example_response("list_messages")["data"][0]
    result: list[dict[str, Any]] = []
    for i in range(count):
        item = copy.deepcopy(template)
        item.update(id=f"msg_{i:04d}", created_at=1699016383 + i, run_id=run_ids[i % len(run_ids)])
        item["content"][0]["text"]["value"] = f"message number {i}"
        result.append(item)
    return result


# -- scripted run streams -------------------------------------------------------------------------

MSG = "msg_abc123"


def run(status: str, **changes: Any) -> dict[str, Any]:
    return run_body(status=status, tools=[WEATHER_TOOL], **changes)


REQUIRED_ACTION = {
    "type": "submit_tool_outputs",
    "submit_tool_outputs": {
        "tool_calls": [
            {
                "id": "call_001",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
            }
        ]
    },
}


def tool_delta(step_id: str, *calls: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": step_id,
        "object": "thread.run.step.delta",
        "delta": {"step_details": {"type": "tool_calls", "tool_calls": list(calls)}},
    }


def function_call_events() -> list[tuple[str, Any]]:
    step = stream_step(
        id="step_fn", type="tool_calls", step_details={"type": "tool_calls", "tool_calls": []}
    )
    fn = {"index": 0, "type": "function"}
    return [
        ("thread.run.created", run("queued")),
        ("thread.run.in_progress", run("in_progress")),
        ("thread.run.step.created", step),
        (
            "thread.run.step.delta",
            tool_delta(
                "step_fn",
                {
                    **fn,
                    "id": "call_001",
                    "function": {"name": "get_weather", "arguments": "", "output": None},
                },
            ),
        ),
        (
            "thread.run.step.delta",
            tool_delta("step_fn", {**fn, "function": {"arguments": '{"city":'}}),
        ),
        (
            "thread.run.step.delta",
            tool_delta("step_fn", {**fn, "function": {"arguments": '"Paris"}'}}),
        ),
        ("thread.run.requires_action", run("requires_action", required_action=REQUIRED_ACTION)),
    ]


def answer_events() -> list[tuple[str, Any]]:
    done_step = stream_step(
        id="step_fn",
        type="tool_calls",
        status="completed",
        step_details={
            "type": "tool_calls",
            "tool_calls": [
                {
                    "id": "call_001",
                    "type": "function",
                    "function": {
                        "name": "get_weather",
                        "arguments": '{"city":"Paris"}',
                        "output": "18C and sunny",
                    },
                }
            ],
        },
    )
    return [
        ("thread.run.queued", run("queued")),
        ("thread.run.in_progress", run("in_progress")),
        ("thread.run.step.completed", done_step),
        ("thread.run.step.created", stream_step()),
        ("thread.message.created", stream_message()),
        ("thread.message.delta", delta_text(MSG, 0, "It is 18C and sunny in Paris.")),
        (
            "thread.message.completed",
            stream_message(
                status="completed",
                content=[
                    {
                        "type": "text",
                        "text": {"value": "It is 18C and sunny in Paris.", "annotations": []},
                    }
                ],
            ),
        ),
        ("thread.run.step.completed", stream_step(status="completed")),
        ("thread.run.completed", run("completed")),
    ]
