"""The :class:`Emulator`: one in-memory Azure OpenAI resource, and the ways into it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..models._manifest import API_VERSION
from . import (
    _assistants,
    _chat,
    _completions,
    _files,
    _fine_tuning,
    _ingestion,
    _media,
    _model_list,
    _runs,
    _vector_stores,
)
from ._catalogue import (
    DEFAULT_DEPLOYMENTS,
    DEFAULT_MODELS,
    Catalogue,
    Deployment,
    ModelCatalogue,
    ModelInfo,
)
from ._dispatch import Handler, dispatch
from ._faults import Faults
from ._filters import ContentFilters
from ._ids import Clock
from ._run_engine import progress_runs
from ._script import Script
from ._state import State
from ._wire import EmulatedRequest, EmulatedResponse
from ._world import Exchange, Progress, World

if TYPE_CHECKING:
    import httpx

    from .._client import AsyncAzureOpenAI, AzureOpenAI
    from ._server import EmulatorServer

__all__ = ["DEFAULT_ENDPOINT", "Emulator"]

DEFAULT_ENDPOINT = "https://emulator.invalid"
"""The endpoint of in-process clients (``.invalid`` never resolves: nothing can leak out)."""
DEFAULT_API_KEY = "emulator-key"
_AUTH_OPTIONS = ("api_key", "credential", "azure_ad_token", "azure_ad_token_provider")
"""The clients' ways to authenticate: when none is given, the emulator's key is used."""

_HANDLERS: dict[str, Handler] = {
    **_chat.HANDLERS,
    **_completions.HANDLERS,
    **_media.HANDLERS,
    **_assistants.HANDLERS,
    **_runs.HANDLERS,
    **_vector_stores.HANDLERS,
    **_files.HANDLERS,
    **_fine_tuning.HANDLERS,
    **_model_list.HANDLERS,
    **_ingestion.HANDLERS,
}


class Emulator:
    """An in-memory, stateful Azure OpenAI resource of the pinned api-version (``models._manifest.API_VERSION``).

    Three ways in: :meth:`client` / :meth:`async_client` (in-process, through an httpx
    transport), the ``azure_openai_emulator`` pytest fixture, and :meth:`serve` (a real HTTP
    server on 127.0.0.1). Parameters:

    - ``deployments``: the catalogue (default :data:`DEFAULT_DEPLOYMENTS`: gpt-4o,
      gpt-4o-mini, gpt-35-turbo-instruct, text-embedding-3-small/-large, text-embedding-ada-002,
      whisper, tts, dall-e-3); requests for other deployments get 404 ``DeploymentNotFound``.
    - ``models``: the base models of the authoring API's model list (default
      :data:`DEFAULT_MODELS`; ``gpt-35-turbo-0125``, ``babbage-002`` and ``davinci-002`` can
      be fine-tuned).
    - ``progress``: when runs, files, fine-tuning jobs and ingestion runs move on
      (:data:`Progress`; default ``immediate``).
    - ``api_key``: the only key accepted (default: any non-empty ``api-key``; any bearer token).
    - ``api_versions``: the ``api-version`` values served (default: the pinned one); others 404.
    - ``seed``: seeds the ids; ``start_time``: the clock's start (default: now, in seconds).
    - ``record_credentials``: keep the values of credential headers (``api-key``,
      ``authorization``, ``mgmt-user-token``, ``aml-user-token``) in :attr:`history`. By
      default they are recorded as ``"<redacted>"`` (``"Bearer <redacted>"``): a test sees
      that a header was sent, and no secret is kept.
    """

    def __init__(
        self,
        *,
        deployments: Iterable[Deployment] | None = None,
        models: Iterable[ModelInfo] | None = None,
        progress: Progress = "immediate",
        api_key: str | None = None,
        api_versions: Sequence[str] = (API_VERSION,),
        seed: int = 0,
        start_time: int | None = None,
        record_credentials: bool = False,
    ) -> None:
        if progress not in ("immediate", "on_read", "manual"):
            raise ValueError("progress must be 'immediate', 'on_read' or 'manual'")
        self._world = World(
            deployments=tuple(DEFAULT_DEPLOYMENTS if deployments is None else deployments),
            models=tuple(DEFAULT_MODELS if models is None else models),
            progress=progress,
            api_versions=api_versions,
            api_key=api_key,
            seed=seed,
            start_time=start_time,
            record_credentials=record_credentials,
            # Files first: a job started in the same step sees its training file processed.
            progressors=(
                progress_runs,
                _vector_stores.progress,
                _files.progress,
                _fine_tuning.progress,
                _ingestion.progress,
            ),
        )

    # -- what tests configure and inspect ---------------------------------------------------

    @property
    def api_version(self) -> str:
        """The ``api-version`` to send (the first one served; by default the pinned one), for
        clients that need it spelled out, such as openai-python's ``AzureOpenAI``."""
        return self._world.api_versions[0]

    @property
    def deployments(self) -> Catalogue:
        """The deployment catalogue (``add``/``remove`` while running)."""
        return self._world.catalogue

    @property
    def models(self) -> ModelCatalogue:
        """The base models of the model list (``add``/``remove`` while running); fine-tuned
        models join the list when their job succeeds."""
        return self._world.models

    @property
    def web(self) -> dict[str, bytes]:
        """What ``Files_Import`` finds at each ``content_url`` (the emulator never goes
        online): ``emulator.web["https://example.com/train.jsonl"] = b"..."``."""
        return self._world.state.web

    @property
    def retry_after(self) -> int:
        """The ``retry-after`` (seconds) long-running operations answer with (default 1)."""
        return self._world.retry_after

    @retry_after.setter
    def retry_after(self, seconds: int) -> None:
        if seconds < 0:
            raise ValueError("retry_after must not be negative")
        self._world.retry_after = seconds

    @property
    def script(self) -> Script:
        """Scripted replies, tool calls, run failures and responders."""
        return self._world.script

    @property
    def filters(self) -> ContentFilters:
        """Content filter rules."""
        return self._world.filters

    @property
    def faults(self) -> Faults:
        """Injected 429s, 5xx, broken streams and latency."""
        return self._world.faults

    @property
    def state(self) -> State:
        """Everything the resource holds, readable as the generated models."""
        return self._world.state

    @property
    def clock(self) -> Clock:
        """The clock behind every timestamp; ``clock.advance(seconds)`` to expire things."""
        return self._world.clock

    @property
    def history(self) -> list[Exchange]:
        """Every request answered, oldest first (requests, responses, operation ids).

        Credential headers are kept with their values redacted (``"<redacted>"``; see
        ``record_credentials``): ``"api-key" in history[-1].request.headers`` tells that one
        was sent.
        """
        with self._world.lock:
            return list(self._world.history)

    @property
    def progress(self) -> Progress:
        return self._world.progress

    @progress.setter
    def progress(self, value: Progress) -> None:
        self._world.progress = value

    def advance(self, times: int = 1) -> int:
        """Move every pending run, vector-store file, batch, file, fine-tuning job and
        ingestion run ``times`` steps.

        Returns how many moves were made (0: nothing was pending).
        """
        return sum(self._world.advance() for _ in range(times))

    def settle(self) -> None:
        """Advance until nothing moves (runs stop at ``requires_action`` or when finished)."""
        self._world.settle()

    def reset(self) -> None:
        """Forget all objects, scripts, filters, faults, web content and history (the
        deployment and model catalogues stay)."""
        world = self._world
        with world.lock:
            world.state.clear()
            world.script.clear()
            world.filters.clear()
            world.faults.clear()
            world.history.clear()

    # -- the sans-IO entry point ------------------------------------------------------------

    def handle(
        self, request: EmulatedRequest, base_url: str = DEFAULT_ENDPOINT
    ) -> EmulatedResponse:
        """Answer one request (what every transport and the server call)."""
        return dispatch(self._world, _HANDLERS, request, base_url)

    # -- way 1: in-process ------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answering from this emulator: ``httpx.Client(transport=...)``."""
        from ._transport import EmulatorTransport

        return EmulatorTransport(self.handle)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The async transport (asyncio and trio)."""
        from ._transport import AsyncEmulatorTransport

        return AsyncEmulatorTransport(self.handle)

    def client(self, **options: Any) -> AzureOpenAI:
        """An :class:`~azure_oai_preview.AzureOpenAI` wired to this emulator, in-process.

        ``options`` go to the constructor (``deployment="gpt-4o"``, ``max_retries=0``...);
        the endpoint, api key (unless another credential is given), ``api_version`` (the
        emulator's, never ``OPENAI_API_VERSION``) and ``http_client`` are set unless given.
        """
        import httpx

        from .. import AzureOpenAI

        settings = self._client_settings(options)
        settings.setdefault("http_client", httpx.Client(transport=self.transport()))
        return AzureOpenAI(**settings)

    def async_client(self, **options: Any) -> AsyncAzureOpenAI:
        """An :class:`~azure_oai_preview.AsyncAzureOpenAI` wired to this emulator, in-process."""
        import httpx

        from .. import AsyncAzureOpenAI

        settings = self._client_settings(options)
        settings.setdefault("http_client", httpx.AsyncClient(transport=self.async_transport()))
        return AsyncAzureOpenAI(**settings)

    def _client_settings(self, options: Mapping[str, Any]) -> dict[str, Any]:
        settings = dict(options)
        settings.setdefault("endpoint", DEFAULT_ENDPOINT)
        # The emulator's api-version, not OPENAI_API_VERSION: a value set for another
        # resource (common among openai-python users) would make every call a 404 here.
        if settings.get("api_version") is None:
            settings["api_version"] = self.api_version
        if all(settings.get(name) is None for name in _AUTH_OPTIONS):
            settings["api_key"] = self._world.api_key or DEFAULT_API_KEY
        return settings

    # -- way 3: a real server ---------------------------------------------------------------

    def asgi_app(self) -> Any:
        """This emulator as an ASGI application (Starlette; needs the ``testing`` extra)."""
        from ._asgi import build_app

        return build_app(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> EmulatorServer:
        """Serve this emulator over HTTP in a background thread (uvicorn; ``testing`` extra).

        Returns a started :class:`EmulatorServer` (``.endpoint``, ``.stop()``; a context
        manager). ``port=0`` picks a free port.
        """
        from ._server import EmulatorServer

        server = EmulatorServer(self, host=host, port=port)
        server.start()
        return server

    def __repr__(self) -> str:
        return (
            f"<Emulator deployments={list(self.deployments)!r} progress={self.progress!r} "
            f"requests={len(self._world.history)}>"
        )
