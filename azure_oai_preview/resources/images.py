"""``client.images``: DALL-E image generation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .._call import Call
from .._resource import M, Resource, method
from ._common import json_call

if TYPE_CHECKING:
    from ..models import GenerateImagesResponse
    from ._args import ImageGenerationsCreateArgs

__all__ = ["Images"]


class Images(Resource[M]):
    """``client.images``: images generated from a prompt."""

    @method
    def generate(
        self, *, deployment: str | None = None, **params: Unpack[ImageGenerationsCreateArgs]
    ) -> Call[GenerateImagesResponse, GenerateImagesResponse]:
        """Generate images from ``prompt`` (``ImageGenerations_Create``)."""
        return json_call(
            "ImageGenerations_Create",
            "ImageGenerationsRequest",
            "GenerateImagesResponse",
            params,
            path={"deployment-id": deployment},
        )
