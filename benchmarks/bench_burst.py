"""Connection pool under a burst (issue 15, item 11): 1,000 concurrent async chat calls.

Against a real HTTP/1.1 server on 127.0.0.1 in another process (``_burst_server``), which
takes ``DELAY_MS`` per request as the service would. For each contender, a fresh client
makes a cold burst (its pool starts empty) and then a warm one; the table gives the wall
time, throughput, p50/p99 latency of a call and the TCP connections the server accepted.
Contenders: azure-oai-preview with its default pool (``DEFAULT_CONNECTION_LIMITS``), the same
on httpx's default limits (what the fault pass measured), and openai-python with its own.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

from ._harness import API_KEY, API_VERSION

CALLS = 1000
DELAY_MS = 20.0
MESSAGES = [{"role": "user", "content": "hi"}]


@dataclass(frozen=True)
class BurstRow:
    contender: str
    burst: str
    seconds: float
    p50: float
    p99: float
    connections: int

    @property
    def throughput(self) -> float:
        return CALLS / self.seconds


class BurstServer:
    """The server process; stopped on exit whatever happens."""

    def __enter__(self) -> BurstServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._burst_server", str(DELAY_MS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.origin = f"http://127.0.0.1:{int(self.process.stdout.readline())}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def connections(self) -> int:
        return int(httpx.get(self.origin + "/__stats").json()["connections"])


async def _burst(call: Callable[[], Awaitable[Any]]) -> tuple[float, list[float]]:
    latencies: list[float] = []

    async def one() -> None:
        start = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    async with anyio.create_task_group() as group:
        for _ in range(CALLS):
            group.start_soon(one)
    return time.perf_counter() - start, latencies


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def _measure(server: BurstServer, contender: str, make: Callable[[], Any]) -> list[BurstRow]:
    rows: list[BurstRow] = []
    client, call = make()
    async with client:
        for burst in ("cold", "warm"):
            before = server.connections()
            seconds, latencies = await _burst(call)
            rows.append(
                BurstRow(
                    contender,
                    burst,
                    seconds,
                    statistics.median(latencies),
                    _percentile(latencies, 0.99),
                    server.connections() - before - 1,  # not the /__stats request itself
                )
            )
    return rows


def _ours(origin: str, http_client: httpx.AsyncClient | None = None) -> Any:
    from azure_oai_preview import AsyncAzureOpenAI

    client = AsyncAzureOpenAI(
        endpoint=origin,
        api_key=API_KEY,
        deployment="gpt-4o",
        allow_insecure_http=True,
        max_retries=0,
        http_client=http_client,
    )

    async def call() -> Any:
        return await client.chat.completions.create(messages=MESSAGES)

    return client, call


def _openai(origin: str) -> Any:
    import openai

    client = openai.AsyncAzureOpenAI(
        azure_endpoint=origin, api_key=API_KEY, api_version=API_VERSION, max_retries=0
    )

    async def call() -> Any:
        return await client.chat.completions.create(model="gpt-4o", messages=MESSAGES)  # type: ignore[arg-type]

    return client, call


async def _run() -> list[BurstRow]:
    rows: list[BurstRow] = []
    with BurstServer() as server:
        rows += await _measure(server, "azure-oai-preview", lambda: _ours(server.origin))
        rows += await _measure(
            server,
            "azure-oai-preview, httpx default limits",
            lambda: _ours(server.origin, httpx.AsyncClient()),
        )
        rows += await _measure(server, "openai-python", lambda: _openai(server.origin))
    return rows


def run() -> list[BurstRow]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return anyio.run(_run)


def main() -> None:
    rows = run()
    print(
        f"\n## Connection pool under a burst (issue 15): {CALLS:,} concurrent async chat calls, "
        f"loopback server taking {DELAY_MS:g} ms per request\n"
    )
    print(
        "| contender | burst | wall time | calls/s | p50 latency | p99 latency | TCP connections |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row.contender} | {row.burst} | {row.seconds * 1000:.0f} ms | {row.throughput:,.0f} "
            f"| {row.p50 * 1000:.0f} ms | {row.p99 * 1000:.0f} ms | {row.connections} |"
        )
    print(json.dumps({"calls": CALLS, "delay_ms": DELAY_MS}))


if __name__ == "__main__":
    main()
