# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Type-checker test of the request parameter TypedDicts (``azure_oai_preview.models._params``).

Not run and not collected by pytest: pyright checks it (strict, from pyproject.toml):

    ./node_modules/.bin/pyright --pythonpath .venv/bin/python tests/typing

Correct calls must type-check; every wrong call carries a ``# pyright: ignore[rule]`` comment,
and because ``reportUnnecessaryTypeIgnoreComment`` is on for this file, the check fails as soon
as a wrong call stops being an error.
"""

from __future__ import annotations

from azure_oai_preview import (
    APIStatusError,
    AsyncAzureOpenAI,
    AzureOpenAI,
    ContentFilterError,
    decode_embedding,
)
from azure_oai_preview.models import (
    AzureSearchChatExtensionConfigurationParam,
    ChatCompletionRequestMessageParam,
    ChatCompletionRequestMessageUser,
    ChatCompletionsCreateParams,
    ChatCompletionToolParam,
    CreateRunParams,
    ImageSize,
    OnYourDataApiKeyAuthenticationOptions,
    TruncationObject,
    TruncationType,
)


def chat(client: AzureOpenAI) -> None:
    tool: ChatCompletionToolParam = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The weather in a city.",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    messages: list[ChatCompletionRequestMessageParam] = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "And this picture?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "https://example.com/a.png", "detail": "low"},
                },
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "18 C, sunny"},
        ChatCompletionRequestMessageUser(role="user", content="a model instance works too"),
    ]
    completion = client.chat.completions.create(
        messages=messages,
        tools=[tool],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        response_format={"type": "json_object"},
        temperature=0.2,
        max_tokens=200,
        stop=["\n\n"],
        seed=7,
    )
    print(completion.id)
    client.chat.completions.create(messages=messages, tool_choice="auto")

    search: AzureSearchChatExtensionConfigurationParam = {
        "type": "azure_search",
        "parameters": {
            "endpoint": "https://search.example.net",
            "index_name": "docs",
            "authentication": {"type": "api_key", "key": "secret"},
            "embedding_dependency": {"type": "deployment_name", "deployment_name": "ada"},
            "query_type": "vector_simple_hybrid",
            "fields_mapping": {"content_fields": ["content"], "title_field": "title"},
            "top_n_documents": 5,
        },
    }
    client.chat.completions.create(
        messages=[{"role": "user", "content": "What do the docs say?"}], data_sources=[search]
    )
    # Model instances inside dicts.
    client.chat.completions.create(
        messages=[{"role": "user", "content": "hi"}],
        data_sources=[
            {
                "type": "azure_search",
                "parameters": {
                    "endpoint": "https://search.example.net",
                    "index_name": "docs",
                    "authentication": OnYourDataApiKeyAuthenticationOptions(
                        type="api_key", key="secret"
                    ),
                },
            }
        ],
    )
    params: ChatCompletionsCreateParams = {"messages": messages, "n": 2}
    client.chat.completions.create(**params)


def chat_wrong(client: AzureOpenAI) -> None:
    create = client.chat.completions.create
    create(messages=[{"role": "robot", "content": "hi"}])  # pyright: ignore[reportArgumentType]
    create(messages=[{"role": "user"}])  # pyright: ignore[reportArgumentType]
    create(messages=[{"role": "tool", "content": "x"}])  # pyright: ignore[reportArgumentType]
    create(messages=[{"role": "user", "content": 42}])  # pyright: ignore[reportArgumentType]
    create(messages="hello")  # pyright: ignore[reportArgumentType]
    create(temperature=0.5)  # pyright: ignore[reportCallIssue]
    create(messages=[], temperature="hot")  # pyright: ignore[reportArgumentType]
    create(messages=[], no_such_field=1)  # pyright: ignore[reportCallIssue]
    create(messages=[], tools=[{"type": "retrieval"}])  # pyright: ignore[reportArgumentType]
    create(messages=[], tool_choice="sometimes")  # pyright: ignore[reportArgumentType]
    create(messages=[], response_format={"type": "xml"})  # pyright: ignore[reportArgumentType]
    create(
        messages=[],
        data_sources=[
            {  # pyright: ignore[reportArgumentType]
                "type": "azure_search",
                "parameters": {
                    "endpoint": "https://search.example.net",
                    "index_name": "docs",
                    "authentication": {"type": "api_key"},  # no key
                },
            }
        ],
    )
    create(
        messages=[],
        data_sources=[
            {  # pyright: ignore[reportArgumentType]
                "type": "azure_search",
                "parameters": {
                    "endpoint": "https://search.example.net",
                    "index_name": "docs",
                    "authentication": {"type": "api_key", "key": "secret"},
                    "embedding_dependency": {"type": "deployment_name"},  # no deployment_name
                },
            }
        ],
    )
    create(
        messages=[],
        data_sources=[{"type": "azure_search", "parameters": {"endpoint": "x"}}],  # pyright: ignore[reportArgumentType]
    )


def runs(client: AzureOpenAI) -> None:
    run = client.threads.runs.create(
        "thread_1",
        assistant_id="asst_1",
        instructions="Be brief.",
        tools=[
            {"type": "code_interpreter"},
            {"type": "file_search"},
            {
                "type": "function",
                "function": {
                    "name": "lookup",
                    "description": "Look a record up.",
                    "parameters": {"type": "object"},
                },
            },
        ],
        truncation_strategy={"type": "last_messages", "last_messages": 10},
        tool_choice={"type": "function", "function": {"name": "lookup"}},
        additional_messages=[{"role": "user", "content": "More detail, please."}],
        metadata={"ticket": "42"},
    )
    print(run.status)
    client.threads.runs.create(
        "thread_1",
        assistant_id="asst_1",
        tool_choice="auto",
        truncation_strategy=TruncationObject(type=TruncationType.AUTO),
        response_format={"type": "json_object"},
    )
    params: CreateRunParams = {"assistant_id": "asst_1", "tool_choice": {"type": "file_search"}}
    client.threads.runs.create("thread_1", **params)
    client.threads.runs.submit_tool_outputs(
        "run_1", thread_id="thread_1", tool_outputs=[{"tool_call_id": "call_1", "output": "18 C"}]
    )


def runs_wrong(client: AzureOpenAI) -> None:
    create = client.threads.runs.create
    create("thread_1", instructions="x")  # pyright: ignore[reportCallIssue]
    create("thread_1", assistant_id="a", tools=[{"type": "browser"}])  # pyright: ignore[reportArgumentType]
    create("thread_1", assistant_id="a", truncation_strategy={"type": "first"})  # pyright: ignore[reportArgumentType]
    create("thread_1", assistant_id="a", truncation_strategy={"last_messages": 3})  # pyright: ignore[reportArgumentType]
    create("thread_1", assistant_id="a", tool_choice="maybe")  # pyright: ignore[reportArgumentType]
    create("thread_1", assistant_id="a", tool_choice={"type": "web"})  # pyright: ignore[reportArgumentType]
    create(
        "thread_1",
        assistant_id="a",
        tools=[{"type": "function"}],  # pyright: ignore[reportArgumentType]
    )
    client.threads.runs.submit_tool_outputs(
        "run_1",
        thread_id="thread_1",
        tool_outputs=[{"output": 3}],  # pyright: ignore[reportArgumentType]
    )


def vector_stores(client: AzureOpenAI) -> None:
    store = client.vector_stores.create(
        name="docs",
        file_ids=["file_1", "file_2"],
        expires_after={"anchor": "last_active_at", "days": 7},
        metadata={"team": "search"},
    )
    print(store.id)
    client.vector_stores.create()


def vector_stores_wrong(client: AzureOpenAI) -> None:
    create = client.vector_stores.create
    create(expires_after={"anchor": "created_at", "days": 7})  # pyright: ignore[reportArgumentType]
    create(expires_after={"anchor": "last_active_at"})  # pyright: ignore[reportArgumentType]
    create(name=3)  # pyright: ignore[reportArgumentType]


def embeddings_and_images(client: AzureOpenAI) -> None:
    embeddings = client.embeddings.create(input=["one", "two"], dimensions=256)
    print(embeddings.data)
    client.embeddings.create(input="one", deployment="ada")
    packed = client.embeddings.create(input="one", encoding_format="base64")
    vector: list[float] = decode_embedding(packed.data[0].embedding)
    print(vector)
    images = client.images.generate(
        prompt="A lighthouse at dusk", size="1792x1024", quality="hd", style="natural", n=1
    )
    print(images.created)
    client.images.generate(prompt="A lighthouse", size=ImageSize.SIZE1024X1024)


def embeddings_and_images_wrong(client: AzureOpenAI) -> None:
    client.embeddings.create(input=[1, 2])  # pyright: ignore[reportArgumentType]
    client.embeddings.create(dimensions=3)  # pyright: ignore[reportCallIssue]
    client.embeddings.create(input="one", encoding_format="b64")  # pyright: ignore[reportArgumentType]
    # The field may be a base64 string: using it as a list needs decode_embedding (or a check).
    floats: list[float] = client.embeddings.create(input="one").data[0].embedding  # pyright: ignore[reportAssignmentType]
    print(floats)
    client.images.generate(prompt="x", size="17x17")  # pyright: ignore[reportArgumentType]
    client.images.generate(prompt="x", quality="ultra")  # pyright: ignore[reportArgumentType]
    client.images.generate(size="256x256")  # pyright: ignore[reportCallIssue]


async def async_client(client: AsyncAzureOpenAI) -> None:
    completion = await client.chat.completions.create(
        messages=[{"role": "user", "content": "hi"}], max_tokens=5
    )
    print(completion.choices)
    await client.chat.completions.create(messages=[{"role": "usr", "content": "hi"}])  # pyright: ignore[reportArgumentType]


def typed_inner_error(error: APIStatusError, filtered: ContentFilterError) -> None:
    inner = error.inner_error
    if inner is not None:
        print(inner.code)
    results = filtered.content_filter_results
    if results is not None:
        print(results.hate)
    print(inner.code)  # pyright: ignore[reportOptionalMemberAccess]
