"""What the ``with_raw_response`` views return: the HTTP response next to the parsed result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from ._exceptions import request_id_of

if TYPE_CHECKING:
    import httpx

__all__ = ["RawResponse"]

T = TypeVar("T")


class RawResponse(Generic[T]):
    """The HTTP response of a call next to its parsed result.

    Returned by methods reached through ``client.with_raw_response``: ``headers``,
    ``status_code``, ``request_id``, ``request`` and :meth:`parse`, which gives what the
    ordinary method returns. The result is built when the response arrives (for streams:
    opened, not read), the same way on the sync and the async client.
    """

    __slots__ = ("_parsed", "http_response")

    def __init__(self, http_response: httpx.Response, parsed: T) -> None:
        self.http_response = http_response
        self._parsed = parsed

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        """The request as sent, redacted: ``method``, ``url`` and ``headers`` (credential values
        ``[redacted]``; ``x-ms-client-request-id`` identifies it), no body. The same object as
        ``http_response.request``."""
        return self.http_response.request

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
