"""``client.images``: DALL-E image generation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .._call import Call, JsonReader
from .._resource import M, Resource, operation
from ._common import json_body, operation_named

if TYPE_CHECKING:
    from ..models import GenerateImagesResponse
    from ..models._params import ImageGenerationsCreateParams

__all__ = ["Images"]


def generate(
    *, deployment: str | None = None, **params: Unpack[ImageGenerationsCreateParams]
) -> Call[GenerateImagesResponse, GenerateImagesResponse]:
    """Generate images from ``prompt`` (``ImageGenerations_Create``)."""
    from .. import models

    op = operation_named("ImageGenerations_Create")
    return Call(
        operation=op,
        path_params={"deployment-id": deployment},
        body=json_body(op, models.ImageGenerationsRequest, params),
        reader=JsonReader(models.GenerateImagesResponse),
    )


class Images(Resource[M]):
    generate = operation(generate)
