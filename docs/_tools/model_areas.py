"""Which API area each generated model belongs to, for the per-area model reference pages.

The generator decides (``codegen/areas.py``, from the operations that use each schema) and
records its layout as data in ``azure_oai_preview.models._areas``; the reference follows it, so
a model's page is the module it lives in. Request parameter TypedDicts (``...Param``) sit on
the page of the models they type.
"""

from __future__ import annotations


def model_areas() -> dict[str, list[str]]:
    """``{area: [model names]}``: every public name of ``azure_oai_preview.models``, once, in
    the generator's module order (``chat``, ..., ``common``, ``unreferenced``)."""
    from azure_oai_preview.models import _areas

    found: dict[str, list[str]] = {area: [] for area in _areas.MODULES}
    for table in (_areas.MODEL_AREAS, _areas.PARAM_AREAS):
        for name, area in table.items():
            found.setdefault(area, []).append(name)
    return {area: sorted(names, key=str.lower) for area, names in found.items() if names}


def area_title(area: str) -> str:
    """The generator's title of an area (``Chat completions``...)."""
    from azure_oai_preview.models import _areas

    return _areas.TITLES.get(area, area.replace("_", " ").capitalize())
