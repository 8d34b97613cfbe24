"""Inference operations (sync and async) with the spec's own example requests and responses."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import respx
from _support import (
    USER_MESSAGES,
    chat_completion,
    example_request,
    example_response,
    request_json,
    sse,
    sse_response,
)

from azure_oai_preview import AsyncAzureOpenAI, AsyncStream, AzureOpenAI, Stream
from azure_oai_preview.models import (
    AzureChatExtensionsMessageContext,
    ChatCompletionMessageToolCall,
    Citation,
    CompletionsCreateResponse,
    ContentFilterChoiceResults,
    ContentFilterPromptResults,
    CreateChatCompletionResponse,
    DalleContentFilterResults,
    DalleFilterResults,
    EmbeddingsCreateResponse,
    GenerateImagesResponse,
    PromptFilterResult,
)

DEPLOYMENT_PATH = "/deployments/gpt-4o"

ON_YOUR_DATA_EXAMPLES = [
    "chat_completions_azure_search_advanced.json",
    "chat_completions_azure_search_image_vector.json",
    "chat_completions_aml_index.json",
    "chat_completions_cosmos_db.json",
    "chat_completions_elasticsearch.json",
    "chat_completions_pinecone.json",
]


def _check_example_reply(name: str, result: CreateChatCompletionResponse) -> None:
    expected = example_response(name)
    assert isinstance(result, CreateChatCompletionResponse)
    assert result.id == expected["id"]
    assert result.created == expected["created"]
    message = result.choices[0].message
    assert message is not None
    assert message.content == expected["choices"][0]["message"]["content"]
    assert result.usage is not None
    assert result.usage.total_tokens == expected["usage"]["total_tokens"]
    context = expected["choices"][0]["message"].get("context")
    if context is None:
        assert message.context is None
        return
    assert isinstance(message.context, AzureChatExtensionsMessageContext)
    assert message.context.intent == context.get("intent")
    assert message.context.intents == context.get("intents")
    citations = message.context.citations or []
    assert [c.content for c in citations] == [c["content"] for c in context["citations"]]
    assert all(isinstance(c, Citation) for c in citations)
    assert [c.url for c in citations] == [c.get("url") for c in context["citations"]]


@pytest.mark.parametrize("name", ON_YOUR_DATA_EXAMPLES)
def test_on_your_data_example(name: str, client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    body = example_request(name)
    route = mock_api.post(f"{DEPLOYMENT_PATH}/chat/completions").respond(
        200, json=example_response(name)
    )

    result = client.chat.completions.create(**copy.deepcopy(body))

    assert request_json(route.calls.last.request) == body
    _check_example_reply(name, result)


@pytest.mark.parametrize("name", ON_YOUR_DATA_EXAMPLES)
async def test_on_your_data_example_async(
    name: str, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = example_request(name)
    route = mock_api.post("/deployments/ext/chat/completions").respond(
        200, json=example_response(name)
    )

    result = await async_client.chat.completions.create(deployment="ext", **copy.deepcopy(body))

    assert request_json(route.calls.last.request) == body
    _check_example_reply(name, result)


VECTORIZATION_AND_AUTH_VARIANTS: list[dict[str, Any]] = [
    {
        "type": "azure_search",
        "parameters": {
            "endpoint": "https://search.example.net",
            "index_name": "docs",
            "authentication": {"type": "system_assigned_managed_identity"},
            "query_type": "vector_semantic_hybrid",
            "semantic_configuration": "default",
            "embedding_dependency": {
                "type": "endpoint",
                "endpoint": "https://res.openai.azure.com/openai/deployments/ada/embeddings",
                "authentication": {"type": "api_key", "key": "vectorizer-key"},
            },
            "filter": "category eq 'pets'",
        },
    },
    {
        "type": "azure_search",
        "parameters": {
            "endpoint": "https://search.example.net",
            "index_name": "docs",
            "authentication": {"type": "access_token", "access_token": "search-token"},
            "embedding_dependency": {
                "type": "endpoint",
                "endpoint": "https://res.openai.azure.com/openai/deployments/ada/embeddings",
                "authentication": {"type": "access_token", "access_token": "embed-token"},
            },
        },
    },
    {
        "type": "elasticsearch",
        "parameters": {
            "endpoint": "https://es.example.net",
            "index_name": "docs",
            "authentication": {"type": "encoded_api_key", "encoded_api_key": "ZW5jb2RlZA=="},
            "embedding_dependency": {"type": "model_id", "model_id": "my-elser"},
            "query_type": "vector",
        },
    },
    {
        "type": "azure_ml_index",
        "parameters": {
            "project_resource_id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w",
            "name": "index",
            "version": "1",
            "authentication": {"type": "system_assigned_managed_identity"},
        },
    },
]


@pytest.mark.parametrize("data_source", VECTORIZATION_AND_AUTH_VARIANTS)
def test_on_your_data_auth_and_vectorization_options_are_sent_as_given(
    data_source: dict[str, Any], client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(f"{DEPLOYMENT_PATH}/chat/completions").respond(
        200, json=chat_completion()
    )
    client.chat.completions.create(
        messages=USER_MESSAGES, data_sources=[copy.deepcopy(data_source)]
    )
    assert request_json(route.calls.last.request)["data_sources"] == [data_source]


# -- tools, functions, formats, logprobs ----------------------------------------------------------

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]

TOOL_REPLY = {
    "id": "chatcmpl-tools",
    "object": "chat.completion",
    "created": 1_700_000_000,
    "model": "gpt-4o",
    "system_fingerprint": "fp_abc",
    "choices": [
        {
            "index": 0,
            "finish_reason": "tool_calls",
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'},
                    }
                ],
            },
            "logprobs": {
                "content": [
                    {
                        "token": "Hi",
                        "logprob": -0.1,
                        "bytes": [72, 105],
                        "top_logprobs": [{"token": "Hi", "logprob": -0.1, "bytes": [72, 105]}],
                    }
                ]
            },
        }
    ],
}


def test_tools_response_format_logprobs_and_seed(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(f"{DEPLOYMENT_PATH}/chat/completions").respond(200, json=TOOL_REPLY)

    result = client.chat.completions.create(
        messages=USER_MESSAGES,
        tools=TOOLS,
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        response_format={"type": "json_object"},
        logprobs=True,
        top_logprobs=1,
        seed=42,
        max_tokens=100,
        stop=["\n\n"],
        user="user-1",
    )

    assert request_json(route.calls.last.request) == {
        "messages": USER_MESSAGES,
        "tools": TOOLS,
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "response_format": {"type": "json_object"},
        "logprobs": True,
        "top_logprobs": 1,
        "seed": 42,
        "max_tokens": 100,
        "stop": ["\n\n"],
        "user": "user-1",
    }
    choice = result.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message is not None
    (call,) = choice.message.tool_calls or []
    assert isinstance(call, ChatCompletionMessageToolCall)
    assert (call.id, call.function.name, call.function.arguments) == (
        "call_1",
        "get_weather",
        '{"city": "Oslo"}',
    )
    assert choice.logprobs is not None
    (token,) = choice.logprobs.content or []
    assert (token.token, token.logprob, token.bytes_) == ("Hi", -0.1, [72, 105])
    assert result.system_fingerprint == "fp_abc"


def test_tool_results_and_legacy_functions_are_sent(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(f"{DEPLOYMENT_PATH}/chat/completions").respond(
        200, json=chat_completion("Sunny")
    )
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Weather?"}]},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
    ]
    functions = [{"name": "lookup", "parameters": {"type": "object", "properties": {}}}]

    client.chat.completions.create(messages=messages, functions=functions, function_call="auto")

    sent = request_json(route.calls.last.request)
    assert sent["messages"] == messages
    assert sent["functions"] == functions
    assert sent["function_call"] == "auto"


FILTERED_REPLY = {
    **chat_completion("Here is some code."),
    "prompt_filter_results": [
        {
            "prompt_index": 0,
            "content_filter_results": {
                "hate": {"filtered": False, "severity": "safe"},
                "jailbreak": {"filtered": False, "detected": False},
                "custom_blocklists": {
                    "filtered": False,
                    "details": [{"filtered": False, "id": "list-1"}],
                },
            },
        }
    ],
}
FILTERED_REPLY["choices"] = [
    {
        **FILTERED_REPLY["choices"][0],
        "content_filter_results": {
            "violence": {"filtered": False, "severity": "low"},
            "protected_material_text": {"filtered": False, "detected": False},
            "protected_material_code": {
                "filtered": False,
                "detected": True,
                "citation": {"URL": "https://github.com/x/y", "license": "MIT"},
            },
        },
    }
]


async def test_filter_results_are_typed(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(f"{DEPLOYMENT_PATH}/chat/completions").respond(200, json=FILTERED_REPLY)

    result = await async_client.chat.completions.create(messages=USER_MESSAGES)

    (prompt,) = result.prompt_filter_results or []
    assert isinstance(prompt, PromptFilterResult)
    assert isinstance(prompt.content_filter_results, ContentFilterPromptResults)
    assert prompt.content_filter_results.jailbreak is not None
    assert prompt.content_filter_results.jailbreak.detected is False
    blocklists = prompt.content_filter_results.custom_blocklists
    assert blocklists is not None
    assert [d.id for d in blocklists.details] == ["list-1"]
    choice_results = result.choices[0].content_filter_results
    assert isinstance(choice_results, ContentFilterChoiceResults)
    assert choice_results.violence is not None
    assert choice_results.violence.severity == "low"
    code = choice_results.protected_material_code
    assert code is not None
    assert code.detected is True
    assert code.citation is not None
    assert (code.citation.URL, code.citation.license) == ("https://github.com/x/y", "MIT")


# -- completions ----------------------------------------------------------------------------------


def test_completions_example(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    body = example_request("completions.json")
    expected = example_response("completions.json")
    route = mock_api.post(f"{DEPLOYMENT_PATH}/completions").respond(200, json=expected)

    result = client.completions.create(**copy.deepcopy(body))

    assert request_json(route.calls.last.request) == body
    assert isinstance(result, CompletionsCreateResponse)
    assert result.id == expected["id"]
    assert result.choices[0].text == expected["choices"][0]["text"]
    assert result.choices[0].finish_reason == "stop"


async def test_completions_example_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = example_request("completions.json")
    expected = example_response("completions.json")
    route = mock_api.post("/deployments/davinci/completions").respond(200, json=expected)

    result = await async_client.completions.create(deployment="davinci", **copy.deepcopy(body))

    assert request_json(route.calls.last.request) == body
    assert result.choices[0].text == expected["choices"][0]["text"]


def _completion_chunk(text: str) -> dict[str, Any]:
    return {
        "id": "cmpl-s",
        "object": "text_completion",
        "created": 1,
        "model": "davinci",
        "choices": [{"text": text, "index": 0, "finish_reason": None, "logprobs": None}],
    }


def test_completions_stream(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    body = sse(_completion_chunk("Knock"), _completion_chunk(" knock"))
    route = mock_api.post(f"{DEPLOYMENT_PATH}/completions").mock(
        side_effect=lambda r: sse_response(body)[0]
    )

    with client.completions.create(prompt="joke", stream=True) as stream:
        assert isinstance(stream, Stream)
        chunks = list(stream)

    assert all(isinstance(c, CompletionsCreateResponse) for c in chunks)
    assert "".join(c.choices[0].text or "" for c in chunks) == "Knock knock"
    sent = route.calls.last.request
    assert request_json(sent) == {"prompt": "joke", "stream": True}
    assert "text/event-stream" in sent.headers["accept"]


async def test_completions_stream_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = sse(_completion_chunk("Knock"), _completion_chunk(" knock"))
    mock_api.post(f"{DEPLOYMENT_PATH}/completions").mock(
        side_effect=lambda r: sse_response(body, chunk_size=5)[0]
    )

    stream = await async_client.completions.create(prompt="joke", stream=True)
    assert isinstance(stream, AsyncStream)
    async with stream:
        texts = [c.choices[0].text async for c in stream]

    assert texts == ["Knock", " knock"]


# -- embeddings and images ------------------------------------------------------------------------


def test_embeddings_example(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    body = example_request("embeddings.json")
    expected = example_response("embeddings.json")
    route = mock_api.post("/deployments/ada/embeddings").respond(200, json=expected)

    result = client.embeddings.create(deployment="ada", **copy.deepcopy(body))

    assert request_json(route.calls.last.request) == body
    assert isinstance(result, EmbeddingsCreateResponse)
    assert result.data[0].embedding == expected["data"][0]["embedding"]
    assert all(isinstance(x, float) for x in result.data[0].embedding)
    assert result.usage.prompt_tokens == expected["usage"]["prompt_tokens"]


async def test_embeddings_async(async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter) -> None:
    reply = {
        "object": "list",
        "model": "ada",
        "data": [{"index": 0, "object": "embedding", "embedding": [0.5, -0.25]}],
        "usage": {"prompt_tokens": 2, "total_tokens": 2},
    }
    route = mock_api.post(f"{DEPLOYMENT_PATH}/embeddings").respond(200, json=reply)

    result = await async_client.embeddings.create(input=["a", "b"], user="u", dimensions=2)

    assert request_json(route.calls.last.request) == {
        "input": ["a", "b"],
        "user": "u",
        "dimensions": 2,
    }
    assert result.data[0].embedding == [0.5, -0.25]


def _check_image_reply(result: GenerateImagesResponse, expected: dict[str, Any]) -> None:
    assert isinstance(result, GenerateImagesResponse)
    assert result.created == expected["created"]
    (image,) = result.data
    assert image.url == expected["data"][0]["url"]
    assert image.revised_prompt == expected["data"][0]["revised_prompt"]
    assert isinstance(image.content_filter_results, DalleContentFilterResults)
    assert image.content_filter_results.violence is not None
    assert image.content_filter_results.violence.severity == "safe"
    assert isinstance(image.prompt_filter_results, DalleFilterResults)
    assert image.prompt_filter_results.profanity is not None
    assert image.prompt_filter_results.profanity.detected is False


def test_images_example(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    body = example_request("image_generation.json")
    expected = example_response("image_generation.json")
    route = mock_api.post("/deployments/dall-e-3/images/generations").respond(200, json=expected)

    result = client.images.generate(deployment="dall-e-3", **copy.deepcopy(body))

    assert request_json(route.calls.last.request) == body
    _check_image_reply(result, expected)


async def test_images_example_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = example_request("image_generation.json")
    expected = example_response("image_generation.json")
    route = mock_api.post(f"{DEPLOYMENT_PATH}/images/generations").respond(200, json=expected)

    result = await async_client.images.generate(**copy.deepcopy(body))

    assert request_json(route.calls.last.request) == body
    _check_image_reply(result, expected)
