"""The two clients: :class:`AzureOpenAI` and :class:`AsyncAzureOpenAI`.

They differ only in their HTTP client, their credentials and how they close; everything
else - configuration, environment fallbacks, the resource tree - is shared below.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Generic

from ._closing import AsyncClosesOnExit, ClosesOnExit
from ._resource import AsyncMode, AsyncRawMode, M, SyncMode, SyncRawMode

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Self

    from ._auth import AsyncTokenCredentialLike, TokenCredentialLike
    from ._config import ClientConfig
    from ._transport import AsyncCore, SyncCore
    from .resources.assistants import Assistants
    from .resources.audio import Audio
    from .resources.chat import Chat
    from .resources.completions import Completions
    from .resources.embeddings import Embeddings
    from .resources.images import Images
    from .resources.threads import Threads
    from .resources.vector_stores import VectorStores

__all__ = ["DEFAULT_TIMEOUT", "AsyncAzureOpenAI", "AzureOpenAI"]

# httpx and pydantic are imported when the first client is built, not when this module
# is: `from azure_oai_preview import AzureOpenAI` stays cheap for apps and CLIs that may
# never make a call.


class _DefaultTimeout:
    """600 s to read (LLM calls can legitimately take minutes), 10 s to connect."""

    read: Final = 600.0
    connect: Final = 10.0

    def __repr__(self) -> str:
        return "DEFAULT_TIMEOUT(600 s, connect 10 s)"


DEFAULT_TIMEOUT: Final = _DefaultTimeout()

_NOT_GIVEN: Any = object()


def _default_api_version() -> str:
    from .models._manifest import API_VERSION

    return API_VERSION


def _timeout(value: float | httpx.Timeout | _DefaultTimeout | None) -> httpx.Timeout:
    import httpx

    if isinstance(value, _DefaultTimeout):
        return httpx.Timeout(value.read, connect=value.connect)
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(value)


def _build_config(
    *,
    endpoint: str | None,
    api_version: str | None,
    deployment: str | None,
    timeout: float | httpx.Timeout | _DefaultTimeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    allow_insecure_http: bool,
) -> ClientConfig:
    import httpx

    from ._config import ClientConfig
    from ._retry import RetryPolicy

    endpoint = endpoint or os.environ.get("AZURE_OPENAI_ENDPOINT")
    if not endpoint:
        raise ValueError(
            "no endpoint: pass endpoint='https://<resource>.openai.azure.com' "
            "or set the AZURE_OPENAI_ENDPOINT environment variable"
        )
    url = httpx.URL(endpoint.strip())
    if url.userinfo:
        # Never echo the endpoint here: a key pasted into the wrong argument would leak.
        raise ValueError("the endpoint must not contain a user name or password")
    if url.scheme not in ("https", "http") or not url.host:
        # The value is not echoed: a key passed as the (positional) endpoint by mistake
        # would otherwise end up in the message.
        raise ValueError(
            "endpoint must be an https:// URL with a host, "
            "like 'https://<resource>.openai.azure.com'"
        )
    if url.scheme == "http" and not allow_insecure_http:
        raise ValueError(
            "refusing to send credentials over plain http:// to "
            f"{url.host}; use https://, or pass allow_insecure_http=True for a local test server"
        )
    path = url.path.rstrip("/")
    if path.endswith("/openai"):
        path = path[: -len("/openai")]
    base_url = url.copy_with(path=path + "/openai", query=None, fragment=None)
    return ClientConfig(
        base_url=base_url,
        api_version=api_version or os.environ.get("OPENAI_API_VERSION") or _default_api_version(),
        deployment=deployment,
        timeout=_timeout(timeout),
        retry=RetryPolicy(max_retries=max_retries),
        default_headers=dict(default_headers or {}),
    )


def _configure(arguments: dict[str, Any], *, is_async: bool) -> tuple[ClientConfig, Any]:
    """Configuration and auth from a client constructor's arguments (its ``locals()``).

    Both constructors spell out their typed signatures; everything they do with the
    values is here, once.
    """
    from ._auth import resolve_auth

    config = _build_config(
        endpoint=arguments["endpoint"],
        api_version=arguments["api_version"],
        deployment=arguments["deployment"],
        timeout=arguments["timeout"],
        max_retries=arguments["max_retries"],
        default_headers=arguments["default_headers"],
        allow_insecure_http=arguments["allow_insecure_http"],
    )
    credential = arguments["credential"]
    provider = arguments["azure_ad_token_provider"]
    auth = resolve_auth(
        api_key=_api_key_from_env(arguments["api_key"], credential, provider),
        credential=credential,
        azure_ad_token_provider=provider,
        is_async=is_async,
    )
    return config, auth


def _api_key_from_env(api_key: str | None, credential: object, provider: object) -> str | None:
    # The environment only fills in when the caller chose no auth at all, so an
    # AZURE_OPENAI_API_KEY lying around never clashes with an explicit credential.
    if api_key is None and credential is None and provider is None:
        return os.environ.get("AZURE_OPENAI_API_KEY") or None
    return api_key


def _options_changes(
    config: ClientConfig,
    *,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    deployment: str | None,
    api_version: str | None,
    default_headers: Mapping[str, str] | None,
) -> ClientConfig:
    from ._config import with_config
    from ._retry import RetryPolicy

    changes: dict[str, Any] = {}
    if timeout is not _NOT_GIVEN:
        changes["timeout"] = _timeout(timeout)
    if max_retries is not None:
        changes["retry"] = RetryPolicy(max_retries=max_retries)
    if deployment is not None:
        changes["deployment"] = deployment
    if api_version is not None:
        changes["api_version"] = api_version
    if default_headers is not None:
        changes["default_headers"] = {**config.default_headers, **default_headers}
    return with_config(config, **changes)


class _Resources(Generic[M]):
    """The resource tree, typed by the client flavour it belongs to."""

    _core: Any

    @cached_property
    def completions(self) -> Completions[M]:
        from .resources.completions import Completions

        return Completions(self._core)

    @cached_property
    def chat(self) -> Chat[M]:
        from .resources.chat import Chat

        return Chat(self._core)

    @cached_property
    def embeddings(self) -> Embeddings[M]:
        from .resources.embeddings import Embeddings

        return Embeddings(self._core)

    @cached_property
    def images(self) -> Images[M]:
        from .resources.images import Images

        return Images(self._core)

    @cached_property
    def audio(self) -> Audio[M]:
        from .resources.audio import Audio

        return Audio(self._core)

    @cached_property
    def assistants(self) -> Assistants[M]:
        from .resources.assistants import Assistants

        return Assistants(self._core)

    @cached_property
    def threads(self) -> Threads[M]:
        from .resources.threads import Threads

        return Threads(self._core)

    @cached_property
    def vector_stores(self) -> VectorStores[M]:
        from .resources.vector_stores import VectorStores

        return VectorStores(self._core)


class _RawView(_Resources[M]):
    """``client.with_raw_response``: the same methods, returning :class:`RawResponse`."""

    def __init__(self, core: SyncCore | AsyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return "<with_raw_response view>"


class _ClientInfo:
    _core: Any
    _owns_http: bool

    @property
    def endpoint(self) -> str:
        """The resource endpoint, e.g. ``https://myres.openai.azure.com``."""
        return str(self._core.config.base_url).removesuffix("/openai")

    @property
    def api_version(self) -> str:
        """The ``api-version`` sent with every request."""
        return self._core.config.api_version

    @property
    def deployment(self) -> str | None:
        """The default deployment for deployment-scoped operations, if any."""
        return self._core.config.deployment

    @property
    def max_retries(self) -> int:
        return self._core.config.retry.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        return self._core.config.timeout

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = _NOT_GIVEN,
        max_retries: int | None = None,
        deployment: str | None = None,
        api_version: str | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy with some options changed; it shares this client's connection pool."""
        copy = object.__new__(type(self))
        copy._owns_http = False
        config = _options_changes(
            self._core.config,
            timeout=timeout,
            max_retries=max_retries,
            deployment=deployment,
            api_version=api_version,
            default_headers=default_headers,
        )
        copy._core = self._core.derive(config=config)
        return copy

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} endpoint={self.endpoint!r} api_version={self.api_version!r} "
            f"deployment={self.deployment!r} auth={self._core.auth!r}>"
        )


class AzureOpenAI(_ClientInfo, _Resources[SyncMode], ClosesOnExit):
    """Synchronous client for the Azure OpenAI data-plane API.

    Exactly one kind of auth: ``api_key`` (or ``AZURE_OPENAI_API_KEY``), ``credential`` (an
    azure-identity ``TokenCredential`` such as ``DefaultAzureCredential()``), or
    ``azure_ad_token_provider`` (a callable returning a bearer token, e.g. from
    ``azure.identity.get_bearer_token_provider``). ``endpoint`` falls back to
    ``AZURE_OPENAI_ENDPOINT``; ``api_version`` to ``OPENAI_API_VERSION``, then to the
    version the models were generated from. Use as a context manager, or call :meth:`close`.
    """

    _core: SyncCore

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        api_key: str | None = None,
        credential: TokenCredentialLike | None = None,
        azure_ad_token_provider: Callable[[], str] | None = None,
        api_version: str | None = None,
        deployment: str | None = None,
        timeout: float | httpx.Timeout | _DefaultTimeout | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        import httpx

        from ._transport import SyncCore

        config, auth = _configure(locals(), is_async=False)
        self._owns_http = http_client is None
        self._core = SyncCore(config, http_client or httpx.Client(), auth)  # type: ignore[arg-type]

    @cached_property
    def with_raw_response(self) -> _RawView[SyncRawMode]:
        """The same resources, returning :class:`RawResponse` (headers, status, request id)."""
        return _RawView(self._core.derive(raw=True))

    def close(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_http:
            self._core.http.close()


class AsyncAzureOpenAI(_ClientInfo, _Resources[AsyncMode], AsyncClosesOnExit):
    """Asynchronous client (asyncio or trio); mirrors :class:`AzureOpenAI`.

    ``credential`` may be an async credential (``azure.identity.aio``) or a sync one;
    ``azure_ad_token_provider`` may return a token or an awaitable of one.
    Use ``async with``, or ``await client.aclose()``.
    """

    _core: AsyncCore

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        api_key: str | None = None,
        credential: AsyncTokenCredentialLike | TokenCredentialLike | None = None,
        azure_ad_token_provider: Callable[[], str | Awaitable[str]] | None = None,
        api_version: str | None = None,
        deployment: str | None = None,
        timeout: float | httpx.Timeout | _DefaultTimeout | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        import httpx

        from ._transport import AsyncCore

        config, auth = _configure(locals(), is_async=True)
        self._owns_http = http_client is None
        self._core = AsyncCore(config, http_client or httpx.AsyncClient(), auth)  # type: ignore[arg-type]

    @cached_property
    def with_raw_response(self) -> _RawView[AsyncRawMode]:
        """The same resources, returning :class:`RawResponse` (headers, status, request id)."""
        return _RawView(self._core.derive(raw=True))

    async def aclose(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_http:
            await self._core.http.aclose()

    async def close(self) -> None:
        """The same as :meth:`aclose` (what ``async with`` calls)."""
        await self.aclose()
