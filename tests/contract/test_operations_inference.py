"""Inference operations (chat, completions, embeddings, audio, images) against the static mock.

Each entry of the call table (``_calls.CALLS``) runs through ``AzureOpenAI`` and
``AsyncAzureOpenAI``: first through ``with_raw_response`` (HTTP 200, then ``parse()``), then
through the plain method. Both results must be the documented type, and Prism must find
nothing wrong with the request (the ``violations`` fixture fails the test otherwise).
"""

from __future__ import annotations

import httpx
import pytest

from azure_oai_preview import UnprocessableEntityError

from ._calls import (
    INFERENCE,
    WAV,
    WHISPER,
    OperationCall,
    async_client,
    calls_in,
    contract_report,  # noqa: F401 - autouse: prints deviations in the terminal summary
    run_async,
    run_sync,
    sync_client,
)
from .harness import PrismServer, ViolationRecorder

pytestmark = pytest.mark.contract


@pytest.mark.parametrize("call", calls_in(INFERENCE))
def test_sync(
    call: OperationCall,
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    run_sync(call, sync_client(prism_server, contract_http_client), prism_server, violations)


@pytest.mark.parametrize("call", calls_in(INFERENCE))
async def test_async(
    call: OperationCall,
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    client = async_client(prism_server, contract_async_http_client)
    await run_async(call, client, prism_server, violations)


# --------------------------------------------------------------------------- a mock limitation

GRANULARITY_LIMITATION = "Request body property timestamp_granularities[] must be array"


def _granularity_parts(request: httpx.Request) -> list[bytes]:
    """The values of the ``timestamp_granularities[]`` parts of a multipart request."""
    body = request.read()
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    values = []
    for part in body.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        if b'name="timestamp_granularities[]"' in head:
            values.append(value.removesuffix(b"\r\n"))
    return values


def test_timestamp_granularities_is_sent_as_repeated_parts(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    """The SDK sends the array as OpenAPI's default multipart encoding (one part per item,
    as the service expects); Prism keeps only the last part of a repeated field, as a
    string, so it cannot accept any array here. Exactly that one complaint is expected."""
    sent: list[httpx.Request] = []
    contract_http_client.event_hooks["request"].append(sent.append)
    client = sync_client(prism_server, contract_http_client)
    with violations.expect() as caught, pytest.raises(UnprocessableEntityError):
        client.audio.transcriptions.create(
            deployment=WHISPER,
            file=("meeting.wav", WAV, "audio/wav"),
            response_format="verbose_json",
            timestamp_granularities=["word", "segment"],
        )
    assert caught.messages() == [GRANULARITY_LIMITATION]
    assert _granularity_parts(sent[-1]) == [b"word", b"segment"]


async def test_timestamp_granularities_is_sent_as_repeated_parts_async(
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    sent: list[httpx.Request] = []

    async def keep(request: httpx.Request) -> None:
        sent.append(request)

    contract_async_http_client.event_hooks["request"].append(keep)
    client = async_client(prism_server, contract_async_http_client)
    with violations.expect() as caught, pytest.raises(UnprocessableEntityError):
        await client.audio.transcriptions.create(
            deployment=WHISPER,
            file=("meeting.wav", WAV, "audio/wav"),
            response_format="verbose_json",
            timestamp_granularities=["word"],
        )
    assert caught.messages() == [GRANULARITY_LIMITATION]
    assert _granularity_parts(sent[-1]) == [b"word"]
