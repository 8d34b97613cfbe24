"""Functions run in a worker process (``ProcessPoolExecutor``): importable by name."""

from __future__ import annotations

from azure_oai_preview import AzureOpenAI

from ._support import API_KEY, MESSAGES


def call_chat(origin: str, deployment: str) -> str:
    """One chat call against ``origin``, without retries: whatever it raises goes to the parent."""
    with AzureOpenAI(
        endpoint=origin,
        api_key=API_KEY,
        deployment=deployment,
        allow_insecure_http=True,
        max_retries=0,
    ) as client:
        reply = client.chat.completions.create(messages=MESSAGES)
    return reply.id
