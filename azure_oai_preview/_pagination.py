"""Cursor pages for the list operations (``after`` / ``before`` / ``limit`` / ``order``).

A page holds one response (``data``, ``has_more``, ``first_id``, ``last_id``) and knows the
call that fetched it, so :meth:`CursorPage.next_page` and :meth:`CursorPage.previous_page`
repeat that call with the cursor moved and every other query parameter (``limit``,
``order``, filters) carried over. Iterating a page yields its items and then those of the
following pages, fetched lazily one at a time, in the direction of the original query
(``before=`` lists walk backwards). Which call comes next is decided in :class:`_Cursor`,
shared by the sync and async pages.

Iteration yields one consistent order: the order of travel. A forward walk (no cursor, or
``after=``) yields items in ``order``; a backward walk (``before=`` alone) starts next to
the cursor and moves away from it, so it yields items in the reverse of ``order``
(``order="asc", before="msg_08"`` yields 07, 06, 05, ... 01). The service returns every page
in ``order``, so a backward walk reverses each page's items; ``page.data`` itself stays as
the service sent it.

A listing asked with both ``after=`` and ``before=`` is a window: the items between the two,
walked forward from ``after``. Every page reached from it - by iterating, ``iter_pages()``,
``next_page()`` or ``previous_page()`` - stays inside: a step forward moves ``after`` and
keeps the ``before`` bound, a step back (``before=`` the page's first item) ends at the
window's first page. (The bound used to be dropped on the first step, and the walk ran on to
the end of the list.)

Iteration always ends: an empty page, or one whose cursor would not move (a service that
keeps answering ``has_more`` with the same page), is the last one, and a walk never
requests the same cursor twice.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from ._call import Call, parse_json_response

if TYPE_CHECKING:
    import httpx

    from ._call import AsyncExecutor, SyncExecutor

__all__ = ["AsyncCursorPage", "CursorPage"]

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound="_PageView[Any]")

_log = logging.getLogger("azure_oai_preview")


def _item_id(item: Any) -> str | None:
    # An item the service sent off-spec is kept as its raw JSON object (a dict): its id is
    # still the cursor, and losing it would end the walk early and skip items. (A dict check,
    # not Mapping: this runs for every listed item, and the ABC check costs more than the rest.)
    if isinstance(item, dict):
        raw: dict[str, Any] = item  # pyright: ignore[reportUnknownVariableType]
        item_id = raw.get("id")
    else:
        item_id = getattr(item, "id", None)
    return item_id if isinstance(item_id, str) and item_id else None


_STRINGS_ONLY = frozenset({str})


def _page_ids(items: list[Any]) -> list[str]:
    """The ids of a page's items that have one (:func:`_item_id`), in order."""
    try:
        # The usual page: models whose ids are all non-empty strings, read without the
        # per-item checks (which cost more than twice as much, for every listed item).
        ids: list[Any] = [item.id for item in items]
    except AttributeError:  # an item kept as raw JSON (a dict), or one without an id
        pass
    else:
        if set(map(type, ids)) <= _STRINGS_ONLY and "" not in ids:
            return ids
    return [i for i in map(_item_id, items) if i is not None]


def _takes_query(call: Call[Any, Any], name: str) -> bool:
    return any(parameter.name == name for parameter in call.operation.query_params)


class _Window(NamedTuple):
    """The bounds of a listing asked with both ``after=`` and ``before=``."""

    first: str | None
    """The id of the window's first item (of the page first listed); None: the window is empty."""
    before: str
    """The upper bound, kept on every step forward."""


class _Cursor(Generic[ItemT]):
    """One fetched page and the arithmetic of its neighbours.

    ``window`` holds the bounds of the listing this page belongs to, when it was asked with
    both cursors: the page first listed finds it in its query, and every page reached from it
    is handed the same (:meth:`_PageView._reached`).
    """

    __slots__ = ("call", "listing", "window")

    def __init__(self, call: Call[Any, Any], listing: Any) -> None:
        self.call = call
        self.listing = listing
        query = call.query
        self.window: _Window | None = (
            _Window(self._edge_id("first_id"), query["before"])
            if "after" in query and "before" in query
            else None
        )

    @property
    def data(self) -> list[ItemT]:
        return list(self.listing.data or [])

    @property
    def has_more(self) -> bool:
        # Listings that never page (files, models) have no has_more: one page is all there is.
        return bool(getattr(self.listing, "has_more", False))

    @property
    def backwards(self) -> bool:
        return "before" in self.call.query and "after" not in self.call.query

    def _edge_id(self, attribute: str) -> str | None:
        # Prefer the ids of the items themselves; first_id/last_id are a fallback for
        # services that omit them, and absent when data is empty.
        items: list[Any] = self.listing.data or []
        if items:
            item_id = _item_id(items[0] if attribute == "first_id" else items[-1])
            if item_id is not None:
                return item_id
        value = getattr(self.listing, attribute, None)
        return value if isinstance(value, str) and value else None

    def next_call(self) -> Call[Any, Any] | None:
        """The call for the page after this one, or None when there is none."""
        if not self.listing.data or (not self.backwards and not self.has_more):
            return None
        last = self._edge_id("last_id")
        if last is None or last == self.call.query.get("after"):
            # The cursor would not move: asking again would return this page forever.
            return None
        window = self.window
        return self.call.with_query(after=last, before=window.before if window else None)

    def previous_call(self) -> Call[Any, Any] | None:
        """The call for the page before this one, or None when there is none."""
        query = self.call.query
        if not _takes_query(self.call, "before"):
            return None  # forward-only cursors (fine-tuning jobs, events, checkpoints)
        if not self.listing.data or (self.backwards and not self.has_more):
            return None
        if "after" not in query and "before" not in query:
            return None  # the first page of a forward listing has nothing before it
        first = self._edge_id("first_id")
        if first is None or first == query.get("before"):
            return None
        if self.window is not None and first == self.window.first:
            return None  # the window's first page: what comes before is outside it
        # (Not after= the window's start: with both cursors the service answers the items
        # that follow after=, and the page before this one is the items nearest to it.)
        return self.call.with_query(before=first, after=None)

    def onward_call(self) -> Call[Any, Any] | None:
        return self.previous_call() if self.backwards else self.next_call()


class _Walk:
    """What one walk over the pages has seen, so that it ends and never repeats an item.

    A correct service needs none of this; one that ignores the cursor (answers ``after=``
    with the first page again) or whose cursors cycle would otherwise make ``for item in
    page`` repeat items forever. Shared by the sync and async pages.
    """

    __slots__ = ("cursors", "ids")

    def __init__(self) -> None:
        self.cursors: set[tuple[str, str]] = set()
        self.ids: set[str] = set()

    def onward_call(self, cursor: _Cursor[Any]) -> Call[Any, Any] | None:
        call = cursor.onward_call()
        if call is None:
            return None
        key = (
            ("before", call.query["before"]) if cursor.backwards else ("after", call.query["after"])
        )
        if key in self.cursors:
            _log.warning(
                "%s: the service led back to cursor %s=%r; ending the listing instead of repeating items",
                call.operation.operation_id,
                *key,
            )
            return None
        self.cursors.add(key)
        return call

    def fresh(self, cursor: _Cursor[ItemT]) -> list[ItemT]:
        """The items of ``cursor``'s page not yet yielded by this walk (by id), in the order of
        travel: reversed for a backward walk, whose pages arrive in ``order``."""
        ids = self.ids
        items = cursor.data
        in_travel = items[::-1] if cursor.backwards else items
        page_ids = _page_ids(items)
        unique = set(page_ids)
        if len(unique) == len(page_ids) and ids.isdisjoint(unique):
            # The usual page (no id seen before, none twice): set operations, no item loop.
            ids.update(unique)
            return in_travel
        fresh: list[ItemT] = []
        for item in in_travel:
            item_id = _item_id(item)
            if item_id is not None:
                if item_id in ids:
                    _log.warning("the service listed %r twice; it is yielded once", item_id)
                    continue
                ids.add(item_id)
            fresh.append(item)
        return fresh


class _PageView(Generic[ItemT]):
    _cursor: _Cursor[ItemT]

    def _reached(self, page: PageT) -> PageT:
        """``page``, fetched by a call of this one's cursor: it belongs to the same listing,
        bounds included."""
        page._cursor.window = self._cursor.window
        return page

    @property
    def data(self) -> list[ItemT]:
        """The items of this page, in the order the service returned them."""
        return self._cursor.listing.data or []

    @property
    def has_more(self) -> bool:
        return self._cursor.has_more

    @property
    def first_id(self) -> str | None:
        return getattr(self._cursor.listing, "first_id", None)

    @property
    def last_id(self) -> str | None:
        return getattr(self._cursor.listing, "last_id", None)

    @property
    def listing(self) -> Any:
        """The parsed list response model (``ListAssistantsResponse``, ...)."""
        return self._cursor.listing

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.data)} has_more={self.has_more} last_id={self.last_id!r}>"


class CursorPage(_PageView[ItemT]):
    """A page of a list operation; iterate it to walk every item across pages.

    Items come in the order of travel: in ``order`` for a forward listing, in the reverse of
    ``order`` for a ``before=`` listing (nearest the cursor first).
    """

    def __init__(self, executor: SyncExecutor, call: Call[Any, Any], listing: Any) -> None:
        self._executor = executor
        self._cursor = _Cursor(call, listing)

    def next_page(self) -> CursorPage[ItemT] | None:
        call = self._cursor.next_call()
        return None if call is None else self._reached(self._executor.execute(call))

    def previous_page(self) -> CursorPage[ItemT] | None:
        call = self._cursor.previous_call()
        return None if call is None else self._reached(self._executor.execute(call))

    def iter_pages(self) -> Iterator[CursorPage[ItemT]]:
        """This page and the following ones, fetched as you go."""
        yield from self._walk(_Walk())

    def _walk(self, walk: _Walk) -> Iterator[CursorPage[ItemT]]:
        page: CursorPage[ItemT] | None = self
        while page is not None:
            yield page
            call = walk.onward_call(page._cursor)
            page = None if call is None else self._reached(self._executor.execute(call))

    def __iter__(self) -> Iterator[ItemT]:
        walk = _Walk()
        for page in self._walk(walk):
            yield from walk.fresh(page._cursor)


class AsyncCursorPage(_PageView[ItemT]):
    """The async twin of :class:`CursorPage`: ``async for item in await client.x.list()``,
    in the same order."""

    def __init__(self, executor: AsyncExecutor, call: Call[Any, Any], listing: Any) -> None:
        self._executor = executor
        self._cursor = _Cursor(call, listing)

    async def next_page(self) -> AsyncCursorPage[ItemT] | None:
        call = self._cursor.next_call()
        return None if call is None else self._reached(await self._executor.execute(call))

    async def previous_page(self) -> AsyncCursorPage[ItemT] | None:
        call = self._cursor.previous_call()
        return None if call is None else self._reached(await self._executor.execute(call))

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[ItemT]]:
        """This page and the following ones, fetched as you go."""
        async for page in self._walk(_Walk()):
            yield page

    async def _walk(self, walk: _Walk) -> AsyncIterator[AsyncCursorPage[ItemT]]:
        page: AsyncCursorPage[ItemT] | None = self
        while page is not None:
            yield page
            call = walk.onward_call(page._cursor)
            page = None if call is None else self._reached(await self._executor.execute(call))

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        walk = _Walk()
        async for page in self._walk(walk):
            for item in walk.fresh(page._cursor):
                yield item


class PageReader(Generic[ItemT]):
    """Result reader of list operations: parses the list response and wraps it in a page."""

    __slots__ = ("listing_type",)

    def __init__(self, listing_type: Any) -> None:
        self.listing_type = listing_type

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> CursorPage[ItemT]:
        # The executor is a plain one: later pages are plain pages even when this one was
        # fetched through with_raw_response.
        return CursorPage(executor, call, parse_json_response(response, self.listing_type))

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> AsyncCursorPage[ItemT]:
        return AsyncCursorPage(executor, call, parse_json_response(response, self.listing_type))
