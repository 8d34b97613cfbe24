"""Audio: multipart uploads from every kind of file input, response formats, speech downloads."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import respx
from _support import ChunkedStream, consume, file_part, form_fields, multipart_parts, request_json
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import (
    APIStatusError,
    AsyncAzureOpenAI,
    AsyncBinaryResponse,
    AzureOpenAI,
    BinaryResponse,
    IncompleteStreamError,
    InternalServerError,
)
from azure_oai_preview.models import AudioResponse, AudioVerboseResponse

TRANSCRIBE = "/deployments/gpt-4o/audio/transcriptions"
TRANSLATE = "/deployments/gpt-4o/audio/translations"
SPEECH = "/deployments/gpt-4o/audio/speech"
AUDIO = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4

VERBOSE = {
    "text": "Hello there.",
    "task": "transcribe",
    "language": "english",
    "duration": 1.5,
    "segments": [
        {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": 1.5,
            "text": "Hello there.",
            "tokens": [1, 2],
            "temperature": 0.0,
            "avg_logprob": -0.2,
            "compression_ratio": 1.0,
            "no_speech_prob": 0.01,
        }
    ],
    "words": [{"word": "Hello", "start": 0.0, "end": 0.5}],
}


class CountingFile(io.RawIOBase):
    """A binary file object that records every read() size."""

    def __init__(self, data: bytes, name: str = "/recordings/meeting.mp3") -> None:
        super().__init__()
        self._buffer = io.BytesIO(data)
        self.name = name
        self.reads: list[int] = []

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.reads.append(size)
        return self._buffer.read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._buffer.seek(offset, whence)

    def tell(self) -> int:
        return self._buffer.tell()


@pytest.fixture
def wav_file(tmp_path: Path) -> Path:
    path = tmp_path / "clip.wav"
    path.write_bytes(AUDIO)
    return path


# -- file inputs ----------------------------------------------------------------------------------


def test_transcription_from_a_path(
    wav_file: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "Hello there."})

    result = client.audio.transcriptions.create(
        file=wav_file, language="en", prompt="greeting", temperature=0.2
    )

    assert isinstance(result, AudioResponse)
    assert result.text == "Hello there."
    request = route.calls.last.request
    part = file_part(request)
    assert (part.filename, part.data) == ("clip.wav", AUDIO)
    assert part.content_type in ("audio/wav", "audio/x-wav")  # guessed from the name
    assert form_fields(request) == {
        "language": ["en"],
        "prompt": ["greeting"],
        "temperature": ["0.2"],
    }
    assert request.headers["api-key"] == API_KEY


def test_transcription_from_a_str_path(
    wav_file: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    client.audio.transcriptions.create(file=str(wav_file))
    assert file_part(route.calls.last.request).data == AUDIO


def test_transcription_from_bytes(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    client.audio.transcriptions.create(file=AUDIO)
    part = file_part(route.calls.last.request)
    assert part.data == AUDIO
    assert part.filename
    assert part.content_type == "application/octet-stream"


def test_transcription_from_a_binary_file_object(
    wav_file: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    with wav_file.open("rb") as handle:
        client.audio.transcriptions.create(file=handle)
    part = file_part(route.calls.last.request)
    assert (part.filename, part.data) == ("clip.wav", AUDIO)


@pytest.mark.parametrize(
    ("file", "filename", "content_type"),
    [
        (("speech.dat", AUDIO, "audio/mpeg"), "speech.dat", "audio/mpeg"),
        (("speech.mp3", AUDIO), "speech.mp3", "audio/mpeg"),
        (("raw.bin", io.BytesIO(AUDIO), "audio/wav"), "raw.bin", "audio/wav"),
    ],
)
def test_transcription_from_a_tuple(
    file: Any, filename: str, content_type: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    client.audio.transcriptions.create(file=file)
    part = file_part(route.calls.last.request)
    assert (part.filename, part.content_type, part.data) == (filename, content_type, AUDIO)


def test_tuple_with_a_path_as_content(
    wav_file: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    client.audio.transcriptions.create(file=("renamed.wav", wav_file, "audio/wav"))
    part = file_part(route.calls.last.request)
    assert (part.filename, part.data) == ("renamed.wav", AUDIO)


def test_missing_file_fails_before_any_request(
    tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    with pytest.raises(FileNotFoundError, match=r"no-such\.wav"):
        client.audio.transcriptions.create(file=tmp_path / "no-such.wav")
    assert not route.called


def test_unsupported_file_type_fails_before_any_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    with pytest.raises(TypeError, match="file"):
        client.audio.transcriptions.create(file=12345)  # type: ignore[arg-type]
    assert not route.called


# -- streamed, not read whole ---------------------------------------------------------------------


class RecordingTransport(httpx.BaseTransport):
    """Consumes the request body as the network would, chunk by chunk, recording the sizes."""

    def __init__(self) -> None:
        self.chunk_sizes: list[int] = []
        self.digest = hashlib.sha256()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        for chunk in request.stream:
            self.chunk_sizes.append(len(chunk))
            self.digest.update(chunk)
        return httpx.Response(200, json={"text": "big"})


def _open_fds_for(path: Path) -> list[str]:
    fd_dir = Path("/proc/self/fd")
    found: list[str] = []
    for fd in fd_dir.iterdir():
        try:
            if Path(os.readlink(fd)) == path:
                found.append(fd.name)
        except OSError:
            continue
    return found


def test_a_large_path_is_streamed_in_chunks_and_closed(tmp_path: Path) -> None:
    big = tmp_path / "long-meeting.wav"
    size = 6 * 1024 * 1024
    with big.open("wb") as handle:
        for _ in range(size // 65536):
            handle.write(os.urandom(65536))
    transport = RecordingTransport()

    with AzureOpenAI(
        ENDPOINT,
        api_key=API_KEY,
        deployment="whisper",
        http_client=httpx.Client(transport=transport),
    ) as client:
        result = client.audio.transcriptions.create(file=big)

    assert result.text == "big"
    body_size = sum(transport.chunk_sizes)
    assert body_size > size
    # Sent as many bounded chunks, never as one buffer holding the whole file.
    assert len(transport.chunk_sizes) > 10
    assert max(transport.chunk_sizes) <= 1024 * 1024
    if Path("/proc/self/fd").is_dir():
        assert _open_fds_for(big) == []


def test_a_file_object_is_read_in_chunks(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    data = os.urandom(2 * 1024 * 1024 + 123)
    handle = CountingFile(data)
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})

    client.audio.transcriptions.create(file=handle)

    content_reads = [size for size in handle.reads]
    assert len(content_reads) > 10
    assert all(0 < size <= 1024 * 1024 for size in content_reads), content_reads[:5]
    part = file_part(route.calls.last.request)
    assert (part.filename, part.data) == ("meeting.mp3", data)


@pytest.mark.parametrize("kind", ["path", "file object"])
def test_a_retry_sends_the_whole_file_again(
    kind: str, wav_file: Path, client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(TRANSCRIBE).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json={"text": "ok"})]
    )
    file: Any = wav_file if kind == "path" else CountingFile(AUDIO)
    client.audio.transcriptions.create(file=file)
    assert route.call_count == 2
    assert [file_part(call.request).data for call in route.calls] == [AUDIO, AUDIO]


# -- response formats -----------------------------------------------------------------------------


def test_verbose_json_gives_the_verbose_model(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json=VERBOSE)

    result = client.audio.transcriptions.create(
        file=("a.wav", AUDIO),
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
    )

    assert isinstance(result, AudioVerboseResponse)
    assert result.duration == 1.5
    assert result.segments is not None
    assert result.segments[0].text == "Hello there."
    assert result.words is not None
    assert result.words[0].word == "Hello"
    fields = form_fields(route.calls.last.request)
    assert fields["response_format"] == ["verbose_json"]
    assert fields["timestamp_granularities[]"] == ["word", "segment"]


@pytest.mark.parametrize("fmt", ["text", "srt", "vtt"])
def test_text_formats_give_a_string(
    fmt: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    text = "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n"
    route = mock_api.post(TRANSCRIBE).respond(
        200, text=text, headers={"content-type": "text/plain"}
    )

    result = client.audio.transcriptions.create(file=("a.wav", AUDIO), response_format=fmt)  # type: ignore[call-overload]

    assert result == text
    assert form_fields(route.calls.last.request)["response_format"] == [fmt]


def test_json_format_is_the_default_model(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(TRANSCRIBE).respond(200, json={"text": "json"})
    result = client.audio.transcriptions.create(file=("a.wav", AUDIO), response_format="json")
    assert isinstance(result, AudioResponse)


def test_translation(wav_file: Path, client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(TRANSLATE).respond(200, json={"text": "Good morning."})
    result = client.audio.translations.create(file=wav_file, prompt="formal", temperature=0)
    assert isinstance(result, AudioResponse)
    assert result.text == "Good morning."
    request = route.calls.last.request
    assert file_part(request).data == AUDIO
    fields = form_fields(request)
    assert fields["prompt"] == ["formal"]
    assert [float(t) for t in fields["temperature"]] == [0]


def test_translation_text_and_verbose(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(TRANSLATE).mock(
        side_effect=[
            httpx.Response(200, text="Good morning.", headers={"content-type": "text/plain"}),
            httpx.Response(200, json=VERBOSE),
        ]
    )
    assert client.audio.translations.create(file=AUDIO, response_format="text") == "Good morning."
    verbose = client.audio.translations.create(file=AUDIO, response_format="verbose_json")
    assert isinstance(verbose, AudioVerboseResponse)


async def test_async_transcription_and_translation(
    wav_file: Path, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    transcribe = mock_api.post(TRANSCRIBE).respond(200, json=VERBOSE)
    translate = mock_api.post(TRANSLATE).respond(
        200, text="Hi.", headers={"content-type": "text/plain"}
    )

    verbose = await async_client.audio.transcriptions.create(
        file=wav_file, response_format="verbose_json"
    )
    text = await async_client.audio.translations.create(
        file=("x.wav", AUDIO), response_format="srt"
    )

    assert isinstance(verbose, AudioVerboseResponse)
    assert text == "Hi."
    assert file_part(transcribe.calls.last.request).data == AUDIO
    assert [p.name for p in multipart_parts(translate.calls.last.request)] == [
        "response_format",
        "file",
    ]


def test_invalid_audio_field_fails_before_any_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    with pytest.raises(ValueError, match="temperature"):
        client.audio.transcriptions.create(file=AUDIO, temperature="warm")  # type: ignore[arg-type]
    assert not route.called


# -- speech ---------------------------------------------------------------------------------------

MP3 = b"ID3\x04" + os.urandom(200_000)


def _speech_route(mock_api: respx.MockRouter) -> respx.Route:
    return mock_api.post(SPEECH).mock(
        side_effect=lambda request: httpx.Response(
            200, headers={"content-type": "audio/mpeg", "apim-request-id": "tts-1"}, content=MP3
        )
    )


def test_speech_read(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = _speech_route(mock_api)
    audio = client.audio.speech.create(
        input="Hello!", voice="fable", response_format="mp3", speed=1.25
    )
    assert isinstance(audio, BinaryResponse)
    assert audio.content_type == "audio/mpeg"
    assert audio.request_id == "tts-1"
    assert audio.read() == MP3
    assert audio.response.is_closed
    assert request_json(route.calls.last.request) == {
        "input": "Hello!",
        "voice": "fable",
        "response_format": "mp3",
        "speed": 1.25,
    }


def test_speech_iter_bytes(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    _speech_route(mock_api)
    with client.audio.speech.create(input="Hello!", voice="alloy") as audio:
        chunks = list(audio.iter_bytes(chunk_size=4096))
    assert len(chunks) > 1
    assert b"".join(chunks) == MP3


def test_speech_write_to_file(
    tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _speech_route(mock_api)
    target = tmp_path / "hello.mp3"
    written = client.audio.speech.create(input="Hello!", voice="nova").write_to_file(target)
    assert written == len(MP3)
    assert target.read_bytes() == MP3


def test_speech_context_manager_releases_an_unread_response(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _speech_route(mock_api)
    with client.audio.speech.create(input="Hello!", voice="onyx") as audio:
        pass
    assert audio.response.is_closed


async def test_speech_async(
    tmp_path: Path, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _speech_route(mock_api)

    audio = await async_client.audio.speech.create(input="Hello!", voice="shimmer")
    assert isinstance(audio, AsyncBinaryResponse)
    assert await audio.read() == MP3

    async with await async_client.audio.speech.create(input="Hello!", voice="echo") as streamed:
        chunks = [chunk async for chunk in streamed.iter_bytes(8192)]
    assert b"".join(chunks) == MP3

    target = tmp_path / "async.mp3"
    again = await async_client.audio.speech.create(input="Hello!", voice="echo")
    assert await again.write_to_file(target) == len(MP3)
    assert target.read_bytes() == MP3


def test_speech_error_is_a_status_error(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(SPEECH).respond(
        400, json={"error": {"code": "invalid_voice", "message": "bad voice"}}
    )
    with pytest.raises(APIStatusError, match="bad voice"):
        client.audio.speech.create(input="Hello!", voice="alloy")


def test_speech_rejects_an_unknown_voice_before_any_request(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = _speech_route(mock_api)
    with pytest.raises(ValueError, match="voice"):
        client.audio.speech.create(input="Hello!", voice="robot")  # type: ignore[arg-type]
    assert not route.called


def _broken_speech(mock_api: respx.MockRouter) -> None:
    mock_api.post(SPEECH).mock(
        side_effect=lambda request: httpx.Response(
            200,
            headers={"content-type": "audio/mpeg", "apim-request-id": "tts-cut"},
            stream=ChunkedStream(
                [MP3[:1000], MP3[1000:2000]], error=httpx.ReadError("connection reset")
            ),
        )
    )


@pytest.mark.parametrize("how", ["read", "iter_bytes", "write_to_file"])
def test_speech_download_cut_short_is_a_typed_error(
    how: str, tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _broken_speech(mock_api)
    audio = client.audio.speech.create(input="Hello!", voice="alloy")
    received: list[bytes] = []
    actions: dict[str, Callable[[], object]] = {
        "read": audio.read,
        "iter_bytes": lambda: consume(audio.iter_bytes(), received),
        "write_to_file": lambda: audio.write_to_file(tmp_path / "cut.mp3"),
    }
    with pytest.raises(IncompleteStreamError) as info:
        actions[how]()
    assert info.value.request_id == "tts-cut"
    assert isinstance(info.value.__cause__, httpx.ReadError)
    assert audio.response.is_closed
    if how == "iter_bytes":
        assert b"".join(received) == MP3[:2000]


async def test_async_speech_download_cut_short_is_a_typed_error(
    tmp_path: Path, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _broken_speech(mock_api)
    audio = await async_client.audio.speech.create(input="Hello!", voice="alloy")
    with pytest.raises(IncompleteStreamError):
        await audio.read()
    again = await async_client.audio.speech.create(input="Hello!", voice="alloy")
    with pytest.raises(IncompleteStreamError):
        await again.write_to_file(tmp_path / "cut.mp3")


@pytest.mark.parametrize("earlier", [b"an earlier good copy", None], ids=["over a file", "new"])
def test_a_download_cut_short_leaves_no_truncated_file(
    earlier: bytes | None, tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # The first 2000 bytes used to be left at the target, over whatever was there.
    target = tmp_path / "speech.mp3"
    if earlier is not None:
        target.write_bytes(earlier)
    _broken_speech(mock_api)
    with pytest.raises(IncompleteStreamError):
        client.audio.speech.create(input="Hello!", voice="alloy").write_to_file(target)
    assert list(tmp_path.iterdir()) == ([target] if earlier is not None else [])
    if earlier is not None:
        assert target.read_bytes() == earlier


def test_a_complete_download_replaces_the_file_keeping_its_mode(
    tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _speech_route(mock_api)
    target = tmp_path / "speech.mp3"
    target.write_bytes(b"old")
    target.chmod(0o640)
    assert client.audio.speech.create(input="Hi", voice="alloy").write_to_file(target) == len(MP3)
    assert target.read_bytes() == MP3
    assert target.stat().st_mode & 0o777 == 0o640
    assert list(tmp_path.iterdir()) == [target]


def test_write_to_file_through_a_symbolic_link_replaces_the_file_it_points_to(
    tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _speech_route(mock_api)
    (tmp_path / "store").mkdir()
    real = tmp_path / "store" / "speech.mp3"
    real.write_bytes(b"old")
    link = tmp_path / "latest.mp3"
    link.symlink_to(real)
    client.audio.speech.create(input="Hi", voice="alloy").write_to_file(link)
    assert link.is_symlink()
    assert real.read_bytes() == MP3
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["speech.mp3"]


async def test_async_download_cut_short_leaves_no_truncated_file(
    tmp_path: Path, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    target = tmp_path / "speech.mp3"
    target.write_bytes(b"an earlier good copy")
    _broken_speech(mock_api)
    audio = await async_client.audio.speech.create(input="Hello!", voice="alloy")
    with pytest.raises(IncompleteStreamError):
        await audio.write_to_file(target)
    assert audio.response.is_closed
    assert [path async for path in anyio.Path(tmp_path).iterdir()] == [anyio.Path(target)]
    assert await anyio.Path(target).read_bytes() == b"an earlier good copy"
    fresh = anyio.Path(tmp_path / "fresh.mp3")
    with pytest.raises(IncompleteStreamError):
        await (await async_client.audio.speech.create(input="Hi", voice="alloy")).write_to_file(
            fresh
        )
    assert not await fresh.exists()


def test_write_to_file_into_a_missing_directory_releases_the_response(
    tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _speech_route(mock_api)
    audio = client.audio.speech.create(input="Hello!", voice="alloy")
    with pytest.raises(FileNotFoundError):
        audio.write_to_file(tmp_path / "missing" / "speech.mp3")
    assert audio.response.is_closed


class PipeFile(CountingFile):
    """A file object that cannot seek, like a pipe or a socket's reader."""

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        raise io.UnsupportedOperation("seek")

    def tell(self) -> int:
        raise io.UnsupportedOperation("tell")


def test_a_non_seekable_file_is_not_resent_once_its_bytes_went_out(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    """The upload rule (issue 15.9): a pipe is never buffered to allow a replay, so a
    failure after it was sent is raised as it is, with no retry."""
    data = os.urandom(300_000)
    pipe = PipeFile(data)
    route = mock_api.post(TRANSCRIBE).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json={"text": "ok"})]
    )

    with pytest.raises(InternalServerError):
        client.audio.transcriptions.create(file=("live.wav", pipe))

    assert route.call_count == 1
    assert file_part(route.calls.last.request).data == data
    assert sleeps == []
    assert all(0 < size <= 1024 * 1024 for size in pipe.reads)  # read in chunks


def test_a_non_seekable_file_is_sent_once_when_all_goes_well(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    data = os.urandom(100_000)
    route = mock_api.post(TRANSCRIBE).respond(200, json={"text": "ok"})
    client.audio.transcriptions.create(file=("live.wav", PipeFile(data), "audio/wav"))
    part = file_part(route.calls.last.request)
    assert (part.filename, part.content_type, part.data) == ("live.wav", "audio/wav", data)
