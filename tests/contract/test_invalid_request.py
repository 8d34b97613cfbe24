"""Requests that break the spec, sent by going around the SDK's typing.

The public methods refuse these arguments before anything is sent
(``InvalidRequestError``, checked here too). To see what the service side does with them,
each test builds the SDK's own :class:`~azure_oai_preview._call.Call` by hand — the
operation from the manifest, a body or query that breaks the spec — and runs it through
the client's transport (``client._core.execute``), exactly as a method would. Prism answers
422 and the SDK must raise its typed ``UnprocessableEntityError`` carrying Prism's
explanation:

* operations without an error response (most Assistants ones): Prism's own
  ``application/problem+json`` body; the message must be in ``.message`` / ``.body`` /
  ``.raw_body``;
* chat/completions (which declare a ``default`` error response): Prism answers with that
  response's schema (an Azure ``ErrorResponse``, parsed into ``.body``) and puts its
  messages in the ``sl-violations`` header of ``.response``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from azure_oai_preview import InvalidRequestError, UnprocessableEntityError, models
from azure_oai_preview._call import Body, Call, JsonReader
from azure_oai_preview.models._manifest import BY_ID

from ._calls import CHAT, THREAD_ID, VECTOR_STORE_ID, WAV, WHISPER, async_client, sync_client
from .harness import PrismServer, ViolationRecorder

pytestmark = pytest.mark.contract


@dataclass(frozen=True)
class Invalid:
    name: str
    operation_id: str
    prism_message: str
    """What Prism says about it (one of its validation messages, verbatim)."""
    sdk_call: Any
    """The same mistake through the public method: refused before sending."""
    path_params: dict[str, str] = field(default_factory=dict)
    body: Body | None = None
    query: dict[str, Any] = field(default_factory=dict)
    problem_json: bool = True

    def call(self) -> Call[Any, Any]:
        operation = BY_ID[self.operation_id]
        response = operation.responses[0].model or "CreateChatCompletionResponse"
        return Call(
            operation=operation,
            path_params=self.path_params,
            query=self.query,
            body=self.body,
            reader=JsonReader(getattr(models, response)),
        )


def _json(value: Any) -> Body:
    return Body(content=json.dumps(value).encode(), content_type="application/json")


CASES = [
    Invalid(
        "vector store name is a number",
        "Create_Vector_Store",
        "Request body property name must be string",
        lambda c: c.vector_stores.create(name=42),
        body=_json({"name": 42, "expires_after": {"anchor": "last_active_at", "days": 7}}),
    ),
    Invalid(
        "message without content, with an unknown field",
        "Create_Message",
        "Request body must have required property 'content'",
        lambda c: c.threads.messages.create(THREAD_ID, role="user", colour="blue"),
        path_params={"thread_id": THREAD_ID},
        body=_json({"role": "user", "colour": "blue"}),
    ),
    Invalid(
        "file batch ids are not a list",
        "Create_Vector_Store_File_Batch",
        "Request body property file_ids must be array",
        lambda c: c.vector_stores.file_batches.create(VECTOR_STORE_ID, file_ids="file-1"),
        path_params={"vector_store_id": VECTOR_STORE_ID},
        body=_json({"file_ids": "file-1"}),
    ),
    Invalid(
        "list limit is not an integer",
        "List_Assistants",
        "Request query parameter limit must be integer",
        lambda c: c.assistants.list(limit="many"),
        query={"limit": "many", "order": "desc"},
    ),
    Invalid(
        "transcription in an unknown format, without a file",
        "Transcriptions_Create",
        "Request body must have required property 'file'",
        lambda c: c.audio.transcriptions.create(
            deployment=WHISPER, file=WAV, response_format="mp3"
        ),
        path_params={"deployment-id": WHISPER},
        body=Body(data={"response_format": "mp3", "prompt": "x"}, files=[("prompt", (None, b"x"))]),
    ),
    Invalid(
        "chat messages is a string",
        "ChatCompletions_Create",
        "Request body property messages must be array",
        lambda c: c.chat.completions.create(deployment=CHAT, messages="Say hi"),
        path_params={"deployment-id": CHAT},
        body=_json({"messages": "Say hi", "temperature": 0.5}),
        problem_json=False,
    ),
    Invalid(
        "tool message without tool_call_id",
        "ChatCompletions_Create",
        "must have required property 'tool_call_id'",
        lambda c: c.chat.completions.create(
            deployment=CHAT, messages=[{"role": "tool", "content": "42"}]
        ),
        path_params={"deployment-id": CHAT},
        body=_json({"messages": [{"role": "tool", "content": "42"}]}),
        problem_json=False,
    ),
]
PARAMS = [pytest.param(case, id=case.name) for case in CASES]


def _check(case: Invalid, error: UnprocessableEntityError, caught: Any) -> None:
    assert error.status_code == 422
    assert any(case.prism_message in m for m in caught.messages()), caught.messages()
    assert {v.operation_id for v in caught} == {case.operation_id}
    if case.problem_json:
        carried = " ".join([error.message or "", str(error.body or ""), error.raw_body])
        assert case.prism_message in carried, (
            f"Prism's message {case.prism_message!r} is not in .message={error.message!r}, "
            f".body={error.body!r} or .raw_body={error.raw_body!r}"
        )
    else:
        assert isinstance(error.body, models.ErrorResponse)
        assert case.prism_message in error.response.headers["sl-violations"]


@pytest.mark.parametrize("case", PARAMS)
def test_invalid_request_is_a_typed_422(
    case: Invalid,
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    client = sync_client(prism_server, contract_http_client)
    with violations.expect() as caught, pytest.raises(UnprocessableEntityError) as error:
        client._core.execute(case.call())
    _check(case, error.value, caught)


@pytest.mark.parametrize("case", PARAMS)
async def test_invalid_request_is_a_typed_422_async(
    case: Invalid,
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    client = async_client(prism_server, contract_async_http_client)
    with violations.expect() as caught, pytest.raises(UnprocessableEntityError) as error:
        await client._core.execute(case.call())
    _check(case, error.value, caught)


@pytest.mark.parametrize("case", PARAMS)
def test_the_public_method_refuses_it_before_sending(
    case: Invalid,
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    client = sync_client(prism_server, contract_http_client)
    with pytest.raises(InvalidRequestError) as error:
        case.sdk_call(client)
    assert error.value.operation == case.operation_id
    assert violations.calls == []  # nothing was sent


def test_a_json_error_body_is_not_described_as_non_json(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    """Prism's problem+json (RFC 7807) is JSON; the error should quote its title/detail."""
    client = sync_client(prism_server, contract_http_client)
    with violations.expect(), pytest.raises(UnprocessableEntityError) as error:
        client._core.execute(CASES[0].call())
    assert error.value.response.headers["content-type"].startswith("application/problem+json")
    assert "non-JSON" not in str(error.value)
    assert error.value.message is not None
