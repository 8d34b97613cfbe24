"""Issue 15, item 11: a burst of concurrent calls opens a bounded number of connections.

The default pool (``DEFAULT_CONNECTION_LIMITS``: 100 connections, all kept alive) serves a
burst of 200 concurrent calls with at most 100 TCP connections, each opened once; a call that
finds no free connection within the timeout's ``pool`` value raises ``APITimeoutError``.
The throughput and latency of a 1,000-call burst are measured in ``benchmarks/bench_burst.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import anyio
import httpx
import pytest

from azure_oai_preview import (
    DEFAULT_CONNECTION_LIMITS,
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    InternalServerError,
)
from azure_oai_preview._pool import AsyncConnectionSlots, ConnectionSlots

from ._server import Answer, LoopbackServer, Received, corrupt_gzip, json_answer
from ._support import MESSAGES, async_client_for, chat_completion, client_for

Start = Callable[[Callable[[Received], Answer]], LoopbackServer]


def _slow_ok(seconds: float) -> Callable[[Received], Answer]:
    answer = json_answer(200, chat_completion())
    release = threading.Event()

    def handler(request: Received) -> Answer:
        # Every call holds its connection a moment, as a model's answer does.
        release.wait(seconds)
        return answer

    return handler


async def test_a_burst_opens_at_most_the_pool_size_once(loopback: Start) -> None:
    server = loopback(_slow_ok(0.02))
    replies: list[str] = []
    # A bounded pool wait, so that a slot that is never given back fails the test, not hangs it.
    async with async_client_for(server, timeout=httpx.Timeout(60.0, pool=30.0)) as client:

        async def one() -> None:
            reply = await client.chat.completions.create(messages=MESSAGES)
            replies.append(reply.id)

        async with anyio.create_task_group() as group:
            for _ in range(200):
                group.start_soon(one)
        opened_by_burst = server.connections
        # A second burst reuses what the first one opened.
        async with anyio.create_task_group() as group:
            for _ in range(100):
                group.start_soon(one)

    assert len(replies) == 300
    assert DEFAULT_CONNECTION_LIMITS.max_connections == 100
    assert 1 <= opened_by_burst <= 100
    assert server.connections == opened_by_burst


def test_the_sync_client_bounds_its_connections_too(loopback: Start) -> None:
    server = loopback(_slow_ok(0.05))
    with client_for(server, timeout=httpx.Timeout(60.0, pool=30.0)) as client:
        threads = [
            threading.Thread(target=lambda: client.embeddings.create(input="hi"))
            for _ in range(150)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(server.requests) == 150
    assert 1 <= server.connections <= DEFAULT_CONNECTION_LIMITS.max_connections


# -- the SDK's own queue in front of the pool ------------------------------------------------------


def _by_deployment() -> Callable[[Received], Answer]:
    """Answers by deployment name: each a different way for a call to end."""
    throttled: list[Received] = []
    answers = {
        "failing": json_answer(500, {"error": {"code": "500", "message": "down"}}),
        "reset": Answer(0, reset=True),
        "corrupt": corrupt_gzip(),
        "moved": Answer(307, {"location": "/openai/deployments/gpt-4o/chat/completions"}),
        "audio": Answer(200, {"content-type": "audio/mpeg"}, b"ID3" + b"\0" * 50_000),
    }

    def handler(request: Received) -> Answer:
        name = request.target.split("/")[3]
        if name == "throttle-once" and not throttled:
            throttled.append(request)
            return Answer(429, {"retry-after-ms": "1"}, b"{}")
        return answers.get(name, json_answer(200, chat_completion()))

    return handler


def test_every_way_a_call_ends_gives_its_slot_back(loopback: Start) -> None:
    """With a single slot, each call after the first one would wait for a slot a call before
    it kept, and time out: every call here must find it free."""
    server = loopback(_by_deployment())
    with client_for(server, max_retries=1, timeout=httpx.Timeout(5.0, pool=1.0)) as client:
        client._core.slots = ConnectionSlots(1)
        chat = client.chat.completions
        chat.create(messages=MESSAGES)
        chat.create(deployment="throttle-once", messages=MESSAGES)
        for deployment, error in (
            ("failing", InternalServerError),
            ("reset", APIConnectionError),
            ("corrupt", APIResponseValidationError),
        ):
            with pytest.raises(error):
                chat.create(deployment=deployment, messages=MESSAGES, max_retries=0)
        chat.create(deployment="moved", messages=MESSAGES)
        assert (
            len(client.audio.speech.create(deployment="audio", input="hi", voice="alloy").read())
            > 0
        )
        client.audio.speech.create(deployment="audio", input="hi", voice="alloy").close()
        with client.audio.speech.create(deployment="audio", input="hi", voice="alloy"):
            pass
        raw = client.with_raw_response.chat.completions.create(messages=MESSAGES)
        assert raw.parse().id == "chatcmpl-1"
        chat.create(messages=MESSAGES)  # and the slot is still there
    assert server.connections >= 1


def _stalling(request: Received) -> Answer:
    return Answer(
        200, {"content-type": "application/json"}, b"{}", stall=1.5, stall_before_body=True
    )


def test_no_free_slot_in_time_is_a_typed_timeout(loopback: Start) -> None:
    server = loopback(_stalling)
    outcomes: list[BaseException | None] = []
    with client_for(server, max_retries=0, timeout=httpx.Timeout(10.0, pool=0.2)) as client:
        client._core.slots = ConnectionSlots(1)

        def one() -> None:
            try:
                client.embeddings.create(input="hi")
                outcomes.append(None)
            except Exception as error:
                outcomes.append(error)

        first = threading.Thread(target=one)
        first.start()
        threading.Event().wait(0.3)
        one()
        first.join()
    timeouts = [o for o in outcomes if isinstance(o, APITimeoutError)]
    assert len(timeouts) == 1
    assert isinstance(timeouts[0].__cause__, httpx.PoolTimeout)
    assert len(server.requests) == 1


@pytest.mark.parametrize("pool", ["sdk", "httpx"])
async def test_async_no_free_connection_in_time_is_a_typed_timeout(
    pool: str, loopback: Start
) -> None:
    """The SDK's pool (one slot here) and a given httpx client's (one connection) alike."""
    server = loopback(_stalling)
    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=1)) if pool == "httpx" else None
    outcomes: list[BaseException | None] = []
    async with async_client_for(
        server, http_client=http, max_retries=0, timeout=httpx.Timeout(10.0, pool=0.2)
    ) as client:
        if pool == "sdk":
            client._core.slots = AsyncConnectionSlots(1)

        async def one() -> None:
            try:
                await client.embeddings.create(input="hi")
                outcomes.append(None)
            except Exception as error:
                outcomes.append(error)

        async with anyio.create_task_group() as group:
            group.start_soon(one)
            await anyio.sleep(0.3)
            group.start_soon(one)
    if http is not None:
        await http.aclose()
    timeouts = [o for o in outcomes if isinstance(o, APITimeoutError)]
    assert len(timeouts) == 1
    assert isinstance(timeouts[0].__cause__, httpx.PoolTimeout)
    assert len(server.requests) == 1
    assert server.connections == 1


async def test_a_cancelled_call_gives_its_slot_and_connection_back(loopback: Start) -> None:
    server = loopback(
        lambda request: (
            json_answer(200, chat_completion())
            if "fast" in request.target
            else Answer(
                200, {"content-type": "application/json"}, b"{", declared_length=50, stall=5
            )
        )
    )
    async with async_client_for(server, timeout=httpx.Timeout(10.0, pool=1.0)) as client:
        client._core.slots = AsyncConnectionSlots(1)
        with anyio.move_on_after(0.3):
            await client.chat.completions.create(messages=MESSAGES)
        reply = await client.chat.completions.create(deployment="fast", messages=MESSAGES)
    assert reply.id == "chatcmpl-1"
