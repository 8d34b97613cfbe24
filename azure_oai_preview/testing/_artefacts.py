"""Small, valid media files: silent audio in every speech format, and plain PNG images.

Hand-built from the format specifications so that the emulator needs no codec: each file
parses in a real decoder, it just has nothing to say (silence; one colour).
"""

from __future__ import annotations

import io
import struct
import wave
import zlib
from functools import lru_cache

__all__ = ["AUDIO_CONTENT_TYPES", "png", "silence"]

SAMPLE_RATE = 24_000

AUDIO_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}


class _Bits:
    def __init__(self) -> None:
        self._value = 0
        self._count = 0

    def put(self, value: int, width: int) -> _Bits:
        self._value = (self._value << width) | (value & ((1 << width) - 1))
        self._count += width
        return self

    def bytes(self) -> bytes:
        pad = -self._count % 8
        return (self._value << pad).to_bytes((self._count + pad) // 8, "big")


def silence(fmt: str, seconds: float) -> bytes:
    """``seconds`` of silence encoded as ``fmt`` (mp3, opus, aac, flac, wav or pcm)."""
    samples = max(1, int(seconds * SAMPLE_RATE))
    if fmt == "pcm":
        return bytes(2 * samples)  # 16-bit little-endian mono at 24 kHz, like the service
    if fmt == "wav":
        out = io.BytesIO()
        with wave.open(out, "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(SAMPLE_RATE)
            writer.writeframes(bytes(2 * samples))
        return out.getvalue()
    builders = {"mp3": _mp3, "flac": _flac, "opus": _opus, "aac": _aac}
    return builders[fmt](seconds)


def _mp3(seconds: float) -> bytes:
    # MPEG-1 Layer III, 128 kbit/s, 48 kHz, mono: 384-byte frames of 1152 samples. All-zero
    # side information means no main data: a decoder outputs silence.
    header = bytes((0xFF, 0xFB, 0x94, 0xC0))
    frame = header + bytes(384 - len(header))
    return frame * max(1, round(seconds * 48_000 / 1152))


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def _flac(seconds: float) -> bytes:
    block = 4096
    total = max(1, int(seconds * SAMPLE_RATE))
    info = (
        _Bits()
        .put(block, 16)
        .put(block, 16)
        .put(0, 24)  # frame sizes unknown
        .put(0, 24)
        .put(SAMPLE_RATE, 20)
        .put(0, 3)  # one channel
        .put(15, 5)  # 16 bits per sample
        .put(total, 36)
        .bytes()
        + bytes(16)  # MD5 unknown
    )
    out = bytearray(b"fLaC")
    out += bytes((0x80, 0, 0, len(info))) + info  # last metadata block: STREAMINFO
    for number, start in enumerate(range(0, total, block)):
        size = min(block, total - start)
        header = (
            _Bits()
            .put(0b11111111111110, 14)
            .put(0, 1)
            .put(0, 1)  # fixed block size
            .put(0b0111, 4)  # block size - 1 in 16 bits at the end of the header
            .put(0b0111, 4)  # 24 kHz
            .put(0, 4)  # mono
            .put(0b100, 3)  # 16 bits per sample
            .put(0, 1)
            .bytes()
            + _utf8_number(number)
            + struct.pack(">H", size - 1)
        )
        header += bytes((_crc8(header),))
        frame = header + bytes((0x00, 0x00, 0x00))  # CONSTANT subframe of value 0
        out += frame + struct.pack(">H", _crc16(frame))
    return bytes(out)


def _utf8_number(number: int) -> bytes:
    return chr(number).encode("utf-8", "surrogatepass")


_OGG_TABLE: list[int] = []


def _ogg_crc(data: bytes) -> int:
    if not _OGG_TABLE:
        for index in range(256):
            value = index << 24
            for _ in range(8):
                value = (
                    ((value << 1) ^ 0x04C11DB7) & 0xFFFFFFFF
                    if value & 0x80000000
                    else (value << 1) & 0xFFFFFFFF
                )
            _OGG_TABLE.append(value)
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_TABLE[((crc >> 24) ^ byte) & 0xFF]
    return crc


def _ogg_page(packets: list[bytes], granule: int, sequence: int, flags: int) -> bytes:
    table = bytearray()
    for packet in packets:
        table += bytes([255] * (len(packet) // 255) + [len(packet) % 255])
    head = struct.pack("<4sBBqIIIB", b"OggS", 0, flags, granule, 0x454D55, sequence, 0, len(table))
    page = head + bytes(table) + b"".join(packets)
    crc = _ogg_crc(page)
    return page[:22] + struct.pack("<I", crc) + page[26:]


def _opus(seconds: float) -> bytes:
    pre_skip = 312
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, pre_skip, SAMPLE_RATE, 0, 0)
    vendor = b"azure-oai-preview emulator"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    frames = max(1, round(seconds / 0.02))
    silent = b"\xf8\xff\xfe"  # one 20 ms CELT frame flagged as silence
    pages = [_ogg_page([head], 0, 0, 0x02), _ogg_page([tags], 0, 1, 0)]
    sequence = 2
    for start in range(0, frames, 50):
        count = min(50, frames - start)
        last = start + count >= frames
        granule = pre_skip + (start + count) * 960
        pages.append(_ogg_page([silent] * count, granule, sequence, 0x04 if last else 0))
        sequence += 1
    return b"".join(pages)


def _aac(seconds: float) -> bytes:
    # One ADTS frame (AAC-LC, 24 kHz, mono) per 1024 samples; the raw data block is a single
    # channel element with no scale factor bands (silence), then END.
    payload = (
        _Bits()
        .put(0, 3)  # ID_SCE
        .put(0, 4)  # element instance tag
        .put(100, 8)  # global gain
        .put(0, 1)  # ics_info: reserved bit
        .put(0, 2)  # ONLY_LONG_SEQUENCE
        .put(0, 1)  # window shape
        .put(0, 6)  # max_sfb = 0: no sections, no scale factors, no spectral data
        .put(0, 1)  # no predictor data
        .put(0, 3)  # no pulse, TNS or gain control data
        .put(7, 3)  # ID_END
        .bytes()
    )
    length = 7 + len(payload)
    header = (
        _Bits()
        .put(0xFFF, 12)
        .put(0, 1)  # MPEG-4
        .put(0, 2)
        .put(1, 1)  # no CRC
        .put(1, 2)  # AAC LC
        .put(6, 4)  # 24 kHz
        .put(0, 1)
        .put(1, 3)  # mono
        .put(0, 4)
        .put(length, 13)
        .put(0x7FF, 11)
        .put(0, 2)
        .bytes()
    )
    return (header + payload) * max(1, round(seconds * SAMPLE_RATE / 1024))


@lru_cache(maxsize=32)
def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A ``width`` x ``height`` PNG of one colour (1-bit palette, a few hundred bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + bytes((width + 7) // 8)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 3, 0, 0, 0))
        + chunk(b"PLTE", bytes(rgb))
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )
