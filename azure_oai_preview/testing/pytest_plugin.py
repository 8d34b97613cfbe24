"""pytest plugin: the ``azure_openai_emulator`` fixture.

Registered automatically (a ``pytest11`` entry point) when azure-oai-preview is installed;
importing it costs nothing, the emulator is imported when a test asks for the fixture.
Each test gets a fresh :class:`~azure_oai_preview.testing.Emulator`::

    def test_reply(azure_openai_emulator):
        azure_openai_emulator.script.reply("Paris.")
        client = azure_openai_emulator.client(deployment="gpt-4o")
        ...

Options for the emulator come from the ``azure_openai_emulator`` marker:
``@pytest.mark.azure_openai_emulator(progress="manual", api_key="k")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._emulator import Emulator

__all__ = ["azure_openai_emulator"]

_MARKER = "azure_openai_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): keyword arguments for the {_MARKER} fixture's Emulator",
    )


@pytest.fixture
def azure_openai_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A fresh in-memory Azure OpenAI for this test (``emulator.client()`` for a client)."""
    from ._emulator import Emulator

    marker = request.node.get_closest_marker(_MARKER)
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    emulator = Emulator(**options)
    yield emulator
    emulator.reset()
