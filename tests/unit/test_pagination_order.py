"""Issue 15, item 12: walking a list yields one consistent order, backwards as forwards.

Auto-iteration yields items in the order of travel: in ``order`` when walking forward, and
in the reverse of ``order`` when walking backwards from a ``before=`` cursor (nearest the
cursor first), sync and async. ``page.data`` keeps the order the service sent. The lists
are served by the SDK's emulator, which pages the way the assistants APIs do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from azure_oai_preview.testing import Emulator


def _messages(client: Any) -> tuple[tuple[str, ...], list[str]]:
    thread = client.threads.create()
    ids = [
        client.threads.messages.create(thread.id, role="user", content=f"message {i:02d}").id
        for i in range(1, 11)
    ]
    return (thread.id,), ids


def _assistants(client: Any) -> tuple[tuple[str, ...], list[str]]:
    return (), [client.assistants.create(model="gpt-4o", name=f"a{i:02d}").id for i in range(1, 11)]


def _vector_stores(client: Any) -> tuple[tuple[str, ...], list[str]]:
    return (), [client.vector_stores.create(name=f"vs{i:02d}").id for i in range(1, 11)]


# The resource that lists, and what fills it with ten objects (their ids in creation order).
LISTS: dict[
    str, tuple[Callable[[Any], Any], Callable[[Any], tuple[tuple[str, ...], list[str]]]]
] = {
    "messages": (lambda client: client.threads.messages, _messages),
    "assistants": (lambda client: client.assistants, _assistants),
    "vector_stores": (lambda client: client.vector_stores, _vector_stores),
}


@pytest.fixture
def emulator() -> Emulator:
    return Emulator()


def _ids(items: Any) -> list[str]:
    return [item.id for item in items]


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_a_backward_walk_yields_one_order(kind: str, emulator: Emulator) -> None:
    resource, fill = LISTS[kind]
    with emulator.client() as client:
        args, ids = fill(client)  # 01 .. 10

        def listing(**query: Any) -> Any:
            return resource(client).list(*args, **query)

        # The case: ascending, before the 8th, three a page.
        page = listing(order="asc", before=ids[7], limit=3)
        assert _ids(page) == [ids[i] for i in (6, 5, 4, 3, 2, 1, 0)]
        # Pages keep the service's order; only the walk reverses them.
        assert [_ids(p.data) for p in page.iter_pages()] == [
            [ids[4], ids[5], ids[6]],
            [ids[1], ids[2], ids[3]],
            [ids[0]],
        ]
        # Descending (the default), before the 3rd: walking back towards the newest.
        assert _ids(listing(before=ids[2], limit=3)) == ids[3:]
        # Forward walks are unchanged: in `order`.
        assert _ids(listing(order="asc", after=ids[1], limit=3)) == ids[2:]
        assert _ids(listing(limit=4)) == ids[::-1]


@pytest.mark.parametrize("kind", sorted(LISTS))
async def test_async_backward_walk_yields_the_same_order(kind: str, emulator: Emulator) -> None:
    resource, fill = LISTS[kind]
    with emulator.client() as client:
        args, ids = fill(client)
    async with emulator.async_client() as client:
        page = await resource(client).list(*args, order="asc", before=ids[7], limit=3)
        walked = [item.id async for item in page]
        forward = [
            item.id async for item in await resource(client).list(*args, order="asc", limit=3)
        ]
    assert walked == [ids[i] for i in (6, 5, 4, 3, 2, 1, 0)]
    assert forward == ids


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_a_window_stays_within_its_bounds(kind: str, emulator: Emulator) -> None:
    # Both cursors: the items between them, whichever way the pages are stepped through.
    resource, fill = LISTS[kind]
    with emulator.client() as client:
        args, ids = fill(client)  # 01 .. 10
        page = resource(client).list(*args, order="asc", after=ids[1], before=ids[8], limit=2)
        assert _ids(page) == ids[2:8]
        last = list(page.iter_pages())[-1]
        assert _ids(last.data) == ids[6:8]
        back = last.previous_page()
        assert back is not None
        assert _ids(back) == [ids[i] for i in (5, 4, 3, 2)]
