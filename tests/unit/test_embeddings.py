"""Embeddings in both wire formats: floats, and base64 (typed, no deviation, decodable)."""

from __future__ import annotations

import base64
import logging
import struct
from typing import Any

import pytest
import respx
from _support import request_json

from azure_oai_preview import (
    AsyncAzureOpenAI,
    AzureOpenAI,
    InvalidRequestError,
    decode_embedding,
    deviations,
)
from azure_oai_preview.models import EmbeddingsCreateResponse, EmbeddingsEncodingFormat

EMBEDDINGS = "/deployments/gpt-4o/embeddings"
# float32-exact values, so the float and base64 forms of a vector are the same numbers.
VECTORS = [[0.5, -0.25, 1.0, 3.0], [-2.0, 0.125, 0.0, 1024.0]]


def packed(vector: list[float], order: str = "<") -> str:
    return base64.b64encode(struct.pack(f"{order}{len(vector)}f", *vector)).decode()


def reply(embeddings: list[Any]) -> dict[str, Any]:
    return {
        "object": "list",
        "model": "text-embedding-3-small",
        "data": [
            {"object": "embedding", "index": i, "embedding": e} for i, e in enumerate(embeddings)
        ],
        "usage": {"prompt_tokens": 4, "total_tokens": 4},
    }


def test_base64_embeddings_are_typed_strings_without_deviation(
    client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    strings = [packed(v) for v in VECTORS]
    route = mock_api.post(EMBEDDINGS).respond(200, json=reply(strings))

    with caplog.at_level(logging.WARNING, logger="azure_oai_preview"):
        result = client.embeddings.create(input=["a", "b"], encoding_format="base64")

    assert request_json(route.calls.last.request) == {
        "input": ["a", "b"],
        "encoding_format": "base64",
    }
    assert isinstance(result, EmbeddingsCreateResponse)
    assert [item.embedding for item in result.data] == strings
    assert deviations(result) == ()
    assert not [r for r in caplog.records if "deviates" in r.getMessage()]
    assert [decode_embedding(item.embedding) for item in result.data] == VECTORS


async def test_base64_embeddings_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(EMBEDDINGS).respond(200, json=reply([packed(VECTORS[1])]))

    result = await async_client.embeddings.create(
        input="b", encoding_format=EmbeddingsEncodingFormat.BASE64
    )

    assert isinstance(result.data[0].embedding, str)
    assert deviations(result) == ()
    assert decode_embedding(result.data[0].embedding) == VECTORS[1]


def test_float_embeddings_stay_lists_and_decode_to_themselves(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(EMBEDDINGS).respond(200, json=reply(VECTORS))

    result = client.embeddings.create(input=["a", "b"], encoding_format="float")

    first = result.data[0].embedding
    assert first == VECTORS[0]
    assert all(isinstance(x, float) for x in first)
    assert decode_embedding(first) is first  # a list is returned as is, not copied
    assert deviations(result) == ()


async def test_float_embeddings_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(EMBEDDINGS).respond(200, json=reply(VECTORS))
    result = await async_client.embeddings.create(input=["a", "b"])
    assert [decode_embedding(item.embedding) for item in result.data] == VECTORS


def test_an_unknown_encoding_format_fails_before_any_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(EMBEDDINGS).respond(200, json=reply(VECTORS))
    with pytest.raises(InvalidRequestError) as raised:
        client.embeddings.create(input="a", encoding_format="b64")  # type: ignore[arg-type]
    assert [path for path, _ in raised.value.problems] == ["encoding_format"]
    assert not route.called


def test_an_embedding_that_is_neither_form_is_still_a_deviation(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = reply([{"values": [1.0]}])
    mock_api.post(EMBEDDINGS).respond(200, json=body)
    result = client.embeddings.create(input="a")
    assert result.data[0].embedding == {"values": [1.0]}
    assert [d.location for d in deviations(result)] == ["data.0.embedding"]


# -- decode_embedding -----------------------------------------------------------------------------


def test_decode_is_little_endian_float32_whatever_the_host() -> None:
    vector = [1.5, -3.25, 7.0]
    assert decode_embedding(packed(vector, "<")) == vector
    # The same bytes read big-endian would be different numbers: the order is fixed, not native.
    assert decode_embedding(packed(vector, ">")) != vector


def test_decode_gives_the_float32_values_as_python_floats() -> None:
    (nearest,) = struct.unpack("<f", struct.pack("<f", 0.1))
    assert decode_embedding(packed([0.1])) == [nearest]
    assert nearest != 0.1


def test_decode_of_a_realistic_vector_matches_the_float_form() -> None:
    floats = [((i * 7919) % 2001 - 1000) / 1024 for i in range(1536)]  # exact in float32
    assert decode_embedding(packed(floats)) == floats
    assert decode_embedding(tuple(floats)) == floats


def test_decode_of_an_empty_vector() -> None:
    assert decode_embedding("") == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not base64!", "not valid base64"),
        (base64.b64encode(b"\x00\x00\x80").decode(), "3 bytes"),
    ],
)
def test_decode_rejects_what_is_not_float32_base64(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_embedding(value)
