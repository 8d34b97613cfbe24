"""A client's settings from its constructor arguments and the environment.

Endpoint normalisation, the api-version (and its warning), timeouts, default headers, the
aliases openai-python users bring (``azure_endpoint``, ``azure_deployment``) and the choice of
auth - everything :class:`~._client.AzureOpenAI` and :class:`~._client.AsyncAzureOpenAI` do with
their arguments, once for both, and for ``with_options``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

if TYPE_CHECKING:
    import httpx

    from ._config import ClientConfig

__all__ = ["DEFAULT_TIMEOUT", "configure", "options_changes"]

# httpx and pydantic are imported when the first client is built, not when this module
# is: `from azure_oai_preview import AzureOpenAI` stays cheap for apps and CLIs that may
# never make a call.


class _DefaultTimeout:
    """600 s to read (LLM calls can legitimately take minutes), 10 s to connect."""

    read: Final = 600.0
    connect: Final = 10.0

    def __repr__(self) -> str:
        return "DEFAULT_TIMEOUT(600 s, connect 10 s)"


DEFAULT_TIMEOUT: Final = _DefaultTimeout()

_NOT_GIVEN: Any = object()
T = TypeVar("T")


def _default_api_version() -> str:
    from .models._manifest import API_VERSION

    return API_VERSION


def _timeout(value: float | httpx.Timeout | _DefaultTimeout | None) -> httpx.Timeout:
    import httpx

    if isinstance(value, _DefaultTimeout):
        return httpx.Timeout(value.read, connect=value.connect)
    if isinstance(value, httpx.Timeout):
        return value
    # Checked here, not when the first request fails: not every caller runs a type checker.
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0  # pyright: ignore[reportUnnecessaryIsInstance]
    ):
        raise ValueError("timeout must be seconds (a number >= 0), an httpx.Timeout, or None")
    return httpx.Timeout(value)


def _build_config(
    *,
    endpoint: str | None,
    api_version: str | None,
    deployment: str | None,
    timeout: float | httpx.Timeout | _DefaultTimeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    allow_insecure_http: bool,
    azure_endpoint: str | None = None,
    azure_deployment: str | None = None,
) -> ClientConfig:
    from ._config import ClientConfig
    from ._retry import RetryPolicy

    base_url = _base_url(endpoint, azure_endpoint, allow_insecure_http)
    return ClientConfig(
        base_url=base_url,
        api_version=_api_version(api_version),
        deployment=_same_option("deployment", deployment, "azure_deployment", azure_deployment),
        timeout=_timeout(timeout),
        retry=RetryPolicy(max_retries=max_retries),
        default_headers=_checked_headers(default_headers or {}),
    )


def _checked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    from ._credentials import header_problem

    for name, value in headers.items():
        problem = header_problem(name, value)
        if problem is not None:
            shown = name if isinstance(name, str) else type(name).__name__  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"default_headers[{shown!r}] {problem}")
    return dict(headers)


def _same_option(name: str, value: T | None, alias: str, alias_value: T | None) -> T | None:
    """One option with two spellings (``endpoint`` / openai-python's ``azure_endpoint``...)."""
    if value is not None and alias_value is not None and value != alias_value:
        # The values are not echoed: either could be a secret pasted into the wrong place.
        raise ValueError(
            f"{name}= and {alias}= are two spellings of one option and disagree; pass one"
        )
    return value if value is not None else alias_value


def _base_url(
    endpoint: str | None, azure_endpoint: str | None, allow_insecure_http: bool
) -> httpx.URL:
    given = [_normalized_endpoint(e, allow_insecure_http) for e in (endpoint, azure_endpoint) if e]
    base_url = _same_option("endpoint", given[0], "azure_endpoint", given[-1]) if given else None
    if base_url is not None:
        return base_url
    from_env = os.environ.get("AZURE_OPENAI_ENDPOINT")
    if not from_env:
        raise ValueError(
            "no endpoint: pass endpoint='https://<resource>.openai.azure.com' "
            "or set the AZURE_OPENAI_ENDPOINT environment variable"
        )
    return _normalized_endpoint(from_env, allow_insecure_http)


def _normalized_endpoint(endpoint: str, allow_insecure_http: bool) -> httpx.URL:
    """``https://<resource>.openai.azure.com[/openai][/]`` -> ``.../openai``."""
    import httpx

    url = httpx.URL(endpoint.strip())
    if url.userinfo:
        # Never echo the endpoint here: a key pasted into the wrong argument would leak.
        raise ValueError("the endpoint must not contain a user name or password")
    if url.scheme not in ("https", "http") or not url.host:
        # The value is not echoed: a key passed as the (positional) endpoint by mistake
        # would otherwise end up in the message.
        raise ValueError(
            "endpoint must be an https:// URL with a host, "
            "like 'https://<resource>.openai.azure.com'"
        )
    if url.scheme == "http" and not allow_insecure_http:
        raise ValueError(
            "refusing to send credentials over plain http:// to "
            f"{url.host}; use https://, or pass allow_insecure_http=True for a local test server"
        )
    path = url.path.rstrip("/")
    if "/openai/" in path + "/" and not path.endswith("/openai"):
        # The portal's "Target URI" (.../openai/deployments/<name>/chat/completions?...) is
        # an operation's URL, not the endpoint: the SDK would double its path.
        raise ValueError(
            "endpoint must be the resource's endpoint, like 'https://<resource>.openai.azure.com', "
            "not an operation's URL; name the deployment with deployment= (or per call)"
        )
    if path.endswith("/openai"):
        path = path[: -len("/openai")]
    return url.copy_with(path=path + "/openai", query=None, fragment=None)


# Versions warned about already: the warning is said once per process and version.
_warned_api_versions: set[str] = set()


def _api_version(given: str | None) -> str:
    if given:
        return _checked_api_version(given, "api_version=", stacklevel=6)
    from_env = os.environ.get("OPENAI_API_VERSION")
    if from_env:
        return _checked_api_version(
            from_env, "the OPENAI_API_VERSION environment variable", stacklevel=6
        )
    return _default_api_version()


def _checked_api_version(version: str, source: str, *, stacklevel: int) -> str:
    """``version``, after warning (once) if it is not the version the models describe."""
    from ._exceptions import APIVersionWarning

    models = _default_api_version()
    if version != models and version not in _warned_api_versions:
        _warned_api_versions.add(version)
        warnings.warn(
            f"api-version {version} (from {source}) is not {models}, the version this "
            f"package's models were generated from. Requests are still checked against "
            f"{models} and responses parsed with its models: what exists only in {version} "
            "is neither checked nor typed (send it with extra_body; it comes back as extra "
            f"fields). Use api_version={models!r} (and unset OPENAI_API_VERSION) to match "
            "the models, or silence this with warnings.filterwarnings('ignore', "
            "category=azure_oai_preview.APIVersionWarning).",
            APIVersionWarning,
            stacklevel=stacklevel,
        )
    return version


_AUTH_ARGUMENTS = ("api_key", "credential", "azure_ad_token", "azure_ad_token_provider")
_AUTH_ENVIRONMENT = {"api_key": "AZURE_OPENAI_API_KEY", "azure_ad_token": "AZURE_OPENAI_AD_TOKEN"}


def configure(arguments: dict[str, Any], *, is_async: bool) -> tuple[ClientConfig, Any]:
    """Configuration and auth from a client constructor's arguments (its ``locals()``).

    Both constructors spell out their typed signatures; everything they do with the
    values is here, once.
    """
    from ._auth import resolve_auth
    from ._logging import setup_logging

    setup_logging()
    config = _build_config(
        endpoint=arguments["endpoint"],
        azure_endpoint=arguments["azure_endpoint"],
        api_version=arguments["api_version"],
        deployment=arguments["deployment"],
        azure_deployment=arguments["azure_deployment"],
        timeout=arguments["timeout"],
        max_retries=arguments["max_retries"],
        default_headers=arguments["default_headers"],
        allow_insecure_http=arguments["allow_insecure_http"],
    )
    auth = resolve_auth(
        **_auth_arguments(arguments),
        scopes=arguments["credential_scopes"],
        is_async=is_async,
    )
    return config, auth


def _auth_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    """The auth arguments, with the environment's when the caller chose no auth at all.

    So an ``AZURE_OPENAI_API_KEY`` lying around never clashes with an explicit credential;
    but with no argument, both ``AZURE_OPENAI_API_KEY`` and ``AZURE_OPENAI_AD_TOKEN`` set
    is ambiguous, and an error.
    """
    chosen = {name: arguments[name] for name in _AUTH_ARGUMENTS}
    if any(value is not None for value in chosen.values()):
        return chosen
    found = {name: os.environ.get(variable) or None for name, variable in _AUTH_ENVIRONMENT.items()}
    if all(found.values()):
        raise ValueError(
            "both AZURE_OPENAI_API_KEY and AZURE_OPENAI_AD_TOKEN are set and no auth argument "
            "was given, so which to use is unclear: unset one, or pass api_key=, "
            "azure_ad_token=, credential= or azure_ad_token_provider="
        )
    return {**chosen, **found}


def options_changes(
    config: ClientConfig,
    *,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    deployment: str | None,
    api_version: str | None,
    default_headers: Mapping[str, str] | None,
) -> ClientConfig:
    from ._config import with_config
    from ._retry import RetryPolicy

    changes: dict[str, Any] = {}
    if timeout is not _NOT_GIVEN:
        changes["timeout"] = _timeout(timeout)
    if max_retries is not None:
        changes["retry"] = RetryPolicy(max_retries=max_retries)
    if deployment is not None:
        changes["deployment"] = deployment
    if api_version is not None:
        changes["api_version"] = _checked_api_version(api_version, "with_options", stacklevel=4)
    if default_headers is not None:
        changes["default_headers"] = {**config.default_headers, **_checked_headers(default_headers)}
    return with_config(config, **changes)
