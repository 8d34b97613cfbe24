"""Cursor pagination: pages, both directions, filters carried over, and walks that always end."""

from __future__ import annotations

import logging
from types import SimpleNamespace as Item
from typing import Any

import httpx
import pytest
import respx
from _assistants_support import (
    API_VERSION,
    PagedService,
    example_response,
    listing,
    messages,
)

from azure_oai_preview import (
    AsyncAzureOpenAI,
    AsyncCursorPage,
    AzureOpenAI,
    CursorPage,
    RawResponse,
)
from azure_oai_preview._call import Call
from azure_oai_preview._pagination import _Cursor, _Walk
from azure_oai_preview.resources._crud import list_call

THREAD = "thread_abc123"


def ids(items: Any) -> list[str]:
    return [item.id if not isinstance(item, dict) else item["id"] for item in items]


def expected_ids(count: int, *, descending: bool = True, keep: Any = None) -> list[str]:
    numbers = [i for i in range(count) if keep is None or keep(i)]
    return [f"msg_{i:04d}" for i in (reversed(numbers) if descending else numbers)]


@pytest.fixture
def service(mock_api: respx.MockRouter) -> PagedService:
    paged = PagedService(
        messages(23, run_ids=("run_a", "run_b", None)), filters={"run_id": "run_id"}
    )
    mock_api.get(f"/threads/{THREAD}/messages").mock(side_effect=paged)
    return paged


# -- sync --------------------------------------------------------------------------------------------


def test_first_page_attributes(client: AzureOpenAI, service: PagedService) -> None:
    page = client.threads.messages.list(THREAD, limit=5)
    assert isinstance(page, CursorPage)
    assert ids(page.data) == expected_ids(23)[:5]
    assert page.has_more is True
    assert page.first_id == "msg_0022"
    assert page.last_id == "msg_0018"
    assert type(page.listing).__name__ == "ListMessagesResponse"
    assert "items=5" in repr(page)
    assert service.queries == [{"api-version": API_VERSION, "limit": "5"}]


def test_iteration_walks_every_page_lazily_with_limit_and_order_kept(
    client: AzureOpenAI, service: PagedService
) -> None:
    page = client.threads.messages.list(THREAD, limit=5, order="asc")
    walked = iter(page)
    first_six = [next(walked) for _ in range(6)]
    assert len(service.queries) == 2, "the second page is fetched only when needed"
    rest = list(walked)
    assert ids(first_six + rest) == expected_ids(23, descending=False)
    assert len(service.queries) == 5
    for query in service.queries:
        assert query["limit"] == "5"
        assert query["order"] == "asc"
    assert [q.get("after") for q in service.queries] == [
        None,
        "msg_0004",
        "msg_0009",
        "msg_0014",
        "msg_0019",
    ]


def test_filter_is_kept_on_every_page(client: AzureOpenAI, service: PagedService) -> None:
    walked = list(client.threads.messages.list(THREAD, limit=2, run_id="run_b"))
    assert ids(walked) == expected_ids(23, keep=lambda i: i % 3 == 1)
    assert len(service.queries) == 4
    assert all(query["run_id"] == "run_b" for query in service.queries)


def test_next_and_previous_page(client: AzureOpenAI, service: PagedService) -> None:
    first = client.threads.messages.list(THREAD, limit=3, order="asc", run_id="run_a")
    assert first.previous_page() is None, "nothing comes before the first page"
    second = first.next_page()
    assert second is not None
    third = second.next_page()
    assert third is not None
    back = third.previous_page()
    assert back is not None
    assert ids(back.data) == ids(second.data)
    assert ids(first.data) + ids(second.data) + ids(third.data) == expected_ids(
        23, descending=False, keep=lambda i: i % 3 == 0
    )
    assert third.has_more is False
    assert third.next_page() is None
    assert service.queries[-1] == {
        "api-version": API_VERSION,
        "limit": "3",
        "order": "asc",
        "run_id": "run_a",
        "before": ids(third.data)[0],
    }


def test_backward_listing_walks_backwards_to_the_start(
    client: AzureOpenAI, service: PagedService
) -> None:
    page = client.threads.messages.list(THREAD, limit=3, order="asc", before="msg_0010")
    pages = list(page.iter_pages())
    assert [ids(p.data) for p in pages] == [
        ["msg_0007", "msg_0008", "msg_0009"],
        ["msg_0004", "msg_0005", "msg_0006"],
        ["msg_0001", "msg_0002", "msg_0003"],
        ["msg_0000"],
    ]
    assert sorted(ids(page)) == [f"msg_{i:04d}" for i in range(10)]
    assert all("after" not in q for q in service.queries)
    # And forward again from a backward page.
    forward = pages[-1].next_page()
    assert forward is not None
    assert ids(forward.data) == ["msg_0001", "msg_0002", "msg_0003"]


def test_iter_pages_yields_this_page_first(client: AzureOpenAI, service: PagedService) -> None:
    page = client.threads.messages.list(THREAD, limit=10)
    pages = list(page.iter_pages())
    assert pages[0] is page
    assert [len(p.data) for p in pages] == [10, 10, 3]


def test_raw_response_page_then_plain_pages(client: AzureOpenAI, service: PagedService) -> None:
    raw = client.with_raw_response.threads.messages.list(THREAD, limit=10)
    assert isinstance(raw, RawResponse)
    page = raw.parse()
    second = page.next_page()
    assert isinstance(second, CursorPage)
    assert len(list(page)) == 23


# -- a window: both after= and before= -----------------------------------------------------------


def msg(i: int) -> str:
    return f"msg_{i:04d}"


def test_a_window_is_walked_within_its_bounds(client: AzureOpenAI, service: PagedService) -> None:
    # It used to run past before=: the first step dropped the bound (06..22, not 06..11).
    page = client.threads.messages.list(THREAD, limit=3, order="asc", after=msg(5), before=msg(12))
    assert ids(page) == [msg(i) for i in range(6, 12)]
    assert [q.get("before") for q in service.queries] == [msg(12), msg(12)]
    assert [ids(p.data) for p in page.iter_pages()] == [
        [msg(6), msg(7), msg(8)],
        [msg(9), msg(10), msg(11)],
    ]
    # Descending, the same: between the two, from after= on.
    down = client.threads.messages.list(THREAD, limit=4, after=msg(20), before=msg(9))
    assert ids(down) == [msg(i) for i in range(19, 9, -1)]


def test_stepping_through_a_window_both_ways_stays_inside(
    client: AzureOpenAI, service: PagedService
) -> None:
    first = client.threads.messages.list(THREAD, limit=3, order="asc", after=msg(2), before=msg(12))
    assert first.previous_page() is None, "what comes before the window is outside it"
    second = first.next_page()
    third = second.next_page() if second else None
    assert third is not None
    assert ids(third.data) == [msg(9), msg(10), msg(11)]
    assert third.next_page() is None
    back = third.previous_page()
    assert back is not None
    assert ids(back.data) == [msg(6), msg(7), msg(8)]
    # A page reached backwards walks back to the window's start, and no further.
    assert ids(back) == [msg(i) for i in (8, 7, 6, 5, 4, 3)]
    start = back.previous_page()
    assert start is not None
    assert ids(start.data) == [msg(3), msg(4), msg(5)]
    assert start.previous_page() is None
    # And forward again, up to the window's end.
    forward = start.next_page()
    assert forward is not None
    assert service.queries[-1]["before"] == msg(12)
    assert ids(forward) == [msg(i) for i in range(6, 12)]


# -- stop conditions -----------------------------------------------------------------------------


def _serve(mock_api: respx.MockRouter, pages: list[dict[str, Any]]) -> list[dict[str, str]]:
    queries: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        queries.append(dict(request.url.params))
        return httpx.Response(200, json=pages[min(len(queries), len(pages)) - 1])

    mock_api.get("/assistants").mock(side_effect=answer)
    return queries


def _assistants(*names: str) -> list[dict[str, Any]]:
    template = example_response("list_assistants")["data"][0]
    return [{**template, "id": name} for name in names]


def test_empty_last_page_ends_iteration(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    queries = _serve(mock_api, [listing(_assistants("a1", "a2"), True), listing([], False)])
    assert ids(client.assistants.list()) == ["a1", "a2"]
    assert len(queries) == 2


def test_has_more_with_empty_data_ends_iteration(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    queries = _serve(mock_api, [listing(_assistants("a1"), True), listing([], True)])
    page = client.assistants.list()
    assert ids(page) == ["a1"]
    assert len(queries) == 2
    last = page.next_page()
    assert last is not None
    assert last.next_page() is None


def test_has_more_false_fetches_nothing_more(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    queries = _serve(mock_api, [listing(_assistants("a1", "a2"), False)])
    page = client.assistants.list()
    assert ids(page) == ["a1", "a2"]
    assert page.next_page() is None
    assert len(queries) == 1


def test_service_ignoring_the_cursor_neither_loops_nor_repeats(
    client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    same = listing(_assistants("a1", "a2"), True)
    queries = _serve(mock_api, [same, same, same])
    with caplog.at_level(logging.WARNING, logger="azure_oai_preview"):
        assert ids(client.assistants.list()) == ["a1", "a2"]
    assert len(queries) == 2
    assert "twice" in caplog.text


def test_cycling_cursors_end_the_walk(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    a = listing(_assistants("a1", "a2"), True)
    b = listing(_assistants("b1", "b2"), True)
    queries = _serve(mock_api, [a, b, a, b, a])
    assert ids(client.assistants.list()) == ["a1", "a2", "b1", "b2"]
    assert len(queries) <= 4


def test_off_spec_items_keep_their_cursor(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    # Items the lenient parser keeps raw still carry the cursor, so no page is skipped.
    broken = [{**item, "created_at": "yesterday"} for item in _assistants("a1", "a2")]
    page_one = {**listing(broken, True), "first_id": None, "last_id": None}
    queries = _serve(mock_api, [page_one, listing(_assistants("a3"), False)])
    assert ids(client.assistants.list())[-1] == "a3"
    assert queries[1]["after"] == "a2"


def test_missing_edge_ids_fall_back_to_first_and_last_id(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    items = [{k: v for k, v in item.items() if k != "id"} for item in _assistants("x", "y")]
    queries = _serve(
        mock_api, [{**listing(items, True), "first_id": "x", "last_id": "y"}, listing([], False)]
    )
    assert len(list(client.assistants.list())) == 2
    assert queries[1]["after"] == "y"


class _Listing:
    def __init__(
        self,
        data: list[Any],
        has_more: bool,
        first_id: str | None = None,
        last_id: str | None = None,
    ) -> None:
        self.data, self.has_more, self.first_id, self.last_id = data, has_more, first_id, last_id


def _cursor(listing: _Listing, **query: Any) -> _Cursor[Any]:
    call: Call[Any, Any] = list_call("List_Assistants", "ListAssistantsResponse", query, {})
    return _Cursor(call, listing)


def test_cursor_reads_ids_of_raw_items() -> None:
    cursor = _cursor(_Listing([{"id": "raw1"}, {"id": "raw2"}], True))
    call = cursor.next_call()
    assert call is not None
    assert call.query == {"after": "raw2"}


def test_cursor_refuses_a_cursor_that_does_not_move() -> None:
    assert _cursor(_Listing([{"id": "a"}, {"id": "b"}], True), after="b").next_call() is None
    assert _cursor(_Listing([{"id": "a"}], True), before="a").previous_call() is None


def test_cursor_without_any_id_ends() -> None:
    assert _cursor(_Listing([{"name": "no id"}], True)).next_call() is None


class _Id(str):
    """A string id of a subclass: still an id."""


@pytest.mark.parametrize(
    ("first", "second", "repeated"),
    [
        ([Item(id="a"), Item(id="")], [Item(id="b"), Item(id="")], []),  # "" is no id
        ([Item(id=1)], [Item(id=1)], []),  # nor is a number
        ([Item(id=None)], [Item(id=None)], []),
        ([Item(id=["a"])], [Item(id=["a"]), Item(id={"a": 1})], []),  # nor a list (unhashable)
        ([Item(name="no id")], [Item(name="no id")], []),
        ([{"id": "a"}, {"no": "id"}], [{"id": "a"}, {"no": "id"}], [0]),
        ([Item(id=_Id("a"))], [Item(id="a"), Item(id=_Id("b"))], [0]),
        ([Item(id="a"), Item(id="b")], [Item(id="b"), Item(id="c"), Item(id="c")], [0, 2]),
    ],
)
def test_a_walk_yields_every_item_once_by_id_whatever_the_items_hold(
    first: list[Any], second: list[Any], repeated: list[int]
) -> None:
    walk = _Walk()
    assert walk.fresh(_cursor(_Listing(first, True))) == first
    kept = [item for i, item in enumerate(second) if i not in repeated]
    assert walk.fresh(_cursor(_Listing(second, True), after="x")) == kept


# -- async ----------------------------------------------------------------------------------------


async def test_async_iteration_with_filter(
    async_client: AsyncAzureOpenAI, service: PagedService
) -> None:
    page = await async_client.threads.messages.list(THREAD, limit=3, run_id="run_a", order="asc")
    assert isinstance(page, AsyncCursorPage)
    walked = [item.id async for item in page]
    assert walked == expected_ids(23, descending=False, keep=lambda i: i % 3 == 0)
    assert all(q["run_id"] == "run_a" and q["limit"] == "3" for q in service.queries)


async def test_async_next_previous_and_backwards(
    async_client: AsyncAzureOpenAI, service: PagedService
) -> None:
    first = await async_client.threads.messages.list(THREAD, limit=5)
    assert await first.previous_page() is None
    second = await first.next_page()
    assert second is not None
    back = await second.previous_page()
    assert back is not None
    assert ids(back.data) == ids(first.data)
    backwards = await async_client.threads.messages.list(
        THREAD, limit=4, order="asc", before="msg_0009"
    )
    pages = [ids(p.data) async for p in backwards.iter_pages()]
    assert pages == [
        ["msg_0005", "msg_0006", "msg_0007", "msg_0008"],
        ["msg_0001", "msg_0002", "msg_0003", "msg_0004"],
        ["msg_0000"],
    ]


async def test_async_window_is_walked_within_its_bounds(
    async_client: AsyncAzureOpenAI, service: PagedService
) -> None:
    page = await async_client.threads.messages.list(
        THREAD, limit=3, order="asc", after=msg(5), before=msg(12)
    )
    assert [item.id async for item in page] == [msg(i) for i in range(6, 12)]
    assert await page.previous_page() is None
    second = await page.next_page()
    assert second is not None
    assert await second.next_page() is None
    back = await second.previous_page()
    assert back is not None
    assert [item.id async for item in back] == [msg(8), msg(7), msg(6)]


async def test_async_stop_conditions(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    same = listing(_assistants("a1", "a2"), True)
    queries = _serve(mock_api, [same, same, listing([], True)])
    assert [a.id async for a in await async_client.assistants.list()] == ["a1", "a2"]
    assert len(queries) == 2


def test_vector_store_file_filter_kept_across_pages_both_ways(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    template = example_response("list_vector_store_files")["data"][0]
    files = [
        {
            **template,
            "id": f"file-{i:03d}",
            "created_at": 1699061776 + i,
            "status": ("completed", "failed")[i % 2],
        }
        for i in range(11)
    ]
    paged = PagedService(files, filters={"filter": "status"})
    mock_api.get("/vector_stores/vs_abc123/file_batches/vsfb_abc123/files").mock(side_effect=paged)
    page = client.vector_stores.file_batches.list_files(
        "vsfb_abc123", vector_store_id="vs_abc123", filter="completed", limit=2, order="asc"
    )
    assert ids(page) == [f"file-{i:03d}" for i in range(0, 11, 2)]
    assert len(paged.queries) == 3
    assert all(q["filter"] == "completed" and q["limit"] == "2" for q in paged.queries)
    last = list(page.iter_pages())[-1]
    back = last.previous_page()
    assert back is not None
    assert ids(back.data) == ["file-004", "file-006"]
    assert paged.queries[-1]["filter"] == "completed"


async def test_async_vector_store_files_filter(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    template = example_response("list_vector_store_files")["data"][0]
    files = [
        {**template, "id": f"file-{i:03d}", "status": ("in_progress", "completed")[i % 2]}
        for i in range(7)
    ]
    paged = PagedService(files, filters={"filter": "status"})
    mock_api.get("/vector_stores/vs_abc123/files").mock(side_effect=paged)
    page = await async_client.vector_stores.files.list("vs_abc123", filter="in_progress", limit=3)
    assert [f.id async for f in page] == ["file-006", "file-004", "file-002", "file-000"]
    assert all(q["filter"] == "in_progress" for q in paged.queries)
