"""Azure-shaped error answers, raised anywhere while a request is served.

Handlers raise :class:`ServiceError`; the dispatcher turns it into the JSON body the
service sends with its status and headers. Inference operations answer
``{"error": {"code", "message", "param", "type", "innererror"}}``, the inner error spelled the
way the service spells it for the operation (``innererror`` for chat and completions,
``inner_error`` for images); authoring operations (files, fine-tuning, models, ingestion)
answer the authoring document's ``ErrorResponse``, ``{"error": {"code", "message", "target"}}``,
whose ``code`` is one of its ``ErrorCode`` values: an inference-style code is translated by
status (400 ``invalidPayload``, 401 ``unauthorized``, 404 ``notFound``, 429
``tooManyRequests``, 5xx ``internalFailure``...) and ``param`` becomes ``target``. Fields that
would be null are left out: both error schemas declare them as non-nullable strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = [
    "AUTHORING_CODES",
    "ServiceError",
    "authoring_error",
    "authoring_lookup",
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

    def body(self, document: str = "inference") -> dict[str, Any]:
        """The JSON body, in the error shape of the operation's ``document``."""
        if document == "authoring":
            return self._authoring_body()
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

    def _authoring_body(self) -> dict[str, Any]:
        if self.code in AUTHORING_CODES:
            code = self.code
        elif self.status >= 500:
            code = "serviceUnavailable" if self.status == 503 else "internalFailure"
        else:
            code = _AUTHORING_BY_STATUS.get(self.status, "invalidPayload")
        error: dict[str, Any] = {"code": code, "message": self.message}
        target = self.target if self.target is not None else self.param
        if target is not None:
            error["target"] = target
        return {"error": error}


T = TypeVar("T")

AUTHORING_CODES = frozenset(
    {
        "conflict",
        "invalidPayload",
        "forbidden",
        "notFound",
        "unexpectedEntityState",
        "itemDoesAlreadyExist",
        "serviceUnavailable",
        "internalFailure",
        "quotaExceeded",
        "jsonlValidationFailed",
        "fileImportFailed",
        "tooManyRequests",
        "unauthorized",
        "contentFilter",
    }
)
"""The authoring document's ``ErrorCode`` values."""

_AUTHORING_BY_STATUS = {
    401: "unauthorized",
    403: "forbidden",
    404: "notFound",
    409: "conflict",
    429: "tooManyRequests",
}


def authoring_error(
    status: int, code: str, message: str, target: str | None = None
) -> ServiceError:
    """An error of the authoring operations (``code``: one of :data:`AUTHORING_CODES`)."""
    return ServiceError(status, code, message, target=target)


def authoring_lookup(table: Mapping[str, T], key: str, kind: str) -> T:
    """``table[key]``, or the authoring API's 404 ``notFound`` naming the ``kind`` of item."""
    item = table.get(key)
    if item is None:
        raise authoring_error(404, "notFound", f"The {kind} '{key}' does not exist.")
    return item


def bad_request(message: str, param: str | None = None, code: str = "BadRequest") -> ServiceError:
    return ServiceError(400, code, message, param=param, type="invalid_request_error")


def not_found(kind: str, object_id: str) -> ServiceError:
    return ServiceError(
        404, "not_found", f"No {kind} found with id '{object_id}'.", type="invalid_request_error"
    )


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
