"""``model=`` on a deployment's operations: openai-python's spelling of the deployment.

openai-python's ``AzureOpenAI`` puts ``model`` into the URL as the deployment; so does this SDK,
on every operation called on a deployment (chat, completions, embeddings, images, audio), sync and
async. It is never sent in the body, and a ``model`` that names another deployment than
``deployment=`` is refused before anything is sent.
"""

from __future__ import annotations

import pytest
import respx
from _support import USER_MESSAGES, chat_chunk, chat_completion, request_json, sse, sse_response

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, InvalidRequestError

EMBEDDING = {
    "object": "list",
    "data": [{"index": 0, "object": "embedding", "embedding": [0.5, 0.25]}],
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}


def test_model_is_the_deployment(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/deployments/gpt-35/chat/completions").respond(
        200, json=chat_completion()
    )
    client.chat.completions.create(model="gpt-35", messages=USER_MESSAGES)
    (call,) = route.calls
    assert "model" not in request_json(call.request)


def test_model_and_deployment_may_agree(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/deployments/embed/embeddings").respond(200, json=EMBEDDING)
    client.embeddings.create(model="embed", deployment="embed", input="hi")
    assert route.call_count == 1


def test_a_second_deployment_is_refused_before_sending(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(url__regex=r".*").respond(200, json=chat_completion())
    with pytest.raises(InvalidRequestError) as raised:
        client.chat.completions.create(
            model="gpt-35-secret-name", deployment="gpt-4o", messages=USER_MESSAGES
        )
    assert raised.value.problems == [
        ("model", "names another deployment than deployment=; pass one of them")
    ]
    assert "gpt-35-secret-name" not in str(raised.value)
    assert route.call_count == 0


def test_model_streams_and_uploads_too(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    response, _ = sse_response(sse(chat_chunk({"content": "Hi"}), chat_chunk(finish_reason="stop")))
    stream_route = mock_api.post("/deployments/gpt-35/chat/completions").mock(return_value=response)
    upload_route = mock_api.post("/deployments/whisper-2/audio/transcriptions").respond(
        200, json={"text": "hello"}
    )
    with client.chat.completions.create(model="gpt-35", messages=USER_MESSAGES, stream=True) as s:
        assert s.get_final_completion().choices[0].message.content == "Hi"
    transcript = client.audio.transcriptions.create(model="whisper-2", file=b"RIFF....")
    assert (stream_route.call_count, upload_route.call_count) == (1, 1)
    assert transcript.text == "hello"


def test_model_is_a_field_where_there_is_no_deployment(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # On assistants `model` is the spec's own body field (the deployment the assistant uses).
    route = mock_api.post("/assistants").respond(
        200,
        json={
            "id": "asst_1",
            "object": "assistant",
            "created_at": 1,
            "name": None,
            "description": None,
            "model": "gpt-4o",
            "instructions": None,
            "tools": [],
            "metadata": {},
        },
    )
    client.assistants.create(model="gpt-4o")
    assert request_json(route.calls[0].request)["model"] == "gpt-4o"


async def test_model_is_the_deployment_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post("/deployments/embed/embeddings").respond(200, json=EMBEDDING)
    await async_client.embeddings.create(model="embed", input="hi")
    with pytest.raises(InvalidRequestError):
        await async_client.embeddings.create(model="embed", deployment="other", input="hi")
    assert route.call_count == 1
