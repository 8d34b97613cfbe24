"""``client.embeddings``: embedding vectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .._call import Call, JsonReader
from .._resource import M, Resource, operation
from ._common import json_body, operation_named

if TYPE_CHECKING:
    from ..models import EmbeddingsCreateResponse
    from ..models._params import EmbeddingsCreateParams

__all__ = ["Embeddings"]


def create(
    *, deployment: str | None = None, **params: Unpack[EmbeddingsCreateParams]
) -> Call[EmbeddingsCreateResponse, EmbeddingsCreateResponse]:
    """Embed ``input`` (a string or a list of strings) with the deployment's model (``embeddings_create``)."""
    from .. import models

    op = operation_named("embeddings_create")
    return Call(
        operation=op,
        path_params={"deployment-id": deployment},
        body=json_body(op, models.EmbeddingsCreateRequest, params),
        reader=JsonReader(models.EmbeddingsCreateResponse),
    )


class Embeddings(Resource[M]):
    create = operation(create)
