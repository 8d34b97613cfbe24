"""Authentication: an ``api-key`` header or a Microsoft Entra ID bearer token.

The client asks its auth object for headers once per request and, when the service answers
401 with a ``WWW-Authenticate`` challenge, asks it whether new headers are worth one resend
(:meth:`Auth.on_challenge`). Four sources are supported:

* an API key, sent as ``api-key``;
* a static bearer token (``azure_ad_token=``), sent as is until it expires;
* a credential from ``azure-identity`` (or anything shaped like one, see ``_credentials``),
  whose tokens are cached and refreshed ahead of expiry (``_bearer``);
* a token provider callable such as ``azure.identity.get_bearer_token_provider(...)``, which
  does its own caching and is therefore called for every request (``_bearer``).

The fixed headers (key, static token) live here; the bearer drivers, the token cache behind
them and the challenge parser are imported only by a client that uses a credential or a
token provider, which keeps an api-key client's cold start shorter.

Secrets never leave through a side door: no repr, str or exception message here contains an
API key or a token, and debug logging names only exception types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol, cast, overload

from ._credentials import (
    COGNITIVE_SERVICES_SCOPE,
    AsyncTokenCredentialLike,
    AsyncTokenProvider,
    TokenCredentialLike,
    TokenProvider,
    header_secret,
    unpicklable,
)

__all__ = ["ApiKeyAuth", "AsyncAuth", "Auth", "StaticTokenAuth", "resolve_auth"]


class Auth(Protocol):
    """What the sync client needs from an auth object."""

    def headers(self) -> dict[str, str]:
        """Headers for the next request."""
        ...

    def on_challenge(self, www_authenticate: str) -> bool:
        """After a 401 with this ``WWW-Authenticate`` value: True when :meth:`headers` now
        gives new credentials worth one resend (never more than one)."""
        ...


class AsyncAuth(Protocol):
    """What the async client needs from an auth object."""

    async def async_headers(self) -> dict[str, str]:
        """Headers for the next request."""
        ...

    async def async_on_challenge(self, www_authenticate: str) -> bool:
        """The async :meth:`Auth.on_challenge`."""
        ...


# -- fixed headers: api key, static token --------------------------------------------------------


class _FixedAuth:
    """The same header on every request; usable by the sync and the async client.

    A 401 challenge cannot be answered: there is nothing new to send.
    """

    # __slots__ means no __dict__, so neither vars() nor a generic repr can reach the
    # secret, and the name-mangled attribute keeps it out of casual attribute listings.
    __slots__ = ("__header",)
    _argument = ""

    def __init__(self, name: str, secret: object, prefix: str = "") -> None:
        # Checked at runtime as well: not every caller runs a type checker.
        if not isinstance(secret, str):
            raise TypeError(f"{self._argument} must be a str, got {type(secret).__name__}")
        cleaned = header_secret(secret, self._argument, prefix=prefix)
        self.__header = (name, prefix + cleaned)

    def headers(self) -> dict[str, str]:
        return dict((self.__header,))

    async def async_headers(self) -> dict[str, str]:
        return dict((self.__header,))

    def on_challenge(self, www_authenticate: str) -> bool:
        return False

    async def async_on_challenge(self, www_authenticate: str) -> bool:
        return False

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._argument}=<redacted>)"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise unpicklable(self)


class ApiKeyAuth(_FixedAuth):
    """Sends the key in the ``api-key`` header."""

    __slots__ = ()
    _argument = "api_key"

    def __init__(self, api_key: str) -> None:
        super().__init__("api-key", api_key)


class StaticTokenAuth(_FixedAuth):
    """Sends one Entra ID token (``azure_ad_token=``) as ``Authorization: Bearer <token>``.

    It is never refreshed: once it expires, requests fail with ``AuthenticationError``.
    """

    __slots__ = ()
    _argument = "azure_ad_token"

    def __init__(self, token: str) -> None:
        super().__init__("Authorization", token, "Bearer ")


# -- choosing ------------------------------------------------------------------------------------

_HOW_TO_CHOOSE = (
    "api_key= for key authentication; "
    "credential= for Microsoft Entra ID with an azure-identity credential such as "
    "DefaultAzureCredential() (this client caches and refreshes its tokens); "
    "azure_ad_token_provider= for a callable that returns a token, such as "
    "azure.identity.get_bearer_token_provider(credential, "
    f'"{COGNITIVE_SERVICES_SCOPE}"); '
    "or azure_ad_token= for a token you obtained yourself (never refreshed)"
)


@overload
def resolve_auth(
    *,
    api_key: str | None,
    credential: TokenCredentialLike | AsyncTokenCredentialLike | None,
    azure_ad_token_provider: AsyncTokenProvider | None,
    is_async: Literal[False],
    azure_ad_token: str | None = ...,
    scopes: str | Sequence[str] | None = ...,
) -> Auth: ...


@overload
def resolve_auth(
    *,
    api_key: str | None,
    credential: TokenCredentialLike | AsyncTokenCredentialLike | None,
    azure_ad_token_provider: AsyncTokenProvider | None,
    is_async: Literal[True],
    azure_ad_token: str | None = ...,
    scopes: str | Sequence[str] | None = ...,
) -> AsyncAuth: ...


@overload
def resolve_auth(
    *,
    api_key: str | None,
    credential: TokenCredentialLike | AsyncTokenCredentialLike | None,
    azure_ad_token_provider: AsyncTokenProvider | None,
    is_async: bool,
    azure_ad_token: str | None = ...,
    scopes: str | Sequence[str] | None = ...,
) -> Auth | AsyncAuth: ...


def resolve_auth(
    *,
    api_key: str | None,
    credential: TokenCredentialLike | AsyncTokenCredentialLike | None,
    azure_ad_token_provider: AsyncTokenProvider | None,
    is_async: bool,
    azure_ad_token: str | None = None,
    scopes: str | Sequence[str] | None = None,
) -> Auth | AsyncAuth:
    """Build the auth object for a client from its (mutually exclusive) auth arguments.

    The client applies its environment fallback (``AZURE_OPENAI_API_KEY``,
    ``AZURE_OPENAI_AD_TOKEN``) first, and only when none of the four was given. Raises
    ``ValueError`` unless exactly one is set, or when ``scopes`` (the client's
    ``credential_scopes``) comes without ``credential``; ``TypeError`` for an async
    credential or provider given to the sync client. The async client also accepts sync
    credentials and providers (see :class:`AsyncBearerTokenAuth`).
    """
    given = [
        name
        for name, value in (
            ("api_key", api_key),
            ("credential", credential),
            ("azure_ad_token", azure_ad_token),
            ("azure_ad_token_provider", azure_ad_token_provider),
        )
        if value is not None
    ]
    if not given:
        raise ValueError(
            "No authentication was configured. Pass one of "
            f"{_HOW_TO_CHOOSE}; or set the AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN "
            "environment variable."
        )
    if len(given) > 1:
        raise ValueError(
            f"Got {' and '.join(given)}, but exactly one may be given. Use {_HOW_TO_CHOOSE}."
        )
    if scopes is not None and credential is None:
        raise ValueError(
            f"credential_scopes= applies to credential= only, not to {given[0]}= "
            "(a token provider asks for its own scope)"
        )
    if api_key is not None:
        return ApiKeyAuth(api_key)
    if azure_ad_token is not None:
        return StaticTokenAuth(azure_ad_token)
    chosen_scopes = COGNITIVE_SERVICES_SCOPE if scopes is None else scopes
    from ._bearer import AsyncBearerTokenAuth, BearerTokenAuth

    if is_async:
        return AsyncBearerTokenAuth(
            credential=credential, token_provider=azure_ad_token_provider, scopes=chosen_scopes
        )
    # The static types allow async sources here; BearerTokenAuth rejects them at runtime
    # with an error that explains the mix-up.
    return BearerTokenAuth(
        credential=cast("TokenCredentialLike | None", credential),
        token_provider=cast("TokenProvider | None", azure_ad_token_provider),
        scopes=chosen_scopes,
    )
