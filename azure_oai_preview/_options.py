"""Per-call options: what every operation method takes besides its spec parameters.

``timeout``, ``max_retries``, ``extra_headers``, ``extra_query`` and ``extra_body``, with
openai-python's names and meaning. They are the deliberate escape hatches: the strict request
check never sees them, so a field or parameter the pinned spec does not know (one from a newer
api-version, say) can still be sent. Two things stay out of their reach, and asking for them
is an :class:`~azure_oai_preview.InvalidRequestError` before anything is sent: the credential
headers (``api-key``, ``Authorization``; set the client's ``api_key``/``credential``), and
``api-version`` (the client's ``api_version``, or ``with_options(api_version=...)``).

The polling helpers (``create_and_poll``, ``poll``, ...) take the same options for each
request they make; their own ``timeout`` is the polling deadline, so the per-request timeout
is spelled ``request_timeout`` there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from typing_extensions import TypedDict

from ._call import UNSET, Body, Call, CallOptions, form_value
from ._credentials import header_problem
from ._exceptions import InvalidRequestError

if TYPE_CHECKING:
    import httpx

__all__ = ["DeploymentOptions", "PollOptions", "RequestOptions"]

CallT = TypeVar("CallT", bound=Call[Any, Any])


class RequestOptions(TypedDict, total=False):
    """The per-call options of every operation method (all optional, keyword-only)."""

    timeout: float | httpx.Timeout | None
    """Seconds (or an ``httpx.Timeout``) for this call instead of the client's; None: no limit."""
    max_retries: int
    """Retries for this call instead of the client's ``max_retries`` (0: send once)."""
    extra_headers: Mapping[str, str]
    """Headers sent on top of (and replacing) the client's; never ``api-key``/``Authorization``."""
    extra_query: Mapping[str, str | int | float | bool]
    """Query parameters added after the spec check (never ``api-version``)."""
    extra_body: Mapping[str, object]
    """JSON fields (form fields for uploads) merged into the body *after* the spec check,
    replacing fields of the same name: the way to send what the pinned spec does not know."""


class DeploymentOptions(RequestOptions, total=False):
    """The per-call options of a deployment's operations (chat, completions, embeddings, images,
    audio): :class:`RequestOptions` and openai-python's ``model``."""

    model: str
    """The deployment to call, as openai-python users write it: the same as ``deployment=``
    (giving both with different names is an :class:`~azure_oai_preview.InvalidRequestError`).
    Azure picks the model by deployment, so nothing named ``model`` is sent in the body."""


class PollOptions(TypedDict, total=False):
    """The per-request options of the polling helpers (their ``timeout`` is the poll's deadline)."""

    request_timeout: float | httpx.Timeout | None
    """Seconds (or an ``httpx.Timeout``) for each request instead of the client's."""
    max_retries: int
    """Retries for each request instead of the client's ``max_retries``."""
    extra_headers: Mapping[str, str]
    """Headers sent with each request (never ``api-key``/``Authorization``)."""
    extra_query: Mapping[str, str | int | float | bool]
    """Query parameters sent with each request (never ``api-version``)."""


class PollBodyOptions(PollOptions, total=False):
    """:class:`PollOptions` of a helper that starts with a create or submit request."""

    extra_body: Mapping[str, object]
    """Merged into the body of the first (create or submit) request; retrievals send no body."""


OPTION_NAMES = frozenset(RequestOptions.__annotations__)
"""The keyword names every operation method reserves for its options."""
DEPLOYMENT_OPTION_NAMES = frozenset(DeploymentOptions.__annotations__)
"""The keyword names a deployment's operations reserve (the options and ``model``)."""
POLL_OPTION_NAMES = frozenset(PollBodyOptions.__annotations__)
"""The keyword names the polling helpers reserve (a TypedDict's annotations include its bases')."""

_CREDENTIAL_HEADERS = frozenset({"api-key", "authorization"})


def take_options(
    params: Mapping[str, Any], names: frozenset[str] = OPTION_NAMES
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a method's keyword arguments into ``(spec parameters, options)``."""
    fields: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for name, value in params.items():
        (options if name in names else fields)[name] = value
    return fields, options


def take_poll_options(
    params: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Split a polling helper's keyword arguments into ``(spec parameters, options of its
    first request, options of each retrieval)``: ``request_timeout`` becomes each request's
    ``timeout``, and ``extra_body`` goes with the first request only."""
    fields, poll_options = take_options(params, POLL_OPTION_NAMES)
    first = {k: v for k, v in poll_options.items() if k != "request_timeout"}
    if "request_timeout" in poll_options:
        first["timeout"] = poll_options["request_timeout"]
    later = {k: v for k, v in first.items() if k != "extra_body"}
    return fields, first, later


def apply_options(call: CallT, options: Mapping[str, Any]) -> CallT:
    """``call`` with the per-call options applied (the ``options`` keys of :class:`RequestOptions`).

    ``extra_query`` joins the query and ``extra_body`` the body here, after both passed the
    spec check; the headers, timeout and retry count travel on the call to the exchange.
    """
    if not options:
        return call
    operation_id = call.operation.operation_id
    problems: list[tuple[str, str]] = []
    headers = dict(options.get("extra_headers") or {})
    problems += [
        (f"extra_headers.{name}", problem)
        for name, value in headers.items()
        if (problem := header_problem(name, value)) is not None
    ]
    problems += [
        (
            f"extra_headers.{name}",
            "carries the credential; set it on the client (api_key=, credential=)",
        )
        for name in headers
        if name.lower() in _CREDENTIAL_HEADERS
    ]
    extra_query = dict(options.get("extra_query") or {})
    if any(name.lower() == "api-version" for name in extra_query):
        problems.append(
            ("extra_query.api-version", "is the client's: pass api_version= or use with_options()")
        )
    path = _deployment_path(call, options.get("model"), problems)
    body = call.body
    extra_body = options.get("extra_body")
    if extra_body:
        body = _merged_body(call, dict(extra_body), problems)
    if problems:
        raise InvalidRequestError(operation_id, problems)
    timeout = options.get("timeout", UNSET)
    if timeout is not UNSET and timeout is not None:
        import httpx

        timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    return replace(
        call,
        path_params=path,
        query={**call.query, **extra_query} if extra_query else call.query,
        body=body,
        options=CallOptions(
            timeout=timeout, max_retries=options.get("max_retries"), headers=headers
        ),
    )


def _deployment_path(
    call: Call[Any, Any], model: str | None, problems: list[tuple[str, str]]
) -> Mapping[str, str | None]:
    """The path parameters with openai-python's ``model=`` as the deployment.

    openai-python's ``AzureOpenAI`` puts ``model`` into the URL as the deployment; doing the
    same lets its users' calls work unchanged, and the one thing it cannot mean - a second,
    different deployment next to ``deployment=`` - is refused rather than guessed.
    """
    path = call.path_params
    if model is None:
        return path
    if "deployment-id" not in path:
        problems.append(("model", "this operation is not called on a deployment"))
        return path
    given = path.get("deployment-id")
    if given and given != model:
        # Neither value is echoed, like every other request error.
        problems.append(("model", "names another deployment than deployment=; pass one of them"))
        return path
    return {**path, "deployment-id": model}


def _merged_body(
    call: Call[Any, Any], extra: dict[str, Any], problems: list[tuple[str, str]]
) -> Body | None:
    body = call.body
    if body is None:
        if call.operation.method.upper() in ("GET", "DELETE", "HEAD"):
            problems.append(("extra_body", f"{call.operation.method} requests carry no body"))
            return None
        return Body(content=_json_bytes(extra), content_type="application/json")
    if body.files is not None or body.data is not None:
        # A multipart upload: the extra fields travel as form fields next to the file.
        data = {**(body.data or {}), **{k: form_value(v) for k, v in extra.items()}}
        return replace(body, data=data)
    current: object = json.loads(body.content) if body.content else {}
    if not isinstance(current, dict):
        problems.append(("extra_body", "the request body is not a JSON object"))
        return body
    merged: dict[str, Any] = {**current, **extra}  # pyright: ignore[reportUnknownArgumentType]
    return replace(body, content=_json_bytes(merged))


def _json_bytes(value: Mapping[str, Any]) -> bytes:
    # pydantic-core's encoder, for the dates, enums... extra fields may hold.
    from pydantic_core import to_json

    return to_json(_plain(value))


def _plain(value: Any) -> Any:
    """``value`` with model instances as the fields they were given (like the checked body)."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        items: Mapping[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return {key: _plain(item) for key, item in items.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]  # pyright: ignore[reportUnknownVariableType]
    return value
