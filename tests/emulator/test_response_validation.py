"""Every response the emulator produces validates against the transformed spec.

A tour calls every operation (and provokes each kind of error); each exchange in the
emulator's history is then checked with a JSON Schema validator (Draft 2020-12) against
the spec after its transforms, converted the way the generator's example check converts
it (``codegen.validate.to_json_schema``: nullable, discriminators, closed objects). Stream
events are checked one by one against the schema of their event. Files (the authoring
document) are checked against its Swagger definitions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from azure_oai_preview.models._manifest import API_VERSION, BY_ID
from azure_oai_preview.testing import Emulator, Exchange
from azure_oai_preview.testing._files import HANDLERS as FILE_HANDLERS
from codegen.paths import CACHE_DIR, REPO_ROOT
from codegen.spec import load_spec
from codegen.validate import to_json_schema

from ._support import tour

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
def converted() -> dict[str, Any]:
    return to_json_schema(load_spec())


def _authoring_definitions() -> dict[str, Any]:
    version = API_VERSION
    for candidate in (
        CACHE_DIR / version / "authoring.json",
        REPO_ROOT.parent / "shared" / "specs" / version / "authoring.json",
    ):
        if candidate.is_file():
            definitions: dict[str, Any] = json.loads(Path(candidate).read_text())["definitions"]
            return {name: _close(schema) for name, schema in definitions.items()}
    pytest.fail("the authoring document is in neither .spec-cache/ nor ../shared/specs/")


def _close(schema: Any) -> Any:
    """Swagger object schemas closed to unknown properties (as the inference check does)."""
    if isinstance(schema, dict):
        out = {key: _close(value) for key, value in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_close(item) for item in schema]
    return schema


def _errors(schema: dict[str, Any], root: dict[str, Any], instance: Any) -> list[str]:
    validator = Draft202012Validator({**schema, **root})
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _check_inference(exchange: Exchange, converted: dict[str, Any]) -> list[str]:
    operation = BY_ID[exchange.operation_id or ""]
    responses = converted["paths"][operation.path][operation.method.lower()]["responses"]
    root = {"components": converted["components"]}
    status = exchange.status
    content_type = exchange.response.headers.get("content-type", "")
    if status >= 400:
        declared = responses.get("default", {}).get("application/json", _ref("errorResponse"))
        return _errors(declared, root, exchange.response_json())
    if content_type.startswith("text/event-stream"):
        problems: list[str] = []
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
        return _errors(responses[str(status)]["application/json"], root, exchange.response_json())
    declared = [
        ct
        for ct in (
            converted["paths"][operation.path][operation.method.lower()]["responses"][str(status)]
        )
    ]
    if content_type.startswith("text/plain"):
        return [] if "text/plain" in declared else [f"text body, spec declares {declared}"]
    return [] if exchange.response.body else ["empty binary body"]


def _check_files(exchange: Exchange, definitions: dict[str, Any]) -> list[str]:
    root = {"definitions": definitions}
    body_schema = {
        "Files_List": "FileList",
        "Files_Upload": "File",
        "Files_Get": "File",
    }.get(exchange.operation_id or "")
    if exchange.status >= 400:
        return _errors({"$ref": "#/definitions/ErrorResponse"}, root, exchange.response_json())
    if exchange.operation_id == "Files_Delete":
        return (
            [] if exchange.status == 204 and not exchange.response.body else ["delete is not 204"]
        )
    if exchange.operation_id == "Files_GetContent":
        return []
    assert body_schema is not None
    return _errors({"$ref": f"#/definitions/{body_schema}"}, root, exchange.response_json())


def test_every_response_validates(converted: dict[str, Any]) -> None:
    emulator = Emulator()
    tour(emulator)
    definitions = _authoring_definitions()
    authoring = set(FILE_HANDLERS)
    problems: list[str] = []
    served: set[str] = set()
    for exchange in emulator.history:
        assert exchange.operation_id is not None, exchange.request.path
        if exchange.operation_id == "Emulator_GetImage":
            assert exchange.response.body.startswith(b"\x89PNG")
            continue
        if exchange.status < 400:
            served.add(exchange.operation_id)
        found = (
            _check_files(exchange, definitions)
            if exchange.operation_id in authoring
            else _check_inference(exchange, converted)
        )
        problems += [f"{exchange.operation_id} {exchange.status}: {p}" for p in found]
    assert problems == []
    assert served == set(BY_ID) | authoring
    assert {e.status for e in emulator.history} >= {200, 201, 204, 400, 404, 429, 500}
