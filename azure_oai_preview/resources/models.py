"""``client.models``: the base and fine-tuned models the resource offers (authoring API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .._call import Call
from .._options import RequestOptions
from .._resource import M, Resource, method
from ._crud import list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import Model

__all__ = ["Models"]


class Models(Resource[M]):
    """``client.models``: list and retrieve models, with their capabilities and lifecycle."""

    @method
    def list(
        self, **options: Unpack[RequestOptions]
    ) -> Call[CursorPage[Model], AsyncCursorPage[Model]]:
        """List the models (``Models_List``): base models and fine-tuned ones.

        The service answers with one page; iterate it for the models.
        """
        return list_call("Models_List", "ModelList", {}, options)

    @method
    def retrieve(self, model: str, **options: Unpack[RequestOptions]) -> Call[Model, Model]:
        """Retrieve a model by id (``Models_Get``): its ``capabilities``, ``lifecycle_status``
        and ``deprecation`` dates."""
        return plain_call("Models_Get", "Model", options, **{"model-id": model})
