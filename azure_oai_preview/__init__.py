"""Typed client for the Azure OpenAI preview data-plane API."""

from ._version import __version__

__all__ = ["__version__"]
