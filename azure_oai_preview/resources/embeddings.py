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
        """Embed ``input`` (a string or a list of strings) with the deployment's model (``embeddings_create``)."""
        return json_call(
            "embeddings_create",
            "EmbeddingsCreateRequest",
            "EmbeddingsCreateResponse",
            params,
            path={"deployment-id": deployment},
        )
