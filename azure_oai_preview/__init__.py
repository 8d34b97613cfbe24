"""Typed client for the Azure OpenAI preview data-plane API.

>>> from azure_oai_preview import AzureOpenAI
>>> client = AzureOpenAI(endpoint="https://myres.openai.azure.com", api_key="...")

Importing this package is cheap: names are loaded on first use, and the generated models
(``azure_oai_preview.models``) build their validators only when first needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from . import models
    from ._assistant_stream import (
        AssistantEventHandler,
        AssistantStream,
        AssistantStreamEvent,
        AsyncAssistantEventHandler,
        AsyncAssistantStream,
        UnknownStreamEvent,
    )
    from ._binary import AsyncBinaryResponse, BinaryResponse
    from ._chat_stream import AsyncChatCompletionStream, ChatCompletionAccumulator, ChatCompletionStream
    from ._client import DEFAULT_TIMEOUT, AsyncAzureOpenAI, AzureOpenAI
    from ._deviations import MISSING, Deviation, deviations
    from ._exceptions import (
        APIConnectionError,
        APIResponseValidationError,
        APIStatusError,
        APIStreamError,
        APITimeoutError,
        AuthenticationError,
        AzureOpenAIError,
        BadRequestError,
        ConflictError,
        ContentFilterError,
        IncompleteStreamError,
        InternalServerError,
        InvalidRequestError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        UnprocessableEntityError,
    )
    from ._files import FileInput
    from ._pagination import AsyncCursorPage, CursorPage
    from ._polling import PollTimeoutError
    from ._streaming import AsyncStream, Stream
    from ._transport import RawResponse

_EXPORTS: dict[str, str] = {
    "AzureOpenAI": "._client",
    "AsyncAzureOpenAI": "._client",
    "DEFAULT_TIMEOUT": "._client",
    "RawResponse": "._transport",
    "Stream": "._streaming",
    "AsyncStream": "._streaming",
    "ChatCompletionStream": "._chat_stream",
    "AsyncChatCompletionStream": "._chat_stream",
    "ChatCompletionAccumulator": "._chat_stream",
    "AssistantStream": "._assistant_stream",
    "AsyncAssistantStream": "._assistant_stream",
    "AssistantEventHandler": "._assistant_stream",
    "AsyncAssistantEventHandler": "._assistant_stream",
    "AssistantStreamEvent": "._assistant_stream",
    "UnknownStreamEvent": "._assistant_stream",
    "PollTimeoutError": "._polling",
    "CursorPage": "._pagination",
    "AsyncCursorPage": "._pagination",
    "BinaryResponse": "._binary",
    "AsyncBinaryResponse": "._binary",
    "FileInput": "._files",
    "Deviation": "._deviations",
    "deviations": "._deviations",
    "MISSING": "._deviations",
    "models": ".models",
    **{
        name: "._exceptions"
        for name in (
            "APIConnectionError",
            "APIResponseValidationError",
            "APIStatusError",
            "APIStreamError",
            "APITimeoutError",
            "AuthenticationError",
            "AzureOpenAIError",
            "BadRequestError",
            "ConflictError",
            "ContentFilterError",
            "IncompleteStreamError",
            "InternalServerError",
            "InvalidRequestError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "UnprocessableEntityError",
        )
    },
}

__all__ = ["__version__", *sorted(_EXPORTS)]  # pyright: ignore[reportUnsupportedDunderAll]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'azure_oai_preview' has no attribute {name!r}")
    module = importlib.import_module(module_name, __name__)
    value = module if name == "models" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
