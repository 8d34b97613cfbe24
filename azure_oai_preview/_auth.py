"""Authentication: an ``api-key`` header or a Microsoft Entra ID bearer token.

The client asks its auth object for headers once per request. Three sources are supported:

* an API key, sent as ``api-key``;
* a credential from ``azure-identity`` (or anything shaped like one, see the protocols below),
  whose tokens this module caches and refreshes ahead of expiry;
* a token provider callable such as ``azure.identity.get_bearer_token_provider(...)``, which
  does its own caching and is therefore called for every request.

``azure-identity`` is an optional dependency, so nothing here imports it: the credential
shapes are declared as protocols mirroring ``azure.core.credentials``.

Secrets never leave through a side door: no repr, str or exception message here contains an
API key or a token, and debug logging names only exception types.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Literal, Protocol, cast, overload

import anyio
import anyio.to_thread

__all__ = [
    "COGNITIVE_SERVICES_SCOPE",
    "DEFAULT_REFRESH_MARGIN",
    "AccessTokenInfoLike",
    "AccessTokenLike",
    "ApiKeyAuth",
    "AsyncAuth",
    "AsyncBearerTokenAuth",
    "AsyncSupportsTokenInfo",
    "AsyncTokenCredential",
    "AsyncTokenCredentialLike",
    "AsyncTokenProvider",
    "Auth",
    "BearerTokenAuth",
    "SupportsTokenInfo",
    "TokenCredential",
    "TokenCredentialLike",
    "TokenProvider",
    "resolve_auth",
]

_log = logging.getLogger("azure_oai_preview")

COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"
"""The Entra ID scope Azure OpenAI accepts tokens for."""

DEFAULT_REFRESH_MARGIN = 300.0
"""Refresh a token this many seconds before it expires (unless the credential says when)."""

# After a proactive refresh fails, keep serving the current token and try again only after
# this many seconds, instead of calling a struggling credential on every request.
_FAILED_REFRESH_RETRY_DELAY = 30.0


# -- credential shapes ---------------------------------------------------------------------------
# Structural copies of azure.core.credentials / azure.core.credentials_async, so that
# azure-identity's credentials type-check without this module importing azure-core.


class AccessTokenLike(Protocol):
    """``azure.core.credentials.AccessToken``: a token and its expiry in Unix time."""

    @property
    def token(self) -> str: ...
    @property
    def expires_on(self) -> float: ...


class AccessTokenInfoLike(AccessTokenLike, Protocol):
    """``azure.core.credentials.AccessTokenInfo``: also says when to refresh proactively."""

    @property
    def refresh_on(self) -> float | None: ...


class TokenCredential(Protocol):
    """``azure.core.credentials.TokenCredential``."""

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessTokenLike: ...


class SupportsTokenInfo(Protocol):
    """``azure.core.credentials.SupportsTokenInfo`` (azure-core >= 1.31).

    This module never passes ``options``; the ``None`` type merely lets implementations that
    accept ``TokenRequestOptions`` match.
    """

    def get_token_info(self, *scopes: str, options: None = None) -> AccessTokenInfoLike: ...


class AsyncTokenCredential(Protocol):
    """``azure.core.credentials_async.AsyncTokenCredential``."""

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessTokenLike: ...


class AsyncSupportsTokenInfo(Protocol):
    """``azure.core.credentials_async.AsyncSupportsTokenInfo``."""

    async def get_token_info(self, *scopes: str, options: None = None) -> AccessTokenInfoLike: ...


TokenCredentialLike = TokenCredential | SupportsTokenInfo
"""A sync credential, e.g. from ``azure.identity``."""
AsyncTokenCredentialLike = AsyncTokenCredential | AsyncSupportsTokenInfo
"""An async credential, e.g. from ``azure.identity.aio``."""
TokenProvider = Callable[[], str]
"""Returns a bearer token (without the ``Bearer`` prefix), e.g. ``get_bearer_token_provider``."""
AsyncTokenProvider = Callable[[], str | Awaitable[str]]
"""A sync or async token provider, e.g. ``azure.identity.aio.get_bearer_token_provider``."""


class Auth(Protocol):
    """What the sync client needs from an auth object: headers for the next request."""

    def headers(self) -> dict[str, str]: ...


class AsyncAuth(Protocol):
    """What the async client needs from an auth object: headers for the next request."""

    async def async_headers(self) -> dict[str, str]: ...


# -- API key -------------------------------------------------------------------------------------


class ApiKeyAuth:
    """Sends the key in the ``api-key`` header; usable by the sync and the async client."""

    # __slots__ means no __dict__, so neither vars() nor a generic repr can reach the key,
    # and the name-mangled attribute keeps it out of casual attribute listings.
    __slots__ = ("__api_key",)

    def __init__(self, api_key: str) -> None:
        # Checked at runtime as well: not every caller runs a type checker.
        if not isinstance(api_key, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"api_key must be a str, got {type(api_key).__name__}")
        if not api_key.strip():
            raise ValueError("api_key is empty")
        self.__api_key = api_key

    def headers(self) -> dict[str, str]:
        return {"api-key": self.__api_key}

    async def async_headers(self) -> dict[str, str]:
        return {"api-key": self.__api_key}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key=<redacted>)"

    __str__ = __repr__


# -- token cache ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CachedToken:
    value: str = field(repr=False)
    expires_on: float
    refresh_at: float


class _TokenCache:
    """When the current token can be used and when it must be replaced.

    Shared by the sync and async bearer auth, which differ only in how they call the
    credential and which lock serialises the calls. No I/O and no locking here: callers hold
    their lock around :meth:`store` and :meth:`token_despite`, and :meth:`fresh_token` reads
    a single immutable snapshot, so it is safe without one.
    """

    __slots__ = ("_clock", "_current", "_refresh_margin")

    def __init__(self, *, refresh_margin: float, clock: Callable[[], float]) -> None:
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._current: _CachedToken | None = None

    def fresh_token(self) -> str | None:
        """The cached token, unless there is none or it is due for a refresh."""
        current = self._current
        if current is not None and self._clock() < current.refresh_at:
            return current.value
        return None

    def store(self, fetched: AccessTokenLike) -> str:
        """Cache a token the credential just returned and hand back its value."""
        value = fetched.token
        # Checked at runtime as well: a credential is user code, whatever its annotations say.
        if not isinstance(value, str) or not value:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError("the credential returned an empty or non-string token")
        expires_on = float(fetched.expires_on)
        refresh_on: object = getattr(fetched, "refresh_on", None)
        if isinstance(refresh_on, (int, float)):
            # The credential knows best (MSAL picks e.g. half the lifetime) ...
            refresh_at = min(float(refresh_on), expires_on)
        else:
            # ... otherwise leave a margin for clock skew and slow requests.
            refresh_at = expires_on - self._refresh_margin
        self._current = _CachedToken(value, expires_on, refresh_at)
        return value

    def token_despite(self, error: Exception) -> str:
        """After a failed refresh: the current token if it has not expired, else raise ``error``."""
        current = self._current
        now = self._clock()
        if current is None or now >= current.expires_on:
            raise error
        # A proactive refresh failed but the token is still good: keep using it, and back
        # off before asking the credential again.
        retry_at = min(now + _FAILED_REFRESH_RETRY_DELAY, current.expires_on)
        self._current = replace(current, refresh_at=retry_at)
        _log.debug(
            "Proactive Entra ID token refresh failed (%s); reusing the current token, "
            "which expires in %.0f s",
            type(error).__name__,
            current.expires_on - now,
        )
        return current.value

    def __repr__(self) -> str:
        current = self._current
        expiry = "none" if current is None else f"expires_on={current.expires_on:.0f}"
        return f"<token cache: {expiry}>"


# -- bearer token auth ---------------------------------------------------------------------------


def _token_method(credential: object) -> Callable[..., Any]:
    # Prefer get_token_info: it is the newer protocol and carries refresh_on.
    method = getattr(credential, "get_token_info", None) or getattr(credential, "get_token", None)
    if not callable(method):
        raise TypeError(
            "credential must be an azure-identity credential, or any object with a "
            f"get_token() or get_token_info() method; got {type(credential).__name__}"
        )
    return cast("Callable[..., Any]", method)


def _check_token(token: object, source: str) -> str:
    if not isinstance(token, str) or not token:
        raise TypeError(f"{source} must return a non-empty str, got {type(token).__name__}")
    return token


def _describe(obj: object) -> str:
    # Type or function name only: a credential's own repr is not ours to vouch for.
    return getattr(obj, "__qualname__", None) or type(obj).__name__


def _check_one_source(credential: object, token_provider: object) -> None:
    if (credential is None) == (token_provider is None):
        raise ValueError("pass exactly one of credential= or token_provider=")


class BearerTokenAuth:
    """Entra ID auth for the sync client: ``Authorization: Bearer <token>``.

    With a ``credential``, tokens are cached and refreshed ``refresh_margin`` seconds before
    they expire (or at the credential's ``refresh_on``). However many threads ask at once,
    only one calls the credential. A failed refresh of a not yet expired token is logged at
    debug level and the current token is used until it expires; once it has expired, the
    credential's error is raised.

    With a ``token_provider``, the provider is called for every request: providers such as
    ``azure.identity.get_bearer_token_provider`` cache on their own.
    """

    __slots__ = ("_cache", "_fetch", "_lock", "_provider", "_scope", "_source")

    def __init__(
        self,
        *,
        credential: TokenCredentialLike | None = None,
        token_provider: TokenProvider | None = None,
        scope: str = COGNITIVE_SERVICES_SCOPE,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        _check_one_source(credential, token_provider)
        self._scope = scope
        self._cache = _TokenCache(refresh_margin=refresh_margin, clock=clock)
        self._lock = threading.Lock()
        self._fetch: Callable[[], AccessTokenLike] | None = None
        self._provider: TokenProvider | None = None
        if credential is not None:
            method = _token_method(credential)
            if inspect.iscoroutinefunction(method):
                raise TypeError(
                    f"{type(credential).__name__} is an async credential, which the sync client "
                    "cannot use: pass a credential from azure.identity (not azure.identity.aio), "
                    "or use the async client"
                )
            self._fetch = partial(method, scope)
            self._source = f"credential={_describe(credential)}"
        else:
            assert token_provider is not None
            if inspect.iscoroutinefunction(token_provider):
                raise TypeError(
                    "azure_ad_token_provider is async, which the sync client cannot await: use "
                    "azure.identity.get_bearer_token_provider (not azure.identity.aio's), or "
                    "use the async client"
                )
            self._provider = token_provider
            self._source = f"token_provider={_describe(token_provider)}"

    def headers(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + self._token()}

    def _token(self) -> str:
        if self._provider is not None:
            return self._call_provider(self._provider)
        token = self._cache.fresh_token()
        if token is not None:
            return token
        with self._lock:
            # Another thread may have refreshed while this one waited for the lock.
            token = self._cache.fresh_token()
            if token is not None:
                return token
            assert self._fetch is not None
            try:
                fetched = self._fetch()
            except Exception as exc:
                return self._cache.token_despite(exc)
            return self._cache.store(fetched)

    @staticmethod
    def _call_provider(provider: TokenProvider) -> str:
        token: object = provider()
        if inspect.isawaitable(token):
            if inspect.iscoroutine(token):
                token.close()  # never awaited by design; avoid the RuntimeWarning
            raise TypeError(
                "azure_ad_token_provider returned an awaitable, which the sync client cannot "
                "await: pass a sync provider, or use the async client"
            )
        return _check_token(token, "azure_ad_token_provider")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._source}, scope={self._scope!r})"

    __str__ = __repr__


class AsyncBearerTokenAuth:
    """Entra ID auth for the async client: ``Authorization: Bearer <token>``.

    Same caching and refresh rules as :class:`BearerTokenAuth`. However many tasks ask at
    once, only one calls the credential (an ``anyio.Lock``, so this works under asyncio and
    trio; like an ``httpx.AsyncClient``, an instance belongs to one event loop at a time).

    Accepted sources:

    * an async credential (``azure.identity.aio``), awaited directly;
    * a sync credential (``azure.identity``), called in a worker thread via
      ``anyio.to_thread.run_sync`` so a slow token request does not block the event loop
      (it only happens when the cached token needs a refresh);
    * a token provider, sync or async (``azure.identity.aio.get_bearer_token_provider``),
      called for every request on the event loop: a sync provider must therefore be cheap,
      which cached providers are except when they refresh.
    """

    __slots__ = ("_cache", "_fetch", "_lock", "_provider", "_scope", "_source")

    def __init__(
        self,
        *,
        credential: AsyncTokenCredentialLike | TokenCredentialLike | None = None,
        token_provider: AsyncTokenProvider | None = None,
        scope: str = COGNITIVE_SERVICES_SCOPE,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        _check_one_source(credential, token_provider)
        self._scope = scope
        self._cache = _TokenCache(refresh_margin=refresh_margin, clock=clock)
        # anyio.Lock created outside an event loop binds to the backend on first use.
        self._lock = anyio.Lock()
        self._fetch: Callable[[], Awaitable[AccessTokenLike]] | None = None
        self._provider: AsyncTokenProvider | None = token_provider
        if credential is not None:
            method = _token_method(credential)
            if inspect.iscoroutinefunction(method):
                self._fetch = partial(method, scope)
            else:
                self._fetch = partial(anyio.to_thread.run_sync, partial(method, scope))
            self._source = f"credential={_describe(credential)}"
        else:
            self._source = f"token_provider={_describe(token_provider)}"

    async def async_headers(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + await self._token()}

    async def _token(self) -> str:
        if self._provider is not None:
            token: object = self._provider()
            if inspect.isawaitable(token):
                token = await token
            return _check_token(token, "azure_ad_token_provider")
        token = self._cache.fresh_token()
        if token is not None:
            return token
        async with self._lock:
            # Another task may have refreshed while this one waited for the lock.
            token = self._cache.fresh_token()
            if token is not None:
                return token
            assert self._fetch is not None
            try:
                fetched = await self._fetch()
            except Exception as exc:
                return self._cache.token_despite(exc)
            return self._cache.store(fetched)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._source}, scope={self._scope!r})"

    __str__ = __repr__


# -- choosing ------------------------------------------------------------------------------------

_HOW_TO_CHOOSE = (
    "api_key= for key authentication; "
    "credential= for Microsoft Entra ID with an azure-identity credential such as "
    "DefaultAzureCredential() (this client caches and refreshes its tokens); "
    "or azure_ad_token_provider= for a callable that returns a token, such as "
    "azure.identity.get_bearer_token_provider(credential, "
    f'"{COGNITIVE_SERVICES_SCOPE}")'
)


@overload
def resolve_auth(
    *,
    api_key: str | None,
    credential: TokenCredentialLike | AsyncTokenCredentialLike | None,
    azure_ad_token_provider: AsyncTokenProvider | None,
    is_async: Literal[False],
    scope: str = ...,
) -> Auth: ...


@overload
def resolve_auth(
    *,
    api_key: str | None,
    credential: TokenCredentialLike | AsyncTokenCredentialLike | None,
    azure_ad_token_provider: AsyncTokenProvider | None,
    is_async: Literal[True],
    scope: str = ...,
) -> AsyncAuth: ...


def resolve_auth(
    *,
    api_key: str | None,
    credential: TokenCredentialLike | AsyncTokenCredentialLike | None,
    azure_ad_token_provider: AsyncTokenProvider | None,
    is_async: bool,
    scope: str = COGNITIVE_SERVICES_SCOPE,
) -> Auth | AsyncAuth:
    """Build the auth object for a client from its (mutually exclusive) auth arguments.

    The client applies its environment fallback (``AZURE_OPENAI_API_KEY``) first, and only
    when none of the three was given. Raises ``ValueError`` unless exactly one is set, and
    ``TypeError`` for an async credential or provider given to the sync client. The async
    client also accepts sync credentials and providers (see :class:`AsyncBearerTokenAuth`).
    """
    given = [
        name
        for name, value in (
            ("api_key", api_key),
            ("credential", credential),
            ("azure_ad_token_provider", azure_ad_token_provider),
        )
        if value is not None
    ]
    if not given:
        raise ValueError(
            "No authentication was configured. Pass one of "
            f"{_HOW_TO_CHOOSE}; or set the AZURE_OPENAI_API_KEY environment variable."
        )
    if len(given) > 1:
        raise ValueError(
            f"Got {' and '.join(given)}, but exactly one may be given. Use {_HOW_TO_CHOOSE}."
        )
    if api_key is not None:
        return ApiKeyAuth(api_key)
    if is_async:
        return AsyncBearerTokenAuth(
            credential=credential, token_provider=azure_ad_token_provider, scope=scope
        )
    # The static types allow async sources here; BearerTokenAuth rejects them at runtime
    # with an error that explains the mix-up.
    return BearerTokenAuth(
        credential=cast("TokenCredentialLike | None", credential),
        token_provider=cast("TokenProvider | None", azure_ad_token_provider),
        scope=scope,
    )
