"""The spec pins in ``specs/<api-version>.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codegen.paths import PINS_DIR
from codegen.tomlfile import load_toml

_REQUIRED_KEYS = ("api_version", "repository", "commit", "path", "sha256")


class PinError(Exception):
    """A pin file is missing, malformed, or names an unknown api-version."""


@dataclass(frozen=True)
class Pin:
    api_version: str
    default: bool
    repository: str
    commit: str
    path: str
    sha256: str
    file: Path

    @property
    def url(self) -> str:
        return f"https://raw.githubusercontent.com/{self.repository}/{self.commit}/{self.path}"


def load_pins(pins_dir: Path = PINS_DIR) -> list[Pin]:
    pins: list[Pin] = []
    for file in sorted(pins_dir.glob("*.toml")):
        data = load_toml(file)
        missing = [key for key in _REQUIRED_KEYS if key not in data]
        if missing:
            raise PinError(f"{file}: missing keys {', '.join(missing)}")
        if data["api_version"] != file.stem:
            # The file name is how people find a pin; a mismatch would silently pin the wrong file.
            raise PinError(
                f"{file}: api_version {data['api_version']!r} does not match the file name"
            )
        pins.append(
            Pin(
                api_version=data["api_version"],
                default=bool(data.get("default", False)),
                repository=data["repository"],
                commit=data["commit"],
                path=data["path"],
                sha256=data["sha256"].lower(),
                file=file,
            )
        )
    defaults = [pin.api_version for pin in pins if pin.default]
    if len(defaults) > 1:
        raise PinError(f"more than one pin is marked default: {', '.join(defaults)}")
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


def default_version(pins_dir: Path = PINS_DIR) -> str:
    return get_pin(None, pins_dir).api_version
