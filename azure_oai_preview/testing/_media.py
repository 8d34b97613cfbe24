"""Audio (transcriptions, translations, speech) and images (DALL-E generations).

Transcripts come from the script (a queued reply for the whisper deployment) or read
``Transcription of <filename>.``; their duration is the WAV file's, else estimated from its
size. Speech is silence in the requested format, about 60 ms per character of input (at
least half a second, at most 30 s). Images are single-colour PNGs of the requested size
(the colour derived from the prompt), as a URL the emulator serves or as ``b64_json``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import wave
from typing import Any, cast

from ._artefacts import AUDIO_CONTENT_TYPES, png, silence
from ._errors import bad_request, not_found
from ._filters import image_output_results, image_results
from ._script import Reply, Turn
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS"]

_SIZES = {"256x256", "512x512", "1024x1024", "1792x1024", "1024x1792"}


def _duration(content: bytes) -> float:
    try:
        with wave.open(io.BytesIO(content)) as reader:
            return round(reader.getnframes() / reader.getframerate(), 2)
    except (wave.Error, EOFError, ZeroDivisionError):
        return round(max(0.1, len(content) / 16_000), 2)  # ~128 kbit/s


def _transcript(world: World, call: Call, kind: str) -> EmulatedResponse:
    assert call.deployment is not None
    upload = call.files.get("file")
    if upload is None:
        raise bad_request("The 'file' form field (a file part) is required.", param="file")
    turn = Turn(
        kind="transcription" if kind == "transcribe" else "translation",
        deployment=call.deployment.name,
        messages=(),
        request=call.body,
    )
    answer = world.script.answer(turn)
    text = (
        answer.content
        if isinstance(answer, Reply) and answer.content is not None
        else f"Transcription of {upload.filename}."
    )
    duration = _duration(upload.content)
    fmt = call.body.get("response_format", "json")
    if fmt == "text":
        return _text(text + "\n")
    if fmt == "srt":
        return _text(f"1\n00:00:00,000 --> {_stamp(duration, ',')}\n{text}\n\n")
    if fmt == "vtt":
        return _text(f"WEBVTT\n\n00:00:00.000 --> {_stamp(duration, '.')}\n{text}\n\n")
    if fmt != "verbose_json":
        return json_response(200, {"text": text})
    words = text.split()
    body: dict[str, Any] = {
        "task": kind,
        "language": "english"
        if kind == "translate"
        else str(call.body.get("language") or "english"),
        "duration": duration,
        "text": text,
        "segments": [
            {
                "id": 0,
                "seek": 0,
                "start": 0.0,
                "end": duration,
                "text": text,
                "tokens": list(range(50364, 50364 + len(words))),
                "temperature": float(call.body.get("temperature") or 0.0),
                "avg_logprob": -0.25,
                "compression_ratio": 1.0,
                "no_speech_prob": 0.01,
            }
        ],
    }
    if "word" in cast("list[str]", call.body.get("timestamp_granularities[]") or []):
        step = duration / max(1, len(words))
        body["words"] = [
            {"word": word, "start": round(i * step, 2), "end": round((i + 1) * step, 2)}
            for i, word in enumerate(words)
        ]
    return json_response(200, body)


def _stamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _text(text: str) -> EmulatedResponse:
    return EmulatedResponse(200, {"content-type": "text/plain; charset=utf-8"}, body=text.encode())


def transcribe(world: World, call: Call) -> EmulatedResponse:
    return _transcript(world, call, "transcribe")


def translate(world: World, call: Call) -> EmulatedResponse:
    return _transcript(world, call, "translate")


def speech(world: World, call: Call) -> EmulatedResponse:
    body = call.body
    fmt = str(body.get("response_format") or "mp3")
    seconds = min(30.0, max(0.5, 0.06 * len(str(body["input"])) / float(body.get("speed") or 1.0)))
    return EmulatedResponse(
        200, {"content-type": AUDIO_CONTENT_TYPES[fmt]}, body=silence(fmt, seconds)
    )


def generate_images(world: World, call: Call) -> EmulatedResponse:
    body = call.body
    prompt = str(body["prompt"])
    results, blocked = world.filters.check_prompt(prompt)
    del results
    if blocked is not None:
        raise world.filters.image_blocked_error(image_results(blocked))
    size = str(body.get("size") or "1024x1024")
    if size not in _SIZES:
        raise bad_request(f"Invalid 'size': {size} is not supported.", param="size")
    width, height = (int(part) for part in size.split("x"))
    digest = hashlib.sha256(prompt.encode()).digest()
    image = png(width, height, (digest[0], digest[1], digest[2]))
    item: dict[str, Any] = {
        "revised_prompt": prompt,
        "content_filter_results": image_output_results(),
        "prompt_filter_results": image_results(None),
    }
    if body.get("response_format") == "b64_json":
        item["b64_json"] = base64.b64encode(image).decode()
    else:
        image_id = world.ids.new("img_")
        world.state.images[image_id] = image
        item["url"] = f"{call.base_url}/emulator/images/{image_id}.png"
    return json_response(200, {"created": world.clock.now(), "data": [item]})


def get_image(world: World, call: Call) -> EmulatedResponse:
    image_id = call.path_params["image-id"].removesuffix(".png")
    image = world.state.images.get(image_id)
    if image is None:
        raise not_found("image", image_id)
    return EmulatedResponse(200, {"content-type": "image/png"}, body=image)


HANDLERS = {
    "Transcriptions_Create": transcribe,
    "Translations_Create": translate,
    "Speech_Create": speech,
    "ImageGenerations_Create": generate_images,
    "Emulator_GetImage": get_image,
}
