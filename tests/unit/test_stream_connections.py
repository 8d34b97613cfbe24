"""Streams and the connection pool, against a real server on 127.0.0.1.

A stream read to its end hands its connection back for the next request (keep-alive); a
stream dropped half-read releases its connection as soon as it is garbage - by reference
counting alone, the cycle collector is switched off here - and says so with a
ResourceWarning.
"""

from __future__ import annotations

import gc
import json
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import trio
from _assistants_support import function_call_events, sse_body
from _local_server import LocalServer
from _support import USER_MESSAGES, chat_chunk, sse

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI

CHAT = "/chat/completions"
RUNS = "/runs"
# Long enough to arrive in several reads, so a stream dropped after one chunk is half-read.
CHAT_BODY = sse(
    chat_chunk({"role": "assistant", "content": ""}),
    *(chat_chunk({"content": f"word {i} "}) for i in range(200)),
    chat_chunk({}, finish_reason="stop"),
)
POOL = httpx.Limits(max_connections=3, max_keepalive_connections=3)
# A leaked connection shows up as a pool timeout instead of a hang.
TIMEOUT = httpx.Timeout(10, pool=2)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.serve(CHAT, CHAT_BODY)
    local.serve(RUNS, sse_body(function_call_events()))
    local.start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture
def no_cycle_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _client(server: LocalServer) -> AzureOpenAI:
    return AzureOpenAI(
        server.endpoint,
        api_key="k",
        deployment="d",
        http_client=httpx.Client(limits=POOL),
        timeout=TIMEOUT,
        max_retries=0,
        allow_insecure_http=True,
    )


def _async_client(server: LocalServer) -> AsyncAzureOpenAI:
    return AsyncAzureOpenAI(
        server.endpoint,
        api_key="k",
        deployment="d",
        http_client=httpx.AsyncClient(limits=POOL),
        timeout=TIMEOUT,
        max_retries=0,
        allow_insecure_http=True,
    )


def _expected_text() -> str:
    return "".join(f"word {i} " for i in range(200))


# -- keep-alive ---------------------------------------------------------------------------------


def test_sequential_chat_streams_share_one_connection(server: LocalServer) -> None:
    with _client(server) as client:
        for _ in range(10):
            with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
                assert "".join(stream.text_deltas()) == _expected_text()
    assert len(server.ports) == 10
    assert server.connections == 1


def test_sequential_run_streams_share_one_connection(server: LocalServer) -> None:
    with _client(server) as client:
        for _ in range(10):
            with client.threads.runs.stream("thread_abc123", assistant_id="asst") as stream:
                assert stream.final_run().status == "requires_action"
    assert len(server.ports) == 10
    assert server.connections == 1


async def test_sequential_async_streams_share_one_connection(server: LocalServer) -> None:
    async with _async_client(server) as client:
        for _ in range(5):
            stream = await client.chat.completions.create(messages=USER_MESSAGES, stream=True)
            async with stream:
                final = await stream.get_final_completion()
            assert final.choices[0].message is not None
            assert final.choices[0].message.content == _expected_text()
            async with client.threads.runs.stream("thread_abc123", assistant_id="a") as run:
                await run.until_done()
    assert len(server.ports) == 10
    assert server.connections == 1


# -- streams dropped half-read -------------------------------------------------------------------


def _first_chunk_then_drop(client: AzureOpenAI) -> Any:
    for chunk in client.chat.completions.create(messages=USER_MESSAGES, stream=True):
        return chunk  # leaves the loop, and the stream, half-read
    return None


def test_dropped_streams_release_their_connections(
    server: LocalServer, no_cycle_collector: None
) -> None:
    with _client(server) as client, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(4 * POOL.max_connections):  # type: ignore[operator]
            assert _first_chunk_then_drop(client) is not None
            stream = client.threads.runs.stream("thread_abc123", assistant_id="asst")
            assert next(iter(stream)).event == "thread.run.created"
            del stream
        # Were any of them still holding its connection, the pool would be exhausted.
        with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
            assert "".join(stream.text_deltas()) == _expected_text()
    dropped = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert len(dropped) == 2 * 4 * POOL.max_connections  # type: ignore[operator]
    assert "with block" in str(dropped[0].message)


async def test_dropped_async_streams_release_their_connections(
    server: LocalServer, no_cycle_collector: None
) -> None:
    async with _async_client(server) as client:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            for _ in range(4 * POOL.max_connections):  # type: ignore[operator]
                stream = await client.chat.completions.create(messages=USER_MESSAGES, stream=True)
                await stream.__anext__()
                del stream
                never_read = await client.chat.completions.create(
                    messages=USER_MESSAGES, stream=True
                )
                del never_read
            stream = await client.chat.completions.create(messages=USER_MESSAGES, stream=True)
            async with stream:
                assert [t async for t in stream.text_deltas()] != []
        dropped = sum(issubclass(w.category, ResourceWarning) for w in caught)
        assert dropped == 2 * 4 * POOL.max_connections  # type: ignore[operator]


def test_dropped_async_streams_release_their_connections_under_trio(
    server: LocalServer, no_cycle_collector: None
) -> None:
    # The finalizer closes the response on trio's loop (it looks asyncio up rather than
    # importing it): the pool is not exhausted by the dropped streams.
    async def scenario() -> None:
        async with _async_client(server) as client:
            for _ in range(2 * POOL.max_connections):  # type: ignore[operator]
                stream = await client.chat.completions.create(messages=USER_MESSAGES, stream=True)
                await stream.__anext__()
                del stream
            stream = await client.chat.completions.create(messages=USER_MESSAGES, stream=True)
            async with stream:
                assert [t async for t in stream.text_deltas()] != []

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trio.run(scenario)
    assert sum(issubclass(w.category, ResourceWarning) for w in caught) == 2 * POOL.max_connections  # type: ignore[operator]


def test_a_stream_read_to_its_end_needs_no_close(
    server: LocalServer, no_cycle_collector: None
) -> None:
    with _client(server) as client, warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        for _ in range(2 * POOL.max_connections):  # type: ignore[operator]
            chunks = list(client.chat.completions.create(messages=USER_MESSAGES, stream=True))
            assert json.loads(chunks[-1].model_dump_json())["choices"][0]["finish_reason"] == "stop"
    assert server.connections == 1
