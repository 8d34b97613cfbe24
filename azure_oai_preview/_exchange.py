"""Sending one :class:`~._call.Call`: request building, auth, retries, redirects, challenges.

All the decision making lives in :func:`exchange`, a generator that never does I/O itself: it
yields :mod:`steps <._steps>` (authenticate, send, read, close, sleep, answer a challenge) and
receives their outcomes, so the retry, redirect and error rules exist exactly once for the sync
and the async client (whose small drivers are in :mod:`._transport`).
"""

from __future__ import annotations

import logging
import platform
import uuid
from collections.abc import Generator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx

from ._call import UNSET
from ._exceptions import (
    APIConnectionError,
    AzureOpenAIError,
    connection_error,
    request_id_of,
    status_error,
)
from ._files import replayable
from ._steps import AUTHENTICATE, Challenge, Close, ReadBody, Send, Sleep, Step
from ._version import __version__

if TYPE_CHECKING:
    from ._call import Call
    from ._config import ClientConfig
    from ._retry import RetryPolicy

__all__ = ["exchange"]

_log = logging.getLogger("azure_oai_preview")

_USER_AGENT = f"azure-oai-preview/{__version__} python/{platform.python_version()}"
_MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that carry credentials: stripped when a redirect leaves the endpoint's origin.
_CREDENTIAL_HEADERS = ("api-key", "authorization")

Exchange = Generator[Step, Any, httpx.Response]


def exchange(
    config: ClientConfig, http: httpx.Client | httpx.AsyncClient, call: Call[Any, Any]
) -> Exchange:
    """Perform ``call`` with retries; return the successful response (body read unless streaming).

    A 401 carrying ``WWW-Authenticate`` is shown to the auth object once per call
    (:class:`~._steps.Challenge`); when it takes it, the request goes again with fresh
    credential headers. That resend is not a retry: ``max_retries`` counts failures only.
    """
    request = _build_request(config, http, call)
    retry = _retry_policy(config, call)
    origin = _origin(request.url)
    attempt = redirects = 0
    challenged = False
    while True:
        auth_headers: dict[str, str] = yield AUTHENTICATE
        if _origin(request.url) == origin:
            request.headers.update(auth_headers)
        outcome: httpx.Response | httpx.TransportError = yield Send(request)
        response: httpx.Response | None = None
        if isinstance(outcome, httpx.TransportError):
            failure: httpx.Response | httpx.TransportError = outcome
            started = False
        else:
            response = outcome
            status = response.status_code
            _log.debug(
                "%s %s -> %s (request id %s)",
                request.method,
                request.url.copy_with(query=None),
                status,
                request_id_of(response.headers),
            )
            if status in _REDIRECT_STATUSES and "location" in response.headers:
                yield Close(response)
                redirects += 1
                if redirects > _MAX_REDIRECTS:
                    raise APIConnectionError(
                        f"more than {_MAX_REDIRECTS} redirects", request=request
                    )
                request = _redirected(http, request, response)
                if _origin(request.url) != origin:
                    # Credential header parameters (``mgmt-user-token``...) stay home too.
                    for parameter in call.operation.header_params:
                        if parameter.secret:
                            request.headers.pop(parameter.name, None)
                continue
            if status == 401 and not challenged and _origin(request.url) == origin:
                challenge = response.headers.get("www-authenticate")
                challenged = challenge is not None
                if challenge is not None and replayable(call.body) and (yield Challenge(challenge)):
                    yield Close(response)
                    continue
            if status >= 400:
                failure, started = response, False
            elif call.stream:
                return response
            else:
                read_error: httpx.TransportError | None = yield ReadBody(response)
                if read_error is None:
                    return response
                # The answer had started, so only what the policy deems safe to replay after
                # that (a timeout, not a reset connection) is retried.
                failure, started = read_error, True
        delay = retry.retry_after(attempt, failure, response_started=started)
        if delay is not None and not replayable(call.body):
            # A one-shot stream upload that began to go out cannot be sent whole again.
            _log.info(
                "not retrying %s after %s: its upload is a non-seekable stream already sent",
                call.operation.operation_id,
                _describe(failure, started),
            )
            delay = None
        if delay is None:
            error, cause = yield from _give_up(failure, request, call)
            raise error from cause
        _log.info(
            "retrying %s after %s in %.2fs",
            call.operation.operation_id,
            _describe(failure, started),
            delay,
        )
        if response is not None:
            yield Close(response)
        attempt += 1
        yield Sleep(delay)


def _give_up(
    failure: httpx.Response | httpx.TransportError, request: httpx.Request, call: Call[Any, Any]
) -> Generator[Step, Any, tuple[AzureOpenAIError, BaseException | None]]:
    """The error to raise (and its cause) once no retry is left for ``failure``."""
    if isinstance(failure, httpx.TransportError):
        return connection_error(failure, request), failure
    read_error: httpx.TransportError | None = yield ReadBody(failure)
    if read_error is not None:
        return connection_error(read_error, request), read_error
    return status_error(failure, call.operation.error_model), None


def _describe(failure: httpx.Response | httpx.TransportError, started: bool) -> str:
    if isinstance(failure, httpx.Response):
        return f"HTTP {failure.status_code}"
    return type(failure).__name__ + (" reading the response" if started else "")


def _retry_policy(config: ClientConfig, call: Call[Any, Any]) -> RetryPolicy:
    max_retries = call.options.max_retries
    if max_retries is None or max_retries == config.retry.max_retries:
        return config.retry
    # The policy validates the number (a negative one is a ValueError before anything is sent).
    return replace(config.retry, max_retries=max_retries)


def _build_request(
    config: ClientConfig, http: httpx.Client | httpx.AsyncClient, call: Call[Any, Any]
) -> httpx.Request:
    url = config.url_for(call)
    headers = httpx.Headers(
        {
            "accept": call.accept,
            "user-agent": _USER_AGENT,
            "x-ms-client-request-id": str(uuid.uuid4()),
        }
    )
    # Case-insensitive updates: a default or per-call header replaces the one set before it.
    headers.update(config.default_headers)
    body = call.body
    if body is not None and body.content_type:
        headers["content-type"] = body.content_type
    options = call.options
    # Per-call headers go on top of everything the client sets, except the credential
    # headers: those are added for every attempt (and the options refuse to name them).
    headers.update(options.headers)
    timeout = config.timeout if options.timeout is UNSET else options.timeout
    return http.build_request(
        call.operation.method.upper(),
        url,
        params={"api-version": config.api_version, **call.query},
        headers=headers,
        content=body.content if body else None,
        data=body.data if body else None,
        files=body.files if body else None,
        timeout=httpx.Timeout(None) if timeout is None else timeout,
    )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def _redirected(
    http: httpx.Client | httpx.AsyncClient, request: httpx.Request, response: httpx.Response
) -> httpx.Request:
    target = request.url.join(response.headers["location"])
    keep_body = response.status_code in (307, 308)
    method = request.method if keep_body or request.method == "HEAD" else "GET"
    headers = httpx.Headers(request.headers)
    if _origin(target) != _origin(request.url):
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
