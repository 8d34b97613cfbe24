"""Record what Prism says about every call, and turn it into test failures.

Prism reports a request that breaks the spec in two ways, depending on the spec:

* an ``sl-violations`` response header (a JSON array of ``{location, severity, code,
  message}``) — when the operation declares a response Prism can answer the error with
  (e.g. chat completions' ``default`` response); the header also lists problems with the
  *response* Prism generated (``location[0] == "response"``);
* an ``application/problem+json`` body of Prism's own (type
  ``https://stoplight.io/prism/errors#...``) with a ``validation`` array — when the
  operation declares no error response (most Assistants operations). No header then.

``ViolationRecorder`` understands both, adds the harness's own checks (operation known,
``api-version`` matches the served spec, the schema was actually validated), and remembers
every call. Install it on the ``httpx`` client the SDK uses; the pytest plugin then fails a
test on any request-side violation, naming the operation and quoting Prism's messages.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import parse_qs

import httpx

from .prism import PrismServer

Side = Literal["request", "response", "mock"]
PRISM_ERROR_TYPE = "https://stoplight.io/prism/errors#"

REQUEST_PROBLEMS = frozenset(
    {
        "UNPROCESSABLE_ENTITY",  # 422: body/query/header/path do not match the spec
        "UNAUTHORIZED",  # 401: no security scheme of the operation is satisfied
        "NO_PATH_MATCHED_ERROR",  # 404: the URL is not a path of the spec
        "NO_METHOD_MATCHED_ERROR",  # 405: the path exists, the method does not
        "NO_SERVER_MATCHED_ERROR",
        "INVALID_CONTENT_TYPE",  # 415: Content-Type the operation does not accept
    }
)
"""Prism problem types that mean *the request* does not fit the spec."""


@dataclass(frozen=True)
class Violation:
    server: str
    operation_id: str | None
    method: str
    target: str
    """Path and query of the request."""
    status: int
    side: Side
    location: tuple[str, ...]
    code: str
    severity: str
    message: str
    source: Literal["sl-violations", "problem+json", "harness"]
    expected: bool = False

    def describe(self) -> str:
        operation = self.operation_id or "<unknown operation>"
        where = ".".join(self.location) or self.side
        return (
            f"{operation} [{self.server}] {self.method} {self.target} -> {self.status}: "
            f"{where}: {self.message} (code={self.code}, {self.severity}, via {self.source})"
        )

    def key(self) -> tuple[Any, ...]:
        return (self.side, self.location, self.code, self.message)


@dataclass(frozen=True)
class RecordedCall:
    server: str
    operation_id: str | None
    method: str
    target: str
    status: int
    violations: tuple[Violation, ...]


class ContractViolationError(AssertionError):
    """Calls made during a test broke the spec the mock server serves."""


@dataclass
class ExpectedViolations:
    """What ``ViolationRecorder.expect()`` caught."""

    violations: list[Violation] = field(default_factory=list)
    calls: list[RecordedCall] = field(default_factory=list)

    def messages(self) -> list[str]:
        return [violation.message for violation in self.violations]

    def __len__(self) -> int:
        return len(self.violations)

    def __iter__(self) -> Iterator[Violation]:
        return iter(self.violations)


class ViolationRecorder:
    """Collects Prism's verdict on every response seen by the hooked clients.

    ``fail_on`` names the sides that fail a test: ``request`` (default — what the SDK
    sends is the contract we own) and optionally ``response`` (the mock's own answer
    breaking the spec: a spec defect, reported rather than failed by default) and
    ``mock`` (Prism could not answer, e.g. 406 for ``Accept: text/event-stream``).
    """

    def __init__(
        self,
        server_for: Callable[[str], PrismServer | None],
        *,
        fail_on: frozenset[Side] = frozenset({"request"}),
    ) -> None:
        self._server_for = server_for
        self.fail_on = fail_on
        self.calls: list[RecordedCall] = []
        self.violations: list[Violation] = []
        self._expecting: list[ExpectedViolations] = []

    # ------------------------------------------------------------------ hooks

    def on_response(self, response: httpx.Response) -> None:
        """``httpx.Client(event_hooks={"response": [recorder.on_response]})``."""
        if _is_prism_problem(response):
            response.read()
        self.record(response)

    async def on_response_async(self, response: httpx.Response) -> None:
        """``httpx.AsyncClient(event_hooks={"response": [recorder.on_response_async]})``."""
        if _is_prism_problem(response):
            await response.aread()
        self.record(response)

    def event_hooks(self) -> dict[str, list[Callable[[httpx.Response], Any]]]:
        return {"response": [self.on_response]}

    def async_event_hooks(self) -> dict[str, list[Callable[[httpx.Response], Any]]]:
        return {"response": [self.on_response_async]}

    # ------------------------------------------------------------------ recording

    def record(self, response: httpx.Response) -> RecordedCall | None:
        """Parse Prism's verdict on ``response`` (its body must be read if it is a problem)."""
        request = response.request
        netloc = request.url.netloc.decode("ascii")
        server = self._server_for(netloc)
        if server is None:
            return None  # not one of our mock servers (e.g. a token endpoint)
        target = request.url.raw_path.decode("ascii")
        operation = server.operations.match(request.method, request.url.path)
        operation_id = operation.operation_id if operation else None
        violations = [
            Violation(
                server=server.name,
                operation_id=operation_id,
                method=request.method,
                target=target,
                status=response.status_code,
                side=side,
                location=location,
                code=code,
                severity=severity,
                message=message,
                source=source,
            )
            for side, location, code, severity, message, source in _parse(response)
            + _harness_checks(server, request, operation_id)
        ]
        violations = _dedupe(violations)
        catcher = self._expecting[-1] if self._expecting else None
        if catcher is not None:
            violations = [replace(violation, expected=True) for violation in violations]
        call = RecordedCall(
            server.name,
            operation_id,
            request.method,
            target,
            response.status_code,
            tuple(violations),
        )
        self.calls.append(call)
        self.violations.extend(violations)
        if catcher is not None:
            catcher.calls.append(call)
            catcher.violations.extend(violations)
        return call

    @contextlib.contextmanager
    def expect(self, *, at_least: int = 1) -> Iterator[ExpectedViolations]:
        """Catch violations a test provokes on purpose; fails if fewer than ``at_least``."""
        caught = ExpectedViolations()
        self._expecting.append(caught)
        try:
            yield caught
        finally:
            self._expecting.remove(caught)
        if len(caught) < at_least:
            raise ContractViolationError(
                f"expected at least {at_least} violation(s), Prism reported {len(caught)} "
                f"for {len(caught.calls)} call(s): "
                + ", ".join(f"{c.method} {c.target} -> {c.status}" for c in caught.calls)
            )

    # ------------------------------------------------------------------ reading

    @property
    def failures(self) -> list[Violation]:
        return [v for v in self.violations if not v.expected and v.side in self.fail_on]

    def by_side(self, side: Side, *, include_expected: bool = False) -> list[Violation]:
        return [
            v for v in self.violations if v.side == side and (include_expected or not v.expected)
        ]

    @property
    def operations_called(self) -> set[str]:
        return {call.operation_id for call in self.calls if call.operation_id}

    def clear(self) -> None:
        self.calls.clear()
        self.violations.clear()

    def report(self) -> str:
        failures = self.failures
        if not failures:
            return "no contract violations"
        lines = [f"{len(failures)} contract violation(s) (Prism is the judge; spec = mock spec):"]
        lines += [f"  - {violation.describe()}" for violation in failures]
        return "\n".join(lines)

    def check(self) -> None:
        """Raise ``ContractViolationError`` listing every failing violation."""
        __tracebackhide__ = True
        if self.failures:
            raise ContractViolationError(self.report())

    def __len__(self) -> int:
        return len(self.failures)

    def __bool__(self) -> bool:
        return bool(self.failures)

    def __iter__(self) -> Iterator[Violation]:
        return iter(self.failures)

    def __repr__(self) -> str:
        return f"<ViolationRecorder {len(self.calls)} calls; {self.report()}>"


# --------------------------------------------------------------------------- parsing

_Parsed = tuple[
    Side, tuple[str, ...], str, str, str, Literal["sl-violations", "problem+json", "harness"]
]


def _is_prism_problem(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/problem+json")


def _side_of(location: tuple[str, ...], default: Side) -> tuple[Side, tuple[str, ...]]:
    if location and location[0] in ("request", "response"):
        side: Side = "request" if location[0] == "request" else "response"
        return side, location
    return default, (default, *location)


def _entry(item: Any, default: Side, source: Literal["sl-violations", "problem+json"]) -> _Parsed:
    location = tuple(str(part) for part in item.get("location") or item.get("path") or ())
    side, location = _side_of(location, default)
    return (
        side,
        location,
        str(item.get("code", "")),
        str(item.get("severity", "Error")),
        str(item.get("message", "")),
        source,
    )


def _parse(response: httpx.Response) -> list[_Parsed]:
    found: list[_Parsed] = []
    header = response.headers.get("sl-violations")
    if header:
        try:
            items = json.loads(header)
        except ValueError:
            items = [{"location": ["request"], "code": "unparsable", "message": header}]
        found += [_entry(item, "request", "sl-violations") for item in items]
    if _is_prism_problem(response):
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        kind = str(problem.get("type", ""))
        if kind.startswith(PRISM_ERROR_TYPE):
            name = kind[len(PRISM_ERROR_TYPE) :]
            side: Side = "request" if name in REQUEST_PROBLEMS or name == "VIOLATIONS" else "mock"
            validation = problem.get("validation") or []
            if validation:
                found += [_entry(item, side, "problem+json") for item in validation]
            else:
                text = f"{problem.get('title', name)}: {problem.get('detail', '')}".strip(": ")
                found.append((side, (side,), name, "Error", text, "problem+json"))
    return found


def _harness_checks(
    server: PrismServer, request: httpx.Request, operation_id: str | None
) -> list[_Parsed]:
    found: list[_Parsed] = []
    sent = parse_qs(request.url.query.decode("ascii")).get("api-version")
    if sent and sent != [server.api_version]:
        found.append(
            (
                "request",
                ("request", "query", "api-version"),
                "api-version",
                "Error",
                f"api-version={sent} but the mock serves the {server.api_version} spec",
                "harness",
            )
        )
    if operation_id is not None:
        for problem in server.unvalidated(operation_id, "request"):
            found.append(
                (
                    "request",
                    ("request", *problem.target.split(" ")[1:2]),
                    "unvalidated",
                    "Error",
                    f"NOT CHECKED: Prism cannot compile the {problem.target} schema "
                    f"({problem.error}) and silently accepts anything; fix the mock spec",
                    "harness",
                )
            )
    return found


def _dedupe(violations: list[Violation]) -> list[Violation]:
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for violation in violations:
        if violation.key() not in seen:
            seen.add(violation.key())
            unique.append(violation)
    return unique


# --------------------------------------------------------------------------- clients


def contract_client(recorder: ViolationRecorder, **kwargs: Any) -> httpx.Client:
    """An ``httpx.Client`` whose every response is checked by ``recorder``.

    Pass it to the SDK as ``http_client=``. Extra keyword arguments go to ``httpx.Client``
    (existing response hooks are kept, the recorder runs first).
    """
    hooks = dict(kwargs.pop("event_hooks", None) or {})
    hooks["response"] = [recorder.on_response, *hooks.get("response", [])]
    kwargs.setdefault("timeout", 30.0)
    kwargs.setdefault("trust_env", False)  # a proxy from the environment must not see localhost
    return httpx.Client(event_hooks=hooks, **kwargs)


def contract_async_client(recorder: ViolationRecorder, **kwargs: Any) -> httpx.AsyncClient:
    """Async twin of ``contract_client``."""
    hooks = dict(kwargs.pop("event_hooks", None) or {})
    hooks["response"] = [recorder.on_response_async, *hooks.get("response", [])]
    kwargs.setdefault("timeout", 30.0)
    kwargs.setdefault("trust_env", False)
    return httpx.AsyncClient(event_hooks=hooks, **kwargs)
