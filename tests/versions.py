"""The api-versions the tests name, in one place.

Tests never spell the default api-version out: they follow the pin marked ``default = true``
(and the generated ``API_VERSION``), so that switching the default (``python -m codegen default
<version>``, then ``generate``) needs no test edit. The upgrade drill (``nox -s upgrade-drill``)
does exactly that and runs every test.

The other constants name pinned data by what the tests need it for; they stay true whichever
version is the default.
"""

from __future__ import annotations

from azure_oai_preview.models._manifest import API_VERSION as GENERATED_VERSION
from codegen.pins import default_version, load_pins

DEFAULT_VERSION: str = default_version()
"""The pin marked ``default = true``: what ``python -m codegen generate`` builds."""

API_VERSION: str = GENERATED_VERSION
"""What the client sends when no version is configured: the generated manifest's
``API_VERSION`` (equal to ``DEFAULT_VERSION`` while ``generate --check`` passes)."""

EXAMPLES_VERSION = "2024-05-01-preview"
"""The version whose example files the spec mirror has (``<mirror>/<version>/examples/``), and
that pins its own authoring document (with ``authoring-examples/``). Tests that read example
files, or the authoring document as upstream ships it, use this version."""

NEXT_VERSION = "2024-07-01-preview"
"""The preview after ``EXAMPLES_VERSION``: adds ``stream_options``, requires ``type`` and
``function`` of a named tool choice, ships no examples, reuses the authoring document."""

GA_VERSION = "2024-06-01"
"""The GA version: inference only (its pin declares the authoring document absent)."""

ALL_VERSIONS: tuple[str, ...] = tuple(pin.api_version for pin in load_pins())
"""Every pinned version."""
