"""Every assistants-area operation, sync and async, against the spec's example bodies.

Each case names the operation, the request the client must send (method, path, query, JSON
body) and the response body; the test checks the request on the wire and that the result
is the typed model holding exactly what the service sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import respx
from _assistants_support import (
    API_VERSION,
    WEATHER_TOOL,
    example,
    example_request,
    example_response,
    file_batch_body,
    listing,
    run_body,
    run_step_body,
    thread_body,
    vector_store_body,
    vector_store_file_body,
)

from azure_oai_preview import (
    AsyncAzureOpenAI,
    AsyncCursorPage,
    AzureOpenAI,
    CursorPage,
    InvalidRequestError,
    NotFoundError,
    RawResponse,
)
from azure_oai_preview.models._manifest import OPERATIONS

Invoke = Callable[[Any], Any]


def ids_of(name: str) -> dict[str, str]:
    """The path ids of a spec example (some upstream examples carry a stray trailing space)."""
    parameters = example(name)["parameters"]
    return {k: v.strip() for k, v in parameters.items() if k.endswith("_id") and isinstance(v, str)}


@dataclass
class Case:
    operation_id: str
    method: str
    path: str
    response: Callable[[], dict[str, Any]]
    invoke: Invoke
    result: str
    body: Callable[[], dict[str, Any]] | None = None
    query: dict[str, str] = field(default_factory=dict[str, str])


def _cases() -> list[Case]:
    a = lambda name: ids_of(name)  # noqa: E731 - short alias keeps the table readable
    return [
        # assistants
        Case(
            "List_Assistants",
            "GET",
            "/assistants",
            lambda: example_response("list_assistants"),
            lambda c: c.assistants.list(limit=20, order="desc"),
            "ListAssistantsResponse",
            query={"limit": "20", "order": "desc"},
        ),
        Case(
            "Create_Assistant",
            "POST",
            "/assistants",
            lambda: example_response("create_assistant"),
            lambda c: c.assistants.create(**example_request("create_assistant")),
            "AssistantObject",
            body=lambda: example_request("create_assistant"),
        ),
        Case(
            "Get_Assistant",
            "GET",
            "/assistants/asst_abc123",
            lambda: example_response("retrieve_assistant"),
            lambda c: c.assistants.retrieve(a("retrieve_assistant")["assistant_id"]),
            "AssistantObject",
        ),
        Case(
            "Modify_Assistant",
            "POST",
            "/assistants/asst_abc123",
            lambda: example_response("modify_assistant"),
            lambda c: c.assistants.update(
                assistant_id="asst_abc123", **example_request("modify_assistant")
            ),
            "AssistantObject",
            body=lambda: example_request("modify_assistant"),
        ),
        Case(
            "Delete_Assistant",
            "DELETE",
            "/assistants/asst_4nsG2qgNzimRPE7MazXTXbU7",
            lambda: example_response("delete_assistant"),
            lambda c: c.assistants.delete(a("delete_assistant")["assistant_id"]),
            "DeleteAssistantResponse",
        ),
        # threads
        Case(
            "Create_Thread",
            "POST",
            "/threads",
            lambda: example_response("create_thread"),
            lambda c: c.threads.create(
                messages=[{"role": "user", "content": "Hello, what is AI?"}]
            ),
            "ThreadObject",
            body=lambda: {"messages": [{"role": "user", "content": "Hello, what is AI?"}]},
        ),
        Case(
            "Get_Thread",
            "GET",
            "/threads/thread_abc123",
            thread_body,
            lambda c: c.threads.retrieve("thread_abc123"),
            "ThreadObject",
        ),
        Case(
            "Modify_Thread",
            "POST",
            "/threads/thread_v7V4csrNOxtNmgcwGg496Smx",
            lambda: example_response("modify_thread"),
            lambda c: c.threads.update(
                a("modify_thread")["thread_id"], **example_request("modify_thread")
            ),
            "ThreadObject",
            body=lambda: example_request("modify_thread"),
        ),
        Case(
            "Delete_Thread",
            "DELETE",
            "/threads/thread_abc123",
            lambda: {"id": "thread_abc123", "object": "thread.deleted", "deleted": True},
            lambda c: c.threads.delete(thread_id="thread_abc123"),
            "DeleteThreadResponse",
        ),
        Case(
            "Create_Thread_And_Run",
            "POST",
            "/threads/runs",
            lambda: example_response("create_thread_and_run"),
            lambda c: c.threads.create_and_run(**example_request("create_thread_and_run")),
            "RunObject",
            body=lambda: example_request("create_thread_and_run"),
        ),
        # messages
        Case(
            "List_Messages",
            "GET",
            "/threads/thread_abc123/messages",
            lambda: example_response("list_messages"),
            lambda c: c.threads.messages.list("thread_abc123", run_id="run_abc123", limit=2),
            "ListMessagesResponse",
            query={"run_id": "run_abc123", "limit": "2"},
        ),
        Case(
            "Create_Message",
            "POST",
            "/threads/thread_v7V4csrNOxtNmgcwGg496Smx/messages",
            lambda: example_response("create_message"),
            lambda c: c.threads.messages.create(
                a("create_message")["thread_id"], **example_request("create_message")
            ),
            "MessageObject",
            body=lambda: example_request("create_message"),
        ),
        Case(
            "Get_Message",
            "GET",
            "/threads/thread_v7V4csrNOxtNmgcwGg496Smx/messages/msg_as3XIk1tpVP3hdHjWBGg3uG4",
            lambda: example_response("get_message"),
            lambda c: c.threads.messages.retrieve(
                a("get_message")["message_id"], thread_id=a("get_message")["thread_id"]
            ),
            "MessageObject",
        ),
        Case(
            "Modify_Message",
            "POST",
            "/threads/thread_abc123/messages/msg_abc123",
            lambda: example_response("modify_message"),
            lambda c: c.threads.messages.update(
                "msg_abc123", thread_id="thread_abc123", **example_request("modify_message")
            ),
            "MessageObject",
            body=lambda: example_request("modify_message"),
        ),
        # runs
        Case(
            "List_Runs",
            "GET",
            "/threads/thread_abc123/runs",
            lambda: example_response("list_runs"),
            lambda c: c.threads.runs.list("thread_abc123", order="asc"),
            "ListRunsResponse",
            query={"order": "asc"},
        ),
        Case(
            "Create_Run",
            "POST",
            "/threads/thread_abc123/runs",
            lambda: example_response("create_run"),
            lambda c: c.threads.runs.create("thread_abc123", **example_request("create_run")),
            "RunObject",
            body=lambda: example_request("create_run"),
        ),
        Case(
            "Get_Run",
            "GET",
            "/threads/thread_abc123/runs/run_abc123",
            lambda: run_body(status="in_progress", completed_at=None),
            lambda c: c.threads.runs.retrieve("run_abc123", thread_id="thread_abc123"),
            "RunObject",
        ),
        Case(
            "Modify_Run",
            "POST",
            "/threads/thread_abc123/runs/run_abc123",
            lambda: example_response("modify_run"),
            lambda c: c.threads.runs.update(
                "run_abc123", thread_id="thread_abc123", **example_request("modify_run")
            ),
            "RunObject",
            body=lambda: example_request("modify_run"),
        ),
        Case(
            "Submit_Tool_Outputs_To_Run",
            "POST",
            "/threads/thread_abc123/runs/run_abc123/submit_tool_outputs",
            lambda: run_body(status="queued", tools=[WEATHER_TOOL]),
            lambda c: c.threads.runs.submit_tool_outputs(
                "run_abc123",
                thread_id="thread_abc123",
                tool_outputs=[{"tool_call_id": "call_001", "output": "70F"}],
            ),
            "RunObject",
            body=lambda: {"tool_outputs": [{"tool_call_id": "call_001", "output": "70F"}]},
        ),
        Case(
            "Cancel_Run",
            "POST",
            "/threads/thread_abc123/runs/run_abc123/cancel",
            lambda: example_response("cancel_run"),
            lambda c: c.threads.runs.cancel(run_id="run_abc123", thread_id="thread_abc123"),
            "RunObject",
        ),
        Case(
            "List_Run_Steps",
            "GET",
            "/threads/thread_abc123/runs/run_abc123/steps",
            lambda: listing([run_step_body()], False),
            lambda c: c.threads.runs.steps.list("run_abc123", thread_id="thread_abc123", limit=1),
            "ListRunStepsResponse",
            query={"limit": "1"},
        ),
        Case(
            "Get_Run_Step",
            "GET",
            "/threads/thread_abc123/runs/run_abc123/steps/step_abc123",
            run_step_body,
            lambda c: c.threads.runs.steps.retrieve(
                "step_abc123", thread_id="thread_abc123", run_id="run_abc123"
            ),
            "RunStepObject",
        ),
        # vector stores
        Case(
            "List_Vector_Stores",
            "GET",
            "/vector_stores",
            lambda: example_response("list_vector_stores"),
            lambda c: c.vector_stores.list(before="vs_zzz"),
            "ListVectorStoresResponse",
            query={"before": "vs_zzz"},
        ),
        Case(
            "Create_Vector_Store",
            "POST",
            "/vector_stores",
            lambda: vector_store_body(
                name="Support FAQ",
                file_counts={
                    "in_progress": 1,
                    "completed": 0,
                    "failed": 0,
                    "cancelled": 0,
                    "total": 1,
                },
            ),
            lambda c: c.vector_stores.create(name="Support FAQ", file_ids=["file-abc123"]),
            "VectorStoreObject",
            body=lambda: {"name": "Support FAQ", "file_ids": ["file-abc123"]},
        ),
        Case(
            "Get_Vector_Store",
            "GET",
            "/vector_stores/vs_abc123",
            lambda: example_response("retrieve_vector_store"),
            lambda c: c.vector_stores.retrieve("vs_abc123"),
            "VectorStoreObject",
        ),
        Case(
            "Modify_Vector_Store",
            "POST",
            "/vector_stores/vs_abc123",
            lambda: example_response("modify_vector_store"),
            lambda c: c.vector_stores.update("vs_abc123", **example_request("modify_vector_store")),
            "VectorStoreObject",
            body=lambda: example_request("modify_vector_store"),
        ),
        Case(
            "Delete_Vector_Store",
            "DELETE",
            "/vector_stores/vs_abc123",
            lambda: example_response("delete_vector_store"),
            lambda c: c.vector_stores.delete(a("delete_vector_store")["vector_store_id"]),
            "DeleteVectorStoreResponse",
        ),
        Case(
            "List_Vector_Store_Files",
            "GET",
            "/vector_stores/vs_abc123/files",
            lambda: example_response("list_vector_store_files"),
            lambda c: c.vector_stores.files.list("vs_abc123", filter="completed"),
            "ListVectorStoreFilesResponse",
            query={"filter": "completed"},
        ),
        Case(
            "Create_Vector_Store_File",
            "POST",
            "/vector_stores/vs_abc123/files",
            vector_store_file_body,
            lambda c: c.vector_stores.files.create("vs_abc123", file_id="file-abc123"),
            "VectorStoreFileObject",
            body=lambda: {"file_id": "file-abc123"},
        ),
        Case(
            "Get_Vector_Store_File",
            "GET",
            "/vector_stores/vs_abc123/files/file-abc123",
            lambda: example_response("retrieve_vector_store_file"),
            lambda c: c.vector_stores.files.retrieve("file-abc123", vector_store_id="vs_abc123"),
            "VectorStoreFileObject",
        ),
        Case(
            "Delete_Vector_Store_File",
            "DELETE",
            "/vector_stores/vs_abc123/files/file_abc123",
            lambda: example_response("delete_vector_store_file"),
            lambda c: c.vector_stores.files.delete(**a("delete_vector_store_file")),
            "DeleteVectorStoreFileResponse",
        ),
        Case(
            "Create_Vector_Store_File_Batch",
            "POST",
            "/vector_stores/vs_abc123/file_batches",
            lambda: example_response("create_vector_store_file_batch"),
            lambda c: c.vector_stores.file_batches.create(
                "vs_abc123", **example_request("create_vector_store_file_batch")
            ),
            "VectorStoreFileBatchObject",
            body=lambda: example_request("create_vector_store_file_batch"),
        ),
        Case(
            "Get_Vector_Store_File_Batch",
            "GET",
            "/vector_stores/vs_abc123/file_batches/vsfb_abc123",
            lambda: example_response("retrieve_vector_store_file_batch"),
            lambda c: c.vector_stores.file_batches.retrieve(
                "vsfb_abc123", vector_store_id="vs_abc123"
            ),
            "VectorStoreFileBatchObject",
        ),
        Case(
            "Cancel_Vector_Store_File_Batch",
            "POST",
            "/vector_stores/vs_abc123/file_batches/vsfb_abc123/cancel",
            lambda: example_response("cancel_vector_store_file_batch"),
            lambda c: c.vector_stores.file_batches.cancel(**a("cancel_vector_store_file_batch")),
            "VectorStoreFileBatchObject",
        ),
        Case(
            "List_Vector_Store_File_Batch_Files",
            "GET",
            "/vector_stores/vs_abc123/file_batches/vsfb_abc123/files",
            lambda: example_response("list_vector_store_files"),
            lambda c: c.vector_stores.file_batches.list_files(
                "vsfb_abc123", vector_store_id="vs_abc123", filter="in_progress", limit=2
            ),
            "ListVectorStoreFilesResponse",
            query={"filter": "in_progress", "limit": "2"},
        ),
    ]


CASES = {case.operation_id: case for case in _cases()}
ASSISTANT_TAGS = (
    "Assistants",
    "Threads",
    "Messages",
    "Runs",
    "Run Steps",
    "Vector Stores",
    "Vector Store Files",
    "Vector Store File Batches",
)


def test_every_assistants_operation_has_a_case() -> None:
    paths = ("/assistants", "/threads", "/vector_stores")
    in_manifest = {op.operation_id for op in OPERATIONS if op.path.startswith(paths)}
    assert len(in_manifest) == 35
    assert set(CASES) == in_manifest
    for case in CASES.values():
        op = next(o for o in OPERATIONS if o.operation_id == case.operation_id)
        assert op.method.upper() == case.method


def _route(mock_api: respx.MockRouter, case: Case) -> respx.Route:
    return mock_api.request(case.method, case.path).respond(200, json=case.response())


def _check(case: Case, route: respx.Route, result: Any) -> None:
    assert route.call_count == 1
    request = route.calls.last.request
    assert request.headers["api-key"]
    assert dict(request.url.params) == {"api-version": API_VERSION, **case.query}
    if case.body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.body()
    if case.result.startswith("List"):
        assert isinstance(result, CursorPage | AsyncCursorPage)
        parsed = result.listing
    else:
        parsed = result
    assert type(parsed).__name__ == case.result
    # Everything the service sent is in the typed result, nothing more, nothing less.
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == case.response()


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_sync(operation_id: str, client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    case = CASES[operation_id]
    route = _route(mock_api, case)
    _check(case, route, case.invoke(client))


@pytest.mark.parametrize("operation_id", sorted(CASES))
async def test_async(
    operation_id: str, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    case = CASES[operation_id]
    route = _route(mock_api, case)
    _check(case, route, await case.invoke(async_client))


# -- arguments ----------------------------------------------------------------------------------


def test_ids_by_position_or_keyword_send_the_same_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.get("/threads/thread_1/messages/msg_1").respond(
        200, json=example_response("get_message")
    )
    client.threads.messages.retrieve("msg_1", thread_id="thread_1")
    client.threads.messages.retrieve(message_id="msg_1", thread_id="thread_1")
    assert route.call_count == 2


def test_ids_are_escaped_in_the_path(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.route().respond(200, json=example_response("retrieve_assistant"))
    client.assistants.retrieve("a/../b")
    assert route.calls.last.request.url.raw_path.startswith(b"/openai/assistants/a%2F..%2Fb?")


@pytest.mark.parametrize("bad", ["", None])
def test_empty_ids_are_refused_before_sending(
    client: AzureOpenAI, mock_api: respx.MockRouter, bad: Any
) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        client.assistants.retrieve(bad)
    assert raised.value.problems[0][0] == "assistant_id"
    with pytest.raises(InvalidRequestError, match="thread_id"):
        client.threads.runs.cancel("run_1", thread_id=bad)
    assert not mock_api.calls


async def test_async_argument_errors_surface_on_await(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    pending = async_client.vector_stores.files.retrieve("", vector_store_id="vs_1")
    with pytest.raises(InvalidRequestError):
        await pending
    assert not mock_api.calls


def test_request_bodies_are_checked_strictly(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    with pytest.raises(InvalidRequestError, match="bogus"):
        client.assistants.create(model="gpt-4o", bogus=1)  # type: ignore[call-arg]
    with pytest.raises(InvalidRequestError, match="role"):
        client.threads.messages.create("thread_1", role="system", content="hi")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="tool_outputs"):
        client.threads.runs.submit_tool_outputs("run_1", thread_id="thread_1")  # type: ignore[call-arg]
    assert not mock_api.calls


def test_none_arguments_are_left_out(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/threads/thread_abc123/runs").respond(
        200, json=example_response("create_run")
    )
    client.threads.runs.create(
        "thread_abc123", assistant_id="asst_abc123", instructions=None, stream=None
    )
    assert json.loads(route.calls.last.request.content) == {"assistant_id": "asst_abc123"}


# -- results ------------------------------------------------------------------------------------


def test_delete_returns_the_typed_status(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.delete("/vector_stores/vs_abc123/files/file_abc123").respond(
        200, json=example_response("delete_vector_store_file")
    )
    status = client.vector_stores.files.delete("file_abc123", vector_store_id="vs_abc123")
    assert status.deleted is True
    assert status.id == "file_abc123"


def test_known_service_deviations_parse(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    # Run steps come back as "thread.run.step" and file batches as "vector_store.file_batch".
    mock_api.get("/threads/t/runs/r/steps/s").respond(200, json=run_step_body())
    mock_api.get("/vector_stores/vs/file_batches/b").respond(200, json=file_batch_body())
    assert (
        client.threads.runs.steps.retrieve("s", thread_id="t", run_id="r").object
        == "thread.run.step"
    )
    assert (
        client.vector_stores.file_batches.retrieve("b", vector_store_id="vs").object
        == "vector_store.file_batch"
    )


def test_raw_response_view(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get("/assistants/asst_abc123").respond(
        200, json=example_response("retrieve_assistant"), headers={"apim-request-id": "req-1"}
    )
    raw = client.with_raw_response.assistants.retrieve("asst_abc123")
    assert isinstance(raw, RawResponse)
    assert raw.request_id == "req-1"
    assert raw.parse().id == "asst_abc123"


async def test_async_raw_response_view(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.delete("/threads/thread_abc123").respond(
        200, json={"id": "thread_abc123", "object": "thread.deleted", "deleted": True}
    )
    raw = await async_client.with_raw_response.threads.delete("thread_abc123")
    assert raw.status_code == 200
    assert raw.parse().deleted is True


def test_errors_are_typed(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get("/threads/thread_gone").respond(
        404,
        json={"error": {"code": "not_found", "message": "No thread found with id 'thread_gone'."}},
    )
    with pytest.raises(NotFoundError) as raised:
        client.threads.retrieve("thread_gone")
    assert raised.value.code == "not_found"


def test_resources_are_cached_and_shared_by_sync_and_async_clients(client: AzureOpenAI) -> None:
    assert client.threads.runs is client.threads.runs
    assert client.threads.runs.steps is client.threads.runs.steps
    assert client.vector_stores.file_batches is client.vector_stores.file_batches
    assert type(client.threads).__name__ == "Threads"


def test_docstrings_reach_the_methods(client: AzureOpenAI) -> None:
    assert "Create_Run" in (client.threads.runs.create.__doc__ or "")
    assert "List_Vector_Store_File_Batch_Files" in (
        client.vector_stores.file_batches.list_files.__doc__ or ""
    )
