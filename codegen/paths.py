"""Where the generator reads and writes, relative to the repository root."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PINS_DIR = REPO_ROOT / "specs"
TRANSFORMS_DIR = PINS_DIR / "transforms"
CACHE_DIR = REPO_ROOT / ".spec-cache"
MODELS_DIR = REPO_ROOT / "azure_oai_preview" / "models"
GENERATED_FILE = "_generated.py"
MANIFEST_FILE = "_manifest.py"
PARAMS_FILE = "_params.py"
SPEC_FILE = "inference.json"
EXAMPLES_DIR = "examples"
EXAMPLES_LISTING = "examples.sha256"
MIRROR_ENV = "AZURE_OAI_SPEC_MIRROR"
