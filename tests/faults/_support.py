"""Secrets, payloads and clients shared by the fault tests."""

from __future__ import annotations

from typing import Any

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI

from ._server import LoopbackServer

# Distinctive, so that a test can look for them anywhere.
API_KEY = "sk-fault-0c4e7b1d-never-print-me"
TOKEN = "eyJ0eXAiOiJKV1Qi.fault-bearer-secret-5a9e"
APIM_KEY = "apim-subscription-secret-77f2"
SECRETS = (API_KEY, TOKEN, APIM_KEY)
MESSAGES: list[dict[str, Any]] = [{"role": "user", "content": "hi"}]


def chat_completion(content: str = "Hello!") -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
    }


def error_payload(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def client_for(server: LoopbackServer, **options: Any) -> AzureOpenAI:
    options.setdefault("api_key", API_KEY)
    return AzureOpenAI(
        endpoint=server.origin, deployment="gpt-4o", allow_insecure_http=True, **options
    )


def async_client_for(server: LoopbackServer, **options: Any) -> AsyncAzureOpenAI:
    options.setdefault("api_key", API_KEY)
    return AsyncAzureOpenAI(
        endpoint=server.origin, deployment="gpt-4o", allow_insecure_http=True, **options
    )
