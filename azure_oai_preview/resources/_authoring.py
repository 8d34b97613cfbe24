"""What the authoring resources (files, fine-tuning, models, ingestion jobs) add to ``_crud``:
bodiless answers (``204 No Content``), credential header parameters, Azure-style pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from .._call import Call, CallOptions
from .._exceptions import InvalidRequestError
from .._next_link import NextLinkPageReader
from ._common import model
from ._crud import reader_call

if TYPE_CHECKING:
    import httpx

    from .._call import AsyncExecutor, SyncExecutor

__all__ = ["EmptyReader", "SecretHeader", "empty_call", "link_list_call", "with_secret_headers"]

CallT = TypeVar("CallT", bound=Call[Any, Any])


class EmptyReader:
    """Reads an answer without a body (``204 No Content``): the method returns None."""

    __slots__ = ()

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> None:
        return None

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> None:
        return None


def empty_call(operation_id: str, options: Mapping[str, Any], **ids: str) -> Call[None, None]:
    """A bodiless call answered without a body (deletes)."""
    return reader_call(operation_id, EmptyReader(), options, **ids)


class SecretHeader(str):
    """A credential header value (``mgmt-user-token``): a ``str`` whose repr never shows it,
    so a call, its options or a dict of headers can be printed or logged safely."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<secret>"


def with_secret_headers(call: CallT, values: Mapping[str, str | None]) -> CallT:
    """``call`` with the operation's credential header parameters that were given.

    ``values`` maps wire names (``mgmt-user-token``) to the caller's values (None: not
    given). Each must be a header parameter the operation declares secret, and non-empty
    printable ASCII (anything else would fail later inside httpx, quoting the value). They are
    sent on top of (replacing) ``extra_headers`` of the same name.
    """
    operation = call.operation
    declared = {p.name for p in operation.header_params if p.secret}
    problems: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        python_name = name.replace("-", "_")
        if name not in declared:
            problems.append((python_name, "is not a credential header of this operation"))
        elif not isinstance(value, str) or not _printable_ascii(value):  # pyright: ignore[reportUnnecessaryIsInstance]
            problems.append((python_name, "must be a non-empty string of printable ASCII"))
        else:
            headers[name] = SecretHeader(value)
    if problems:
        raise InvalidRequestError(operation.operation_id, problems)
    if not headers and not any(k.lower() in declared for k in call.options.headers):
        return call
    # The same credential sent through extra_headers is kept out of reprs too.
    merged = {
        k: SecretHeader(v) if k.lower() in declared else v
        for k, v in call.options.headers.items()
        if k.lower() not in headers
    }
    options: CallOptions = replace(call.options, headers={**merged, **headers})
    return replace(call, options=options)


def _printable_ascii(value: str) -> bool:
    return bool(value) and all(" " <= char <= "~" for char in value)


def link_list_call(
    operation_id: str,
    listing: str,
    options: Mapping[str, Any],
    secrets: Mapping[str, str | None],
    **ids: str,
) -> Call[Any, Any]:
    """An Azure-style list call: its result is a next-link page (see :mod:`._next_link`)."""
    call = reader_call(operation_id, NextLinkPageReader[Any](model(listing)), options, **ids)
    return with_secret_headers(call, secrets)
