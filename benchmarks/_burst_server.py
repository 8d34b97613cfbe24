"""A minimal HTTP/1.1 keep-alive server for the burst benchmark, run in its own process.

``python -m benchmarks._burst_server DELAY_MS`` listens on 127.0.0.1, prints its port, and
answers every request with one chat completion after ``DELAY_MS`` (the service's time).
``GET /__stats`` answers ``{"connections": <accepted so far>, "requests": <served so far>}``.
A process of its own, so that the client being measured does not share its interpreter.
"""

from __future__ import annotations

import asyncio
import json
import sys

COMPLETION = json.dumps(
    {
        "id": "chatcmpl-burst",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "Hello!"},
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
    }
).encode()


class Counters:
    connections = 0
    requests = 0


def _response(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        f"apim-request-id: burst\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    Counters.connections += 1
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            if head.startswith(b"GET /__stats"):
                stats = {"connections": Counters.connections, "requests": Counters.requests}
                writer.write(_response(json.dumps(stats).encode()))
            else:
                Counters.requests += 1
                await asyncio.sleep(delay)
                writer.write(_response(COMPLETION))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(delay_ms: float) -> None:
    server = await asyncio.start_server(
        lambda r, w: _serve(r, w, delay_ms / 1000), "127.0.0.1", 0, backlog=4096
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1])))
