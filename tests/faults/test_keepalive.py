"""Issue 15, item 4: retried errors, redirects and answered challenges keep their connection.

Before a response is let go, what is left of its body is read (up to 64 KiB, for at most about
a second), so that the HTTP/1.1 connection goes back to the pool instead of being closed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import httpx
import pytest

from azure_oai_preview import RateLimitError

from ._server import Answer, LoopbackServer, Received, json_answer
from ._support import MESSAGES, async_client_for, chat_completion, client_for, error_payload

Start = Callable[[Callable[[Received], Answer]], LoopbackServer]


def _throttled(body: bytes = b"", content_type: str = "application/json") -> Answer:
    return Answer(
        429, {"content-type": content_type, "retry-after-ms": "1"}, body or b'{"error": {}}'
    )


def _script(*answers: Answer) -> Callable[[Received], Answer]:
    """Answers in turn; the last one for every request after."""
    queue = list(answers)

    def handler(request: Received) -> Answer:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


HTML_PAGE = b"<html><body>" + b"<p>The service is busy, try again.</p>" * 400 + b"</body></html>"


@pytest.mark.parametrize(
    "first",
    [
        pytest.param(_throttled(), id="429-json"),
        pytest.param(_throttled(HTML_PAGE, "text/html"), id="429-html-15KiB"),
        pytest.param(Answer(503, {"content-type": "text/html"}, HTML_PAGE), id="503-html"),
    ],
)
def test_retries_reuse_the_connection(first: Answer, loopback: Start) -> None:
    server = loopback(_script(first, first, json_answer(200, chat_completion())))
    with client_for(server) as client:
        reply = client.chat.completions.create(messages=MESSAGES)
    assert reply.choices[0].message.content == "Hello!"
    assert len(server.requests) == 3
    assert server.connections == 1


async def test_async_retries_reuse_the_connection(loopback: Start) -> None:
    server = loopback(
        _script(_throttled(HTML_PAGE), _throttled(), json_answer(200, chat_completion()))
    )
    async with async_client_for(server) as client:
        await client.chat.completions.create(messages=MESSAGES)
    assert len(server.requests) == 3
    assert server.connections == 1


def test_a_same_origin_redirect_reuses_the_connection(loopback: Start) -> None:
    def handler(request: Received) -> Answer:
        if "/gpt-4o/" in request.target:
            location = (
                "/openai/deployments/gpt-4o-new/chat/completions?api-version=2024-05-01-preview"
            )
            return Answer(307, {"location": location}, b"moved, see the location header")
        return json_answer(200, chat_completion())

    server = loopback(handler)
    with client_for(server) as client:
        client.chat.completions.create(messages=MESSAGES)
    assert [r.target.split("?")[0] for r in server.requests] == [
        "/openai/deployments/gpt-4o/chat/completions",
        "/openai/deployments/gpt-4o-new/chat/completions",
    ]
    assert server.connections == 1


async def test_an_answered_challenge_reuses_the_connection(loopback: Start) -> None:
    tokens = itertools.chain(["first-token"], itertools.repeat("second-token"))

    def handler(request: Received) -> Answer:
        if request.headers["authorization"] == "Bearer first-token":
            return Answer(
                401,
                {
                    "www-authenticate": 'Bearer error="invalid_token"',
                    "content-type": "application/json",
                },
                b'{"error": {"code": "401", "message": "expired"}}',
            )
        return json_answer(200, chat_completion())

    server = loopback(handler)
    async with async_client_for(
        server, api_key=None, azure_ad_token_provider=lambda: next(tokens)
    ) as client:
        await client.chat.completions.create(messages=MESSAGES)
    assert len(server.requests) == 2
    assert server.connections == 1


def test_the_drain_is_bounded_by_size(loopback: Start) -> None:
    """A body far past the drain limit is not read: its connection is dropped instead."""
    huge = Answer(503, {"content-type": "text/plain"}, b"x" * (4 * 1024 * 1024))
    server = loopback(_script(huge, json_answer(200, chat_completion())))
    with client_for(server) as client:
        client.chat.completions.create(messages=MESSAGES)
    assert len(server.requests) == 2
    assert server.connections == 2


def test_the_drain_is_bounded_in_time(loopback: Start) -> None:
    """An error body that stalls is not waited for up to the read timeout before the retry."""
    stalled = Answer(503, {"content-type": "text/plain"}, b"partial", declared_length=100, stall=30)
    server = loopback(_script(stalled, json_answer(200, chat_completion())))
    started = time.monotonic()
    with client_for(server, timeout=httpx.Timeout(60.0)) as client:
        client.chat.completions.create(messages=MESSAGES)
    # Far below the 30 s stall and the 60 s read timeout: the drain gave up after about 1 s.
    assert time.monotonic() - started < 20
    assert server.connections == 2


def test_the_request_keeps_its_read_timeout_after_a_drain(loopback: Start) -> None:
    """The drain shortens the read timeout only while it drains: the retry waits as long as
    the caller allows."""
    slow_ok = Answer(
        200,
        {"content-type": "application/json"},
        b"",
        stall=1.5,
        stall_before_body=True,
    )
    ok_body = json_answer(200, chat_completion()).body
    slow_ok.body = ok_body
    server = loopback(_script(_throttled(), slow_ok))
    with client_for(server, timeout=httpx.Timeout(10.0)) as client:
        reply = client.chat.completions.create(messages=MESSAGES)
    assert reply.id == "chatcmpl-1"
    assert len(server.requests) == 2


def test_the_final_error_body_is_read_whole(loopback: Start) -> None:
    server = loopback(_script(json_answer(429, error_payload("429", "slow down"))))
    with client_for(server, max_retries=1) as client, pytest.raises(RateLimitError) as info:
        client.chat.completions.create(messages=MESSAGES)
    assert info.value.message == "slow down"
    assert server.connections == 1
