"""The two clients: :class:`AzureOpenAI` and :class:`AsyncAzureOpenAI`.

They differ only in their HTTP client, their credentials and how they close; everything
else - configuration, environment fallbacks, the resource tree - is shared below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic

from ._closing import AsyncClosesOnExit, ClosesOnExit
from ._resource import AsyncMode, AsyncRawMode, M, SyncMode, SyncRawMode
from ._settings import _NOT_GIVEN, DEFAULT_TIMEOUT, _DefaultTimeout, configure, options_changes

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Self

    from ._credentials import AsyncTokenCredentialLike, TokenCredentialLike
    from ._transport import AsyncCore, SyncCore
    from .resources.assistants import Assistants
    from .resources.audio import Audio
    from .resources.chat import Chat
    from .resources.completions import Completions
    from .resources.embeddings import Embeddings
    from .resources.files import Files
    from .resources.fine_tuning import FineTuning
    from .resources.images import Images
    from .resources.ingestion_jobs import IngestionJobs
    from .resources.models import Models
    from .resources.threads import Threads
    from .resources.vector_stores import VectorStores

__all__ = ["DEFAULT_TIMEOUT", "AsyncAzureOpenAI", "AzureOpenAI"]


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

    @cached_property
    def files(self) -> Files[M]:
        from .resources.files import Files

        return Files(self._core)

    @cached_property
    def fine_tuning(self) -> FineTuning[M]:
        from .resources.fine_tuning import FineTuning

        return FineTuning(self._core)

    @cached_property
    def models(self) -> Models[M]:
        from .resources.models import Models

        return Models(self._core)

    @cached_property
    def ingestion_jobs(self) -> IngestionJobs[M]:
        from .resources.ingestion_jobs import IngestionJobs

        return IngestionJobs(self._core)


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
        config = options_changes(
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

    Args:
        endpoint: ``https://<resource>.openai.azure.com`` (a trailing ``/openai`` is fine);
            ``azure_endpoint`` is the same option under openai-python's name. Default: the
            ``AZURE_OPENAI_ENDPOINT`` environment variable. ``ValueError`` when missing, not
            ``https://`` (see ``allow_insecure_http``), or when both spellings are given and
            differ.
        api_key: An Azure OpenAI key, sent as the ``api-key`` header.
        credential: An azure-identity ``TokenCredential`` (``DefaultAzureCredential()``,
            ``ManagedIdentityCredential()``...). Its tokens are cached and refreshed before
            they expire, one credential call at a time; its failures raise
            :class:`~azure_oai_preview.CredentialError`.
        azure_ad_token: A Microsoft Entra ID access token you obtained yourself, sent as
            ``Authorization: Bearer``; never refreshed.
        azure_ad_token_provider: A callable returning a token, called for every request
            (``azure.identity.get_bearer_token_provider(credential, scope)``).
        credential_scopes: The scope (or scopes) to ask ``credential`` for, default
            ``https://cognitiveservices.azure.com/.default``; sovereign clouds need their
            own, e.g. ``https://cognitiveservices.azure.us/.default`` (Azure Government).
            Only with ``credential`` (a provider asks for its own scope).
        api_version: The ``api-version`` query parameter. Default: ``OPENAI_API_VERSION``
            from the environment, else the api-version the models were generated from;
            any other version is warned about once
            (:class:`~azure_oai_preview.APIVersionWarning`), since requests are still checked
            against the models' version.
        deployment: The default deployment for deployment-scoped operations (a per-call
            ``deployment=`` wins); ``azure_deployment`` is the same option under
            openai-python's name (both given and different: ``ValueError``).
        timeout: Seconds, an ``httpx.Timeout``, or None for none; default 600 s to read,
            10 s to connect.
        max_retries: Retries of connection errors, 408, 409, 429 and 5xx; default 2.
        default_headers: Sent with every request.
        http_client: Your own ``httpx.Client`` (left open by :meth:`close`): for other pool
            limits, a proxy or TLS settings. Default: a client with
            :data:`~azure_oai_preview.DEFAULT_CONNECTION_LIMITS` (at most 100 connections,
            all kept alive for 15 s); a call waits for a free connection up to the timeout's
            ``pool`` value, then raises :class:`~azure_oai_preview.APITimeoutError`.
        allow_insecure_http: Allow an ``http://`` endpoint (local test servers only).

    Exactly one of ``api_key``, ``credential``, ``azure_ad_token`` and
    ``azure_ad_token_provider``, else ``ValueError``. Only when none is given, the
    environment's ``AZURE_OPENAI_API_KEY`` or ``AZURE_OPENAI_AD_TOKEN`` is used (both set:
    ``ValueError``). Use as a context manager, or call :meth:`close`.
    """

    _core: SyncCore

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        api_key: str | None = None,
        credential: TokenCredentialLike | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: Callable[[], str] | None = None,
        credential_scopes: str | Sequence[str] | None = None,
        api_version: str | None = None,
        deployment: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        timeout: float | httpx.Timeout | _DefaultTimeout | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        import httpx

        from ._pool import DEFAULT_CONNECTION_LIMITS, ConnectionSlots
        from ._transport import SyncCore

        if http_client is not None and not isinstance(http_client, httpx.Client):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(
                f"http_client must be an httpx.Client for AzureOpenAI, got {type(http_client).__name__}"
                " (an httpx.AsyncClient goes with AsyncAzureOpenAI)"
            )
        config, auth = configure(locals(), is_async=False)
        self._owns_http = http_client is None
        if http_client is None:
            # The SDK's own pool sends; this client only builds requests (it never connects).
            slots = ConnectionSlots(DEFAULT_CONNECTION_LIMITS.max_connections or 100)
            self._core = SyncCore(config, httpx.Client(), auth, slots=slots)
        else:
            self._core = SyncCore(config, http_client, auth)

    @cached_property
    def with_raw_response(self) -> _RawView[SyncRawMode]:
        """The same resources, returning :class:`RawResponse` (headers, status, request id)."""
        return _RawView(self._core.derive(raw=True))

    def close(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_http:
            self._core.http.close()
            if self._core.slots is not None:
                self._core.slots.close()


class AsyncAzureOpenAI(_ClientInfo, _Resources[AsyncMode], AsyncClosesOnExit):
    """Asynchronous client (asyncio or trio); the same arguments as :class:`AzureOpenAI`.

    ``credential`` may be an async credential (``azure.identity.aio``) or a sync one (called
    in a worker thread); ``azure_ad_token_provider`` may return a token or an awaitable of
    one; ``http_client`` is an ``httpx.AsyncClient``. Use ``async with``, or
    ``await client.aclose()``.
    """

    _core: AsyncCore

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        api_key: str | None = None,
        credential: AsyncTokenCredentialLike | TokenCredentialLike | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: Callable[[], str | Awaitable[str]] | None = None,
        credential_scopes: str | Sequence[str] | None = None,
        api_version: str | None = None,
        deployment: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        timeout: float | httpx.Timeout | _DefaultTimeout | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        import httpx

        from ._pool import DEFAULT_CONNECTION_LIMITS, AsyncConnectionSlots
        from ._transport import AsyncCore

        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(
                "http_client must be an httpx.AsyncClient for AsyncAzureOpenAI, got "
                f"{type(http_client).__name__} (an httpx.Client goes with AzureOpenAI)"
            )
        config, auth = configure(locals(), is_async=True)
        self._owns_http = http_client is None
        if http_client is None:
            # As in AzureOpenAI: the SDK's own pool sends, this client only builds requests.
            slots = AsyncConnectionSlots(DEFAULT_CONNECTION_LIMITS.max_connections or 100)
            self._core = AsyncCore(config, httpx.AsyncClient(), auth, slots=slots)
        else:
            self._core = AsyncCore(config, http_client, auth)

    @cached_property
    def with_raw_response(self) -> _RawView[AsyncRawMode]:
        """The same resources, returning :class:`RawResponse` (headers, status, request id)."""
        return _RawView(self._core.derive(raw=True))

    async def aclose(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_http:
            await self._core.http.aclose()
            if self._core.slots is not None:
                await self._core.slots.aclose()

    async def close(self) -> None:
        """The same as :meth:`aclose` (what ``async with`` calls)."""
        await self.aclose()
