"""Azure-shaped error answers, raised anywhere while a request is served.

Handlers raise :class:`ServiceError`; the dispatcher turns it into the JSON body the
service sends (``{"error": {"code", "message", "param", "type", "innererror"}}``) with
its status and headers. Fields that would be null are left out: the spec's error schema
declares them as non-nullable strings. The inner error is spelled the way the service spells
it for the operation: ``innererror`` for chat and completions, ``inner_error`` for images.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = [
    "ServiceError",
    "lookup",
    "bad_request",
    "conflict",
    "deployment_not_found",
    "not_found",
    "resource_not_found",
]

_DEPLOYMENT_NOT_FOUND = (
    "The API deployment for this resource does not exist. If you created the deployment "
    "within the last 5 minutes, please wait a moment and try again."
)


class ServiceError(Exception):
    """An error the emulated service answers with."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        type: str | None = None,
        inner_error: Mapping[str, Any] | None = None,
        inner_error_key: str = "innererror",
        target: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.type = type
        self.inner_error = dict(inner_error) if inner_error is not None else None
        self.inner_error_key = inner_error_key
        self.target = target
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.param is not None:
            error["param"] = self.param
        if self.type is not None:
            error["type"] = self.type
        if self.target is not None:
            error["target"] = self.target  # the authoring API's field name
        if self.inner_error is not None:
            error[self.inner_error_key] = self.inner_error
        return {"error": error}


def bad_request(message: str, param: str | None = None, code: str = "BadRequest") -> ServiceError:
    return ServiceError(400, code, message, param=param, type="invalid_request_error")


def not_found(kind: str, object_id: str) -> ServiceError:
    return ServiceError(
        404, "not_found", f"No {kind} found with id '{object_id}'.", type="invalid_request_error"
    )


T = TypeVar("T")


def lookup(table: Mapping[str, T], key: str, kind: str) -> T:
    """``table[key]``, or the service's 404 naming the ``kind`` of object."""
    item = table.get(key)
    if item is None:
        raise not_found(kind, key)
    return item


def conflict(message: str) -> ServiceError:
    return ServiceError(409, "conflict", message, type="invalid_request_error")


def resource_not_found() -> ServiceError:
    return ServiceError(404, "404", "Resource not found")


def deployment_not_found() -> ServiceError:
    return ServiceError(404, "DeploymentNotFound", _DEPLOYMENT_NOT_FOUND)
