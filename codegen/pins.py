"""The spec pins in ``specs/<api-version>.toml``.

An api-version of the data plane is two documents: ``inference`` (OpenAPI 3) and ``authoring``
(Swagger 2.0: files, fine-tuning, models, ingestion jobs). Each pin file has a table per
document. The inference table always pins a file (``repository``, ``commit``, ``path``,
``sha256``). The authoring table must say one of three things, so that no operation
disappears without the pin saying so:

* pin its own file (same four keys);
* ``reuse = "<api-version>"``: this version serves the authoring document pinned by that
  version (which must pin its own), e.g. a newer preview whose authoring document is not
  mirrored yet; ``reason`` says why;
* ``absent = "<reason>"``: this version has no authoring surface (its manifest has no
  authoring operations, and the changelog lists them as removed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from codegen.jsonish import as_object
from codegen.paths import PINS_DIR
from codegen.tomlfile import load_toml

Document = Literal["inference", "authoring"]
DOCUMENTS: tuple[Document, ...] = ("inference", "authoring")
_FILE_KEYS = ("repository", "commit", "path", "sha256")


class PinError(Exception):
    """A pin file is missing, malformed, or names an unknown api-version."""


@dataclass(frozen=True)
class DocumentPin:
    """One pinned upstream file."""

    document: Document
    api_version: str  # the version whose pin holds the file
    repository: str
    commit: str
    path: str
    sha256: str

    @property
    def url(self) -> str:
        return f"https://raw.githubusercontent.com/{self.repository}/{self.commit}/{self.path}"


@dataclass(frozen=True)
class Pin:
    api_version: str
    default: bool
    inference: DocumentPin
    file: Path
    authoring: DocumentPin | None = None  # this version's own authoring file
    authoring_reuse: str | None = None  # or: the version whose authoring file it serves
    authoring_absent: str | None = None  # or: why it has none
    authoring_reason: str = ""  # why the reuse

    # The inference file, under the names every caller used before there were two documents.
    @property
    def sha256(self) -> str:
        return self.inference.sha256

    @property
    def url(self) -> str:
        return self.inference.url

    def own(self) -> list[DocumentPin]:
        """The files this pin itself holds (what `sync` fetches for it)."""
        return [self.inference, *([self.authoring] if self.authoring else [])]


def _file_pin(document: Document, version: str, table: dict[str, Any], where: Path) -> DocumentPin:
    missing = [key for key in _FILE_KEYS if key not in table]
    if missing:
        raise PinError(f"{where}: [{document}] is missing {', '.join(missing)}")
    return DocumentPin(
        document=document,
        api_version=version,
        repository=table["repository"],
        commit=table["commit"],
        path=table["path"],
        sha256=str(table["sha256"]).lower(),
    )


def _load(file: Path) -> Pin:
    data = load_toml(file)
    version = str(data.get("api_version"))
    if version != file.stem:
        # The file name is how people find a pin; a mismatch would silently pin the wrong file.
        raise PinError(f"{file}: api_version {version!r} does not match the file name")
    unknown = set(data) - {"api_version", "default", *DOCUMENTS}
    if unknown:
        raise PinError(f"{file}: unknown keys {sorted(unknown)}")
    inference = as_object(data.get("inference"))
    if inference is None:
        raise PinError(f"{file}: missing the [inference] table")
    authoring = as_object(data.get("authoring"))
    if authoring is None:
        raise PinError(
            f'{file}: missing the [authoring] table (pin a file, or say `reuse = "<version>"` '
            'or `absent = "<reason>"`)'
        )
    kinds = [k for k in ("repository", "reuse", "absent") if k in authoring]
    if len(kinds) != 1:
        raise PinError(f"{file}: [authoring] needs exactly one of a pinned file, reuse or absent")
    pin = Pin(
        api_version=version,
        default=bool(data.get("default", False)),
        inference=_file_pin("inference", version, inference, file),
        file=file,
    )
    if kinds == ["repository"]:
        return replace(pin, authoring=_file_pin("authoring", version, authoring, file))
    if kinds == ["reuse"]:
        return replace(
            pin,
            authoring_reuse=str(authoring["reuse"]),
            authoring_reason=" ".join(str(authoring.get("reason", "")).split()),
        )
    return replace(pin, authoring_absent=" ".join(str(authoring["absent"]).split()))


def load_pins(pins_dir: Path = PINS_DIR) -> list[Pin]:
    pins = [_load(file) for file in sorted(pins_dir.glob("*.toml"))]
    defaults = [pin.api_version for pin in pins if pin.default]
    if len(defaults) > 1:
        raise PinError(f"more than one pin is marked default: {', '.join(defaults)}")
    by_version = {pin.api_version: pin for pin in pins}
    for pin in pins:
        if pin.authoring_reuse is not None:
            target = by_version.get(pin.authoring_reuse)
            if target is None or target.authoring is None:
                raise PinError(
                    f"{pin.file}: [authoring] reuse = {pin.authoring_reuse!r} names no pin "
                    "with an authoring file of its own"
                )
    return pins


def get_pin(api_version: str | None = None, pins_dir: Path = PINS_DIR) -> Pin:
    pins = load_pins(pins_dir)
    if api_version is None:
        for pin in pins:
            if pin.default:
                return pin
        raise PinError(f"no pin in {pins_dir} is marked default = true")
    for pin in pins:
        if pin.api_version == api_version:
            return pin
    known = ", ".join(pin.api_version for pin in pins) or "none"
    raise PinError(f"no pin for api-version {api_version!r} (known: {known})")


def document_pin(
    api_version: str | None, document: Document, pins_dir: Path = PINS_DIR
) -> DocumentPin | None:
    """The file that serves ``document`` for ``api_version`` (following ``reuse``), or None
    when the version declares it absent."""
    pin = get_pin(api_version, pins_dir)
    if document == "inference":
        return pin.inference
    if pin.authoring_reuse is not None:
        return get_pin(pin.authoring_reuse, pins_dir).authoring
    return pin.authoring


def default_version(pins_dir: Path = PINS_DIR) -> str:
    return get_pin(None, pins_dir).api_version


_DEFAULT_LINE = re.compile(r"^default[ \t]*=[ \t]*(?:true|false)[ \t]*$", re.MULTILINE)


def set_default(api_version: str, pins_dir: Path = PINS_DIR) -> list[Path]:
    """Mark ``api_version`` as the default pin (``default = true``) and every other pin
    ``default = false``; returns the files that changed. Comments and layout are kept."""
    pins = load_pins(pins_dir)
    if api_version not in {pin.api_version for pin in pins}:
        known = ", ".join(pin.api_version for pin in pins) or "none"
        raise PinError(f"no pin for api-version {api_version!r} (known: {known})")
    changed: list[Path] = []
    for pin in pins:
        text = pin.file.read_text(encoding="utf-8")
        line = f"default = {'true' if pin.api_version == api_version else 'false'}"
        if _DEFAULT_LINE.search(text):
            new = _DEFAULT_LINE.sub(line, text, count=1)
        else:
            head, sep, tail = text.partition("\n[")
            new = f"{head.rstrip()}\n{line}\n{sep.lstrip()}{tail}" if sep else f"{text}{line}\n"
        if new != text:
            pin.file.write_text(new, encoding="utf-8")
            changed.append(pin.file)
    return changed
