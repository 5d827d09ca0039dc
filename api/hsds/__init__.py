"""The HSDS 3 schemas this API follows, built from our own table of fields (fields.py, README.md).

Used by the OpenAPI document (as components, so clients and the fuzzer check responses against
them), by the data package (its CSV columns) and by the tests (jsonschema validation).
"""

from __future__ import annotations

import copy
from functools import cache

from api.hsds.fields import OBJECTS, build

HSDS_VERSION = "3.2"


def component_name(name: str) -> str:
    return f"hsds_{name}"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{component_name(name)}"}


@cache
def _schemas() -> dict[str, dict]:
    return {name: build(name, lambda target: {"$ref": f"{target}.json"}) for name in sorted(OBJECTS)}


def schemas() -> dict[str, dict]:
    """Object name → JSON Schema; another object is referred to as `{"$ref": "<name>.json"}`."""
    return copy.deepcopy(_schemas())


@cache
def _components() -> dict[str, dict]:
    return {component_name(name): build(name, ref) for name in sorted(OBJECTS)}


def openapi_components() -> dict[str, dict]:
    """The same schemas as OpenAPI components `hsds_<name>`, referring to each other by `#/components/...`."""
    return copy.deepcopy(_components())


def page_of(name: str) -> dict:
    """An HSDS page whose contents are `name` records."""
    return {
        "allOf": [ref("page"), {"type": "object", "properties": {"contents": {"type": "array", "items": ref(name)}}}]
    }


def add_components(result, generator, request, public):
    """drf-spectacular post-processing hook: the HSDS schemas the responses refer to."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(openapi_components())
    return result
