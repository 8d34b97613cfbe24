"""Shared fixtures for the unit tests: clients wired to respx, and a clock that never sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx
from _support import Clock

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI

ENDPOINT = "https://example-resource.openai.azure.com"
BASE_URL = ENDPOINT + "/openai"
# Distinctive so that tests can assert it never shows up in reprs, logs or errors.
API_KEY = "sk-test-4f1c9a7e-never-print-me"


@pytest.fixture
def mock_api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Records retry sleeps instead of sleeping (sync and async)."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("azure_oai_preview._transport.time.sleep", recorded.append)
    # The async client imports anyio when it sleeps: patch the module itself.
    monkeypatch.setattr("anyio.sleep", fake_async_sleep)
    return recorded


@pytest.fixture
def client(mock_api: respx.MockRouter, sleeps: list[float]) -> Iterator[AzureOpenAI]:
    with AzureOpenAI(endpoint=ENDPOINT, api_key=API_KEY, deployment="gpt-4o") as c:
        yield c


@pytest.fixture
async def async_client(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> AsyncIterator[AsyncAzureOpenAI]:
    async with AsyncAzureOpenAI(endpoint=ENDPOINT, api_key=API_KEY, deployment="gpt-4o") as c:
        yield c


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, sleeps: list[float]) -> Clock:
    """The polling helpers' clock (``_polling`` and ``_lro``), faked: see :class:`Clock`."""
    # Depends on `sleeps` so that this patch of time.sleep / anyio.sleep comes after the
    # client fixture's one and wins for the duration of the test.
    fake = Clock()
    monkeypatch.setattr("azure_oai_preview._polling._now", lambda: fake.now)
    monkeypatch.setattr("azure_oai_preview._lro._now", lambda: fake.now)
    monkeypatch.setattr("azure_oai_preview._polling.time.sleep", fake.sleep)
    monkeypatch.setattr("anyio.sleep", fake.async_sleep)  # the async drivers import anyio lazily
    return fake
