"""Sending a :class:`~._call.Call`: request building, auth, retries, redirects, errors.

All of the decision making lives in one generator, :func:`_exchange`, that never does I/O
itself: it *yields* what it needs done (get auth headers, send, read, close, sleep) and
receives the outcome. :class:`SyncCore` and :class:`AsyncCore` are the two small drivers
that perform those steps with ``httpx.Client`` or ``httpx.AsyncClient``, so retry and error
logic exists exactly once for both clients.
"""

from __future__ import annotations

import json
import logging
import platform
import time
import uuid
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from urllib.parse import quote

import anyio
import httpx
from typing_extensions import Self

from ._auth import AsyncAuth, Auth
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ContentFilterError,
    request_id_of,
    status_error_class,
)
from ._json import json_object, str_field
from ._retry import RetryPolicy
from ._version import __version__

if TYPE_CHECKING:
    from ._call import Call

__all__ = ["AsyncCore", "ClientConfig", "RawResponse", "SyncCore"]

_log = logging.getLogger("azure_oai_preview")

T = TypeVar("T")

_USER_AGENT = f"azure-oai-preview/{__version__} python/{platform.python_version()}"
_MAX_REDIRECTS = 5
# Headers that carry credentials: stripped when a redirect leaves the endpoint's origin.
_CREDENTIAL_HEADERS = ("api-key", "authorization")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client was configured with; immutable, so copies can share it safely."""

    base_url: httpx.URL
    api_version: str
    deployment: str | None
    timeout: httpx.Timeout
    retry: RetryPolicy
    default_headers: Mapping[str, str] = field(default_factory=dict[str, str])

    def url_for(self, call: Call[Any, Any]) -> httpx.URL:
        path = call.operation.path
        for name, value in call.path_params.items():
            # An empty name would address a different URL (``/deployments//chat``): treat
            # it as missing, like None.
            if not value and name == "deployment-id":
                value = self.deployment
            if not value:
                from ._exceptions import InvalidRequestError

                hint = (
                    "pass deployment=... or give the client a default deployment"
                    if name == "deployment-id"
                    else "it is required"
                )
                raise InvalidRequestError(call.operation.operation_id, [(name, f"missing; {hint}")])
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return self.base_url.copy_with(raw_path=self.base_url.raw_path.rstrip(b"/") + path.encode())


# Steps the exchange asks a driver to perform. Plain tuples keep the hot path cheap.
_AUTH = "auth"
_SEND = "send"
_READ = "read"
_CLOSE = "close"
_SLEEP = "sleep"


def _exchange(
    config: ClientConfig,
    http: httpx.Client | httpx.AsyncClient,
    call: Call[Any, Any],
) -> Generator[tuple[str, Any], Any, httpx.Response]:
    """Perform ``call`` with retries; return the successful response (body read unless streaming)."""
    url = config.url_for(call)
    params = {"api-version": config.api_version, **call.query}
    headers = {
        "accept": call.accept,
        "user-agent": _USER_AGENT,
        "x-ms-client-request-id": str(uuid.uuid4()),
        **config.default_headers,
    }
    body = call.body
    if body is not None and body.content_type:
        headers["content-type"] = body.content_type
    request = http.build_request(
        call.operation.method.upper(),
        url,
        params=params,
        headers=headers,
        content=body.content if body else None,
        data=body.data if body else None,
        files=body.files if body else None,
        timeout=config.timeout,
    )
    origin = (url.scheme, url.host, url.port)
    attempt = 0
    redirects = 0
    while True:
        auth_headers: dict[str, str] = yield (_AUTH, None)
        if (request.url.scheme, request.url.host, request.url.port) == origin:
            request.headers.update(auth_headers)
        outcome = yield (_SEND, request)
        if isinstance(outcome, BaseException):
            if config.retry.should_retry_exception(outcome) and attempt < config.retry.max_retries:
                delay = config.retry.delay(attempt, None)
                _log.info(
                    "retrying %s after %s in %.2fs",
                    call.operation.operation_id,
                    type(outcome).__name__,
                    delay,
                )
                attempt += 1
                yield (_SLEEP, delay)
                continue
            raise _connection_error(outcome, request) from outcome
        response: httpx.Response = outcome
        status = response.status_code
        _log.debug(
            "%s %s -> %s (request id %s)",
            request.method,
            request.url.copy_with(query=None),
            status,
            request_id_of(response.headers),
        )
        if status in (301, 302, 303, 307, 308) and "location" in response.headers:
            yield (_CLOSE, response)
            redirects += 1
            if redirects > _MAX_REDIRECTS:
                raise APIConnectionError(f"more than {_MAX_REDIRECTS} redirects", request=request)
            request = _redirected(http, request, response)
            continue
        if status >= 400:
            if config.retry.should_retry_status(status) and attempt < config.retry.max_retries:
                delay = config.retry.delay(attempt, response.headers)
                _log.info(
                    "retrying %s after HTTP %s in %.2fs", call.operation.operation_id, status, delay
                )
                yield (_CLOSE, response)
                attempt += 1
                yield (_SLEEP, delay)
                continue
            failure = yield (_READ, response)
            if failure is not None:
                raise _connection_error(failure, request) from failure
            raise status_error(response, call.operation.error_model)
        if not call.stream:
            failure = yield (_READ, response)
            if failure is not None:
                # The answer had started, so only what the policy deems safe to replay
                # after that (a timeout, not a reset connection) is retried.
                if (
                    config.retry.should_retry_exception(failure, response_started=True)
                    and attempt < config.retry.max_retries
                ):
                    delay = config.retry.delay(attempt, None)
                    _log.info(
                        "retrying %s after %s reading the response in %.2fs",
                        call.operation.operation_id,
                        type(failure).__name__,
                        delay,
                    )
                    yield (_CLOSE, response)
                    attempt += 1
                    yield (_SLEEP, delay)
                    continue
                raise _connection_error(failure, request) from failure
        return response


def _redirected(
    http: httpx.Client | httpx.AsyncClient, request: httpx.Request, response: httpx.Response
) -> httpx.Request:
    target = request.url.join(response.headers["location"])
    keep_body = response.status_code in (307, 308)
    method = request.method if keep_body or request.method == "HEAD" else "GET"
    headers = httpx.Headers(request.headers)
    if (target.scheme, target.host, target.port) != (
        request.url.scheme,
        request.url.host,
        request.url.port,
    ):
        for name in _CREDENTIAL_HEADERS:
            headers.pop(name, None)
    if keep_body:
        # Resend the same body stream: a multipart upload is streamed and has no
        # ``request.content``; httpx's byte and multipart streams can be replayed.
        return httpx.Request(
            method, target, headers=headers, stream=request.stream, extensions=request.extensions
        )
    for name in ("content-type", "content-length", "transfer-encoding"):
        headers.pop(name, None)
    return http.build_request(method, target, headers=headers, extensions=request.extensions)


def _connection_error(exc: BaseException, request: httpx.Request) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"request timed out ({type(exc).__name__}); raise timeout= or retry", request=request
        )
    return APIConnectionError(f"connection failed: {type(exc).__name__}: {exc}", request=request)


def status_error(response: httpx.Response, error_model: str | None = None) -> APIStatusError:
    """Map an error response to the matching typed error, with Azure's code and message.

    ``error_model`` names the operation's error schema (``ErrorResponse``, or
    ``DalleErrorResponse`` for images); its content-filter results type the
    :class:`ContentFilterError`. The service writes ``innererror`` and
    ``content_filter_result`` where the spec says ``inner_error`` and
    ``content_filter_results``; both spellings are understood.
    """
    from . import models
    from ._deviations import parse_python

    try:
        payload: object = json.loads(response.content) if response.content else None
    except ValueError:
        payload = None
    body = None
    code = message = None
    outer = json_object(payload)
    error = json_object(outer.get("error")) if outer is not None else None
    if error is not None:
        dalle = error_model == "DalleErrorResponse"
        body = parse_python(models.DalleErrorResponse if dalle else models.ErrorResponse, payload)
        code = str_field(error, "code")
        message = str_field(error, "message")
        inner = json_object(error.get("inner_error") or error.get("innererror"))
        if response.status_code == 400 and (
            code == "content_filter" or str_field(inner, "code") == "ResponsibleAIPolicyViolation"
        ):
            results = (
                json_object(
                    inner.get("content_filter_results") or inner.get("content_filter_result")
                )
                if inner
                else None
            )
            results_type = models.DalleFilterResults if dalle else models.ContentFilterPromptResults
            typed = parse_python(results_type, results) if results is not None else None
            return ContentFilterError(
                response=response,
                body=body,
                code=code,
                message=message,
                content_filter_results=typed,
            )
    elif outer is not None:
        # Not Azure OpenAI's {"error": {...}}: API Management answers some failures (rate
        # limits, bad keys) with its own {"statusCode": 429, "message": "..."}.
        code = str_field(outer, "code")
        message = (
            str_field(outer, "message") or str_field(outer, "error") or _problem_message(outer)
        )
    return status_error_class(response.status_code)(
        response=response, body=body, code=code, message=message
    )


def _problem_message(problem: dict[str, Any]) -> str | None:
    """The message of RFC 7807 problem details (``title``, ``detail``), as gateways and
    validators send them, with the messages of any ``validation`` findings appended."""
    parts = [text for key in ("title", "detail") if (text := str_field(problem, key))]
    findings = problem.get("validation")
    if isinstance(findings, list):
        for finding in cast("list[object]", findings):
            item = json_object(finding)
            text = str_field(item, "message")
            if item is not None and text:
                location = item.get("location")
                where = (
                    ".".join(str(p) for p in cast("list[object]", location))
                    if isinstance(location, list)
                    else None
                )
                parts.append(f"{where}: {text}" if where else text)
    return "; ".join(dict.fromkeys(parts)) or None


class RawResponse(Generic[T]):
    """The HTTP response of a call next to its parsed result.

    Returned by methods reached through ``client.with_raw_response``: ``headers``,
    ``status_code``, ``request_id`` and :meth:`parse`, which gives what the ordinary method
    returns. The result is built when the response arrives (for streams: opened, not read),
    the same way on the sync and the async client.
    """

    __slots__ = ("_parsed", "http_response")

    def __init__(self, http_response: httpx.Response, parsed: T) -> None:
        self.http_response = http_response
        self._parsed = parsed

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response.headers)

    def parse(self) -> T:
        return self._parsed

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] request_id={self.request_id!r}>"


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
AuthT = TypeVar("AuthT")


class _Core(Generic[HttpT, AuthT]):
    """What a client and its copies (``with_options``, ``with_raw_response``) share."""

    __slots__ = ("auth", "config", "http", "raw")

    def __init__(
        self, config: ClientConfig, http: HttpT, auth: AuthT, *, raw: bool = False
    ) -> None:
        self.config = config
        self.http = http
        self.auth = auth
        self.raw = raw

    def derive(self, *, config: ClientConfig | None = None, raw: bool | None = None) -> Self:
        return type(self)(
            config or self.config, self.http, self.auth, raw=self.raw if raw is None else raw
        )


class SyncCore(_Core[httpx.Client, Auth]):
    """Executes calls with an ``httpx.Client``."""

    __slots__ = ()

    def send(self, call: Call[Any, Any]) -> httpx.Response:
        steps = _exchange(self.config, self.http, call)
        outcome: Any = None
        while True:
            try:
                step, arg = steps.send(outcome)
            except StopIteration as done:
                return done.value
            outcome = None
            if step == _SEND:
                try:
                    outcome = self.http.send(arg, stream=True, follow_redirects=False)
                except httpx.TransportError as exc:
                    outcome = exc
            elif step == _AUTH:
                outcome = self.auth.headers()
            elif step == _READ:
                outcome = _read_fully(arg)
            elif step == _CLOSE:
                arg.close()
            elif step == _SLEEP:
                time.sleep(arg)

    def execute(self, call: Call[T, Any]) -> T:
        response = self.send(call)
        result = call.reader.read_sync(response, self, call)
        return RawResponse(response, result) if self.raw else result  # type: ignore[return-value]


class AsyncCore(_Core[httpx.AsyncClient, AsyncAuth]):
    """Executes calls with an ``httpx.AsyncClient`` (asyncio or trio, via anyio)."""

    __slots__ = ()

    async def send(self, call: Call[Any, Any]) -> httpx.Response:
        steps = _exchange(self.config, self.http, call)
        outcome: Any = None
        while True:
            try:
                step, arg = steps.send(outcome)
            except StopIteration as done:
                return done.value
            outcome = None
            if step == _SEND:
                try:
                    outcome = await self.http.send(arg, stream=True, follow_redirects=False)
                except httpx.TransportError as exc:
                    outcome = exc
            elif step == _AUTH:
                outcome = await self.auth.async_headers()
            elif step == _READ:
                outcome = await _aread_fully(arg)
            elif step == _CLOSE:
                await arg.aclose()
            elif step == _SLEEP:
                await anyio.sleep(arg)

    async def execute(self, call: Call[Any, T]) -> T:
        response = await self.send(call)
        result = await call.reader.read_async(response, self, call)
        return RawResponse(response, result) if self.raw else result  # type: ignore[return-value]


def _read_fully(response: httpx.Response) -> httpx.TransportError | None:
    """Read the body; a transport failure is returned for the exchange to judge."""
    try:
        response.read()
    except httpx.TransportError as exc:
        return exc
    return None


async def _aread_fully(response: httpx.Response) -> httpx.TransportError | None:
    try:
        await response.aread()
    except httpx.TransportError as exc:
        return exc
    return None


def with_config(config: ClientConfig, **changes: Any) -> ClientConfig:
    return replace(config, **changes)
