"""Credential shapes, and how to ask one for a token.

``azure-identity`` is an optional dependency, so nothing here imports it: the credential
shapes are protocols mirroring ``azure.core.credentials`` and ``azure.core.credentials_async``,
which azure-identity's credentials (and any object shaped like them) satisfy.

:class:`CredentialCaller` turns a :class:`TokenRequest` (scopes, and the claims of a
challenge) into the right call of whichever protocol the credential implements, once for the
sync and the async auth alike.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, cast

__all__ = [
    "header_problem",
    "header_secret",
    "unpicklable",
    "COGNITIVE_SERVICES_SCOPE",
    "AccessTokenInfoLike",
    "AccessTokenLike",
    "AsyncSupportsTokenInfo",
    "AsyncTokenCredential",
    "AsyncTokenCredentialLike",
    "AsyncTokenProvider",
    "CredentialCaller",
    "SupportsTokenInfo",
    "TokenCredential",
    "TokenCredentialLike",
    "TokenProvider",
    "TokenRequest",
    "describe",
]

COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"
"""The Entra ID scope Azure OpenAI accepts tokens for in Azure's public cloud."""


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

    ``options`` is typed ``None`` only so that implementations taking azure-core's
    ``TokenRequestOptions`` match without this module importing it; at run time the options
    of a claims challenge (``{"claims": ..., "enable_cae": True}``) are passed.
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


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """What to ask a credential for: the scopes, and the claims a challenge demanded.

    Claims come from a Continuous Access Evaluation challenge (decoded JSON); asking for
    them also asks for a CAE-capable token (``enable_cae=True``), as azure-core does.
    """

    scopes: tuple[str, ...]
    claims: str | None = None


def describe(obj: object) -> str:
    """A credential's or provider's type or function name, for reprs and messages.

    Never its repr: a third party's repr is not ours to vouch for.
    """
    return getattr(obj, "__qualname__", None) or type(obj).__name__


class CredentialCaller:
    """Calls a credential's ``get_token_info`` (preferred: it carries ``refresh_on``) or
    ``get_token`` for a :class:`TokenRequest`."""

    __slots__ = ("_method", "_uses_options", "accepts_claims", "is_async")

    def __init__(self, credential: object) -> None:
        method = getattr(credential, "get_token_info", None)
        self._uses_options = callable(method)
        if not self._uses_options:
            method = getattr(credential, "get_token", None)
        if not callable(method):
            raise TypeError(
                "credential must be an azure-identity credential, or any object with a "
                f"get_token() or get_token_info() method; got {type(credential).__name__}"
            )
        self._method = cast("Callable[..., Any]", method)
        self.is_async = inspect.iscoroutinefunction(method)
        self.accepts_claims = self._uses_options or _takes_keywords(
            self._method, "claims", "enable_cae"
        )

    def bind(self, request: TokenRequest) -> Callable[[], Any]:
        """A call of the credential for ``request``: its result, or for an async credential
        an awaitable of it."""
        if request.claims is None:
            # Nothing but the scopes, which every implementation of either protocol takes.
            return partial(self._method, *request.scopes)
        if self._uses_options:
            options = {"claims": request.claims, "enable_cae": True}
            return partial(self._method, *request.scopes, options=options)
        return partial(self._method, *request.scopes, claims=request.claims, enable_cae=True)


def _takes_keywords(method: Callable[..., Any], *names: str) -> bool:
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return True  # not introspectable (a C extension, say): trust the protocol
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return True
    return set(names) <= {p.name for p in parameters}


_VISIBLE_ASCII = re.compile(r"[!-~]+")


def header_secret(value: str, what: str, *, prefix: str = "") -> str:
    """``value`` ready to travel in an HTTP header: surrounding whitespace (a key read from a
    file or a secret store often ends with a newline) removed, and refused - naming ``what``,
    never showing the value - when anything else in it could not be sent as is.

    Refused here rather than by the HTTP stack, whose error would quote the header value.
    """
    cleaned = value.strip()
    if not cleaned:
        raise ValueError(f"{what} is empty")
    if prefix and cleaned.lower().startswith(prefix.lower()):
        raise ValueError(f"{what} must be given without the {prefix.strip()!r} prefix")
    if not _VISIBLE_ASCII.fullmatch(cleaned):
        raise ValueError(
            f"{what} contains a space, a control character or a non-ASCII character, which an "
            "HTTP header cannot carry; check how it was read (the value is not shown)"
        )
    return cleaned


def unpicklable(holder: object) -> TypeError:
    """The error an auth object raises when pickled: a pickle would carry the key or the
    cached token to wherever it is stored."""
    return TypeError(f"{type(holder).__name__} holds a secret and cannot be pickled")


_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_TEXT = re.compile(r"[\t\x20-\x7e]*")


def header_problem(name: object, value: object) -> str | None:
    """Why ``name: value`` cannot be sent as an HTTP header (None when it can), never quoting
    the value: headers set by users (``default_headers``, ``extra_headers``) carry API
    Management keys and the like. Checked before a request is built, because the HTTP stack's
    own errors quote the value."""
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        return "is not a valid header name"
    if not isinstance(value, str):
        return f"must be a str, got {type(value).__name__}"
    if not _HEADER_TEXT.fullmatch(value):
        return "has a line break, a control or a non-ASCII character (the value is not shown)"
    return None
