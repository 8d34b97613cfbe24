"""Names: Python identifiers for schemas, fields and enum members, and the registry that keeps
them unique and deterministic."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable

# Names a field must not shadow. ``dir(pydantic.BaseModel)`` at the time of writing plus the
# names the brief calls out; kept literal so the output does not depend on the installed
# pydantic version.
BASEMODEL_ATTRS = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "fields",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)

# Names the generated module uses in annotations or at class level; a field with one of these
# names would shadow it inside the class body.
MODULE_NAMES = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "None",
        "Any",
        "Literal",
        "Union",
        "Annotated",
        "Field",
        "ClassVar",
        "TypeAlias",
        "OpenEnum",
        "OpenModel",
        "UnknownVariantModel",
    }
)

_SECRET_WORDS = frozenset(
    {"key", "secret", "password", "passwd", "credential", "credentials", "apikey"}
)
_SECRET_SUFFIXES = (
    "access_token",
    "refresh_token",
    "id_token",
    "sas_token",
    "bearer_token",
    "auth_token",
)


def is_secret(wire_name: str) -> bool:
    """Whether a field holds a credential (its repr must not show it).

    ``token`` alone is not a secret here: in this API it is mostly a model token
    (``max_tokens``, logprob ``token``).
    """
    lowered = wire_name.lower()
    if "connection_string" in lowered or "connectionstring" in lowered:
        return True
    if lowered.endswith(_SECRET_SUFFIXES):
        return True
    words = re.split(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])", lowered)
    return any(word in _SECRET_WORDS for word in words)


def cap(name: str) -> str:
    """Upper-case the first letter only (``createChatCompletionRequest`` -> ``Create...``)."""
    return name[:1].upper() + name[1:]


def pascal(text: str) -> str:
    """``thread.run.in_progress`` -> ``ThreadRunInProgress``; ``timestamp_granularities[]`` ->
    ``TimestampGranularities``; existing capitals are kept (``URL`` stays ``URL``)."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", text) if p]
    out = "".join(cap(p) for p in parts)
    if out and out[0].isdigit():
        out = "V" + out
    return out or "Value"


def upper_snake(text: str) -> str:
    """``thread.run.step`` -> ``THREAD_RUN_STEP``; ``Base64Json`` -> ``BASE64_JSON``;
    ``azureMachineLearningIndex`` -> ``AZURE_MACHINE_LEARNING_INDEX``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    out = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").upper()
    return out


def enum_member_name(value: str, given: str | None) -> str:
    name = upper_snake(given) if given else upper_snake(value)
    if not name:
        name = "EMPTY" if value == "" else "VALUE"
    if name[0].isdigit():
        name = "V_" + name
    return name


def field_name(wire: str, taken: set[str], reserved: set[str]) -> str:
    """A Python attribute name for ``wire`` (the wire name itself whenever possible)."""
    candidate = wire
    if not candidate.isidentifier() or candidate.startswith("_"):
        candidate = re.sub(r"[^0-9A-Za-z_]+", "_", candidate).strip("_")
        candidate = re.sub(r"__+", "_", candidate)
        if not candidate:
            candidate = "field"
        if candidate[0].isdigit():
            candidate = "f_" + candidate
    if (
        keyword.iskeyword(candidate)
        or candidate in BASEMODEL_ATTRS
        or candidate in MODULE_NAMES
        or candidate in reserved
    ):
        candidate += "_"
    while candidate in taken:
        candidate += "_"
    return candidate


def identifier(text: str) -> str:
    out = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_")
    if not out or out[0].isdigit():
        out = "p_" + out
    if keyword.iskeyword(out):
        out += "_"
    return out


class NameRegistry:
    """Hands out unique public names; first come, first served, in a deterministic order."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        self._taken: dict[str, str] = {}  # name -> what claimed it
        self._warn = warn

    def __contains__(self, name: str) -> bool:
        return name in self._taken

    def owner(self, name: str) -> str | None:
        return self._taken.get(name)

    def claim(self, candidates: list[str], owner: str) -> str:
        for candidate in candidates:
            if candidate and candidate not in self._taken and candidate not in MODULE_NAMES:
                self._taken[candidate] = owner
                return candidate
        base = candidates[-1]
        n = 2
        while f"{base}{n}" in self._taken:
            n += 1
        name = f"{base}{n}"
        self._taken[name] = owner
        warn = self._warn
        assert callable(warn)
        warn(
            f"name collision: {', '.join(dict.fromkeys(candidates))} taken; {owner} is named {name}"
        )
        return name
