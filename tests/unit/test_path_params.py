"""Issue 15, item 1: every path parameter stays in its own segment, or the call is refused.

``.`` and ``..`` are removed when a URL is normalised (percent-encoding them changes nothing:
``%2E`` is ``.``), so they would address another resource; they are refused before anything
is sent, naming the parameter. So is a value that is not a string. Anything else is
percent-encoded into its segment, ``/`` included.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from _support import USER_MESSAGES, chat_completion
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, InvalidRequestError
from azure_oai_preview._call import Call, JsonReader
from azure_oai_preview._config import ClientConfig
from azure_oai_preview._retry import RetryPolicy
from azure_oai_preview.models._manifest import OPERATIONS

CONFIG = ClientConfig(
    base_url=httpx.URL(ENDPOINT + "/openai"),
    api_version="2024-05-01-preview",
    deployment="gpt-4o",
    timeout=httpx.Timeout(5.0),
    retry=RetryPolicy(),
)
WITH_PATH_PARAMS = [op for op in OPERATIONS if op.path_params]


def _call(operation: Any, **values: Any) -> Call[Any, Any]:
    params = {p.name: values.get(p.name, f"id_{p.python_name}") for p in operation.path_params}
    return Call(operation=operation, path_params=params, reader=JsonReader(dict))


@pytest.mark.parametrize("value", [".", ".."])
@pytest.mark.parametrize("operation", WITH_PATH_PARAMS, ids=lambda op: op.operation_id)
def test_a_dot_segment_is_refused_for_every_path_parameter(operation: Any, value: str) -> None:
    for parameter in operation.path_params:
        with pytest.raises(InvalidRequestError) as info:
            CONFIG.url_for(_call(operation, **{parameter.name: value}))
        assert [path for path, _ in info.value.problems] == [parameter.name]
        argument = "deployment" if parameter.name == "deployment-id" else parameter.python_name
        assert argument in str(info.value)


@pytest.mark.parametrize("operation", WITH_PATH_PARAMS, ids=lambda op: op.operation_id)
def test_a_non_string_is_refused_naming_the_parameter(operation: Any) -> None:
    for parameter in operation.path_params:
        with pytest.raises(InvalidRequestError, match="must be a string") as info:
            CONFIG.url_for(_call(operation, **{parameter.name: 123}))
        assert [path for path, _ in info.value.problems] == [parameter.name]
        assert "int" in str(info.value)


@pytest.mark.parametrize("operation", WITH_PATH_PARAMS, ids=lambda op: op.operation_id)
def test_every_value_stays_in_its_own_segment(operation: Any) -> None:
    hostile = {p.name: f"a/../{p.python_name}?x#%2e%2e\\" for p in operation.path_params}
    url = CONFIG.url_for(_call(operation, **hostile))
    segments = url.raw_path.decode().split("?")[0].split("/")
    template = ("/openai" + operation.path).split("/")
    assert len(segments) == len(template)
    for segment, part in zip(segments, template, strict=True):
        if part.startswith("{"):
            name = part[1:-1]
            assert httpx.URL("http://h/" + segment).path == "/" + hostile[name]
        else:
            assert segment == part


def test_the_deleted_file_is_not_the_file_itself(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json={})
    with pytest.raises(InvalidRequestError, match="vector_store_id") as info:
        client.vector_stores.files.delete("file-123", vector_store_id="..")
    assert info.value.operation == "Delete_Vector_Store_File"
    with pytest.raises(InvalidRequestError, match="assistant_id"):
        client.assistants.delete(".")
    assert not route.called


async def test_async_dot_segments_and_non_strings_are_refused(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json={})
    with pytest.raises(InvalidRequestError, match="thread_id"):
        await async_client.threads.messages.list("..")
    with pytest.raises(InvalidRequestError, match="deployment"):
        await async_client.chat.completions.create(deployment=123, messages=USER_MESSAGES)  # type: ignore[arg-type]
    assert not route.called


def test_a_non_string_default_deployment_names_the_client_option(
    mock_api: respx.MockRouter,
) -> None:
    route = mock_api.route().respond(200, json=chat_completion())
    with (
        AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment=123) as client,  # type: ignore[arg-type]
        pytest.raises(InvalidRequestError, match="must be a string") as info,
    ):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert "deployment" in str(info.value)
    assert "quote_from_bytes" not in str(info.value)
    assert not route.called


def test_dots_inside_an_id_are_fine(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/deployments/gpt-4o.v2/chat/completions").respond(
        200, json=chat_completion()
    )
    client.chat.completions.create(deployment="gpt-4o.v2", messages=USER_MESSAGES)
    assert route.called
