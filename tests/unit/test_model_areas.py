"""The models are split per API area, and the split holds: an application that uses one area
never loads another area's models.

Runtime checks run real calls in a fresh interpreter (over ``httpx.MockTransport``) and list
the model modules it loaded; static checks read the generated layout (``models/_areas.py``)
and the modules' imports.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from azure_oai_preview import models
from azure_oai_preview.models import _areas, _generated, _params
from azure_oai_preview.models._manifest import OPERATIONS

MODELS_DIR = Path(models.__file__).parent
PACKAGE = "azure_oai_preview.models"
LAYOUT = {f"{PACKAGE}._areas", f"{PACKAGE}._manifest"}  # data, no model in them

_CLIENT = """
import json, sys
import httpx
from azure_oai_preview import AzureOpenAI

BODIES = {BODIES}

def handler(request):
    for suffix, (status, body) in BODIES.items():
        if request.url.path.endswith(suffix):
            kind = "text/event-stream" if isinstance(body, str) else "application/json"
            content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            return httpx.Response(status, content=content, headers={{"content-type": kind}})
    return httpx.Response(404, json={{"error": {{"code": "404", "message": request.url.path}}}})

client = AzureOpenAI(
    endpoint="https://example.openai.azure.com",
    api_key="key",
    deployment="gpt-4o",
    max_retries=0,
    http_client=httpx.Client(transport=httpx.MockTransport(handler)),
)
"""


def _loaded_models(
    bodies: dict[str, tuple[int, object]], code: str, prefix: str = f"{PACKAGE}."
) -> set[str]:
    """The ``azure_oai_preview.models`` submodules (modules starting with ``prefix``) loaded
    after running ``code`` with a client whose transport answers paths ending with a key of
    ``bodies``."""
    script = _CLIENT.format(BODIES=repr(bodies)) + textwrap.dedent(code)
    script += f"\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith({prefix!r}))))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


def _area_modules(*areas: str) -> set[str]:
    return {f"{PACKAGE}.{_areas.MODULES[a]}" for a in areas}


CHAT_REPLY = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1718000000,
    "model": "gpt-4o",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
CHAT_CHUNK = {
    "id": "chatcmpl-1",
    "object": "chat.completion.chunk",
    "created": 1718000000,
    "model": "gpt-4o",
    "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}],
}


def test_importing_the_chat_resource_loads_no_model() -> None:
    loaded = _loaded_models({}, "import azure_oai_preview.resources.chat")
    assert loaded <= LAYOUT, loaded


def test_a_chat_app_loads_only_the_chat_and_common_models() -> None:
    code = """
    reply = client.chat.completions.create(messages=[{"role": "user", "content": "Hi"}])
    assert reply.choices[0].message.content == "Hi"
    """
    loaded = _loaded_models({"/chat/completions": (200, CHAT_REPLY)}, code)
    assert f"{PACKAGE}._chat" in loaded
    assert f"{PACKAGE}._assistants" not in loaded
    assert loaded <= LAYOUT | _area_modules("chat", "common"), loaded


def test_a_sync_api_key_chat_app_loads_no_async_or_token_machinery() -> None:
    # Cold start (issue 16): asyncio and anyio cost a sync program ~12 ms; the SDK imports them
    # for the async client only. (httpx's default transport, not used here, is another matter:
    # httpcore imports anyio, and trio, when they are installed.)
    code = """
    reply = client.chat.completions.create(messages=[{"role": "user", "content": "Hi"}])
    assert reply.choices[0].message.content == "Hi"
    with client.chat.completions.create(
        messages=[{"role": "user", "content": "Hi"}], stream=True, deployment="streamed"
    ) as chunks:
        assert [c.choices[0].delta.content for c in chunks] == ["Hi"]
    # Every area's resource (polling and binary downloads among them) is imported too.
    for area in ("threads", "vector_stores", "files", "audio", "fine_tuning", "ingestion_jobs"):
        getattr(client, area)
    """
    stream = f"data: {json.dumps(CHAT_CHUNK)}\n\ndata: [DONE]\n\n"
    bodies = {"streamed/chat/completions": (200, stream), "/chat/completions": (200, CHAT_REPLY)}
    loaded = _loaded_models(bodies, code, prefix="a")
    assert not {"asyncio", "anyio"} & loaded, sorted(m for m in loaded if "async" in m)
    # Nor, with an api key, the bearer-token machinery.
    bearer = {"azure_oai_preview._bearer", "azure_oai_preview._token_cache"}
    assert "azure_oai_preview._auth" in loaded
    assert not bearer & loaded


def test_chat_streams_and_errors_stay_in_the_chat_area() -> None:
    stream = f"data: {json.dumps(CHAT_CHUNK)}\n\ndata: [DONE]\n\n"
    filtered = {
        "error": {
            "code": "content_filter",
            "message": "filtered",
            "innererror": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": {"hate": {"filtered": True, "severity": "high"}},
            },
        }
    }
    code = """
    from azure_oai_preview import BadRequestError
    with client.chat.completions.create(
        messages=[{"role": "user", "content": "Hi"}], stream=True
    ) as chunks:
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hi"
    try:
        client.chat.completions.create(
            messages=[{"role": "user", "content": "Hi"}], deployment="filtered"
        )
    except BadRequestError as exc:
        assert exc.code == "content_filter"
    else:
        raise AssertionError("expected a BadRequestError")
    """
    bodies = {
        "filtered/chat/completions": (400, filtered),
        "/chat/completions": (200, stream),
    }
    loaded = _loaded_models(bodies, code)
    assert loaded <= LAYOUT | _area_modules("chat", "common"), loaded


@pytest.mark.parametrize(
    ("area", "path", "body", "code"),
    [
        (
            "embeddings",
            "/embeddings",
            {
                "object": "list",
                "model": "ada",
                "data": [{"index": 0, "object": "embedding", "embedding": [0.5]}],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            },
            "assert client.embeddings.create(input='x').data[0].embedding == [0.5]",
        ),
        (
            "vector_stores",
            "/vector_stores",
            {
                "id": "vs_1",
                "object": "vector_store",
                "created_at": 1,
                "name": "docs",
                "usage_bytes": 0,
                "file_counts": {
                    "in_progress": 0,
                    "completed": 0,
                    "failed": 0,
                    "cancelled": 0,
                    "total": 0,
                },
                "status": "completed",
                "last_active_at": 1,
                "metadata": {},
            },
            "assert client.vector_stores.create(name='docs').id == 'vs_1'",
        ),
        (
            "assistants",
            "/runs",
            {
                "id": "run_1",
                "object": "thread.run",
                "created_at": 1,
                "thread_id": "thread_1",
                "assistant_id": "asst_1",
                "status": "queued",
                "model": "gpt-4o",
                "instructions": "",
                "tools": [],
                "metadata": {},
            },
            "assert client.threads.runs.create('thread_1', assistant_id='asst_1').id == 'run_1'",
        ),
    ],
)
def test_each_area_loads_only_its_own_and_common_models(
    area: str, path: str, body: object, code: str
) -> None:
    loaded = _loaded_models({path: (200, body)}, code)
    assert _area_modules(area) <= loaded
    assert loaded <= LAYOUT | _area_modules(area, "common"), loaded


def test_a_chat_parameter_type_loads_only_the_chat_and_common_modules() -> None:
    code = """
    from azure_oai_preview.models import ChatCompletionRequestMessageUserParam
    from azure_oai_preview.models import ChatCompletionsCreateParams
    assert "messages" in ChatCompletionsCreateParams.__annotations__
    """
    loaded = _loaded_models({}, code)
    chat = _area_modules("chat", "common") | {
        f"{PACKAGE}.{_areas.PARAM_MODULES[a]}" for a in ("chat", "common")
    }
    assert f"{PACKAGE}._params_chat" in loaded
    assert loaded <= LAYOUT | chat, loaded


def test_every_operation_names_only_models_of_its_area_or_common() -> None:
    area_of = {op: area for area, ops in _areas.AREAS.items() for op in ops}
    assert set(area_of) == {op.operation_id for op in OPERATIONS}
    checked = 0
    for op in OPERATIONS:
        names = [op.request_body.model] if op.request_body else []
        names += [r.model for r in op.responses if r.model]
        names += [op.error_model] if op.error_model else []
        names += [p.type for p in op.query_params if p.type not in ("str", "int", "bool")]
        for name in names:
            assert _areas.MODEL_AREAS[name] in (area_of[op.operation_id], "common"), (op, name)
            checked += 1
    assert checked > 100


def _sibling_imports(module: str) -> set[str]:
    tree = ast.parse((MODELS_DIR / f"{module}.py").read_text(encoding="utf-8"))
    return {
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }


def test_an_area_module_imports_only_common_and_common_imports_no_area() -> None:
    common = _areas.MODULES["common"]
    assert _sibling_imports(common) == set()
    for area, module in _areas.MODULES.items():
        if area not in ("common", "unreferenced"):
            assert _sibling_imports(module) <= {common}, area
    params_common = _areas.PARAM_MODULES["common"]
    assert _sibling_imports(params_common) <= {common}
    for area, module in _areas.PARAM_MODULES.items():
        assert _sibling_imports(module) <= {_areas.MODULES[area], common, params_common}, area


def test_every_name_lives_in_the_module_the_layout_names() -> None:
    assert sorted(_areas.MODEL_AREAS) == _generated.__all__
    for name, area in _areas.MODEL_AREAS.items():
        value = getattr(models, name)
        assert value is getattr(_generated, name)
        if isinstance(value, type):
            assert value.__module__ == f"{PACKAGE}.{_areas.MODULES[area]}", name
    assert set(_areas.TITLES) == {*_areas.AREAS, "common", "unreferenced"}
    assert sorted(_areas.PARAM_AREAS) == _params.__all__
    for name, area in _areas.PARAM_AREAS.items():
        assert getattr(models, name) is getattr(_params, name)
        module = importlib.import_module(f"{PACKAGE}.{_areas.PARAM_MODULES[area]}")
        assert name in module.__all__


def test_the_facade_lists_every_name_for_dir_and_star_import() -> None:
    namespace: dict[str, object] = {}
    exec("from azure_oai_preview.models import *", namespace)
    assert set(_areas.MODEL_AREAS) <= set(namespace)
    assert "ChatCompletionsCreateParams" in namespace
    assert set(_areas.MODEL_AREAS) <= set(dir(models))
    with pytest.raises(AttributeError):
        _ = models._no_such_module  # type: ignore[attr-defined]
