"""Every response the emulator produces validates against the transformed spec.

Tours call every operation of both documents (and provoke each kind of error); each exchange
in the emulator's history is then checked with a JSON Schema validator (Draft 2020-12)
against its document after the transforms (the authoring document converted from Swagger
2.0 first), converted the way the generator's example check converts it
(``codegen.validate.to_json_schema``: nullable, discriminators, closed objects). Stream
events are checked one by one against the schema of their event; the response headers the
spec declares (``Location``, ``operation-location``, ``retry-after``) must be there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from azure_oai_preview.models import ErrorCode
from azure_oai_preview.models._manifest import BY_ID
from azure_oai_preview.testing import Emulator, Exchange
from azure_oai_preview.testing._errors import AUTHORING_CODES
from codegen.spec import load_spec
from codegen.validate import to_json_schema

from ._support import authoring_tour, tour

_EVENT_SCHEMAS = {
    "thread.created": "threadObject",
    "thread.run.step.delta": "runStepDeltaObject",
    "thread.message.delta": "messageDeltaObject",
}


def _event_schema(name: str) -> str:
    if name in _EVENT_SCHEMAS:
        return _EVENT_SCHEMAS[name]
    if name.startswith("thread.run.step."):
        return "runStepObject"
    if name.startswith("thread.run."):
        return "runObject"
    if name.startswith("thread.message."):
        return "messageObject"
    raise AssertionError(f"unexpected event {name}")


@pytest.fixture(scope="module")
def converted() -> dict[str, dict[str, Any]]:
    return {
        document: to_json_schema(load_spec(document=document))
        for document in ("inference", "authoring")
    }


def _errors(schema: dict[str, Any], root: dict[str, Any], instance: Any) -> list[str]:
    validator = Draft202012Validator({**schema, **root})
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _missing_headers(exchange: Exchange) -> list[str]:
    operation = BY_ID[exchange.operation_id or ""]
    sent = {name.lower() for name in exchange.response.headers}
    declared = [
        header
        for response in operation.responses
        if response.status == str(exchange.status)
        for header in response.headers
    ]
    return [f"header {h} missing" for h in declared if h.lower() not in sent]


def _check(exchange: Exchange, converted: dict[str, Any]) -> list[str]:
    operation = BY_ID[exchange.operation_id or ""]
    responses = converted["paths"][operation.path][operation.method.lower()]["responses"]
    root = {"components": converted["components"]}
    status = exchange.status
    content_type = exchange.response.headers.get("content-type", "")
    if status >= 400:
        declared = responses.get("default", {}).get("application/json", _ref("errorResponse"))
        return _errors(declared, root, exchange.response_json())
    problems = _missing_headers(exchange)
    declared_types = list(responses[str(status)])
    if not declared_types:
        return problems + ([f"a body for {status}"] if exchange.response.content else [])
    if content_type.startswith("text/event-stream"):
        for event, data in exchange.events():
            if data == "[DONE]":
                continue
            if event is None:
                schema = (
                    _ref("createChatCompletionStreamResponse")
                    if operation.operation_id == "ChatCompletions_Create"
                    else responses[str(status)]["application/json"]
                )
            else:
                schema = _ref(_event_schema(event))
            problems += [f"{event}: {p}" for p in _errors(schema, root, json.loads(data))]
        return problems
    if content_type.startswith("application/json"):
        schema = responses[str(status)]["application/json"]
        return problems + _errors(schema, root, exchange.response_json())
    if content_type.startswith("text/plain"):
        return problems + (
            [] if "text/plain" in declared_types else [f"text, not {declared_types}"]
        )
    # application/octet-stream stands for any bytes: speech comes back as audio/mpeg...
    if not {"application/octet-stream", content_type.split(";")[0]} & set(declared_types):
        problems.append(f"{content_type} is not one of {declared_types}")
    return problems + ([] if exchange.response.body else ["empty binary body"])


def test_every_response_validates(converted: dict[str, dict[str, Any]]) -> None:
    emulator = Emulator()
    tour(emulator)
    authoring_tour(emulator)
    problems: list[str] = []
    served: set[str] = set()
    for exchange in emulator.history:
        assert exchange.operation_id is not None, exchange.request.path
        if exchange.operation_id == "Emulator_GetImage":
            assert exchange.response.body.startswith(b"\x89PNG")
            continue
        if exchange.status < 400:
            served.add(exchange.operation_id)
        document = BY_ID[exchange.operation_id].document
        found = _check(exchange, converted[document])
        problems += [f"{exchange.operation_id} {exchange.status}: {p}" for p in found]
    assert problems == []
    assert served == set(BY_ID)
    assert len(served) == 62
    authoring = [e for e in emulator.history if e.operation_id and e.operation_id in BY_ID]
    authoring = [e for e in authoring if BY_ID[e.operation_id or ""].document == "authoring"]
    assert {e.status for e in authoring} >= {200, 201, 204, 400, 401, 404, 409, 429, 500}
    assert {e.status for e in emulator.history} >= {200, 201, 204, 400, 404, 429, 500}


def test_authoring_error_codes_are_the_spec_values() -> None:
    assert set(ErrorCode.known_values()) == AUTHORING_CODES
