"""Microsoft Entra ID bearer tokens: the sync and async drivers of the token procedures.

A credential from ``azure-identity`` (or anything shaped like one, see ``_credentials``) has
its tokens cached and refreshed ahead of expiry by the sans-IO
:class:`~._token_cache.TokenCache`; a token provider callable such as
``azure.identity.get_bearer_token_provider(...)`` does its own caching and is called for every
request. :class:`BearerTokenAuth` and :class:`AsyncBearerTokenAuth` are the two thin drivers:
they call the credential and wait for other callers' calls, with threads or with anyio; every
decision is the cache's. ``_auth.resolve_auth`` imports this module only for a client that
uses a credential or a provider.

Secrets never leave through a side door: no repr, str or exception message here contains a
token, and debug logging names only exception types.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Callable, Generator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ._credentials import (
    COGNITIVE_SERVICES_SCOPE,
    AsyncTokenCredentialLike,
    AsyncTokenProvider,
    CredentialCaller,
    TokenCredentialLike,
    TokenProvider,
    TokenRequest,
    describe,
    unpicklable,
)
from ._token_cache import Done, Fetch, ProviderTokens, TokenCache, Wait, advance

if TYPE_CHECKING:
    import anyio

__all__ = ["DEFAULT_REFRESH_MARGIN", "AsyncBearerTokenAuth", "BearerTokenAuth"]

DEFAULT_REFRESH_MARGIN = 300.0
"""Refresh a token this many seconds before it expires (at most half its lifetime, and
unless the credential says when)."""

T = TypeVar("T")
# anyio is the async client's: the sync client never loads it (a cold start is ~4 ms
# shorter), hence the names in quotes.
E = TypeVar("E", threading.Event, "anyio.Event")


def _scopes_of(scopes: str | Sequence[str]) -> tuple[str, ...]:
    # Checked at runtime as well: not every caller runs a type checker.
    values: list[object] = [scopes] if isinstance(scopes, str) else list(scopes)
    if not values or not all(isinstance(s, str) and s.strip() for s in values):
        raise ValueError("credential_scopes must be one or more non-empty scope strings")
    return tuple(cast("list[str]", values))


class _BearerAuth(Generic[E]):
    """What both drivers share: the source of tokens and how it is shown."""

    __slots__ = ("_shown", "_tokens")

    def __init__(self, tokens: TokenCache[E] | ProviderTokens, shown: str) -> None:
        self._tokens = tokens
        self._shown = shown

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._shown})"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise unpicklable(self)


def _wall_clock() -> float:
    # Looked up at each call, so that a test can move this module's clock.
    return time.time()


def _credential_tokens(
    credential: object,
    scopes: str | Sequence[str],
    refresh_margin: float,
    clock: Callable[[], float] | None,
    new_event: Callable[[], E],
) -> tuple[TokenCache[E], CredentialCaller, str]:
    caller = CredentialCaller(credential)
    scope_tuple = _scopes_of(scopes)
    cache = TokenCache(
        scopes=scope_tuple,
        refresh_margin=refresh_margin,
        clock=clock or _wall_clock,
        new_event=new_event,
        source=describe(credential),
        accepts_claims=caller.accepts_claims,
    )
    shown = ", ".join(repr(s) for s in scope_tuple)
    scope = f"scope={shown}" if len(scope_tuple) == 1 else f"scopes=({shown})"
    return cache, caller, f"credential={describe(credential)}, {scope}"


def _check_one_source(credential: object, token_provider: object) -> None:
    if (credential is None) == (token_provider is None):
        raise ValueError("pass exactly one of credential= or token_provider=")


class BearerTokenAuth(_BearerAuth[threading.Event]):
    """Entra ID auth for the sync client: ``Authorization: Bearer <token>``.

    With a ``credential``, tokens are cached and refreshed ``refresh_margin`` seconds
    (at most half their lifetime) before they expire, or at the credential's ``refresh_on``.
    However many threads ask at once, only one calls the credential; the others wait for
    its token only if they hold no valid one. A failed refresh of a not yet expired token is
    logged at debug level and the current token is used until it expires; after that the
    failure is raised as :class:`~azure_oai_preview.CredentialError`.

    With a ``token_provider``, the provider is called for every request: providers such as
    ``azure.identity.get_bearer_token_provider`` cache on their own.

    :meth:`on_challenge` answers a 401's ``WWW-Authenticate``: a ``Bearer`` challenge drops
    the token and fetches a new one (passing a CAE challenge's claims, with
    ``enable_cae=True``, when the credential takes them); True when the new token differs.
    """

    __slots__ = ("_call",)

    def __init__(
        self,
        *,
        credential: TokenCredentialLike | None = None,
        token_provider: TokenProvider | None = None,
        scopes: str | Sequence[str] = COGNITIVE_SERVICES_SCOPE,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] | None = None,
    ) -> None:
        _check_one_source(credential, token_provider)
        if credential is not None:
            cache, caller, shown = _credential_tokens(
                credential, scopes, refresh_margin, clock, threading.Event
            )
            if caller.is_async:
                raise TypeError(
                    f"{type(credential).__name__} is an async credential, which the sync "
                    "client cannot use: pass a credential from azure.identity (not "
                    "azure.identity.aio), or use the async client"
                )
            self._call: Callable[[TokenRequest], Callable[[], Any]] = caller.bind
            super().__init__(cache, shown)
            return
        assert token_provider is not None
        if inspect.iscoroutinefunction(token_provider):
            raise TypeError(
                "azure_ad_token_provider is async, which the sync client cannot await: use "
                "azure.identity.get_bearer_token_provider (not azure.identity.aio's), or "
                "use the async client"
            )
        self._call = lambda _request: token_provider
        name = describe(token_provider)
        super().__init__(ProviderTokens(name, may_await=False), f"token_provider={name}")

    def headers(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + self._run(self._tokens.token())}

    def on_challenge(self, www_authenticate: str) -> bool:
        return self._run(self._tokens.challenge(www_authenticate))

    def _run(self, steps: Generator[Fetch | Wait[threading.Event], object, T]) -> T:
        step = advance(steps, None)
        while not isinstance(step, Done):
            step = advance(steps, self._perform(step))
        return step.value

    def _perform(self, step: Fetch | Wait[threading.Event]) -> object:
        if isinstance(step, Wait):
            return step.event.wait()
        try:
            return self._call(step.request)()
        except BaseException as exc:  # judged by the procedure, which re-raises cancellation
            return exc


class AsyncBearerTokenAuth(_BearerAuth["anyio.Event"]):
    """Entra ID auth for the async client: ``Authorization: Bearer <token>``.

    Same caching, refresh and challenge rules as :class:`BearerTokenAuth` (one cache core
    serves both). However many tasks ask at once, only one calls the credential; this
    works under asyncio and trio (like an ``httpx.AsyncClient``, an instance belongs to one
    event loop at a time).

    Accepted sources:

    * an async credential (``azure.identity.aio``), awaited directly;
    * a sync credential (``azure.identity``), called in a worker thread via
      ``anyio.to_thread.run_sync`` so a slow token request does not block the event loop
      (it only happens when the cached token needs a refresh);
    * a token provider, sync or async (``azure.identity.aio.get_bearer_token_provider``),
      called for every request on the event loop: a sync provider must therefore be cheap,
      which cached providers are except when they refresh.
    """

    __slots__ = ("_call",)

    def __init__(
        self,
        *,
        credential: AsyncTokenCredentialLike | TokenCredentialLike | None = None,
        token_provider: AsyncTokenProvider | None = None,
        scopes: str | Sequence[str] = COGNITIVE_SERVICES_SCOPE,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] | None = None,
    ) -> None:
        _check_one_source(credential, token_provider)
        if credential is not None:
            import anyio
            import anyio.to_thread

            # anyio.Event binds to the running backend, so it is made when a flight starts.
            cache, caller, shown = _credential_tokens(
                credential, scopes, refresh_margin, clock, anyio.Event
            )
            bind = caller.bind
            self._call: Callable[[TokenRequest], Callable[[], Any]] = (
                bind
                if caller.is_async
                else lambda request: partial(anyio.to_thread.run_sync, bind(request))
            )
            super().__init__(cache, shown)
            return
        assert token_provider is not None
        self._call = lambda _request: token_provider
        name = describe(token_provider)
        super().__init__(ProviderTokens(name, may_await=True), f"token_provider={name}")

    async def async_headers(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + await self._run(self._tokens.token())}

    async def async_on_challenge(self, www_authenticate: str) -> bool:
        return await self._run(self._tokens.challenge(www_authenticate))

    async def _run(self, steps: Generator[Fetch | Wait[anyio.Event], object, T]) -> T:
        step = advance(steps, None)
        while not isinstance(step, Done):
            step = advance(steps, await self._perform(step))
        return step.value

    async def _perform(self, step: Fetch | Wait[anyio.Event]) -> object:
        if isinstance(step, Wait):
            return await step.event.wait()
        try:
            result = self._call(step.request)()
            return await result if inspect.isawaitable(result) else result
        except BaseException as exc:  # judged by the procedure, which re-raises cancellation
            return exc
