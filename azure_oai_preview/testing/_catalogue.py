"""The deployments the emulated resource has (and which operations each serves), and the base
models it offers (authoring ``Models_List``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from ._errors import ServiceError, deployment_not_found

__all__ = [
    "CAPABILITIES",
    "DEFAULT_DEPLOYMENTS",
    "DEFAULT_MODELS",
    "Capability",
    "Catalogue",
    "Deployment",
    "DeploymentKind",
    "ModelCatalogue",
    "ModelInfo",
    "Registry",
]

DeploymentKind = Literal["chat", "completions", "embeddings", "transcription", "speech", "images"]
"""What a deployment's model does: ``chat`` (chat completions and assistants), ``completions``
(legacy completions), ``embeddings``, ``transcription`` (transcriptions and translations),
``speech`` (text to speech) or ``images`` (DALL-E generations)."""

_OPERATIONS: dict[str, tuple[DeploymentKind, str]] = {
    "ChatCompletions_Create": ("chat", "chatCompletion"),
    "Completions_Create": ("completions", "completion"),
    "embeddings_create": ("embeddings", "embeddings"),
    "Transcriptions_Create": ("transcription", "audio transcription"),
    "Translations_Create": ("transcription", "audio translation"),
    "Speech_Create": ("speech", "audio speech"),
    "ImageGenerations_Create": ("images", "image generation"),
}


@dataclass(frozen=True)
class Deployment:
    """One deployment of the emulated resource.

    ``name`` is what requests address (``/deployments/{name}/...``, an assistant's
    ``model``); ``model`` and ``model_version`` are what responses report. ``dimensions``
    is the embedding length of an ``embeddings`` deployment (default 1536);
    ``supports_dimensions`` says whether a request may choose it (text-embedding-3 models).
    """

    name: str
    model: str
    kind: DeploymentKind = "chat"
    model_version: str = ""
    dimensions: int = 1536
    supports_dimensions: bool = False

    @property
    def key(self) -> str:
        return self.name

    @property
    def response_model(self) -> str:
        """The ``model`` field of responses, e.g. ``gpt-4o-2024-05-13``."""
        return f"{self.model}-{self.model_version}" if self.model_version else self.model


DEFAULT_DEPLOYMENTS: tuple[Deployment, ...] = (
    Deployment("gpt-4o", "gpt-4o", "chat", "2024-05-13"),
    Deployment("gpt-4o-mini", "gpt-4o-mini", "chat", "2024-07-18"),
    Deployment("gpt-35-turbo-instruct", "gpt-35-turbo-instruct", "completions", "0914"),
    Deployment(
        "text-embedding-3-small", "text-embedding-3-small", "embeddings", supports_dimensions=True
    ),
    Deployment(
        "text-embedding-3-large",
        "text-embedding-3-large",
        "embeddings",
        dimensions=3072,
        supports_dimensions=True,
    ),
    Deployment("text-embedding-ada-002", "text-embedding-ada-002", "embeddings", "2"),
    Deployment("whisper", "whisper", "transcription", "001"),
    Deployment("tts", "tts", "speech", "001"),
    Deployment("dall-e-3", "dall-e-3", "images", "3.0"),
)
"""The catalogue an :class:`~azure_oai_preview.testing.Emulator` starts with by default."""


class _Named(Protocol):
    @property
    def key(self) -> str: ...


EntryT = TypeVar("EntryT", bound=_Named)


class Registry(Mapping[str, EntryT]):
    """Entries by their key, in the order added; add or remove them while the emulator runs."""

    def __init__(self, entries: Iterable[EntryT]) -> None:
        self._by_name: dict[str, EntryT] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: EntryT) -> None:
        """Add ``entry`` (replacing the one with the same name)."""
        self._by_name[entry.key] = entry

    def remove(self, name: str) -> None:
        """Remove the entry named ``name`` (KeyError if there is none)."""
        del self._by_name[name]

    def __getitem__(self, name: str) -> EntryT:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)


class Catalogue(Registry[Deployment]):
    """The deployments by name; add or remove them while the emulator runs."""

    def for_operation(self, operation_id: str, name: str) -> Deployment:
        """The deployment ``name`` if it exists and its model can serve ``operation_id``.

        Raises the service's 404 ``DeploymentNotFound`` or 400 ``OperationNotSupported``.
        """
        deployment = self._by_name.get(name)
        if deployment is None:
            raise deployment_not_found()
        kind, label = _OPERATIONS.get(operation_id, ("chat", operation_id))
        if deployment.kind != kind:
            raise ServiceError(
                400,
                "OperationNotSupported",
                f"The {label} operation does not work with the specified model, "
                f"{deployment.model}. Please choose different model and try again. You can "
                "learn more about which models can be used with each operation here: "
                "https://go.microsoft.com/fwlink/?linkid=2197993.",
            )
        return deployment

    def for_assistants(self, name: str, param: str = "model") -> Deployment:
        """The chat deployment an assistant or run names in ``model``."""
        deployment = self._by_name.get(name)
        if deployment is None or deployment.kind != "chat":
            raise ServiceError(
                400,
                "invalid_value",
                f"The model '{name}' is not a chat deployment of this resource.",
                param=param,
                type="invalid_request_error",
            )
        return deployment


Capability = Literal["chat_completion", "completion", "embeddings", "fine_tune", "inference"]
"""What a model can do (the fields of the spec's ``Capabilities``)."""

CAPABILITIES: tuple[Capability, ...] = (
    "chat_completion",
    "completion",
    "embeddings",
    "fine_tune",
    "inference",
)


@dataclass(frozen=True)
class ModelInfo:
    """A base model in the catalogue.

    ``capabilities`` names what the model can do (:data:`Capability` values; a model with
    ``fine_tune`` can be the ``model`` of a fine-tuning job). ``created_at`` is a Unix time in
    seconds; the deprecation dates default to what the spec calls usual: fine-tuning one year
    after creation (for fine-tunable models), inference two years after.
    """

    id: str
    capabilities: frozenset[Capability] = field(
        default_factory=lambda: frozenset[Capability]({"chat_completion", "inference"})
    )
    lifecycle_status: Literal["preview", "generally-available"] = "generally-available"
    created_at: int = 1_704_067_200
    fine_tune_until: int | None = None
    inference_until: int | None = None

    @property
    def key(self) -> str:
        return self.id

    @property
    def fine_tunable(self) -> bool:
        return "fine_tune" in self.capabilities


def _model(id: str, created_at: int, *capabilities: Capability) -> ModelInfo:
    return ModelInfo(id, frozenset(capabilities), created_at=created_at)


DEFAULT_MODELS: tuple[ModelInfo, ...] = (
    _model("gpt-4o-2024-05-13", 1_715_558_400, "chat_completion", "inference"),
    _model("gpt-4o-mini-2024-07-18", 1_721_260_800, "chat_completion", "inference"),
    _model("gpt-35-turbo-0125", 1_706_140_800, "chat_completion", "inference", "fine_tune"),
    _model("gpt-35-turbo-instruct-0914", 1_694_649_600, "completion", "inference"),
    _model("babbage-002", 1_692_921_600, "completion", "inference", "fine_tune"),
    _model("davinci-002", 1_692_921_600, "completion", "inference", "fine_tune"),
    _model("text-embedding-ada-002", 1_671_235_200, "embeddings", "inference"),
    _model("text-embedding-3-small", 1_706_572_800, "embeddings", "inference"),
    _model("text-embedding-3-large", 1_706_572_800, "embeddings", "inference"),
    _model("whisper-001", 1_695_600_000, "inference"),
    _model("tts-001", 1_699_315_200, "inference"),
    _model("dall-e-3-3.0", 1_699_315_200, "inference"),
)
"""The base models an :class:`~azure_oai_preview.testing.Emulator` offers by default;
``gpt-35-turbo-0125``, ``babbage-002`` and ``davinci-002`` can be fine-tuned."""


class ModelCatalogue(Registry[ModelInfo]):
    """The base models by id (``emulator.models``); add or remove them while running."""
