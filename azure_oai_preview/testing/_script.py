"""What the emulated model says: scripted replies, responder callables, and the turn they see.

Every time the model speaks (a chat completion, a legacy completion, one model step of an
assistant run, a transcription) the emulator builds a :class:`Turn` and asks, in order:

1. the next reply queued for that deployment (:meth:`Script.reply`, :meth:`Script.tool_call`,
   :meth:`Script.fail_run`), else the next reply queued for any deployment;
2. the responder registered for that deployment, else the one for any deployment
   (:meth:`Script.respond_with`); a responder may return None to pass;
3. the default rules (:func:`azure_oai_preview.testing.default_reply`).

Background jobs are scripted too: :meth:`Script.fail_fine_tuning` and
:meth:`Script.fail_ingestion` make the next fine-tuning job or ingestion run that would
succeed fail instead.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Reply", "Responder", "RunFailure", "Script", "ToolCall", "ToolOutput", "Turn"]

TurnKind = Literal["chat", "completion", "run", "transcription", "translation"]
JobKind = Literal["fine_tuning", "ingestion"]


@dataclass(frozen=True)
class ToolCall:
    """A function call the model makes. ``arguments`` may be a dict (sent as JSON) or a string
    (sent as is, so a test can send malformed JSON on purpose). ``id`` defaults to a fresh
    ``call_...`` id."""

    name: str
    arguments: Mapping[str, Any] | str = field(default_factory=dict[str, Any])
    id: str | None = None

    def arguments_json(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments, separators=(",", ":"))


@dataclass(frozen=True)
class Reply:
    """One answer of the model: text, tool calls, or both.

    ``finish_reason`` defaults to ``tool_calls`` when there are tool calls, ``stop`` otherwise
    (``length`` is set by the emulator itself when ``max_tokens`` cuts the text).
    """

    content: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None

    @classmethod
    def text(cls, content: str) -> Reply:
        return cls(content=content)

    @classmethod
    def calls(cls, *calls: ToolCall) -> Reply:
        return cls(tool_calls=tuple(calls))


@dataclass(frozen=True)
class RunFailure:
    """Makes an assistant run fail: the run gets ``status: failed`` and this ``last_error``.

    ``code`` is ``server_error`` or ``rate_limit_exceeded`` (the spec's values). Given to a chat
    or completions call instead, it becomes an HTTP 500 with the same code and message.
    """

    code: Literal["server_error", "rate_limit_exceeded"] = "server_error"
    message: str = "Sorry, something went wrong."


@dataclass(frozen=True)
class ToolOutput:
    """A tool result the model sees: a ``tool`` message in chat, a submitted output in a run."""

    tool_call_id: str
    name: str
    output: str


@dataclass(frozen=True)
class Turn:
    """What the model is asked to answer.

    ``messages`` is the conversation in chat form: dicts with ``role`` and ``content`` (text;
    content parts are joined), plus ``tool_calls`` on assistant messages. ``tools`` are the
    function tools on offer (``name``, ``description``, ``parameters``). ``tool_outputs`` are the
    tool results that arrived after the last user message. ``request`` is the raw request body
    (for a run: the run's ``run_id`` and ``assistant_id``).
    """

    kind: TurnKind
    deployment: str
    messages: tuple[Mapping[str, Any], ...]
    tools: tuple[Mapping[str, Any], ...] = ()
    tool_choice: Any = None
    tool_outputs: tuple[ToolOutput, ...] = ()
    instructions: str | None = None
    request: Mapping[str, Any] = field(default_factory=dict[str, Any])

    @property
    def last_user_message(self) -> str | None:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                content = message.get("content")
                return content if isinstance(content, str) else None
        return None

    def tool_named(self, name: str) -> Mapping[str, Any] | None:
        return next((tool for tool in self.tools if tool.get("name") == name), None)


ScriptedAnswer = Reply | RunFailure
Responder = Callable[[Turn], "Reply | RunFailure | str | None"]
"""A callable that answers a turn: a :class:`Reply`, a plain string (a text reply), a
:class:`RunFailure`, or None to leave the turn to the next rule."""


class Script:
    """The model's scripted behaviour; reachable as ``emulator.script``.

    Replies are queued (first in, first out) per deployment or for any deployment, and each
    model turn consumes at most one. Thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str | None, deque[ScriptedAnswer]] = {}
        self._responders: dict[str | None, Responder] = {}
        self._job_failures: dict[JobKind, deque[str]] = {}

    def reply(self, reply: str | Reply, *, deployment: str | None = None, times: int = 1) -> None:
        """Queue a reply (text, or a :class:`Reply`) for the next ``times`` turns."""
        answer = Reply.text(reply) if isinstance(reply, str) else reply
        self._enqueue(deployment, [answer] * times)

    def replies(self, *replies: str | Reply, deployment: str | None = None) -> None:
        """Queue several replies, answered in order."""
        for reply in replies:
            self.reply(reply, deployment=deployment)

    def tool_call(
        self,
        name: str,
        arguments: Mapping[str, Any] | str | None = None,
        *,
        deployment: str | None = None,
    ) -> None:
        """Queue a turn in which the model calls function ``name`` with ``arguments``."""
        call = ToolCall(name, {} if arguments is None else arguments)
        self._enqueue(deployment, [Reply.calls(call)])

    def fail_run(
        self,
        code: Literal["server_error", "rate_limit_exceeded"] = "server_error",
        message: str = "Sorry, something went wrong.",
        *,
        deployment: str | None = None,
    ) -> None:
        """Queue a failure: the next assistant run step fails with this ``last_error``."""
        self._enqueue(deployment, [RunFailure(code, message)])

    def respond_with(self, responder: Responder | None, *, deployment: str | None = None) -> None:
        """Answer turns with ``responder(turn)`` (None removes it)."""
        with self._lock:
            if responder is None:
                self._responders.pop(deployment, None)
            else:
                self._responders[deployment] = responder

    def fail_fine_tuning(
        self, message: str = "The training run failed.", *, times: int = 1
    ) -> None:
        """Make the next ``times`` fine-tuning jobs fail when they would have succeeded: the
        job becomes ``failed`` and an ``error`` event carries ``message``."""
        self._queue_failure("fine_tuning", message, times)

    def fail_ingestion(self, message: str = "The ingestion run failed.", *, times: int = 1) -> None:
        """Make the next ``times`` ingestion job runs fail when they would have succeeded:
        the run becomes ``Failed`` with ``error.message`` set to ``message``."""
        self._queue_failure("ingestion", message, times)

    def _queue_failure(self, kind: JobKind, message: str, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._job_failures.setdefault(kind, deque()).extend([message] * times)

    def job_failure(self, kind: JobKind) -> str | None:
        """Take the next queued failure message for ``kind`` (None: the job succeeds)."""
        with self._lock:
            queue = self._job_failures.get(kind)
            return queue.popleft() if queue else None

    def pending(self, deployment: str | None = None) -> int:
        """How many queued replies remain for ``deployment`` (None: for any deployment)."""
        with self._lock:
            return len(self._queues.get(deployment, ()))

    def clear(self) -> None:
        """Forget every queued reply, job failure and responder."""
        with self._lock:
            self._queues.clear()
            self._responders.clear()
            self._job_failures.clear()

    def _enqueue(self, deployment: str | None, answers: Sequence[ScriptedAnswer]) -> None:
        with self._lock:
            self._queues.setdefault(deployment, deque()).extend(answers)

    def answer(self, turn: Turn) -> Reply | RunFailure | None:
        """The scripted answer to ``turn``, or None when the script has nothing to say."""
        with self._lock:
            for key in (turn.deployment, None):
                queue = self._queues.get(key)
                if queue:
                    return queue.popleft()
            responders = [self._responders.get(turn.deployment), self._responders.get(None)]
        for responder in responders:
            if responder is None:
                continue
            answer = responder(turn)
            if isinstance(answer, str):
                return Reply.text(answer)
            if answer is not None:
                return answer
        return None
