"""Embedding vectors in either wire format, as floats.

``client.embeddings.create(encoding_format="base64")`` gets each vector back as one base64
string (about a quarter of the JSON of the float list, and no float parsing), which is why
``EmbeddingsCreateResponseDataItem.embedding`` is typed ``list[float] | str``.
:func:`decode_embedding` turns either form into the list of floats.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Sequence

__all__ = ["decode_embedding"]


def decode_embedding(embedding: str | Sequence[float]) -> list[float]:
    """The embedding vector as a list of floats, whichever ``encoding_format`` it came in.

    ``embedding`` is ``data[i].embedding`` of an embeddings response: a base64 string (with
    ``encoding_format="base64"``: the vector's float32 values, little-endian, 4 bytes each) is
    decoded on any platform's byte order, giving exactly the float32 values as Python floats
    (``0.1`` comes back as ``0.10000000149011612``, the nearest float32); a list of floats
    (the default format) is returned as is (a sequence that is not a list is copied into one).

    With numpy: ``numpy.frombuffer(base64.b64decode(embedding), dtype="<f4")``.

    Raises ``ValueError`` when the string is not base64, or decodes to a length that is not a
    multiple of 4 bytes.
    """
    if not isinstance(embedding, str):
        return embedding if isinstance(embedding, list) else list(embedding)
    try:
        raw = base64.b64decode(embedding, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"the embedding is not valid base64: {exc}") from None
    if len(raw) % 4:
        raise ValueError(
            f"the embedding decodes to {len(raw)} bytes, not a whole number of float32 values"
        )
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))
