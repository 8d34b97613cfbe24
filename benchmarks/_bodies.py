"""Response bodies the benchmarks share, shaped like Azure's (content filter results included)."""

from __future__ import annotations

from typing import Any

FILTERS = {
    "hate": {"filtered": False, "severity": "safe"},
    "self_harm": {"filtered": False, "severity": "safe"},
    "sexual": {"filtered": False, "severity": "safe"},
    "violence": {"filtered": False, "severity": "safe"},
}
"""A choice's (or a prompt's) ``content_filter_results``: nothing filtered."""


def chat_chunk(content: str) -> dict[str, Any]:
    """One streamed chat completion chunk carrying ``content``."""
    return {
        "id": "chatcmpl-9bench",
        "object": "chat.completion.chunk",
        "created": 1718000000,
        "model": "gpt-4o-2024-05-13",
        "system_fingerprint": "fp_abc123",
        "choices": [
            {
                "index": 0,
                "delta": {"content": content},
                "finish_reason": None,
                "content_filter_results": FILTERS,
            }
        ],
    }
