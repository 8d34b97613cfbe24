"""The committed operations manifest and the lazy models facade."""

from __future__ import annotations

import os
import subprocess
import sys

import azure_oai_preview.models as models
from azure_oai_preview._operation import LongRunning, Operation, Paging
from azure_oai_preview.models import _manifest as manifest
from codegen import transforms
from codegen.paths import REPO_ROOT
from codegen.spec import iter_operations, load_raw, load_spec, source_pin

from .conftest import DEFAULT_VERSION


def test_manifest_lists_every_operation_in_spec_order() -> None:
    inference = [op["operationId"] for _, _, op in iter_operations(load_spec(DEFAULT_VERSION))]
    authoring = [
        op["operationId"]
        for _, _, op in iter_operations(load_spec(DEFAULT_VERSION, document="authoring"))
    ]
    expected = inference + authoring
    assert [op.operation_id for op in manifest.OPERATIONS] == expected
    assert (len(inference), len(authoring), len(manifest.OPERATIONS)) == (42, 20, 62)
    assert manifest.API_VERSION == DEFAULT_VERSION
    assert set(manifest.BY_ID) == set(expected)
    assert all(isinstance(op, Operation) for op in manifest.OPERATIONS)
    assert [op.document for op in manifest.OPERATIONS] == ["inference"] * 42 + ["authoring"] * 20
    assert [(d.name, d.api_version) for d in manifest.DOCUMENTS] == [
        (document, source_pin(DEFAULT_VERSION, document).api_version)
        for document in ("inference", "authoring")
    ]


def test_authoring_operation_kinds() -> None:
    by_id = manifest.BY_ID
    upload = by_id["Files_Upload"]
    assert upload.request_body is not None
    assert upload.request_body.content_type == "multipart/form-data"
    assert upload.request_body.file_fields == ("file",)
    assert [(r.status, r.kind, r.model, r.headers) for r in upload.responses] == [
        ("201", "json", "File", ("Location",))
    ]
    assert [(r.status, r.kind) for r in by_id["Files_GetContent"].responses] == [("200", "binary")]
    assert [(r.status, r.kind, r.content_type) for r in by_id["Files_Delete"].responses] == [
        ("204", "empty", "")
    ]
    # Two paging styles: OpenAI-like cursors for fine-tuning, Azure nextLink for ingestion.
    cursor = Paging(style="cursor", items="data", next="has_more", cursor_param="after")
    next_link = Paging(style="next_link", items="value", next="nextLink")
    for op_id in ("FineTuning_List", "FineTuning_GetEvents", "FineTuning_GetCheckpoints"):
        assert by_id[op_id].paging == cursor, op_id
    for op_id in ("IngestionJobs_List", "IngestionJobRuns_List"):
        assert by_id[op_id].paging == next_link, op_id
    assert by_id["Files_List"].paging is None  # one page: no cursor parameter
    assert by_id["List_Assistants"].paging == cursor
    create = by_id["IngestionJobs_Create"]
    assert (create.method, create.path) == ("PUT", "/ingestion/jobs/{job-id}")
    assert create.long_running == LongRunning(
        final_state_via="operation-location",
        poll_header="operation-location",
        retry_after_header="retry-after",
    )
    assert create.responses[0].headers == ("operation-location", "retry-after")
    assert [(p.name, p.python_name, p.secret) for p in create.header_params] == [
        ("mgmt-user-token", "mgmt_user_token", True),
        ("aml-user-token", "aml_user_token", True),
    ]
    assert create.error_model == "AuthoringErrorResponse"
    assert all(op.long_running is None for op in manifest.OPERATIONS if op is not create)


def test_api_version_parameter_is_left_out() -> None:
    for op in manifest.OPERATIONS:
        assert all(p.name != "api-version" for p in (*op.path_params, *op.query_params))


def test_streaming_operations() -> None:
    streaming = {op.operation_id for op in manifest.OPERATIONS if op.streams}
    assert streaming == {
        "Completions_Create",
        "ChatCompletions_Create",
        "Create_Run",
        "Create_Thread_And_Run",
        "Submit_Tool_Outputs_To_Run",
    }


def test_shapes_of_a_few_operations() -> None:
    chat = manifest.BY_ID["ChatCompletions_Create"]
    assert (chat.method, chat.path) == ("POST", "/deployments/{deployment-id}/chat/completions")
    assert [p.python_name for p in chat.path_params] == ["deployment_id"]
    assert chat.request_body is not None
    assert chat.request_body.model == "CreateChatCompletionRequest"
    assert chat.error_model == "ErrorResponse"
    speech = manifest.BY_ID["Speech_Create"]
    assert speech.request_body is not None
    assert speech.request_body.content_type == "application/json"  # transform
    assert [(r.content_type, r.model) for r in speech.responses] == [
        ("application/octet-stream", None)
    ]
    transcribe = manifest.BY_ID["Transcriptions_Create"]
    assert [(r.content_type, r.model) for r in transcribe.responses] == [
        ("application/json", "TranscriptionsCreateResponse"),
        ("text/plain", None),
    ]
    runs = manifest.BY_ID["List_Runs"]
    assert [(p.name, p.type, p.required) for p in runs.query_params] == [
        ("limit", "int", False),
        ("order", "ListRunsOrder", False),
        ("after", "str", False),
        ("before", "str", False),
    ]


def test_every_named_type_exists_in_the_models() -> None:
    names = set(models.__dir__())
    for op in manifest.OPERATIONS:
        for name in [
            op.request_body.model if op.request_body else None,
            op.error_model,
            *(r.model for r in op.responses),
            *(p.type for p in (*op.path_params, *op.query_params) if p.type not in ("str", "int")),
        ]:
            assert name is None or name in names, (op.operation_id, name)


def test_stream_events_map_to_event_classes() -> None:
    assert len(manifest.STREAM_EVENTS) == 24
    assert manifest.STREAM_EVENTS["thread.run.created"] == "ThreadRunCreated"
    assert manifest.STREAM_EVENTS["thread.message.delta"] == "ThreadMessageDelta"
    assert manifest.STREAM_EVENTS["error"] == "ErrorEvent"
    assert manifest.STREAM_EVENTS["done"] == "DoneEvent"
    for event, class_name in manifest.STREAM_EVENTS.items():
        cls = getattr(models, class_name)
        assert cls.model_fields["event"].annotation is not None
        assert event in repr(cls.model_fields["event"].annotation)
    assert manifest.CHAT_COMPLETION_CHUNK == "CreateChatCompletionStreamResponse"
    assert manifest.COMPLETION_CHUNK == "CompletionsCreateResponse"


def test_importing_the_facade_does_not_import_the_models() -> None:
    code = (
        "import sys\n"
        "import azure_oai_preview.models as m\n"
        "import azure_oai_preview.models._manifest\n"
        "loaded = lambda: {k for k in sys.modules if k.startswith('azure_oai_preview.models._')}\n"
        "assert loaded() == {'azure_oai_preview.models._manifest'}, ('eager import', loaded())\n"
        "from azure_oai_preview.models import RunObject\n"
        "assert RunObject.__module__ == 'azure_oai_preview.models._assistants'\n"
        "assert 'azure_oai_preview.models._assistants' in sys.modules\n"
        "assert 'azure_oai_preview.models._generated' not in sys.modules, 'every area imported'\n"
        "assert 'azure_oai_preview.models._chat' not in sys.modules, 'another area imported'\n"
        "assert not RunObject.__pydantic_complete__, 'schema built at import'\n"
        "assert 'RunObject' in dir(m)\n"
        "try:\n"
        "    m.NoSuchModel\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('expected AttributeError')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_public_name_is_reachable_through_the_facade() -> None:
    from azure_oai_preview.models import _generated

    assert _generated.__all__ == sorted(_generated.__all__)
    namespace: dict[str, object] = {}
    exec("from azure_oai_preview.models import *", namespace)
    assert set(_generated.__all__) <= set(namespace)
    for name in _generated.__all__:
        assert getattr(models, name) is getattr(_generated, name)


def test_every_component_schema_is_public() -> None:
    from azure_oai_preview.models import _generated
    from codegen.build import build_ir

    spec = load_spec(DEFAULT_VERSION)
    result = build_ir(spec, DEFAULT_VERSION, "")
    upstream = load_raw(DEFAULT_VERSION)["components"]["schemas"]
    added = [
        op for t in transforms.load(DEFAULT_VERSION) for op in t.ops if op.kind == "add-schema"
    ]
    # the chat completion stream chunk and the two schemas it uses, and chatCompletionImageUrl
    assert len(added) == 4
    assert len(result.components) == len(spec["components"]["schemas"]) == len(upstream) + 4
    for schema, python_name in result.components.items():
        assert python_name in _generated.__all__, schema
        assert python_name[0] == schema[0].upper()
