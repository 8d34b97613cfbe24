"""``client.embeddings``: embedding vectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .._call import Call
from .._resource import M, Resource, method
from ._common import json_call

if TYPE_CHECKING:
    from ..models import EmbeddingsCreateResponse
    from ._args import EmbeddingsCreateArgs

__all__ = ["Embeddings"]


class Embeddings(Resource[M]):
    """``client.embeddings``: embedding vectors of text."""

    @method
    def create(
        self, *, deployment: str | None = None, **params: Unpack[EmbeddingsCreateArgs]
    ) -> Call[EmbeddingsCreateResponse, EmbeddingsCreateResponse]:
        """Embed ``input`` (a string or a list of strings) with the deployment's model (``embeddings_create``).

        Returns one ``data[i]`` per input, in input order. Each ``data[i].embedding`` is a
        ``list[float]`` by default; with ``encoding_format="base64"`` it is a ``str``, the base64
        of the vector's little-endian float32 values (a smaller, faster body).
        :func:`azure_oai_preview.decode_embedding` gives the floats for either form.
        ``dimensions`` (text-embedding-3 and later) shortens the vectors.
        """
        return json_call(
            "embeddings_create",
            "EmbeddingsCreateRequest",
            "EmbeddingsCreateResponse",
            params,
            path={"deployment-id": deployment},
        )
