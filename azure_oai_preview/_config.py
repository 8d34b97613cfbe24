"""What a client was configured with: endpoint, api-version, default deployment, timeout, retries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._exceptions import InvalidRequestError

if TYPE_CHECKING:
    import httpx

    from ._call import Call
    from ._retry import RetryPolicy

__all__ = ["ClientConfig", "with_config"]


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client was configured with; immutable, so copies can share it safely."""

    base_url: httpx.URL
    api_version: str
    deployment: str | None
    timeout: httpx.Timeout
    retry: RetryPolicy
    default_headers: Mapping[str, str] = field(default_factory=dict[str, str])

    def url_for(self, call: Call[Any, Any]) -> httpx.URL:
        if call.url is not None:
            return self._service_link(call, call.url)
        path = call.operation.path
        for name, value in call.path_params.items():
            # An empty name would address a different URL (``/deployments//chat``): treat
            # it as missing, like None.
            if not value and name == "deployment-id":
                value = self.deployment
            if not value:
                hint = (
                    "pass deployment=... or give the client a default deployment"
                    if name == "deployment-id"
                    else "it is required"
                )
                raise InvalidRequestError(call.operation.operation_id, [(name, f"missing; {hint}")])
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return self.base_url.copy_with(raw_path=self.base_url.raw_path.rstrip(b"/") + path.encode())

    def _service_link(self, call: Call[Any, Any], link: str) -> httpx.URL:
        """``link`` (absolute), once it is known to address this client's endpoint.

        The credential headers go with every request to the endpoint's origin, so a link to
        another host, scheme or port, or outside the endpoint's ``/openai`` path, is never
        followed: the service (or whatever sits in between) is not trusted with that choice.
        """
        base = self.base_url
        target = base.join(link)
        inside = target.raw_path.startswith(base.raw_path.rstrip(b"/") + b"/")
        if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port) or (
            not inside
        ):
            shown = f"{target.scheme}://{target.host}{target.path}"
            problem = ("url", f"the service's link {shown} is not on the endpoint {base}")
            raise InvalidRequestError(call.operation.operation_id, [problem])
        return target


def with_config(config: ClientConfig, **changes: Any) -> ClientConfig:
    return replace(config, **changes)
