"""Azure-style pages: a ``value`` array and a ``nextLink`` URL to the next page.

The authoring API lists ingestion jobs and their runs this way (``IngestionJobList``,
``IngestionJobRunList``), where the inference API uses ``has_more`` and ``after`` cursors
(:mod:`._pagination`). The link is opaque: the next page is exactly the URL the service
handed out, requested with the call's options (timeout, retries, headers such as
``mgmt-user-token``) and the client's ``api-version``. A relative link is resolved against
the URL of the page that carried it. The client follows a link only to its own endpoint (see
:meth:`~._config.ClientConfig.url_for`): a link elsewhere raises
:class:`~azure_oai_preview.InvalidRequestError` instead of carrying the credentials there.

A walk always ends: a page without ``nextLink`` is the last, and a link the walk has
already followed (a service that points back) ends it with a warning.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._call import Call, parse_json_response

if TYPE_CHECKING:
    import httpx

    from ._call import AsyncExecutor, SyncExecutor

__all__ = ["AsyncNextLinkPage", "NextLinkPage"]

ItemT = TypeVar("ItemT")
T = TypeVar("T")
AT = TypeVar("AT")

_log = logging.getLogger("azure_oai_preview")


def at_link(call: Call[T, AT], link: httpx.URL) -> Call[T, AT]:
    """``call``, sent to the absolute URL ``link`` instead of its operation's path.

    The link's query replaces the call's (it describes the page itself), except
    ``api-version``, which stays the client's.
    """
    query: dict[str, list[str]] = {}
    for name, value in link.params.multi_items():
        if name != "api-version":
            query.setdefault(name, []).append(value)
    flat = {name: values[0] if len(values) == 1 else values for name, values in query.items()}
    return replace(call, url=str(link.copy_with(query=None)), query=flat)


class _Link:
    """One fetched page and the call for the page after it."""

    __slots__ = ("call", "listing", "request_url")

    def __init__(self, call: Call[Any, Any], listing: Any, request_url: httpx.URL) -> None:
        self.call = call
        self.listing = listing
        self.request_url = request_url

    @property
    def next_link(self) -> str | None:
        link = getattr(self.listing, "nextLink", None)
        return link if isinstance(link, str) and link else None

    def next_call(self, followed: set[str] | None = None) -> Call[Any, Any] | None:
        """The call for the next page, or None; ``followed`` holds the links a walk has used."""
        link = self.next_link
        if link is None:
            return None
        absolute = self.request_url.join(link)
        if followed is not None:
            if str(absolute) in followed:
                _log.warning(
                    "%s: the service linked back to a page already listed; ending the listing",
                    self.call.operation.operation_id,
                )
                return None
            followed.add(str(absolute))
        return at_link(self.call, absolute)


class _PageView(Generic[ItemT]):
    _link: _Link

    @property
    def data(self) -> list[ItemT]:
        """The items of this page (the response's ``value``), in the service's order."""
        return self._link.listing.value or []

    @property
    def next_link(self) -> str | None:
        """The service's link to the next page, or None on the last page."""
        return self._link.next_link

    @property
    def has_more(self) -> bool:
        """Whether a next page exists (the response has a ``nextLink``)."""
        return self._link.next_link is not None

    @property
    def listing(self) -> Any:
        """The parsed list response model (``IngestionJobList``, ...)."""
        return self._link.listing

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.data)} has_more={self.has_more}>"


class NextLinkPage(_PageView[ItemT]):
    """A page of an Azure-style list operation; iterate it to walk every item across pages."""

    def __init__(
        self,
        executor: SyncExecutor,
        call: Call[Any, Any],
        listing: Any,
        request_url: httpx.URL,
    ) -> None:
        self._executor = executor
        self._link = _Link(call, listing, request_url)

    def next_page(self) -> NextLinkPage[ItemT] | None:
        """The next page (one request), or None on the last page."""
        call = self._link.next_call()
        return None if call is None else self._executor.execute(call)

    def iter_pages(self) -> Iterator[NextLinkPage[ItemT]]:
        """This page and the following ones, fetched as you go."""
        followed = {str(self._link.request_url)}
        page: NextLinkPage[ItemT] | None = self
        while page is not None:
            yield page
            call = page._link.next_call(followed)
            page = None if call is None else self._executor.execute(call)

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.data


class AsyncNextLinkPage(_PageView[ItemT]):
    """The async twin of :class:`NextLinkPage`: ``async for job in await client.x.list()``."""

    def __init__(
        self,
        executor: AsyncExecutor,
        call: Call[Any, Any],
        listing: Any,
        request_url: httpx.URL,
    ) -> None:
        self._executor = executor
        self._link = _Link(call, listing, request_url)

    async def next_page(self) -> AsyncNextLinkPage[ItemT] | None:
        call = self._link.next_call()
        return None if call is None else await self._executor.execute(call)

    async def iter_pages(self) -> AsyncIterator[AsyncNextLinkPage[ItemT]]:
        """This page and the following ones, fetched as you go."""
        followed = {str(self._link.request_url)}
        page: AsyncNextLinkPage[ItemT] | None = self
        while page is not None:
            yield page
            call = page._link.next_call(followed)
            page = None if call is None else await self._executor.execute(call)

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class NextLinkPageReader(Generic[ItemT]):
    """Result reader of Azure-style list operations: the listing, wrapped in a page."""

    __slots__ = ("listing_type",)

    def __init__(self, listing_type: Any) -> None:
        self.listing_type = listing_type

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> NextLinkPage[ItemT]:
        listing = parse_json_response(response, self.listing_type)
        return NextLinkPage(executor, call, listing, response.request.url)

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> AsyncNextLinkPage[ItemT]:
        listing = parse_json_response(response, self.listing_type)
        return AsyncNextLinkPage(executor, call, listing, response.request.url)
