"""One error hierarchy for everything the client raises.

Every error derives from :class:`AzureOpenAIError`. Messages name what went wrong and,
where there is one, what to do about it. None of them ever contains an api-key or token:
request headers are not part of any message, and only the response body (which the
service wrote) is quoted. The request an error carries (``error.request``, and
``error.response.request``) is a redacted view: method, URL and headers, credential values
replaced by ``[redacted]``, no body (see :mod:`._redaction`).

Every error can be pickled (a worker process of a ``ProcessPoolExecutor`` can raise one to its
parent) and copied; its ``__cause__`` is not part of the pickle, as with any exception.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Annotations only: importing the errors must stay cheap (the public facade lists them).
    import httpx

    from .models import (
        AuthoringErrorResponse,
        AuthoringInnerError,
        ContentFilterPromptResults,
        DalleErrorResponse,
        DalleFilterResults,
        DalleInnerError,
        ErrorResponse,
        InnerError,
    )
    from .models import Error as ErrorModel

    ErrorBody = ErrorResponse | DalleErrorResponse | AuthoringErrorResponse

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "APIVersionWarning",
    "AuthenticationError",
    "AzureOpenAIError",
    "BadRequestError",
    "ConflictError",
    "ContentFilterError",
    "CredentialError",
    "EventHandlerError",
    "IncompleteStreamError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "UnprocessableEntityError",
    "UploadAndPollError",
    "UploadNotReplayableError",
]

_EXCERPT_CHARS = 300
_MESSAGE_CHARS = 2000
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

    uploaded_file_ids: tuple[str, ...] = ()
    """The ids of the files an upload helper (``vector_stores.files.upload_and_poll``,
    ``vector_stores.file_batches.upload_and_poll``) had uploaded when it failed with this
    error: they stay in ``client.files``, to delete or to pass as ``file_ids=`` to a retry.
    Empty for every other error, and when nothing had been uploaded yet."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The constructors take keyword-only arguments, which the default pickling of
        # exceptions (``cls(*args)``) cannot call: rebuild without them, then restore the
        # attributes. They hold no secret: requests are redacted views.
        return (_rebuild, (type(self), self.args), self.__dict__.copy())


def _rebuild(cls: type[AzureOpenAIError], args: tuple[Any, ...]) -> AzureOpenAIError:
    error = cls.__new__(cls)
    error.args = args
    return error


def _redacted(response: httpx.Response) -> httpx.Request | None:
    """Redact ``response.request`` in place (see :mod:`._redaction`) and return it."""
    from ._redaction import redact_response

    redact_response(response)
    try:
        return response.request
    except RuntimeError:  # a response built without a request (tests, custom transports)
        return None


class InvalidRequestError(AzureOpenAIError, ValueError):
    """The call's arguments do not satisfy the spec; raised before anything is sent.

    ``problems`` lists every ``(field path, message)`` pair, e.g.
    ``("messages.0.content", "expected a string or an array; got an integer")``; paths are
    dotted wire names and list indices, ``""`` for the body itself. Messages name the type
    expected and the JSON type given, never a value.

    The message stays short for big inputs: problems of one kind (the same message at paths
    that differ only in list indices or keys, ``messages.*.content``) share one line with their
    count and first paths, and at most :attr:`MAX_LINES` such lines are shown, followed by how
    many more kinds there are. ``problems`` always holds the full list.
    """

    MAX_LINES = 20
    """Lines (kinds of problem) the message shows at most."""
    MAX_EXAMPLES = 3
    """Paths shown on a line that stands for several problems."""

    def __init__(self, operation: str, problems: list[tuple[str, str]]) -> None:
        self.operation = operation
        self.problems = problems
        super().__init__(self._summary())

    def _summary(self) -> str:
        groups: dict[tuple[str, str], list[str]] = {}
        for path, message in self.problems:
            groups.setdefault((_path_pattern(path), message), []).append(path)
        lines: list[str] = []
        for (pattern, message), paths in list(groups.items())[: self.MAX_LINES]:
            if len(paths) == 1:
                lines.append(f"  {paths[0] or '<body>'}: {message}")
                continue
            shown = ", ".join(paths[: self.MAX_EXAMPLES])
            more = ", ..." if len(paths) > self.MAX_EXAMPLES else ""
            lines.append(f"  {pattern}: {message} ({len(paths)} places: {shown}{more})")
        hidden = len(groups) - self.MAX_LINES
        if hidden > 0:
            rest = sum(len(paths) for paths in list(groups.values())[self.MAX_LINES :])
            lines.append(
                f"  ... and {hidden} more kinds of problem ({rest} problems; see .problems)"
            )
        count = len(self.problems)
        head = f"invalid arguments for {self.operation}"
        if count > 1:
            head += f" ({count} problems)"
        return head + ":\n" + "\n".join(lines)


def _path_pattern(path: str) -> str:
    """``messages.12.content`` -> ``messages.*.content``: list indices (and numeric keys) vary."""
    return ".".join("*" if part.isdigit() else part for part in path.split(".")) if path else ""


class EventHandlerError(AzureOpenAIError, TypeError):
    """The ``event_handler`` of a run stream does not suit the client.

    The sync client calls the hooks of an ``AssistantEventHandler`` (plain ``def``); the async
    client awaits those of an ``AsyncAssistantEventHandler``. What the class shows (the other
    client's handler, a class instead of an instance, an ``async def`` hook on the sync
    client) is raised before anything is sent; an async client's hook that gives no awaitable,
    or a sync client's that gives one, when it is called. ``handler`` is the handler's class
    name; ``hook`` the method of the wrong kind (``"on_text_delta"``), or None when the handler
    as a whole is. A ``TypeError``, as a wrong handler always was.
    """

    def __init__(self, message: str, *, handler: str, hook: str | None = None) -> None:
        self.handler = handler
        self.hook = hook
        super().__init__(f"event_handler: {message}")


class CredentialError(AzureOpenAIError):
    """The credential or token provider could not produce a token, so nothing was sent.

    The credential's own exception (azure-identity's ``ClientAuthenticationError``, say) is
    the ``__cause__``, and it is where the details are: this message names only its type,
    because a third party's message is not ours to vouch for. ``source`` names the credential
    type (``"credential=DefaultAzureCredential"``), ``scopes`` the scopes asked for.

    Callers that asked for a token while the credential was being asked share the outcome,
    and for a short while after a failure (when there is no valid token to fall back on)
    new requests get this error again without a new credential call: a struggling identity
    endpoint is asked once per attempt window, not once per request.
    """

    def __init__(self, message: str, *, source: str, scopes: tuple[str, ...] = ()) -> None:
        self.source = source
        self.scopes = scopes
        super().__init__(message)


class APIConnectionError(AzureOpenAIError):
    """The request could not be completed: DNS, TCP, TLS, or the connection dropped.

    ``request`` is the request's redacted view (``method``, ``url``, ``headers``
    with credential values ``[redacted]``; ``x-ms-client-request-id`` identifies it).
    """

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        if request is not None:
            from ._redaction import redacted_request

            request = redacted_request(request)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (after any retries). Raise ``timeout=`` or retry later."""


class APIResponseValidationError(AzureOpenAIError):
    """A success response whose body is not what the operation returns (not JSON, say).

    Carries the status, request id, content type and a short excerpt of the body;
    ``request`` is the request's redacted view (as for :class:`APIConnectionError`).
    """

    def __init__(self, message: str, *, response: httpx.Response, body_excerpt: str) -> None:
        self.request = _redacted(response)
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
    (quote it to Azure support), ``body`` (the parsed error object of the operation:
    :class:`~azure_oai_preview.models.ErrorResponse`, ``DalleErrorResponse`` for images,
    ``AuthoringErrorResponse`` for files, fine-tuning, models and ingestion jobs; None when the
    body was not an Azure error object), :attr:`inner_error` (its typed inner error),
    ``raw_body`` (the body text, up to 64 KiB), ``response`` (the ``httpx.Response``) and
    ``request`` (the request's redacted view, also ``response.request``: method, URL, headers
    with credentials ``[redacted]``).
    """

    status_code: int

    def __init__(
        self,
        *,
        response: httpx.Response,
        body: ErrorBody | None,
        code: str | None,
        message: str | None,
    ) -> None:
        self.request = _redacted(response)
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

    @property
    def inner_error(self) -> InnerError | DalleInnerError | AuthoringInnerError | None:
        """The error's typed inner error (``error.innererror`` or ``error.inner_error``), or None.

        Azure spells it both ways: chat and completions errors send ``innererror`` (with
        ``content_filter_result``), DALL-E errors the spec's ``inner_error`` (with
        ``content_filter_results`` and ``revised_prompt``); this reads whichever came.
        ``InnerError`` for inference operations (``code`` ``ResponsibleAIPolicyViolation`` and the
        prompt's content filter results), ``DalleInnerError`` for images,
        ``AuthoringInnerError`` (a ``code`` and a nested ``innererror``) for authoring operations.
        """
        return inner_error_of(self.body)

    def _describe(self) -> str:
        parts = [f"HTTP {self.status_code}"]
        if self.code:
            parts.append(f"[{self.code}]")
        parts.append(
            # The service's message, bounded: it is quoted into every log line of this error.
            excerpt(self.message, _MESSAGE_CHARS)
            if self.message
            else (f"body: {excerpt(self.raw_body)!r}" if self.raw_body else "empty body")
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
    DALL-E filter results) when the service sent them, else None: the inner error's
    ``content_filter_result`` or ``content_filter_results``, whichever spelling came.
    :attr:`~APIStatusError.inner_error` has the rest of the inner error (its ``code``, and for
    images the ``revised_prompt``).
    """

    def __init__(
        self,
        *,
        response: httpx.Response,
        body: ErrorBody | None,
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


class UploadNotReplayableError(AzureOpenAIError):
    """A request had to be sent again (a redirect that keeps the body), but its file came from
    a non-seekable stream that was already sent: it is never buffered, so it cannot be.

    Pass a path, bytes or a seekable file object to make an upload replayable.
    ``sent`` is the number of bytes that had gone out.
    """

    def __init__(self, sent: int) -> None:
        self.sent = sent
        super().__init__(
            f"the upload was read from a non-seekable stream and {sent} bytes of it were "
            "already sent; it is not buffered, so it cannot be sent again. Pass a path, "
            "bytes or a seekable file object for an upload that can be retried"
        )


class UploadAndPollError(AzureOpenAIError):
    """An upload helper failed, after uploading files, with an error that is not an
    :class:`AzureOpenAIError` (a file that could not be read, say): that error is the
    ``__cause__``, and ``uploaded_file_ids`` names the files uploaded before it.

    A failure that is an :class:`AzureOpenAIError` keeps its class instead (a copy of it,
    with ``uploaded_file_ids`` set and the original as ``__cause__``).
    """

    def __init__(self, uploaded_file_ids: tuple[str, ...], cause: BaseException) -> None:
        self.uploaded_file_ids = uploaded_file_ids
        super().__init__(
            f"{type(cause).__name__} after uploading {len(uploaded_file_ids)} file(s) "
            f"({', '.join(uploaded_file_ids)}); they stay in client.files"
        )


def with_uploaded_files(error: Exception, file_ids: tuple[str, ...]) -> AzureOpenAIError:
    """The error an upload helper raises (``from error``) for ``error`` once ``file_ids`` are
    uploaded: a copy of an :class:`AzureOpenAIError` that names them - the original may be
    shared by other callers (a credential failure is) and so is never changed - or an
    :class:`UploadAndPollError` for any other error."""
    if not isinstance(error, AzureOpenAIError):
        return UploadAndPollError(file_ids, error)
    tagged = copy.copy(error)
    tagged.uploaded_file_ids = file_ids
    return tagged


class APIVersionWarning(UserWarning):
    """The client sends an ``api-version`` other than the one its models were generated from.

    Requests are still validated against, and responses parsed with, the generated models'
    version, so fields that exist only in the other version are not checked (send them with
    ``extra_body``) and come back as extra fields. Issued once per process and version.
    Silence it with ``warnings.filterwarnings("ignore", category=APIVersionWarning)``.
    """


class PollTimeoutError(AzureOpenAIError, TimeoutError):
    """Polling gave up: the object had not settled when ``timeout`` ran out.

    The object is not cancelled - it may still finish. ``last`` is what the final
    retrieval returned (a ``RunObject`` for runs), so you can keep polling or cancel it.
    """

    def __init__(self, last: Any, timeout: float) -> None:
        self.last = last
        self.timeout = timeout
        kind = getattr(last, "object", None) or type(last).__name__
        status = getattr(last, "status", None)
        super().__init__(
            f"{kind} {getattr(last, 'id', '?')} was still {str(status)!r} after {timeout:g}s of polling; "
            "it keeps going on the service - poll again, raise timeout=, or cancel it"
        )


def inner_error_of(
    body: ErrorBody | None,
) -> InnerError | DalleInnerError | AuthoringInnerError | None:
    """The typed inner error of a parsed error body, under either spelling.

    A body parsed leniently may hold a raw value where the inner error should be (it was not
    an object); that is no inner error, and stays readable in ``body``. Read by attribute, not
    by class: the body is already of its operation's error model, and naming the other
    operations' classes would load their API areas of the models.
    """
    from ._models import OpenModel

    error = body.error if body is not None else None
    for spelling in ("innererror", "inner_error"):
        inner = getattr(error, spelling, None)
        if isinstance(inner, OpenModel):
            return inner  # type: ignore[return-value]  # the body's model fixes its class
    return None
