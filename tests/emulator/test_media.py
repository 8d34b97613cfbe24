"""Audio and images: transcripts in every format, speech that real decoders read, PNGs."""

from __future__ import annotations

import base64
import io
import struct
import wave
import zlib

import httpx
import pytest
import soundfile
from mutagen.aac import AAC

from azure_oai_preview.testing import Emulator

from ._support import raw, wav_bytes


@pytest.fixture
def emulator(azure_openai_emulator: Emulator) -> Emulator:
    return azure_openai_emulator


def test_transcription_formats(emulator: Emulator) -> None:
    client = emulator.client(deployment="whisper")
    audio = ("meeting.wav", wav_bytes(2.5), "audio/wav")
    assert client.audio.transcriptions.create(file=audio).text == "Transcription of meeting.wav."
    emulator.script.reply("Hello and welcome everyone", deployment="whisper")
    verbose = client.audio.transcriptions.create(
        file=audio, response_format="verbose_json", timestamp_granularities=["word"], language="en"
    )
    assert (verbose.text, verbose.duration, verbose.language) == (
        "Hello and welcome everyone",
        2.5,
        "en",
    )
    assert [w.word for w in verbose.words] == ["Hello", "and", "welcome", "everyone"]
    assert verbose.words[-1].end == 2.5
    srt = client.audio.transcriptions.create(file=audio, response_format="srt")
    assert srt == "1\n00:00:00,000 --> 00:00:02,500\nTranscription of meeting.wav.\n\n"
    vtt = client.audio.translations.create(file=audio, response_format="vtt")
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n")
    assert (
        client.audio.translations.create(file=audio, response_format="text")
        == "Transcription of meeting.wav.\n"
    )


def test_form_fields_are_read_as_their_types(emulator: Emulator) -> None:
    # Form values arrive as text; the service reads them as the fields' types.
    client = emulator.client(deployment="whisper")
    audio = ("meeting.wav", wav_bytes(1.0), "audio/wav")
    assert client.audio.transcriptions.create(file=audio, temperature=0).text
    assert client.audio.translations.create(file=audio, temperature=0).text
    verbose = client.audio.transcriptions.create(
        file=audio,
        temperature=0.4,
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
    )
    assert verbose.segments[0].temperature == 0.4
    assert verbose.words
    with raw(emulator) as http:
        url = "/deployments/whisper/audio/transcriptions"
        sent = {"file": ("a.wav", wav_bytes(0.5))}
        ok = http.post(url, data={"temperature": "1", "model": "whisper"}, files=sent)
        assert ok.status_code == 200, ok.text
        not_a_number = http.post(url, data={"temperature": "warm"}, files=sent)
        assert not_a_number.status_code == 400
        assert not_a_number.json()["error"]["param"] == "temperature"
        assert "expected a number; got a string" in not_a_number.json()["error"]["message"]
        bad_item = http.post(url, data={"timestamp_granularities[]": ["word", "page"]}, files=sent)
        assert bad_item.status_code == 400
        assert bad_item.json()["error"]["param"].startswith("timestamp_granularities[]")
        unknown = http.post(url, data={"stream": "true"}, files=sent)
        assert unknown.status_code == 400
        assert "unknown field(s) stream" in unknown.json()["error"]["message"]


@pytest.mark.parametrize("fmt", ["mp3", "flac", "opus", "wav"])
def test_speech_decodes(emulator: Emulator, fmt: str) -> None:
    client = emulator.client(deployment="tts")
    speech = client.audio.speech.create(input="x" * 50, voice="nova", response_format=fmt)
    samples, rate = soundfile.read(io.BytesIO(speech.read()))
    assert len(samples) / rate == pytest.approx(3.0, abs=0.05)  # 60 ms a character
    assert abs(samples).max() < 1e-6  # silence


def test_speech_aac_and_pcm(emulator: Emulator) -> None:
    client = emulator.client(deployment="tts")
    aac = client.audio.speech.create(input="x" * 50, voice="nova", response_format="aac")
    info = AAC(io.BytesIO(aac.read())).info
    assert (info.sample_rate, info.channels) == (24_000, 1)
    assert info.length == pytest.approx(3.0, abs=0.05)
    pcm = client.audio.speech.create(input="x" * 50, voice="nova", response_format="pcm")
    assert len(pcm.read()) == 2 * 24_000 * 3
    wav = client.audio.speech.create(input="hello", voice="alloy", response_format="wav", speed=0.5)
    with wave.open(io.BytesIO(wav.read())) as reader:
        assert reader.getnframes() / reader.getframerate() == pytest.approx(0.6)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    position, raw = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunk = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + chunk) == crc
        raw += chunk if kind == b"IDAT" else b""
        position += 12 + length
    assert len(zlib.decompress(raw)) == height * (1 + (width + 7) // 8)
    return width, height


def test_images_as_url_and_base64(emulator: Emulator) -> None:
    client = emulator.client(deployment="dall-e-3")
    by_url = client.images.generate(prompt="a lighthouse", size="1792x1024")
    item = by_url.data[0]
    assert item.revised_prompt == "a lighthouse"
    assert item.content_filter_results.violence.filtered is False
    with httpx.Client(transport=emulator.transport()) as http:
        image = http.get(item.url)
    assert image.headers["content-type"] == "image/png"
    assert _png_size(image.content) == (1792, 1024)
    inline = client.images.generate(prompt="a boat", response_format="b64_json")
    assert _png_size(base64.b64decode(inline.data[0].b64_json)) == (1024, 1024)


def test_blocked_image_prompt(emulator: Emulator) -> None:
    from azure_oai_preview import ContentFilterError

    emulator.filters.block_prompt("gore", category="violence")
    with pytest.raises(ContentFilterError) as caught:
        emulator.client(deployment="dall-e-3").images.generate(prompt="gore")
    assert caught.value.code == "contentFilter"
    assert caught.value.content_filter_results.violence.filtered is True
    # DALL-E keeps the spec's spelling: `inner_error` carrying `content_filter_results`.
    assert caught.value.body.error.inner_error.content_filter_results.violence.filtered is True
    assert caught.value.body.error.innererror is None
    assert caught.value.inner_error is caught.value.body.error.inner_error
