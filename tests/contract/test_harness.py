"""Raw-httpx proofs that the contract harness works (no SDK involved).

Each test says what a contract test relies on: Prism is up at the right path prefix,
accepts what the spec allows, rejects what it does not in a way the recorder reads, and
the recorder turns that into failures that name the operation.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket

import httpx
import pytest

from .harness import (
    ContractViolationError,
    NodeToolchainError,
    PrismFleet,
    PrismServer,
    PrismStartupError,
    ServerConfig,
    ViolationRecorder,
    declared_transforms,
    ensure_prism,
    explain_violations,
)
from .harness.node import stale_reason
from .harness.specs import iter_operations

pytestmark = pytest.mark.contract

API_KEY = {"api-key": "contract-test-key"}
CHAT = {"messages": [{"role": "user", "content": "Say hi"}]}


def chat_url(server: PrismServer, deployment: str = "gpt-4o") -> str:
    return server.url(f"deployments/{deployment}/chat/completions")


# --------------------------------------------------------------------------- lifecycle


def test_prism_answers_under_the_sdk_path_prefix(prism_server: PrismServer) -> None:
    assert prism_server.running
    assert prism_server.started_in is not None
    assert prism_server.started_in < 30
    assert prism_server.spec.mount == "/openai"
    assert prism_server.api_root == prism_server.base_url + "/openai"
    # What the SDK sends: {endpoint}/openai/<path>?api-version=...
    with httpx.Client(trust_env=False) as client:
        served = client.post(chat_url(prism_server), json=CHAT, headers=API_KEY)
        unmounted = client.post(
            f"{prism_server.base_url}/deployments/gpt-4o/chat/completions",
            params={"api-version": prism_server.api_version},
            json=CHAT,
            headers=API_KEY,
        )
    assert served.status_code == 200, served.text
    assert unmounted.status_code == 404
    assert "NO_PATH_MATCHED" in unmounted.text


def test_prism_stops_with_its_whole_process_group(contract_fleet: PrismFleet) -> None:
    server = contract_fleet.new_server(ServerConfig("lifecycle", "transformed"))
    server.spawn()
    try:
        server.wait_ready()
        process = server.process
        assert process is not None
        pid, port = process.pid, server.port
    finally:
        server.stop()
    server.stop()  # idempotent
    assert process.poll() is not None
    if os.name == "posix":
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_startup_failures_surface_prism_output(contract_fleet: PrismFleet, tmp_path) -> None:
    broken = dataclasses.replace(contract_fleet.spec("transformed"), path=tmp_path / "x.json")
    broken.path.write_text("{ not json", encoding="utf-8")
    dead = PrismServer(
        ServerConfig("broken", "transformed"),
        broken,
        contract_fleet.install,
        contract_fleet.probe("transformed"),
    )
    dead.spawn()
    with pytest.raises(PrismStartupError, match=r"(?s)Prism exited with code \d+.*last lines"):
        dead.wait_ready(timeout=30)
    assert not dead.running

    slow = contract_fleet.new_server(ServerConfig("slow", "transformed"))
    slow.spawn()
    with pytest.raises(PrismStartupError, match=r"did not answer within 0s"):
        slow.wait_ready(timeout=0)
    assert not slow.running  # stopped on timeout


def test_a_taken_port_is_retried(
    contract_fleet: PrismFleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .harness import prism as prism_module

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([taken.getsockname()[1]])
        real_free_port = prism_module.free_port
        monkeypatch.setattr(
            prism_module, "free_port", lambda host: next(ports, None) or real_free_port(host)
        )
        server = contract_fleet.new_server(ServerConfig("port-race", "transformed"))
        server.spawn()
        try:
            server.wait_ready()
            assert server.port != taken.getsockname()[1]
        finally:
            server.stop()
    assert "EADDRINUSE" in server.log_path.read_text(encoding="utf-8")


def test_prism_install_is_current_and_node_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    assert stale_reason() is None  # the session installed/validated it already
    monkeypatch.setenv("PATH", "")
    with pytest.raises(NodeToolchainError, match=r"`node` was not found on PATH.*Node\.js"):
        ensure_prism()


def test_stale_install_is_detected(tmp_path) -> None:
    locked = {
        "lockfileVersion": 3,
        "packages": {
            "": {},
            "node_modules/@stoplight/prism-cli": {"version": "5.16.0"},
            "node_modules/fsevents": {"version": "2.3.3", "optional": True},
        },
    }
    (tmp_path / "package-lock.json").write_text(json.dumps(locked))
    assert stale_reason(tmp_path) == "@stoplight/prism-cli is not installed"
    package = tmp_path / "node_modules" / "@stoplight" / "prism-cli"
    (package / "dist").mkdir(parents=True)
    (package / "dist" / "index.js").write_text("")
    (package / "package.json").write_text(
        json.dumps({"version": "5.15.0", "bin": {"prism": "dist/index.js"}})
    )
    assert stale_reason(tmp_path) == "node_modules/.bin/prism is missing"
    (tmp_path / "node_modules" / ".bin").mkdir()
    (tmp_path / "node_modules" / ".bin" / "prism").symlink_to(package / "dist" / "index.js")
    installed = {"packages": {"node_modules/@stoplight/prism-cli": {"version": "5.15.0"}}}
    (tmp_path / "node_modules" / ".package-lock.json").write_text(json.dumps(installed))
    assert "is 5.15.0, the lock file says 5.16.0" in str(stale_reason(tmp_path))
    installed["packages"]["node_modules/@stoplight/prism-cli"]["version"] = "5.16.0"
    (tmp_path / "node_modules" / ".package-lock.json").write_text(json.dumps(installed))
    assert stale_reason(tmp_path) is None  # optional fsevents may be absent


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize("prism", ["static", "dynamic"], indirect=True)
def test_valid_request_with_api_key_passes(
    prism: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    response = contract_http_client.post(chat_url(prism), json=CHAT, headers=API_KEY)
    assert response.status_code == 200
    assert isinstance(response.json()["choices"], list)
    assert [call.operation_id for call in violations.calls] == ["ChatCompletions_Create"]
    assert not violations


def test_bearer_token_passes_the_security_check(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    headers = {"Authorization": "Bearer eyJ0eXAiOiJKV1QifQ.e30.sig"}
    response = contract_http_client.post(chat_url(prism_server), json=CHAT, headers=headers)
    assert response.status_code == 200
    assert not violations


@pytest.mark.parametrize(
    ("path", "problem_json"),
    [
        ("deployments/gpt-4o/chat/completions", False),  # spec has a `default` response
        ("assistants", True),  # no error response: Prism answers problem+json
    ],
)
def test_missing_auth_is_401_and_recorded(
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
    path: str,
    problem_json: bool,
) -> None:
    body = CHAT if "chat" in path else {"model": "gpt-4o"}
    with violations.expect() as caught:
        response = contract_http_client.post(prism_server.url(path), json=body)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(
        "application/problem+json" if problem_json else "application/json"
    )
    (violation,) = caught
    assert violation.side == "request"
    assert "Invalid security scheme" in violation.message


def test_invalid_body_is_422_with_a_readable_violation(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    with violations.expect() as caught:
        response = contract_http_client.post(
            chat_url(prism_server), json={"messages": "Say hi"}, headers=API_KEY
        )
    assert response.status_code == 422
    (violation,) = caught
    assert violation.operation_id == "ChatCompletions_Create"
    assert violation.location == ("request", "body", "messages")
    assert violation.message == "Request body property messages must be array"
    assert violation.source == "sl-violations"


def test_problem_json_validation_is_recorded(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    """Operations without an error response: violations only in Prism's problem+json."""
    with violations.expect(at_least=2) as caught:
        response = contract_http_client.post(
            prism_server.url("threads/thread_1/messages"),
            json={"role": "user", "content": "hi", "colour": "blue"},
            headers=API_KEY,
        )
        missing = contract_http_client.post(
            prism_server.url("threads/thread_1/messages"), json={"role": "user"}, headers=API_KEY
        )
    assert (response.status_code, missing.status_code) == (422, 422)
    assert "sl-violations" not in response.headers
    messages = caught.messages()
    assert "Request body must NOT have additional properties; found 'colour'" in messages
    assert "Request body must have required property 'content'" in messages
    assert {v.operation_id for v in caught} == {"Create_Message"}
    assert {v.source for v in caught} == {"problem+json"}


def test_unexpected_violation_fails_with_operation_and_message(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    contract_http_client.post(prism_server.url("vector_stores"), json={"name": 42}, headers=API_KEY)
    with pytest.raises(ContractViolationError) as failure:
        violations.check()
    text = str(failure.value)
    assert "Create_Vector_Store" in text
    assert "POST /openai/vector_stores?api-version=" in text
    assert "Request body property name must be string" in text
    violations.clear()  # handled here: do not fail the test afterwards


def test_api_version_must_match_the_served_spec(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    url = chat_url(prism_server).replace(prism_server.api_version, "2024-06-01")
    with violations.expect() as caught:
        assert contract_http_client.post(url, json=CHAT, headers=API_KEY).status_code == 200
    (violation,) = caught
    assert (violation.source, violation.code) == ("harness", "api-version")


async def test_async_client_records_violations(
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    ok = await contract_async_http_client.get(prism_server.url("assistants"), headers=API_KEY)
    assert ok.status_code == 200
    with violations.expect() as caught:
        bad = await contract_async_http_client.get(
            prism_server.url("assistants", limit="many"), headers=API_KEY
        )
    assert bad.status_code == 422
    assert [v.operation_id for v in caught] == ["List_Assistants"]
    assert caught.violations[0].location[:2] == ("request", "query")


def test_every_operation_is_validated_and_routed(prism_server: PrismServer) -> None:
    """Prism compiles every schema of the mock spec (else it silently skips validation),
    and every path template routes back to its own operation."""
    assert prism_server.compile_problems == []
    operations = prism_server.operations.operations
    assert len(operations) == len(iter_operations(prism_server.spec.document))
    for operation_id, operation in operations.items():
        concrete = operation.path.replace("{", "x").replace("}", "")
        assert prism_server.operations.match(operation.method, concrete) == operation, operation_id


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"role": "user"}, "must have required property 'content'"),
        ({"role": "tool", "content": "42"}, "must have required property 'tool_call_id'"),
    ],
)
def test_discriminated_values_are_checked_against_their_mapped_schema(
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
    message: dict[str, str],
    expected: str,
) -> None:
    """Prism alone checks a chat message only against the base schema (``role``); the
    adapter's discriminator dispatch makes it check the schema ``role`` maps to."""
    assert any(c.kind == "discriminator-dispatch" for c in prism_server.spec.adapter_changes)
    with violations.expect() as caught:
        response = contract_http_client.post(
            chat_url(prism_server), json={"messages": [message]}, headers=API_KEY
        )
    assert response.status_code == 422
    assert any(m.endswith(expected) for m in caught.messages()), caught.messages()


# --------------------------------------------------------------------------- dynamic mode


def test_dynamic_server_returns_schema_shaped_varied_bodies(
    prism_server: PrismServer,
    prism_dynamic_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    static = contract_http_client.post(chat_url(prism_server), json=CHAT, headers=API_KEY)
    first = contract_http_client.post(chat_url(prism_dynamic_server), json=CHAT, headers=API_KEY)
    again = contract_http_client.post(chat_url(prism_dynamic_server), json=CHAT, headers=API_KEY)
    assert first.status_code == again.status_code == 200
    body = first.json()
    assert body != static.json()  # generated, not the schema's first-choice values
    assert first.content == again.content  # fixed seed: reproducible
    for key, kind in {
        "id": str,
        "object": str,
        "created": int,
        "model": str,
        "choices": list,
    }.items():
        assert isinstance(body[key], kind), (key, body.get(key))
    # Prism checks its own answer against the response schema: nothing to report here.
    assert violations.by_side("response") == []
    assert not violations


# --------------------------------------------------------------------------- odd corners


def test_stream_true_is_answered_with_plain_json(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    """The spec declares only application/json for chat completions, so Prism cannot
    stream: ``stream: true`` gets one JSON object, ``Accept: text/event-stream`` a 406 —
    after the request passed validation (so streaming requests are still checked)."""
    body = {**CHAT, "stream": True}
    plain = contract_http_client.post(chat_url(prism_server), json=body, headers=API_KEY)
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("application/json")
    sse = contract_http_client.post(
        chat_url(prism_server), json=body, headers={**API_KEY, "Accept": "text/event-stream"}
    )
    assert sse.status_code == 406
    (issue,) = violations.by_side("mock")
    assert issue.code == "NOT_ACCEPTABLE"
    assert not violations  # a mock limitation, not a contract violation
    with violations.expect():
        invalid = contract_http_client.post(
            chat_url(prism_server),
            json={"messages": "x", "stream": True},
            headers={**API_KEY, "Accept": "text/event-stream"},
        )
    assert invalid.status_code == 422


def test_multipart_bodies_are_validated(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    url = prism_server.url("deployments/whisper/audio/transcriptions")
    ok = contract_http_client.post(
        url,
        headers=API_KEY,
        files={"file": ("hello.wav", b"RIFF0000WAVEfmt ", "audio/wav")},
        data={"response_format": "json"},
    )
    assert ok.status_code == 200
    with violations.expect(at_least=2) as caught:
        bad = contract_http_client.post(
            url, headers=API_KEY, files={"prompt": (None, "x")}, data={"response_format": "mp3"}
        )
    assert bad.status_code == 422
    assert "Request body must have required property 'file'" in caught.messages()
    assert any("response_format must be equal to one of" in m for m in caught.messages())


def test_speech_returns_a_binary_placeholder(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    """Upstream declares a multipart speech request; the transforms may change that (the
    service takes JSON), so send whichever the served spec declares, then the other one."""
    url = prism_server.url("deployments/tts/audio/speech")
    speech = prism_server.operations.operations["Speech_Create"].spec
    (content_type,) = speech["requestBody"]["content"]
    fields = {"input": "Hello", "voice": "alloy"}
    as_json = {"json": fields}
    as_form = {"files": {name: (None, value) for name, value in fields.items()}}
    right, wrong = (as_json, as_form) if content_type == "application/json" else (as_form, as_json)
    response = contract_http_client.post(url, headers=API_KEY, **right)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.content == b"string"  # static mode: the placeholder of a string schema
    with violations.expect() as caught:
        assert contract_http_client.post(url, headers=API_KEY, **wrong).status_code == 415
    assert caught.violations[0].code == "INVALID_CONTENT_TYPE"


# --------------------------------------------------------------------------- untransformed


RUN_WITHOUT_THREAD_ID = {"assistant_id": "asst_1"}


def test_untransformed_spec_rejects_what_transforms_fix(
    prism_untransformed_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    """Upstream ``createRunRequest`` requires ``thread_id`` yet forbids extra properties and
    never defines it: no body satisfies it. The violation must map to a declared transform."""
    server = prism_untransformed_server
    assert server.compile_problems == []  # the adapter made every schema checkable
    with violations.expect() as caught:
        response = contract_http_client.post(
            server.url("threads/thread_1/runs"), json=RUN_WITHOUT_THREAD_ID, headers=API_KEY
        )
    assert response.status_code == 422
    (violation,) = caught
    assert violation.operation_id == "Create_Run"
    assert violation.message == "Request body must have required property 'thread_id'"

    transforms = declared_transforms(server.api_version)
    (explanation,) = explain_violations(caught, server.spec.source_document, transforms)
    assert explanation.transforms == ("create-run-undefined-thread-id",)
    assert "createRunRequest" in explanation.site.schemas


def test_transformed_spec_accepts_what_the_transforms_fix(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    response = contract_http_client.post(
        prism_server.url("threads/thread_1/runs"), json=RUN_WITHOUT_THREAD_ID, headers=API_KEY
    )
    assert response.status_code == 200
    assert not violations


def test_untransformed_violations_inside_discriminated_values_map_too(
    prism_untransformed_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    """Upstream's function message requires an undefined ``function_call_id``."""
    server = prism_untransformed_server
    message = {"role": "function", "name": "lookup", "content": "{}"}
    with violations.expect() as caught:
        response = contract_http_client.post(
            chat_url(server), json={"messages": [message]}, headers=API_KEY
        )
    assert response.status_code == 422
    required = [v for v in caught if v.code == "required"]
    assert [v.message for v in required] == [
        "Request body property messages.0 must have required property 'function_call_id'"
    ]
    transforms = declared_transforms(server.api_version)
    (explanation,) = explain_violations(required, server.spec.source_document, transforms)
    assert "chatCompletionRequestMessageFunction" in explanation.site.schemas
    assert explanation.transforms == ("function-message-undefined-required",)
