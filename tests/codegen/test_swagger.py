"""The authoring document is Swagger 2.0: converted by swagger2openapi, then Azure's extensions."""

from __future__ import annotations

import json
from typing import Any

from codegen import swagger
from codegen.spec import load_raw, spec_path

from .conftest import EXAMPLES_VERSION


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
    stamp = path.with_name("authoring.openapi3.json.stamp").read_text()
    assert stamp.startswith(swagger.sha256_file(path))
    assert swagger.converter_version() in stamp
    assert swagger.converter_version() == "swagger2openapi 7.0.8"
