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
    )
    from ._assistant_stream import (
        AssistantStream as AssistantStream,
    )
    from ._assistant_stream import (
        AssistantStreamEvent as AssistantStreamEvent,
    )
    from ._assistant_stream import (
        AsyncAssistantEventHandler as AsyncAssistantEventHandler,
    )
    from ._assistant_stream import (
        AsyncAssistantStream as AsyncAssistantStream,
    )
    from ._assistant_stream import (
        UnknownStreamEvent as UnknownStreamEvent,
    )
    from ._binary import (
        AsyncBinaryResponse as AsyncBinaryResponse,
    )
    from ._binary import (
        BinaryResponse as BinaryResponse,
    )
    from ._chat_stream import (
        AsyncChatCompletionStream as AsyncChatCompletionStream,
    )
    from ._chat_stream import (
        ChatCompletionAccumulator as ChatCompletionAccumulator,
    )
    from ._chat_stream import (
        ChatCompletionStream as ChatCompletionStream,
    )
    from ._client import (
        DEFAULT_TIMEOUT as DEFAULT_TIMEOUT,
    )
    from ._client import (
        AsyncAzureOpenAI as AsyncAzureOpenAI,
    )
    from ._client import (
        AzureOpenAI as AzureOpenAI,
    )
    from ._deviations import (
        MISSING as MISSING,
    )
    from ._deviations import (
        Deviation as Deviation,
    )
    from ._deviations import (
        deviations as deviations,
    )
    from ._exceptions import (
        APIConnectionError as APIConnectionError,
    )
    from ._exceptions import (
        APIResponseValidationError as APIResponseValidationError,
    )
    from ._exceptions import (
        APIStatusError as APIStatusError,
    )
    from ._exceptions import (
        APIStreamError as APIStreamError,
    )
    from ._exceptions import (
        APITimeoutError as APITimeoutError,
    )
    from ._exceptions import (
        APIVersionWarning as APIVersionWarning,
    )
    from ._exceptions import (
        AuthenticationError as AuthenticationError,
    )
    from ._exceptions import (
        AzureOpenAIError as AzureOpenAIError,
    )
    from ._exceptions import (
        BadRequestError as BadRequestError,
    )
    from ._exceptions import (
        ConflictError as ConflictError,
    )
    from ._exceptions import (
        ContentFilterError as ContentFilterError,
    )
    from ._exceptions import (
        CredentialError as CredentialError,
    )
    from ._exceptions import (
        IncompleteStreamError as IncompleteStreamError,
    )
    from ._exceptions import (
        InternalServerError as InternalServerError,
    )
    from ._exceptions import (
        InvalidRequestError as InvalidRequestError,
    )
    from ._exceptions import (
        NotFoundError as NotFoundError,
    )
    from ._exceptions import (
        PermissionDeniedError as PermissionDeniedError,
    )
    from ._exceptions import (
        RateLimitError as RateLimitError,
    )
    from ._exceptions import (
        UnprocessableEntityError as UnprocessableEntityError,
    )
    from ._files import (
        FileInput as FileInput,
    )
    from ._pagination import (
        AsyncCursorPage as AsyncCursorPage,
    )
    from ._pagination import (
        CursorPage as CursorPage,
    )
    from ._polling import (
        PollTimeoutError as PollTimeoutError,
    )
    from ._streaming import (
        AsyncStream as AsyncStream,
    )
    from ._streaming import (
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
            "APIVersionWarning",
            "AuthenticationError",
            "AzureOpenAIError",
            "BadRequestError",
            "ConflictError",
            "ContentFilterError",
            "CredentialError",
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
    "APIVersionWarning",
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
    "CredentialError",
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
