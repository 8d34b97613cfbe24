"""Cursor pagination the way the assistants APIs page: ``limit``, ``order``, ``after``, ``before``.

Objects are kept in creation order. ``order`` (default ``desc``, newest first) orders the
whole list; ``after=X`` keeps what follows X in that order, ``before=X`` what precedes it
(the ``limit`` objects nearest to X). ``has_more`` says whether objects were left out
beyond the page, in the direction of travel. An unknown cursor is the service's 400.
The authoring lists (fine-tuning jobs, events, checkpoints) page the same way with ``after``
and ``limit`` only (newest first), and send neither ``first_id`` nor ``last_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._errors import bad_request

__all__ = ["page", "short_page"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def page(
    items: Sequence[dict[str, Any]],
    query: Mapping[str, Any],
    default_limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The list response (``object``, ``data``, ``first_id``, ``last_id``, ``has_more``)."""
    limit = query.get("limit", default_limit)
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise bad_request(
            f"Invalid 'limit': integer below minimum value or above maximum value; "
            f"expected 1 to {MAX_LIMIT}.",
            param="limit",
        )
    ordered = list(items) if query.get("order") == "asc" else list(reversed(items))
    ids = [item["id"] for item in ordered]
    after, before = query.get("after"), query.get("before")
    start, stop = 0, len(ordered)
    if after is not None:
        start = _index(ids, after, "after") + 1
    if before is not None:
        stop = _index(ids, before, "before")
    window = ordered[start:stop] if start <= stop else []
    if before is not None and after is None:
        data = window[-limit:]
        has_more = len(window) > limit
    else:
        data = window[:limit]
        has_more = len(window) > limit
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else "",
        "last_id": data[-1]["id"] if data else "",
        "has_more": has_more,
    }


def short_page(
    items: Sequence[dict[str, Any]], query: Mapping[str, Any], default_limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """A page in the authoring lists' form: ``object``, ``data`` and ``has_more`` only."""
    full = page(items, query, default_limit)
    return {key: full[key] for key in ("object", "data", "has_more")}


def _index(ids: list[str], cursor: Any, name: str) -> int:
    try:
        return ids.index(cursor)
    except ValueError:
        raise bad_request(
            f"Invalid '{name}': no object with id '{cursor}' in this list.", name
        ) from None
