"""Issue 16: the exchange writes a request's URL, query included, as one text that httpx parses
once. That URL must be the very one httpx builds when it is handed the operation's URL and the
query as ``params`` (what the exchange did before): same path, same query, same bytes.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI
from azure_oai_preview._call import Call, JsonReader
from azure_oai_preview._config import ClientConfig
from azure_oai_preview._exchange import _build_request  # pyright: ignore[reportPrivateUsage]
from azure_oai_preview._retry import RetryPolicy
from azure_oai_preview.models._manifest import OPERATIONS
from azure_oai_preview.resources._common import operation_named
from tests.versions import API_VERSION

ENDPOINTS = [
    "https://example-resource.openai.azure.com/openai",
    "https://example-resource.openai.azure.com/openai/",
    "https://Example-Resource.OpenAI.azure.com:443/openai",
    "http://127.0.0.1:8080/openai",
    "https://[::1]:4010/openai",
    "https://bücher.example/openai",
    "https://gateway.example/some%20path/a~b/openai",
]
PATH_VALUES = [
    "plain",
    "a b",
    "a/b",
    "a?b",
    "a#b",
    "a%b",
    "a%20b",
    "ünï",
    "a+b;c=d&e",
    "..a",
    'a`{|}\\^"<>',
]
QUERIES: list[dict[str, Any]] = [
    {},
    {"limit": 100, "order": "desc"},
    {"after": "msg 1&x=y#z", "before": "a+b%2F/?:@!$'()*,;"},
    {"flag": True, "other": False, "ratio": 1.5, "zero": 0, "empty": ""},
    {"include": ["a", "b c", "d&e"], "pair": ("x", "y")},
    {"ünï": "ünï", "sp ace": "v", "k=y": "v&w"},
    {"api-version": "2024-10-01-preview"},  # an extra_query override of the client's
]
OPERATION_SAMPLE = [
    OPERATIONS[0],
    operation_named("List_Messages"),
    operation_named("Get_Thread"),
    *[op for op in OPERATIONS if len(op.path_params) > 1][:2],
]


def _config(endpoint: str) -> ClientConfig:
    return ClientConfig(
        base_url=httpx.URL(endpoint),
        api_version=API_VERSION,
        deployment="gpt-4o",
        timeout=httpx.Timeout(5.0),
        retry=RetryPolicy(),
    )


def _as_httpx_merges_it(
    config: ClientConfig, http: httpx.Client, call: Call[Any, Any]
) -> httpx.URL:
    params = {"api-version": config.api_version, **call.query}
    return http.build_request(call.operation.method, config.url_for(call), params=params).url


def _same(built: httpx.URL, expected: httpx.URL) -> None:
    assert str(built) == str(expected)
    assert built.raw_path == expected.raw_path
    assert (built.scheme, built.host, built.port) == (expected.scheme, expected.host, expected.port)
    assert built.params == expected.params


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_url_is_the_one_httpx_builds_from_params(endpoint: str) -> None:
    config = _config(endpoint)
    http = httpx.Client()
    checked = 0
    for operation in OPERATION_SAMPLE:
        for value in PATH_VALUES:
            for query in QUERIES:
                call: Call[Any, Any] = Call(
                    operation=operation,
                    path_params={p.name: value for p in operation.path_params},
                    query=query,
                    reader=JsonReader(dict),
                )
                _same(
                    _build_request(config, http, call).url, _as_httpx_merges_it(config, http, call)
                )
                checked += 1
    assert checked == len(OPERATION_SAMPLE) * len(PATH_VALUES) * len(QUERIES)


def test_every_operation_is_addressed_as_before() -> None:
    config = _config(ENDPOINTS[0])
    http = httpx.Client()
    for operation in OPERATIONS:
        call: Call[Any, Any] = Call(
            operation=operation,
            path_params={p.name: f"id {p.python_name}/x" for p in operation.path_params},
            query={"limit": 3},
            reader=JsonReader(dict),
        )
        _same(_build_request(config, http, call).url, _as_httpx_merges_it(config, http, call))


def test_the_http_clients_own_query_params_are_still_merged_under_the_calls() -> None:
    config = _config(ENDPOINTS[0])
    http = httpx.Client(params={"gateway": "g 1", "limit": "7"})
    call: Call[Any, Any] = Call(
        operation=operation_named("List_Messages"),
        path_params={"thread_id": "thread_1"},
        query={"limit": 3},
        reader=JsonReader(dict),
    )
    url = _build_request(config, http, call).url
    _same(url, _as_httpx_merges_it(config, http, call))
    assert url.params["gateway"] == "g 1"
    assert url.params["limit"] == "3"


def test_a_service_link_is_requested_with_the_calls_query() -> None:
    # As at_link hands it over: the link without its query, which became the call's.
    config = _config(ENDPOINTS[0])
    http = httpx.Client()
    link = "https://example-resource.openai.azure.com/openai/ingestion/jobs%201/runs"
    call: Call[Any, Any] = Call(
        operation=operation_named("List_Messages"),
        path_params={"thread_id": "t"},
        query={"skip token": "a&b"},
        url=link,
        reader=JsonReader(dict),
    )
    url = _build_request(config, http, call).url
    _same(url, _as_httpx_merges_it(config, http, call))
    assert url.raw_path.startswith(b"/openai/ingestion/jobs%201/runs?")
    assert url.params.multi_items() == [
        ("api-version", API_VERSION),
        ("skip token", "a&b"),
    ]


def _seen(urls: list[httpx.URL]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(request.url)
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})

    return httpx.MockTransport(handler)


async def test_the_sync_and_async_clients_send_the_same_url() -> None:
    sync_urls: list[httpx.URL] = []
    async_urls: list[httpx.URL] = []
    endpoint = "https://example-resource.openai.azure.com"
    sync_client = AzureOpenAI(
        endpoint=endpoint, api_key="k", http_client=httpx.Client(transport=_seen(sync_urls))
    )
    async_client = AsyncAzureOpenAI(
        endpoint=endpoint, api_key="k", http_client=httpx.AsyncClient(transport=_seen(async_urls))
    )
    sync_client.threads.messages.list("thread 1/x", limit=5, order="desc", after="msg 1&2")
    await async_client.threads.messages.list("thread 1/x", limit=5, order="desc", after="msg 1&2")
    await async_client.close()
    sync_client.close()
    assert [str(u) for u in sync_urls] == [str(u) for u in async_urls]
    assert str(sync_urls[0]) == (
        f"{endpoint}/openai/threads/thread%201%2Fx/messages"
        f"?api-version={API_VERSION}&limit=5&order=desc&after=msg+1%262"
    )


def test_a_url_longer_than_httpx_parses_whole_is_still_built_as_httpx_merges_it() -> None:
    # httpx refuses a 65,536+ character URL text, not a merge of shorter parts: such a call
    # is built the merging way (what the service makes of it is the service's to say).
    config = _config("https://example-resource.openai.azure.com/openai")
    http = httpx.Client()
    call = Call(
        operation=operation_named("List_Messages"),
        path_params={"thread_id": "t" * 40_000},
        query={"after": "a" * 30_000},
        reader=JsonReader(dict),
    )
    url = _build_request(config, http, call).url
    _same(url, _as_httpx_merges_it(config, http, call))
    assert len(str(url)) > 65_536
