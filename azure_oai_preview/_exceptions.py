"""One error hierarchy for everything the client raises.

Every error derives from :class:`AzureOpenAIError`. Messages name what went wrong and,
where there is one, what to do about it. None of them ever contains an api-key or token:
request headers are not part of any message, and only the response body (which the
service wrote) is quoted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .models import (
        ContentFilterPromptResults,
        DalleErrorResponse,
        DalleFilterResults,
        ErrorResponse,
    )
    from .models import Error as ErrorModel

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "AzureOpenAIError",
    "BadRequestError",
    "ConflictError",
    "ContentFilterError",
    "IncompleteStreamError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]

_EXCERPT_CHARS = 300
_RAW_BODY_LIMIT = 64 * 1024
_REQUEST_ID_HEADERS = ("apim-request-id", "x-request-id", "x-ms-request-id")


def request_id_of(headers: httpx.Headers) -> str | None:
    """The request id Azure put on a response, for support tickets and log correlation."""
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def excerpt(content: bytes | str, limit: int = _EXCERPT_CHARS) -> str:
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


class AzureOpenAIError(Exception):
    """Base class of every error this package raises."""


class InvalidRequestError(AzureOpenAIError, ValueError):
    """The call's arguments do not satisfy the spec; raised before anything is sent.

    ``problems`` lists ``(field path, message)`` pairs, e.g. ``("messages.0.content", ...)``.
    """

    def __init__(self, operation: str, problems: list[tuple[str, str]]) -> None:
        self.operation = operation
        self.problems = problems
        lines = "\n".join(f"  {path or '<body>'}: {message}" for path, message in problems)
        super().__init__(f"invalid arguments for {operation}:\n{lines}")


class APIConnectionError(AzureOpenAIError):
    """The request could not be completed: DNS, TCP, TLS, or the connection dropped."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (after any retries). Raise ``timeout=`` or retry later."""


class APIResponseValidationError(AzureOpenAIError):
    """A success response whose body is not what the operation returns (not JSON, say).

    Carries the status, request id, content type and a short excerpt of the body.
    """

    def __init__(self, message: str, *, response: httpx.Response, body_excerpt: str) -> None:
        self.response = response
        self.status_code = response.status_code
        self.request_id = request_id_of(response.headers)
        self.content_type = response.headers.get("content-type")
        self.body_excerpt = body_excerpt
        details = f"status {self.status_code}, content-type {self.content_type!r}"
        if self.request_id:
            details += f", request id {self.request_id}"
        super().__init__(f"{message} ({details}); body starts: {body_excerpt!r}")


class APIStatusError(AzureOpenAIError):
    """The service answered with an error status.

    Attributes: ``status_code``, Azure's error ``code`` and ``message``, ``request_id``
    (quote it to Azure support), ``body`` (the parsed :class:`~azure_oai_preview.models.ErrorResponse`,
    or None when the body was not an Azure error object), ``raw_body`` (the body text, up
    to 64 KiB) and ``response`` (the ``httpx.Response``).
    """

    status_code: int

    def __init__(
        self,
        *,
        response: httpx.Response,
        body: ErrorResponse | DalleErrorResponse | None,
        code: str | None,
        message: str | None,
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.request_id = request_id_of(response.headers)
        self.body = body
        self.code = code
        self.message = message
        # The whole body (bounded), so that findings deep in it are not lost; the exception
        # message quotes only a short excerpt.
        self.raw_body = response.content[:_RAW_BODY_LIMIT].decode("utf-8", "replace")
        super().__init__(self._describe())

    def _describe(self) -> str:
        parts = [f"HTTP {self.status_code}"]
        if self.code:
            parts.append(f"[{self.code}]")
        parts.append(
            self.message or (f"body: {excerpt(self.raw_body)!r}" if self.raw_body else "empty body")
        )
        text = " ".join(parts)
        if self.request_id:
            text += f" (request id {self.request_id})"
        hint = _HINTS.get(self.status_code)
        return f"{text}. {hint}" if hint else text


class BadRequestError(APIStatusError):
    """HTTP 400: the service rejected the request's content."""


class ContentFilterError(BadRequestError):
    """HTTP 400 because Azure's content filter blocked the prompt.

    ``content_filter_results`` holds the typed per-category results (hate, sexual,
    violence, self_harm, profanity, jailbreak, custom blocklists...; for images the
    DALL-E filter results) when the service sent them, else None.
    """

    def __init__(
        self,
        *,
        response: httpx.Response,
        body: ErrorResponse | DalleErrorResponse | None,
        code: str | None,
        message: str | None,
        content_filter_results: ContentFilterPromptResults | DalleFilterResults | None,
    ) -> None:
        self.content_filter_results = content_filter_results
        super().__init__(response=response, body=body, code=code, message=message)


class AuthenticationError(APIStatusError):
    """HTTP 401: the api-key or token was missing, wrong, or for another resource."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the identity may not use this resource or deployment."""


class NotFoundError(APIStatusError):
    """HTTP 404: no such deployment, object or route (check endpoint and api-version)."""


class ConflictError(APIStatusError):
    """HTTP 409: the object is in a state that does not allow this (a run still active, say)."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422: the request was well-formed but its values were not accepted."""


class RateLimitError(APIStatusError):
    """HTTP 429: quota or rate limit reached (after any retries)."""


class InternalServerError(APIStatusError):
    """HTTP 5xx: the service failed (after any retries)."""


_HINTS: dict[int, str] = {
    401: "Check the api-key or the credential's tenant, and that it belongs to this resource",
    403: "The identity lacks a role on this resource (e.g. 'Cognitive Services OpenAI User')",
    404: "Check the endpoint, the deployment name and that this api-version has the operation",
    429: "Slow down, or raise the deployment's quota; max_retries controls automatic retries",
}

STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return InternalServerError
    return STATUS_ERRORS.get(status_code, APIStatusError)


class APIStreamError(AzureOpenAIError):
    """The service reported an error inside a stream that had started normally.

    ``code`` and ``message`` come from the error object; ``error`` is the parsed
    :class:`~azure_oai_preview.models.Error` when it parsed, and ``data`` the raw payload.
    ``partial`` is what the stream delivered before the error, merged (see
    :class:`IncompleteStreamError`), or None.
    """

    def __init__(
        self,
        *,
        code: str | None,
        message: str | None,
        error: ErrorModel | None,
        data: Any,
        request_id: str | None,
        partial: Any = None,
    ) -> None:
        self.code = code
        self.message = message
        self.error = error
        self.data = data
        self.request_id = request_id
        self.partial = partial
        text = f"error in stream: [{code or 'unknown'}] {message or excerpt(str(data))}"
        if request_id:
            text += f" (request id {request_id})"
        super().__init__(text)


class IncompleteStreamError(AzureOpenAIError):
    """A stream (or a streamed body) ended before its end: the connection dropped, the
    service stopped, or the last event was cut off.

    What was received before the break has already been delivered, and ``partial`` holds it
    merged, the way the complete stream would have been (None when nothing arrived):

    * chat completion streams: a ``CreateChatCompletionResponse`` (message text, tool calls,
      context, filter results... so far; ``finish_reason`` None for unfinished choices);
    * completions streams: a ``CompletionsCreateResponse`` (text so far);
    * run streams: a ``RunStreamSnapshot`` (``run``, ``thread``, ``messages``,
      ``run_steps`` as far as the stream got).

    ``event`` and ``data`` name the event that could not be read (its SSE event name, its
    raw data text) when one was cut off. For a server-sent-event body cut mid-event,
    ``buffered_bytes`` counts the bytes of an unterminated line that were never parsed and
    ``fields_pending`` says whether complete field lines of the event had arrived.
    """

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None = None,
        partial: Any = None,
        event: str | None = None,
        data: str | None = None,
        buffered_bytes: int = 0,
        fields_pending: bool = False,
    ) -> None:
        self.request_id = request_id
        self.partial = partial
        self.event = event
        self.data = data
        self.buffered_bytes = buffered_bytes
        self.fields_pending = fields_pending
        if request_id:
            message += f" (request id {request_id})"
        super().__init__(message)
