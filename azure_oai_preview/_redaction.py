"""Which request headers carry credentials, and the copies of requests that hide them.

One rule serves two purposes. A redirect that leaves the endpoint's origin drops every
credential-bearing header (:mod:`._exchange`), and every request a user can reach after the
fact - ``error.request``, ``error.response.request``, ``raw.http_response.request``, the
``request`` of an httpx exception in a cause chain, and therefore any pickle of them - is a
:class:`RedactedRequest`: the method, the URL and the headers, with credential values
replaced by ``[redacted]`` and no body (a body may hold a data source's key, and an upload is
no thing to keep alive in an exception).

A header carries a credential when its name is in :data:`CREDENTIAL_HEADERS`, or contains
one of :data:`CREDENTIAL_WORDS` (``x-custom-api-key``, ``aml-user-token``...). Query
parameters are judged by the same words (API Management also takes ``subscription-key`` in
the query), plus ``sig`` (the signature of a SAS URL).

The errors module imports this one only when it builds an error: importing the errors
must stay cheap, and this module needs httpx.
"""

from __future__ import annotations

import re
from contextlib import suppress
from typing import Any, Final

import httpx

__all__ = [
    "CREDENTIAL_HEADERS",
    "CREDENTIAL_WORDS",
    "REDACTED",
    "CredentialHeaders",
    "RedactedRequest",
    "is_credential_header",
    "redact_response",
    "redacted_request",
    "scrub_transport_error",
    "without_credentials",
]

CREDENTIAL_HEADERS: Final = frozenset(
    {
        "api-key",  # Azure OpenAI key
        "authorization",  # Entra ID bearer token (or any scheme)
        "proxy-authorization",
        "ocp-apim-subscription-key",  # Azure API Management subscription key
        "x-ms-authorization-auxiliary",  # cross-tenant auxiliary tokens
        "cookie",
        "x-api-key",
    }
)
"""Header names (lower case) that always carry a credential."""

CREDENTIAL_WORDS: Final = ("auth", "key", "token", "secret", "cookie", "password", "signature")
"""A header or query parameter whose lower-cased name contains one of these carries one too."""

REDACTED: Final = "[redacted]"
"""What a credential's value is replaced with."""

_CREDENTIAL_QUERY_NAMES = frozenset({"sig"})

# Anything in a raw query that could belong to a credential's name: one of the words, or a
# percent-escape (which could spell one). A query without any (most: ``api-version``,
# ``limit``, ``after``...) names no credential, so it is left as it is without being parsed.
# The raw query is ASCII (httpx escapes the rest), where ignoring case is lower-casing.
_QUERY_SUSPECT = re.compile(
    b"|".join(
        re.escape(word.encode()) for word in ("%", *CREDENTIAL_WORDS, *_CREDENTIAL_QUERY_NAMES)
    ),
    re.IGNORECASE,
)
_REDACTED_BYTES = REDACTED.encode()
# The verdicts of is_credential_header for the ASCII header names seen: a request carries the
# same few names every time. Bounded, against a stream of made-up names.
_header_verdicts: dict[bytes, bool] = {}
_MAX_VERDICTS = 256


def is_credential_header(name: str) -> bool:
    """Whether a header of this name carries a credential (see the module docstring)."""
    lowered = name.lower()
    return lowered in CREDENTIAL_HEADERS or any(word in lowered for word in CREDENTIAL_WORDS)


def _is_credential_query(name: str) -> bool:
    lowered = name.lower()
    return lowered in _CREDENTIAL_QUERY_NAMES or any(word in lowered for word in CREDENTIAL_WORDS)


def without_credentials(headers: httpx.Headers) -> httpx.Headers:
    """A copy of ``headers`` without any credential-bearing header."""
    return httpx.Headers(
        [(name, value) for name, value in headers.multi_items() if not is_credential_header(name)]
    )


class CredentialHeaders(dict[str, str]):
    """The credential headers for one attempt: a dict whose repr never shows a value.

    What the drivers hand the exchange, so that a frame's locals (a ``capture_locals``
    traceback, a debugger's variables view) never print the key or token.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(dict.fromkeys(self, REDACTED))

    def __reduce__(self) -> Any:
        raise TypeError("credential headers cannot be pickled")


def _redacted_url(url: httpx.URL) -> httpx.URL:
    if _QUERY_SUSPECT.search(url.query) is None:
        return url
    params = url.params
    if not any(_is_credential_query(name) for name in params):
        return url
    return url.copy_with(
        params=[
            (name, REDACTED if _is_credential_query(name) else value)
            for name, value in params.multi_items()
        ]
    )


def _is_credential_name(name: bytes, headers: httpx.Headers) -> bool:
    """:func:`is_credential_header` for a raw header name of ``headers``."""
    if not name.isascii():
        # Read as the headers read it (UTF-8, say): its lower case may spell a word.
        return is_credential_header(name.decode(headers.encoding))
    verdict = _header_verdicts.get(name)
    if verdict is None:
        verdict = is_credential_header(name.decode("ascii"))
        if len(_header_verdicts) < _MAX_VERDICTS:
            _header_verdicts[name] = verdict
    return verdict


class RedactedRequest(httpx.Request):
    """A sent request as errors and raw responses show it: ``method``, ``url`` and ``headers``,
    credential values replaced by ``[redacted]``, and no body (``content`` is empty)."""


def redacted_request(request: httpx.Request) -> httpx.Request:
    """The view of ``request`` that errors and raw responses expose (see the module docstring).

    Keeps ``method``, ``url`` and the headers users need (``x-ms-client-request-id``,
    ``content-type``...); a request that is already a view is returned as is.
    """
    if isinstance(request, RedactedRequest):
        return request
    headers = request.headers
    # The raw names and values, copied as they are: no decoding and re-encoding.
    kept = [
        (name, _REDACTED_BYTES if _is_credential_name(name, headers) else value)
        for name, value in headers.raw
    ]
    # Built from an empty stream: the headers stay the ones sent (httpx adds none).
    view = RedactedRequest(
        request.method, _redacted_url(request.url), headers=kept, stream=httpx.ByteStream(b"")
    )
    view.read()  # content is b""
    return view


def redact_response(response: httpx.Response) -> None:
    """Replace ``response.request`` by its redacted view (no-op for a response without one)."""
    try:
        request = response.request
    except RuntimeError:  # a response built by hand, never sent
        return
    response.request = redacted_request(request)


def scrub_transport_error(error: BaseException) -> None:
    """Make an httpx exception (and what it chains) safe to keep as an error's ``__cause__``.

    Its ``request`` becomes the redacted view, and the tracebacks along its chain are dropped:
    they run through httpx and httpcore frames whose locals hold the request's headers, which
    a ``capture_locals`` traceback would print. Type and message are kept - except the
    message of a protocol error about the request itself (h11's "Illegal header value
    b'...'"), which quotes the header value: that may be a credential.
    """
    import h11

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, httpx.LocalProtocolError | h11.LocalProtocolError):
            current.args = ("a header value is not valid in HTTP (the value is not shown)",)
        if isinstance(current, httpx.RequestError):
            with suppress(RuntimeError):  # raised without a request attached
                current.request = redacted_request(current.request)
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
