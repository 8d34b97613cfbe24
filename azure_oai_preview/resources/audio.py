"""``client.audio``: transcriptions, translations (multipart uploads) and speech (binary)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from .._binary import AsyncBinaryResponse, BinaryReader, BinaryResponse
from .._call import Call, JsonReader, TextReader
from .._files import FileInput
from .._options import DeploymentOptions, apply_options
from .._resource import (
    M,
    Resource,
    async_raw_view,
    async_view,
    method,
    overloaded,
    raw_view,
    sync_view,
)
from ._common import json_body, model, multipart_body, operation_named

if TYPE_CHECKING:
    from ..models import (
        AudioResponse,
        AudioVerboseResponse,
        CreateSpeechRequestResponseFormat,
        CreateSpeechRequestVoice,
    )

__all__ = ["Audio", "Speech", "Transcriptions", "Translations"]

_TEXT_FORMATS = ("text", "srt", "vtt")


def _audio_call(
    operation_id: str,
    request: str,
    deployment: str | None,
    file: FileInput,
    fields: Mapping[str, Any],
    options: Mapping[str, Any],
) -> Call[Any, Any]:
    """A multipart upload: the fields are checked against the ``request`` model, the file
    is streamed, and ``response_format`` decides how the answer is read."""
    fmt = fields.get("response_format")
    fmt = getattr(fmt, "value", fmt)
    body = multipart_body(operation_id, request, fields, {"file": file})
    path: dict[str, str | None] = {"deployment-id": deployment}
    operation = operation_named(operation_id)
    if fmt in _TEXT_FORMATS:
        call: Call[Any, Any] = Call(
            operation=operation,
            path_params=path,
            body=body,
            reader=TextReader(),
            accept="text/plain",
        )
    else:
        answer = "AudioVerboseResponse" if fmt == "verbose_json" else "AudioResponse"
        call = Call(
            operation=operation, path_params=path, body=body, reader=JsonReader(model(answer))
        )
    return apply_options(call, options)


class Transcriptions(Resource[M]):
    """``client.audio.transcriptions``: speech to text in the spoken language."""

    @overload
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["json"] | None = None,
        prompt: str | None = None,
        temperature: float | None = None,
        language: str | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[AudioResponse, AudioResponse]: ...
    @overload
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["verbose_json"],
        prompt: str | None = None,
        temperature: float | None = None,
        language: str | None = None,
        timestamp_granularities: list[Literal["word", "segment"]] | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[AudioVerboseResponse, AudioVerboseResponse]: ...
    @overload
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["text", "srt", "vtt"],
        prompt: str | None = None,
        temperature: float | None = None,
        language: str | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[str, str]: ...
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["json", "verbose_json", "text", "srt", "vtt"] | None = None,
        prompt: str | None = None,
        temperature: float | None = None,
        language: str | None = None,
        timestamp_granularities: list[Literal["word", "segment"]] | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[Any, Any]:
        """Transcribe audio into the input language (``Transcriptions_Create``).

        ``file`` is a path, bytes, a binary file object or ``(filename, content[, content_type])``;
        it is streamed, not read whole. ``response_format``: ``"json"`` (default) gives an
        ``AudioResponse``, ``"verbose_json"`` an ``AudioVerboseResponse`` (with segments and,
        with ``timestamp_granularities``, words), ``"text"``/``"srt"``/``"vtt"`` a ``str``.
        ``extra_body`` entries are sent as extra form fields.
        """
        fields = {
            "response_format": response_format,
            "prompt": prompt,
            "temperature": temperature,
            "language": language,
            "timestamp_granularities[]": timestamp_granularities,
        }
        return _audio_call(
            "Transcriptions_Create", "CreateTranscriptionRequest", deployment, file, fields, options
        )

    create = overloaded(
        sync_view(_create), async_view(_create), raw_view(_create), async_raw_view(_create)
    )


class Translations(Resource[M]):
    """``client.audio.translations``: speech to English text."""

    @overload
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["json"] | None = None,
        prompt: str | None = None,
        temperature: float | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[AudioResponse, AudioResponse]: ...
    @overload
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["verbose_json"],
        prompt: str | None = None,
        temperature: float | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[AudioVerboseResponse, AudioVerboseResponse]: ...
    @overload
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["text", "srt", "vtt"],
        prompt: str | None = None,
        temperature: float | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[str, str]: ...
    def _create(
        self,
        *,
        file: FileInput,
        deployment: str | None = None,
        response_format: Literal["json", "verbose_json", "text", "srt", "vtt"] | None = None,
        prompt: str | None = None,
        temperature: float | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[Any, Any]:
        """Translate audio into English (``Translations_Create``); formats as for transcriptions."""
        fields = {"response_format": response_format, "prompt": prompt, "temperature": temperature}
        return _audio_call(
            "Translations_Create", "CreateTranslationRequest", deployment, file, fields, options
        )

    create = overloaded(
        sync_view(_create), async_view(_create), raw_view(_create), async_raw_view(_create)
    )


class Speech(Resource[M]):
    """``client.audio.speech``: text to speech."""

    @method
    def create(
        self,
        *,
        input: str,
        voice: CreateSpeechRequestVoice
        | Literal["alloy", "echo", "fable", "onyx", "nova", "shimmer"],
        deployment: str | None = None,
        response_format: CreateSpeechRequestResponseFormat
        | Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
        | None = None,
        speed: float | None = None,
        **options: Unpack[DeploymentOptions],
    ) -> Call[BinaryResponse, AsyncBinaryResponse]:
        """Synthesize speech (``Speech_Create``); the audio is streamed.

        Returns a :class:`BinaryResponse`: ``.read()`` for bytes, ``.iter_bytes()`` for
        chunks, ``.write_to_file(path)`` to stream it to disk.
        """
        op = operation_named("Speech_Create")
        fields = {
            "input": input,
            "voice": voice,
            "response_format": response_format,
            "speed": speed,
        }
        call: Call[BinaryResponse, AsyncBinaryResponse] = Call(
            operation=op,
            path_params={"deployment-id": deployment},
            body=json_body(op, model("CreateSpeechRequest"), fields),
            reader=BinaryReader(),
            stream=True,
            accept="application/octet-stream, audio/*",
        )
        return apply_options(call, options)


class Audio(Resource[M]):
    """``client.audio``: the namespace of the audio resources."""

    @cached_property
    def transcriptions(self) -> Transcriptions[M]:
        return Transcriptions(self._core)

    @cached_property
    def translations(self) -> Translations[M]:
        return Translations(self._core)

    @cached_property
    def speech(self) -> Speech[M]:
        return Speech(self._core)
