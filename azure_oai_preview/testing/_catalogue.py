"""The deployments the emulated resource has, and which operations each serves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from ._errors import ServiceError, deployment_not_found

__all__ = ["DEFAULT_DEPLOYMENTS", "Catalogue", "Deployment", "DeploymentKind"]

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


class Catalogue(Mapping[str, Deployment]):
    """The deployments by name; add or remove them while the emulator runs."""

    def __init__(self, deployments: Iterable[Deployment]) -> None:
        self._by_name: dict[str, Deployment] = {}
        for deployment in deployments:
            self.add(deployment)

    def add(self, deployment: Deployment) -> None:
        self._by_name[deployment.name] = deployment

    def remove(self, name: str) -> None:
        del self._by_name[name]

    def __getitem__(self, name: str) -> Deployment:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

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
