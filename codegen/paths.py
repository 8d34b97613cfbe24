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
AUTHORING_FILE = "authoring.json"
AUTHORING_EXAMPLES_DIR = "authoring-examples"
AUTHORING_EXAMPLES_LISTING = "authoring-examples.sha256"
CONVERTED_SUFFIX = ".openapi3.json"  # the converted Swagger 2.0 document, next to the original
SWAGGER2OPENAPI = REPO_ROOT / "node_modules" / ".bin" / "swagger2openapi"


def document_files(document: str) -> tuple[str, str, str]:
    """(spec file, examples folder, examples listing) of a document, in the mirror and the cache
    (``<api-version>/<file>``)."""
    if document == "authoring":
        return AUTHORING_FILE, AUTHORING_EXAMPLES_DIR, AUTHORING_EXAMPLES_LISTING
    return SPEC_FILE, EXAMPLES_DIR, EXAMPLES_LISTING
