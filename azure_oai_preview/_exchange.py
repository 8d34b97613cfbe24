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
from ._error_mapping import connection_error, status_error, undecodable_body_error
from ._exceptions import (
    APIConnectionError,
    AzureOpenAIError,
    UploadNotReplayableError,
    request_id_of,
)
from ._files import bytes_sent_once, replayable
from ._redaction import redact_response, scrub_transport_error, without_credentials
from ._steps import AUTHENTICATE, Challenge, Close, ReadBody, Send, Sleep, Step, TooLong
from ._version import __version__

if TYPE_CHECKING:
    from ._call import Call
    from ._config import ClientConfig
    from ._retry import RetryPolicy

__all__ = ["exchange"]

_log = logging.getLogger("azure_oai_preview")

_USER_AGENT = f"azure-oai-preview/{__version__} python/{platform.python_version()}"
_MAX_REDIRECTS = 5
ERROR_BODY_LIMIT = 1024 * 1024
"""Bytes of an error response read at most; Azure's error bodies are a few hundred bytes."""
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that describe a body: dropped with the body when a redirect turns a request into a GET.
_BODY_HEADERS = (
    "content-type",
    "content-length",
    "transfer-encoding",
    "content-encoding",
    "content-language",
    "content-location",
)

Exchange = Generator[Step, Any, httpx.Response]
# What can go wrong with one attempt: an error response, a transport failure, or a body that
# cannot be read to its end (cut, or not decodable).
Failure = httpx.Response | httpx.TransportError | httpx.DecodingError


def exchange(
    config: ClientConfig, http: httpx.Client | httpx.AsyncClient, call: Call[Any, Any]
) -> Exchange:
    """Perform ``call`` with retries; return the successful response (body read unless streaming).

    A 401 carrying ``WWW-Authenticate`` is shown to the auth object once per call
    (:class:`~._steps.Challenge`); when it takes it, the request goes again with fresh
    credential headers. That resend is not a retry: ``max_retries`` counts failures only.

    Whatever leaves - the response, or the error raised and its cause - carries the request
    only as a :class:`~._redaction.RedactedRequest`.
    """
    request = _build_request(config, http, call)
    retry = _retry_policy(config, call)
    origin = _origin(request.url)
    attempt = redirects = 0
    challenged = False
    while True:
        home = _origin(request.url) == origin
        if home:
            # Straight into the headers, never into a local: a frame's locals show in
            # tracebacks that capture them.
            request.headers.update((yield AUTHENTICATE))
        outcome: httpx.Response | httpx.TransportError = yield Send(request, foreign=not home)
        response: httpx.Response | None = None
        if isinstance(outcome, httpx.TransportError):
            failure: Failure = outcome
            started = False
        else:
            response = outcome
            status = response.status_code
            if _log.isEnabledFor(logging.DEBUG):
                # Guarded: the URL without its query is a new URL, parsed again, per response.
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
                request = _redirected(request, response, redirects, bytes_sent_once(call.body))
                continue
            if status == 401 and not challenged and home:
                challenge = response.headers.get("www-authenticate")
                challenged = challenge is not None
                if challenge is not None and replayable(call.body) and (yield Challenge(challenge)):
                    yield Close(response)
                    continue
            if status >= 400:
                failure, started = response, False
            elif call.stream:
                redact_response(response)
                return response
            else:
                read_error: httpx.TransportError | httpx.DecodingError | None = yield ReadBody(
                    response
                )
                if read_error is None:
                    redact_response(response)
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
            error, cause = yield from _give_up(failure, response, request, call)
            if response is not None:
                redact_response(response)
            if cause is not None:
                scrub_transport_error(cause)
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
    failure: Failure, response: httpx.Response | None, request: httpx.Request, call: Call[Any, Any]
) -> Generator[Step, Any, tuple[AzureOpenAIError, BaseException | None]]:
    """The error to raise (and its cause) once no retry is left for ``failure``."""
    if isinstance(failure, httpx.DecodingError):
        # A success response whose body does not match its content-encoding.
        assert response is not None
        return undecodable_body_error(failure, response), failure
    if isinstance(failure, httpx.TransportError):
        return connection_error(failure, request), failure
    read_error: httpx.TransportError | httpx.DecodingError | TooLong | None = yield ReadBody(
        failure, ERROR_BODY_LIMIT
    )
    if isinstance(read_error, TooLong):
        # An error body no service writes (a gateway's runaway page, say): the typed error,
        # with the body's beginning, rather than megabytes in memory and in the message.
        return status_error(_bodiless(failure, read_error.head), call.operation.error_model), None
    if isinstance(read_error, httpx.DecodingError):
        # Still the error its status says (a 429 stays a RateLimitError), without the body.
        return status_error(_bodiless(failure), call.operation.error_model), read_error
    if read_error is not None:
        return connection_error(read_error, request), read_error
    return status_error(failure, call.operation.error_model), None


def _bodiless(response: httpx.Response, content: bytes = b"") -> httpx.Response:
    """A stand-in for an error response whose body could not be (wholly) read: status, headers
    and ``content``."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length")
    ]
    return httpx.Response(
        response.status_code, headers=headers, content=content, request=response.request
    )


def _describe(failure: Failure, started: bool) -> str:
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
    url, params = _target(config, http, call)
    headers = httpx.Headers(
        {
            "accept": call.accept,
            "user-agent": _USER_AGENT,
            "x-ms-client-request-id": str(uuid.uuid4()),
        }
    )
    # Case-insensitive updates: a default or per-call header replaces the one set before it.
    if config.default_headers:
        headers.update(config.default_headers)
    body = call.body
    if body is not None and body.content_type:
        headers["content-type"] = body.content_type
    options = call.options
    # Per-call headers go on top of everything the client sets, except the credential
    # headers: those are added for every attempt (and the options refuse to name them).
    if options.headers:
        headers.update(options.headers)
    timeout = config.timeout if options.timeout is UNSET else options.timeout
    return http.build_request(
        call.operation.method.upper(),
        url,
        params=params,
        headers=headers,
        content=body.content if body else None,
        data=body.data if body else None,
        files=body.files if body else None,
        timeout=httpx.Timeout(None) if timeout is None else timeout,
    )


def _target(
    config: ClientConfig, http: httpx.Client | httpx.AsyncClient, call: Call[Any, Any]
) -> tuple[httpx.URL | str, dict[str, Any] | None]:
    """The URL to request, and the query parameters the HTTP client is to merge into it.

    Usually the whole URL, query included, as one text: httpx parses it once, where handing
    it a URL and ``params`` makes it parse, merge and re-parse the URL several times per
    request. The query is encoded by httpx's own ``QueryParams``, so the URL is the same to
    the byte. A service link (whose query is merged with the call's) and an HTTP client with
    query parameters of its own (merged under the call's) go the way httpx merges them.
    """
    params = {"api-version": config.api_version, **call.query}
    if call.url is not None or http.params:
        return config.url_for(call), params
    text = f"{config.address_of(call)}?{httpx.QueryParams(params)}"
    if len(text) > _WHOLE_URL_LIMIT:
        # httpx refuses a URL text this long as a whole, but not a merge of shorter parts:
        # such a call goes the merging way, as every call did (whatever the service says).
        return config.url_for(call), params
    return text, None


_WHOLE_URL_LIMIT = 65_536
"""The longest URL text httpx parses (its ``MAX_URL_LENGTH``); it checks each part of a
merged URL against the same limit, so longer URLs can still be made by merging."""


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def _redirected(
    request: httpx.Request, response: httpx.Response, count: int, sent_once: int
) -> httpx.Request:
    """The request a redirect asks for, rebuilt the way a browser rebuilds it.

    ``Host`` comes from the new URL; 301/302/303 turn into a GET without body (and without
    the headers describing one) except for HEAD, 307/308 resend the same method and body.
    Leaving the origin (scheme, host, port) drops every credential-bearing header
    (:func:`~._redaction.is_credential_header`), whoever set it - the client, default or
    per-call headers, the HTTP client's cookies.
    """
    if count > _MAX_REDIRECTS:
        raise APIConnectionError(f"more than {_MAX_REDIRECTS} redirects", request=request)
    try:
        target = request.url.join(response.headers["location"])
    except httpx.InvalidURL as exc:
        raise APIConnectionError(
            f"the service redirected to an invalid URL ({exc})", request=request
        ) from None
    keep_body = response.status_code in (307, 308)
    has_body = request.method not in ("GET", "HEAD", "DELETE", "OPTIONS")
    if keep_body and has_body and _origin(target) != _origin(request.url):
        # The credential headers stay home, but the body would go: it may hold a secret of its
        # own (an On Your Data source's key) or a user's file. Not followed, not sent.
        raise APIConnectionError(
            f"the service redirected ({response.status_code}) a request with a body to another "
            f"origin ({target.scheme}://{target.host}); not followed, so the body stays here",
            request=request,
        )
    if keep_body and sent_once:
        # A pipe upload already went out once; raised before opening the new request.
        raise UploadNotReplayableError(sent_once)
    method = request.method if keep_body or request.method == "HEAD" else "GET"
    headers = httpx.Headers(request.headers)
    # The new URL's host (a request keeps the Host header it was built with).
    headers["host"] = target.netloc.decode("ascii")
    if _origin(target) != _origin(request.url):
        headers = without_credentials(headers)
    if keep_body:
        # Resend the same body stream: a multipart upload is streamed and has no
        # ``request.content``; httpx's byte and multipart streams can be replayed.
        return httpx.Request(
            method, target, headers=headers, stream=request.stream, extensions=request.extensions
        )
    for name in _BODY_HEADERS:
        headers.pop(name, None)
    # Not http.build_request: that would add the HTTP client's default headers and cookies
    # again, whatever the origin.
    return httpx.Request(method, target, headers=headers, extensions=request.extensions)
