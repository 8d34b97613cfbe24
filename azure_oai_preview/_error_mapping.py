"""From a failure to the error this SDK raises: transport failures, unreadable bodies and
error responses (Azure's error objects, API Management's and gateways' shapes).

The error classes are in :mod:`._exceptions`; this module decides which one a failure is,
with what message and data. The exchange, the binary responses and the streams call it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ContentFilterError,
    IncompleteStreamError,
    inner_error_of,
    status_error_class,
)
from ._json import json_object, str_field

if TYPE_CHECKING:
    import httpx

    from ._exceptions import ErrorBody
    from .models import (
        AuthoringInnerError,
        ContentFilterPromptResults,
        DalleFilterResults,
        DalleInnerError,
        InnerError,
    )

__all__ = ["body_read_error", "connection_error", "status_error", "undecodable_body_error"]


def connection_error(exc: BaseException, request: httpx.Request) -> APIConnectionError:
    """The error for a request that failed in transport (after any retries)."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"request timed out ({type(exc).__name__}); raise timeout= or retry", request=request
        )
    if isinstance(exc, httpx.LocalProtocolError):
        # The request itself could not be written: httpx's message quotes the offending
        # header value, which may be a credential (from default_headers, say).
        return APIConnectionError(
            f"the request could not be sent ({type(exc).__name__}): a header value is not "
            "valid in HTTP (a newline or a non-ASCII character in default_headers or "
            "extra_headers?); the value is not shown",
            request=request,
        )
    return APIConnectionError(f"connection failed: {type(exc).__name__}: {exc}", request=request)


def undecodable_body_error(
    exc: httpx.DecodingError, response: httpx.Response
) -> APIResponseValidationError:
    """The error for a complete (non-streamed) response whose body could not be decoded: it
    does not match its ``content-encoding`` (a corrupt gzip body, say). Raise it ``from exc``."""
    encoding = response.headers.get("content-encoding")
    return APIResponseValidationError(
        f"the response body could not be decoded (content-encoding {encoding!r}: "
        f"{type(exc).__name__}: {exc})",
        response=response,
        body_excerpt="",
    )


def body_read_error(
    exc: BaseException,
    *,
    request_id: str | None,
    consequence: str = "it is incomplete",
    partial: Any = None,
) -> IncompleteStreamError:
    """The error for a body that stopped being readable while it was consumed piece by piece
    (an event stream, a binary download). Raise it ``from exc``.

    ``exc`` is what httpx raised while reading: a transport error (the connection broke or
    timed out) or a ``DecodingError`` (the body does not match its ``content-encoding``).
    Catch both with ``except httpx.RequestError``. ``consequence`` ends the message
    (``"the run continues on the service"``). What was delivered before stays delivered.
    ``exc`` is made safe to chain as the cause (redacted request, no httpx traceback).
    ``partial`` is what the stream added up to before it broke.
    """
    import httpx

    from ._redaction import scrub_transport_error

    scrub_transport_error(exc)
    if isinstance(exc, httpx.DecodingError):
        what = f"the body could not be decoded ({type(exc).__name__}: {exc})"
    elif isinstance(exc, httpx.TimeoutException):
        what = f"reading the body timed out ({type(exc).__name__})"
    else:
        what = f"the connection broke while reading the body ({type(exc).__name__})"
    return IncompleteStreamError(f"{what}; {consequence}", request_id=request_id, partial=partial)


def status_error(response: httpx.Response, error_model: str | None = None) -> APIStatusError:
    """Map an error response to the matching typed error, with Azure's code and message.

    ``error_model`` names the operation's error schema (``ErrorResponse``; ``DalleErrorResponse``
    for images; ``AuthoringErrorResponse`` for the authoring operations): an Azure error object
    is parsed into it, and its typed inner error tells a content-filter refusal
    (:class:`ContentFilterError`, with the inner error's content filter results) from any
    other bad request.
    """
    # Imported here, not at the top: the models are the heaviest import of the package and
    # sit below everything else, so the errors module must not pull them in up front.
    from . import models
    from ._deviations import parse_python

    try:
        payload: object = json.loads(response.content) if response.content else None
    except ValueError:
        payload = None
    body: ErrorBody | None = None
    code = message = None
    outer = json_object(payload)
    error = json_object(outer.get("error")) if outer is not None else None
    if error is not None:
        # By name, so that only the operation's own API area of the models is loaded.
        known = error_model in ("DalleErrorResponse", "AuthoringErrorResponse", "ErrorResponse")
        model = getattr(models, error_model if error_model and known else "ErrorResponse")
        parsed = parse_python(model, payload)
        body = parsed if isinstance(parsed, model) else None
        code = str_field(error, "code")
        message = str_field(error, "message")
        inner = inner_error_of(body)
        if response.status_code == 400 and (
            code in _CONTENT_FILTER_CODES
            or (inner is not None and inner.code == "ResponsibleAIPolicyViolation")
        ):
            return ContentFilterError(
                response=response,
                body=body,
                code=code,
                message=message,
                content_filter_results=_content_filter_results_of(inner),
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


# ``content_filter`` for chat and completions; DALL-E 3 says ``content_policy_violation`` (and
# the older image API ``contentFilter``). Any of them with a 400 is the content filter's refusal,
# as is any 400 whose inner error code is ``ResponsibleAIPolicyViolation``.
_CONTENT_FILTER_CODES = frozenset({"content_filter", "content_policy_violation", "contentFilter"})


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


def _content_filter_results_of(
    inner: InnerError | DalleInnerError | AuthoringInnerError | None,
) -> ContentFilterPromptResults | DalleFilterResults | None:
    from ._models import OpenModel

    for spelling in ("content_filter_result", "content_filter_results"):
        results = getattr(inner, spelling, None)
        if isinstance(results, OpenModel):
            return results  # type: ignore[return-value]  # the inner error's model fixes it
    return None
