"""One model turn, from prompt check to the text or tool calls sent back.

Shared by chat completions, legacy completions and assistant runs: the prompt goes through
the content filter, the script (or the default rules) answers, ``max_tokens`` cuts the
text (``finish_reason: length``), JSON mode wraps it, and the output filter may cut it
(``finish_reason: content_filter``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ._behaviour import count_tokens, json_reply, truncate
from ._errors import ServiceError
from ._script import RunFailure, ToolCall, Turn
from ._world import World

__all__ = ["Generation", "check_prompt", "generate", "run_failure_error"]


@dataclass(frozen=True)
class Generation:
    text: str | None
    tool_calls: tuple[ToolCall, ...]
    finish_reason: str
    filter_results: dict[str, Any]
    completion_tokens: int


def check_prompt(world: World, text: str) -> list[dict[str, Any]]:
    """``prompt_filter_results`` for ``text``; raises the 400 ``content_filter`` if blocked."""
    results, blocked = world.filters.check_prompt(text)
    if blocked is not None:
        raise world.filters.prompt_blocked_error(results)
    return [{"prompt_index": 0, "content_filter_results": results}]


def generate(
    world: World, turn: Turn, *, max_tokens: int | None = None, json_mode: bool = False
) -> Generation | RunFailure:
    answer = world.answer(turn)
    if isinstance(answer, RunFailure):
        return answer
    calls = tuple(
        call if call.id else replace(call, id=world.ids.new("call_")) for call in answer.tool_calls
    )
    text = answer.content
    finish = answer.finish_reason or ("tool_calls" if calls else "stop")
    if text is not None and json_mode and not calls:
        text = json_reply(text)
    if text is not None and max_tokens is not None:
        text, cut = truncate(text, max_tokens)
        if cut:
            finish = "length"
    results: dict[str, Any]
    text_out, results, filtered = world.filters.check_completion(text or "")
    if filtered:
        text, finish = text_out, "content_filter"
    tokens = count_tokens(text or "") + sum(
        count_tokens(call.name) + count_tokens(call.arguments_json()) for call in calls
    )
    return Generation(text, calls, finish, results, tokens)


def run_failure_error(failure: RunFailure) -> ServiceError:
    """A scripted run failure met outside a run: the service's 500 (or 429)."""
    status = 429 if failure.code == "rate_limit_exceeded" else 500
    return ServiceError(status, failure.code, failure.message)


def prompt_tokens(turn: Turn) -> int:
    return 3 + sum(3 + count_tokens(str(m.get("content") or "")) for m in turn.messages)
