"""The authoring document is Swagger 2.0: converted by swagger2openapi, then Azure's extensions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codegen import swagger
from codegen.spec import load_raw, spec_path
from codegen.sync import sync

from .conftest import EXAMPLES_VERSION, find_mirror


def _swagger() -> dict[str, Any]:
    path = spec_path(EXAMPLES_VERSION, document="authoring")
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_authoring_file_is_swagger_2_and_loads_as_openapi_3() -> None:
    assert swagger.is_swagger2(_swagger())
    doc = load_raw(EXAMPLES_VERSION, document="authoring")
    assert doc["openapi"].startswith("3.0")
    assert doc["servers"][0]["url"] == "{endpoint}/openai"
    assert len(doc["components"]["schemas"]) == len(_swagger()["definitions"]) == 67
    assert sum(len(item) for item in doc["paths"].values()) == 20


def test_body_and_form_parameters_become_request_bodies() -> None:
    doc = load_raw(EXAMPLES_VERSION, document="authoring")
    upload = doc["paths"]["/files"]["post"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["purpose", "file"]
    assert form["properties"]["file"] == {
        "description": "Gets or sets the file to upload into Azure OpenAI.",
        "type": "string",
        "format": "binary",
    }
    create = doc["paths"]["/fine_tuning/jobs"]["post"]
    assert create["x-ms-requestBody-name"] == "fineTuningJob"  # the example's parameter name
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FineTuningJobCreation"
    }


def test_azure_extensions_are_restored_after_conversion() -> None:
    doc = load_raw(EXAMPLES_VERSION, document="authoring")
    mapping = doc["components"]["schemas"]["BaseConnection"]["discriminator"]["mapping"]
    assert mapping["endpointMI"] == "#/components/schemas/EndpointMIConnection"
    assert mapping["relativeConnection"] == "#/components/schemas/DeploymentConnection"
    listing = doc["paths"]["/files"]["get"]
    assert listing["x-ms-examples"] == _swagger()["paths"]["/files"]["get"]["x-ms-examples"]
    purpose = listing["parameters"][0]
    assert "x-ms-enum" not in purpose
    assert purpose["schema"]["x-ms-enum"]["name"] == "Purpose"


def test_the_conversion_is_cached_and_stamped() -> None:
    path = spec_path(EXAMPLES_VERSION, document="authoring")
    load_raw(EXAMPLES_VERSION, document="authoring")
    stamp = path.with_name("authoring.openapi3.json.stamp").read_text().splitlines()
    assert f"input {swagger.sha256_file(path)}" in stamp
    assert f"converter {swagger.converter_version()}" in stamp
    assert swagger.converter_version() == "swagger2openapi 7.0.8"


def test_a_converted_document_changed_after_conversion_is_converted_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = find_mirror()
    assert mirror is not None, "needs the spec mirror (shared/specs or $AZURE_OAI_SPEC_MIRROR)"
    cache = tmp_path / "cache"
    sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=lambda _: None)
    first = load_raw(EXAMPLES_VERSION, cache_dir=cache, document="authoring")
    path = spec_path(EXAMPLES_VERSION, cache, document="authoring")
    target = path.with_name("authoring.openapi3.json")
    stamp = dict(
        line.split(" ", 1)
        for line in target.with_name(target.name + ".stamp").read_text().splitlines()
    )
    assert stamp["output"] == swagger.sha256_file(target)

    def tamper() -> None:
        doc = json.loads(target.read_text(encoding="utf-8"))
        doc["components"]["schemas"]["FineTuningJob"]["properties"]["evil_field"] = {
            "type": "string"
        }
        target.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")

    tamper()
    capsys.readouterr()
    again = load_raw(EXAMPLES_VERSION, cache_dir=cache, document="authoring")
    assert "evil_field" not in again["components"]["schemas"]["FineTuningJob"]["properties"]
    assert again == first
    assert "is not the file its stamp records" in capsys.readouterr().err
    assert swagger.sha256_file(target) == stamp["output"]  # the good result is back

    # sync notices too, and drops it (it is converted again on the next use).
    tamper()
    logged: list[str] = []
    sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=logged.append)
    assert any(
        "removed authoring.openapi3.json: its sha256 is not the" in line for line in logged
    ), logged
    assert not target.exists()
    assert load_raw(EXAMPLES_VERSION, cache_dir=cache, document="authoring") == first


def test_a_stale_stamp_means_converting_again() -> None:
    path = spec_path(EXAMPLES_VERSION, document="authoring")
    assert swagger.conversion_problem(path, swagger.sha256_file(path)) is None
    assert swagger.conversion_problem(path, "0" * 64) == (
        "converted from another version of the document"
    )
