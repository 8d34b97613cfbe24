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
    from . import models as models
    from ._assistant_stream import (
        AssistantEventHandler as AssistantEventHandler,
        AssistantStream as AssistantStream,
        AssistantStreamEvent as AssistantStreamEvent,
        AsyncAssistantEventHandler as AsyncAssistantEventHandler,
        AsyncAssistantStream as AsyncAssistantStream,
        UnknownStreamEvent as UnknownStreamEvent,
    )
    from ._binary import (
        AsyncBinaryResponse as AsyncBinaryResponse,
        BinaryResponse as BinaryResponse,
    )
    from ._chat_stream import (
        AsyncChatCompletionStream as AsyncChatCompletionStream,
        ChatCompletionAccumulator as ChatCompletionAccumulator,
        ChatCompletionStream as ChatCompletionStream,
    )
    from ._client import (
        DEFAULT_TIMEOUT as DEFAULT_TIMEOUT,
        AsyncAzureOpenAI as AsyncAzureOpenAI,
        AzureOpenAI as AzureOpenAI,
    )
    from ._deviations import (
        MISSING as MISSING,
        Deviation as Deviation,
        deviations as deviations,
    )
    from ._exceptions import (
        APIConnectionError as APIConnectionError,
        APIResponseValidationError as APIResponseValidationError,
        APIStatusError as APIStatusError,
        APIStreamError as APIStreamError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        AzureOpenAIError as AzureOpenAIError,
        BadRequestError as BadRequestError,
        ConflictError as ConflictError,
        ContentFilterError as ContentFilterError,
        IncompleteStreamError as IncompleteStreamError,
        InternalServerError as InternalServerError,
        InvalidRequestError as InvalidRequestError,
        NotFoundError as NotFoundError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        UnprocessableEntityError as UnprocessableEntityError,
    )
    from ._files import (
        FileInput as FileInput,
    )
    from ._pagination import (
        AsyncCursorPage as AsyncCursorPage,
        CursorPage as CursorPage,
    )
    from ._polling import (
        PollTimeoutError as PollTimeoutError,
    )
    from ._streaming import (
        AsyncStream as AsyncStream,
        Stream as Stream,
    )
    from ._transport import (
        RawResponse as RawResponse,
    )

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

__all__ = [
    "__version__",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AssistantEventHandler",
    "AssistantStream",
    "AssistantStreamEvent",
    "AsyncAssistantEventHandler",
    "AsyncAssistantStream",
    "AsyncAzureOpenAI",
    "AsyncBinaryResponse",
    "AsyncChatCompletionStream",
    "AsyncCursorPage",
    "AsyncStream",
    "AuthenticationError",
    "AzureOpenAI",
    "AzureOpenAIError",
    "BadRequestError",
    "BinaryResponse",
    "ChatCompletionAccumulator",
    "ChatCompletionStream",
    "ConflictError",
    "ContentFilterError",
    "CursorPage",
    "DEFAULT_TIMEOUT",
    "Deviation",
    "FileInput",
    "IncompleteStreamError",
    "InternalServerError",
    "InvalidRequestError",
    "MISSING",
    "NotFoundError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "RawResponse",
    "Stream",
    "UnknownStreamEvent",
    "UnprocessableEntityError",
    "deviations",
    "models",
]


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
