"""An in-memory Azure OpenAI for testing your app without a live resource.

>>> from azure_oai_preview.testing import Emulator
>>> emulator = Emulator()
>>> client = emulator.client(deployment="gpt-4o")
>>> client.chat.completions.create(messages=[{"role": "user", "content": "hi"}]).choices[0].message.content
'You said: "hi"'

Three ways in: in-process clients (:meth:`Emulator.client`, :meth:`Emulator.async_client`),
the ``azure_openai_emulator`` pytest fixture (a fresh emulator per test), and a real server
(:meth:`Emulator.serve`, or ``python -m azure_oai_preview.testing serve``; needs the
``testing`` extra). See docs/testing.md.

Importing this package costs nothing until a name is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._behaviour import arguments_from_schema as arguments_from_schema
    from ._behaviour import default_reply as default_reply
    from ._catalogue import DEFAULT_DEPLOYMENTS as DEFAULT_DEPLOYMENTS
    from ._catalogue import DEFAULT_MODELS as DEFAULT_MODELS
    from ._catalogue import Capability as Capability
    from ._catalogue import Catalogue as Catalogue
    from ._catalogue import Deployment as Deployment
    from ._catalogue import DeploymentKind as DeploymentKind
    from ._catalogue import ModelCatalogue as ModelCatalogue
    from ._catalogue import ModelInfo as ModelInfo
    from ._emulator import DEFAULT_ENDPOINT as DEFAULT_ENDPOINT
    from ._emulator import Emulator as Emulator
    from ._faults import Faults as Faults
    from ._filters import ContentFilters as ContentFilters
    from ._ids import Clock as Clock
    from ._script import Reply as Reply
    from ._script import Responder as Responder
    from ._script import RunFailure as RunFailure
    from ._script import Script as Script
    from ._script import ToolCall as ToolCall
    from ._script import ToolOutput as ToolOutput
    from ._script import Turn as Turn
    from ._server import EmulatorServer as EmulatorServer
    from ._state import State as State
    from ._state import StoredFile as StoredFile
    from ._transport import AsyncEmulatorTransport as AsyncEmulatorTransport
    from ._transport import EmulatorTransport as EmulatorTransport
    from ._wire import EmulatedRequest as EmulatedRequest
    from ._wire import EmulatedResponse as EmulatedResponse
    from ._world import Exchange as Exchange
    from ._world import Progress as Progress

_EXPORTS = {
    "arguments_from_schema": "_behaviour",
    "default_reply": "_behaviour",
    "DEFAULT_DEPLOYMENTS": "_catalogue",
    "DEFAULT_MODELS": "_catalogue",
    "Capability": "_catalogue",
    "Catalogue": "_catalogue",
    "Deployment": "_catalogue",
    "DeploymentKind": "_catalogue",
    "ModelCatalogue": "_catalogue",
    "ModelInfo": "_catalogue",
    "DEFAULT_ENDPOINT": "_emulator",
    "Emulator": "_emulator",
    "Faults": "_faults",
    "ContentFilters": "_filters",
    "Clock": "_ids",
    "Reply": "_script",
    "Responder": "_script",
    "RunFailure": "_script",
    "Script": "_script",
    "ToolCall": "_script",
    "ToolOutput": "_script",
    "Turn": "_script",
    "EmulatorServer": "_server",
    "State": "_state",
    "StoredFile": "_state",
    "AsyncEmulatorTransport": "_transport",
    "EmulatorTransport": "_transport",
    "EmulatedRequest": "_wire",
    "EmulatedResponse": "_wire",
    "Exchange": "_world",
    "Progress": "_world",
}

__all__ = [
    "AsyncEmulatorTransport",
    "Capability",
    "Catalogue",
    "Clock",
    "ContentFilters",
    "DEFAULT_DEPLOYMENTS",
    "DEFAULT_ENDPOINT",
    "DEFAULT_MODELS",
    "Deployment",
    "DeploymentKind",
    "EmulatedRequest",
    "EmulatedResponse",
    "Emulator",
    "EmulatorServer",
    "EmulatorTransport",
    "Exchange",
    "Faults",
    "ModelCatalogue",
    "ModelInfo",
    "Progress",
    "Reply",
    "Responder",
    "RunFailure",
    "Script",
    "State",
    "StoredFile",
    "ToolCall",
    "ToolOutput",
    "Turn",
    "arguments_from_schema",
    "default_reply",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
