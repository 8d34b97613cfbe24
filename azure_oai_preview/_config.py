"""What a client was configured with: endpoint, api-version, default deployment, timeout, retries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from ._exceptions import InvalidRequestError

if TYPE_CHECKING:
    import httpx

    from ._call import Call
    from ._retry import RetryPolicy

__all__ = ["ClientConfig", "with_config"]

# RFC 3986 section 5.2.4: these segments are removed from a path, even percent-encoded (an
# encoded unreserved character is the character), so no encoding keeps them in place.
_DOT_SEGMENTS = frozenset({".", ".."})


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client was configured with; immutable, so copies can share it safely."""

    base_url: httpx.URL
    api_version: str
    deployment: str | None
    timeout: httpx.Timeout
    retry: RetryPolicy
    # Not in the repr: API Management users put their subscription key here.
    default_headers: Mapping[str, str] = field(default_factory=dict[str, str], repr=False)

    # The endpoint as text, without a trailing slash: computed on first use (a replaced copy,
    # ``with_options``, starts without it again).
    _root: str | None = field(default=None, init=False, repr=False, compare=False)

    def url_for(self, call: Call[Any, Any]) -> httpx.URL:
        """The URL of ``call``: the operation's path below the endpoint, each path parameter
        percent-encoded into its own segment (a service link, ``call.url``, once it is known to
        be on the endpoint).

        Raises :class:`InvalidRequestError` (naming the parameter) for a parameter that is
        missing or empty, not a string, or a dot segment (``.``/``..``): URL normalisation
        removes those, so the request would address another resource.
        """
        if call.url is not None:
            return self._service_link(call, call.url)
        return self.base_url.copy_with(
            raw_path=self.base_url.raw_path.rstrip(b"/") + self._path(call)
        )

    def address_of(self, call: Call[Any, Any]) -> str:
        """The URL of ``call`` (which has no service link) as text, without a query: what
        :meth:`url_for` gives, but cheap to build; the HTTP client parses it once, with the
        query appended. Raises as :meth:`url_for` does."""
        root = self._root
        if root is None:
            root = str(self.base_url.copy_with(query=None, fragment=None)).rstrip("/")
            object.__setattr__(self, "_root", root)
        return root + self._path(call).decode()

    def _path(self, call: Call[Any, Any]) -> bytes:
        """The operation's path with its parameters filled in (see :meth:`url_for`)."""
        path = call.operation.path
        problems: list[tuple[str, str]] = []
        for name, value in call.path_params.items():
            # An empty name would address a different URL (``/deployments//chat``): treat
            # it as missing, like None.
            if name == "deployment-id" and (value is None or value == ""):
                value = self.deployment
            problem = _path_param_problem(call, name, value)
            if problem is not None:
                problems.append((name, problem))
            elif not problems:
                path = path.replace("{" + name + "}", quote(cast("str", value), safe=""))
        if problems:
            raise InvalidRequestError(call.operation.operation_id, problems)
        return path.encode()

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


def _path_param_problem(call: Call[Any, Any], name: str, value: object) -> str | None:
    """What is wrong with a path parameter's value, or None when it can be sent."""
    if value is None or value == "":
        if name == "deployment-id":
            return "missing; pass deployment=... or give the client a default deployment"
        return "missing; it is required"
    if not isinstance(value, str):
        # The value is not echoed: it is not a string, and could be anything.
        return f"must be a string ({_argument_name(call, name)}), got {type(value).__name__}"
    if value in _DOT_SEGMENTS:
        return (
            f"{value!r} is not a valid id ({_argument_name(call, name)}): URLs drop dot segments, "
            "so the request would reach another resource"
        )
    return None


def _argument_name(call: Call[Any, Any], name: str) -> str:
    """How the caller passed a path parameter: ``deployment=`` or the method's argument."""
    if name == "deployment-id":
        return "the deployment= argument or the client's deployment"
    for parameter in call.operation.path_params:
        if parameter.name == name:
            return f"the {parameter.python_name} argument"
    return f"the {name} argument"
