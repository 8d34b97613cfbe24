"""``client.audio``: transcriptions, translations (multipart uploads) and speech (binary)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from .._binary import AsyncBinaryResponse, BinaryReader, BinaryResponse
from .._call import Body, Call, JsonReader, TextReader
from .._files import FileInput, to_httpx_file
from .._models import OpenModel
from .._resource import M, Resource, operation, three_way_operation
from .._strict import validate_request
from ._common import json_body, operation_named

if TYPE_CHECKING:
    from ..models import (
        AudioResponse,
        AudioVerboseResponse,
        CreateSpeechRequestResponseFormat,
        CreateSpeechRequestVoice,
    )

__all__ = ["Audio", "Speech", "Transcriptions", "Translations"]

_TEXT_FORMATS = ("text", "srt", "vtt")


def _multipart(
    operation_id: str, model_name: str, file: FileInput, fields: dict[str, Any]
) -> tuple[Any, Body]:
    """Validate the non-file fields against the request model; the file goes as a stream."""
    from .. import models

    op = operation_named(operation_id)
    model: type[OpenModel] = getattr(models, model_name)
    present = {k: v for k, v in fields.items() if v is not None}
    # The model's binary field wants bytes; the real file is streamed separately.
    instance = validate_request(operation_id, model, {**present, "file": b""})
    wire = instance.model_dump(mode="json", exclude_unset=True)
    wire.pop("file", None)
    data: dict[str, Any] = {
        key: (value if isinstance(value, list) else _form_value(value))
        for key, value in wire.items()
    }
    return op, Body(data=data, files=[("file", to_httpx_file(file))])


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _audio_call(
    operation_id: str,
    model_name: str,
    deployment: str | None,
    file: FileInput,
    fields: dict[str, Any],
) -> Call[Any, Any]:
    from .. import models

    fields = {k: v for k, v in fields.items() if k not in ("file", "deployment")}
    op, body = _multipart(operation_id, model_name, file, fields)
    fmt = fields.get("response_format")
    fmt = getattr(fmt, "value", fmt)
    if fmt in _TEXT_FORMATS:
        return Call(
            operation=op,
            path_params={"deployment-id": deployment},
            body=body,
            reader=TextReader(),
            accept="text/plain",
        )
    tp = models.AudioVerboseResponse if fmt == "verbose_json" else models.AudioResponse
    return Call(
        operation=op, path_params={"deployment-id": deployment}, body=body, reader=JsonReader(tp)
    )


def _select_format(kwargs: dict[str, Any]) -> int:
    fmt = kwargs.get("response_format")
    fmt = getattr(fmt, "value", fmt)
    return 1 if fmt == "verbose_json" else 2 if fmt in _TEXT_FORMATS else 0


def transcribe(
    *,
    file: FileInput,
    deployment: str | None = None,
    response_format: Literal["json"] | None = None,
    prompt: str | None = None,
    temperature: float | None = None,
    language: str | None = None,
) -> Call[AudioResponse, AudioResponse]:
    """Transcribe audio into the input language (``Transcriptions_Create``).

    ``file`` is a path, bytes, a binary file object or ``(filename, content[, content_type])``;
    it is streamed, not read whole. ``response_format``: ``"json"`` (default) gives an
    ``AudioResponse``, ``"verbose_json"`` an ``AudioVerboseResponse`` (with segments and,
    with ``timestamp_granularities``, words), ``"text"``/``"srt"``/``"vtt"`` a ``str``.
    """
    return _audio_call(
        "Transcriptions_Create", "CreateTranscriptionRequest", deployment, file, locals()
    )


def transcribe_verbose(
    *,
    file: FileInput,
    deployment: str | None = None,
    response_format: Literal["verbose_json"],
    prompt: str | None = None,
    temperature: float | None = None,
    language: str | None = None,
    timestamp_granularities: list[Literal["word", "segment"]] | None = None,
) -> Call[AudioVerboseResponse, AudioVerboseResponse]:
    fields = {**locals(), "timestamp_granularities[]": timestamp_granularities}
    fields.pop("timestamp_granularities")
    return _audio_call(
        "Transcriptions_Create", "CreateTranscriptionRequest", deployment, file, fields
    )


def transcribe_text(
    *,
    file: FileInput,
    deployment: str | None = None,
    response_format: Literal["text", "srt", "vtt"],
    prompt: str | None = None,
    temperature: float | None = None,
    language: str | None = None,
) -> Call[str, str]:
    return _audio_call(
        "Transcriptions_Create", "CreateTranscriptionRequest", deployment, file, locals()
    )


def translate(
    *,
    file: FileInput,
    deployment: str | None = None,
    response_format: Literal["json"] | None = None,
    prompt: str | None = None,
    temperature: float | None = None,
) -> Call[AudioResponse, AudioResponse]:
    """Translate audio into English (``Translations_Create``); formats as for transcriptions."""
    return _audio_call(
        "Translations_Create", "CreateTranslationRequest", deployment, file, locals()
    )


def translate_verbose(
    *,
    file: FileInput,
    deployment: str | None = None,
    response_format: Literal["verbose_json"],
    prompt: str | None = None,
    temperature: float | None = None,
) -> Call[AudioVerboseResponse, AudioVerboseResponse]:
    return _audio_call(
        "Translations_Create", "CreateTranslationRequest", deployment, file, locals()
    )


def translate_text(
    *,
    file: FileInput,
    deployment: str | None = None,
    response_format: Literal["text", "srt", "vtt"],
    prompt: str | None = None,
    temperature: float | None = None,
) -> Call[str, str]:
    return _audio_call(
        "Translations_Create", "CreateTranslationRequest", deployment, file, locals()
    )


def speak(
    *,
    input: str,
    voice: CreateSpeechRequestVoice | Literal["alloy", "echo", "fable", "onyx", "nova", "shimmer"],
    deployment: str | None = None,
    response_format: CreateSpeechRequestResponseFormat
    | Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
    | None = None,
    speed: float | None = None,
) -> Call[BinaryResponse, AsyncBinaryResponse]:
    """Synthesize speech (``Speech_Create``); the audio is streamed.

    Returns a :class:`BinaryResponse`: ``.read()`` for bytes, ``.iter_bytes()`` for
    chunks, ``.write_to_file(path)`` to stream it to disk.
    """
    from .. import models

    op = operation_named("Speech_Create")
    fields = {"input": input, "voice": voice, "response_format": response_format, "speed": speed}
    return Call(
        operation=op,
        path_params={"deployment-id": deployment},
        body=json_body(op, models.CreateSpeechRequest, fields),
        reader=BinaryReader(),
        stream=True,
        accept="application/octet-stream, audio/*",
    )


class Transcriptions(Resource[M]):
    create = three_way_operation(_select_format, transcribe, transcribe_verbose, transcribe_text)


class Translations(Resource[M]):
    create = three_way_operation(_select_format, translate, translate_verbose, translate_text)


class Speech(Resource[M]):
    create = operation(speak)


class Audio(Resource[M]):
    @cached_property
    def transcriptions(self) -> Transcriptions[M]:
        return Transcriptions(self._core)

    @cached_property
    def translations(self) -> Translations[M]:
        return Translations(self._core)

    @cached_property
    def speech(self) -> Speech[M]:
        return Speech(self._core)
