# SPDX-License-Identifier: EUPL-1.2
"""Omzien's own OpenAPI description of the HSDS API: every response and error by its schema.

The objects are the shipped HSDS 3.0 schemas made strict (``additionalProperties: false``, as the
specification's recipe), pruned to the keywords OpenAPI 3.0 knows, each a component
(``hsds_service``, ``hsds_phone`` …); list items are their one-to-one fields, as the specification's
``*_list`` schemas. Omzien's profile adds ``capacities`` (3.1's ``service_capacity``) to a service.
Bounds are in the schema (``page`` ≥ 1, ``per_page`` 1–200, ``proximity`` 1–100,000 metres). A
postprocessing hook (``add_components``) adds the components to the generated document.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from omzien.hsds import selectors, spec

CAPACITY_URL = "https://github.com/openreferral/specification/blob/3.1-dev/schema/service_capacity.json"
PREFIX = "hsds_"
KEYWORDS = {"type", "properties", "items", "required", "enum", "format", "description", "title", "$ref"}
OBJECTS = (
    "accessibility", "address", "attribute", "contact", "cost_option", "funding", "language", "location",
    "metadata", "organization", "organization_identifier", "phone", "program", "required_document", "schedule",
    "service", "service_area", "service_at_location", "taxonomy", "taxonomy_term",
)  # fmt: skip


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{PREFIX}{name}"}


def _openapi_schema(node: Any) -> Any:
    """An HSDS JSON schema as a strict OpenAPI 3.0 schema object (unknown keywords left out)."""
    if isinstance(node, list):
        return [_openapi_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in KEYWORDS:
            continue
        if key == "$ref":
            return {"$ref": f"#/components/schemas/{PREFIX}{value.removesuffix('.json').replace('.', '_').replace('-', '_')}"}
        if key == "properties":
            out[key] = {name: _openapi_schema(prop) for name, prop in value.items()}
        elif key == "type" and value == "number":
            out[key] = "number"
        else:
            out[key] = _openapi_schema(value)
    if out.get("type") == "object" or "properties" in out:
        out["additionalProperties"] = False
    return out


def _one_to_one(schema: dict[str, Any], nested: dict[str, str]) -> dict[str, Any]:
    """A list item: the object's own fields, and its one-to-one objects as their list items."""
    properties = {}
    for name, prop in schema["properties"].items():
        if prop.get("type") == "array":
            continue
        properties[name] = ref(nested[name]) if "$ref" in prop and name in nested else prop
    return {**schema, "properties": properties}


@functools.cache
def components() -> dict[str, Any]:
    schemas: dict[str, Any] = {f"{PREFIX}{name}": _openapi_schema(spec.load(f"{name}.json")) for name in OBJECTS}
    schemas[f"{PREFIX}service_capacity_3_1_dev"] = _openapi_schema(spec.load(spec.CAPACITY))
    schemas[f"{PREFIX}unit_3_1_dev"] = _openapi_schema(spec.load("unit.3.1-dev.json"))
    service = schemas[f"{PREFIX}service"]
    service["properties"][spec.PROFILE_FIELD] = {"type": "array", "items": ref("service_capacity_3_1_dev")}
    organization, place = schemas[f"{PREFIX}organization"], schemas[f"{PREFIX}location"]
    schemas[f"{PREFIX}organization_list"] = _one_to_one(organization, {})
    schemas[f"{PREFIX}location_list"] = _one_to_one(place, {})
    schemas[f"{PREFIX}program_list"] = _one_to_one(schemas[f"{PREFIX}program"], {})
    service_list = _one_to_one(service, {"organization": "organization_list", "program": "program_list"})
    service_list["properties"][spec.PROFILE_FIELD] = service["properties"][spec.PROFILE_FIELD]
    schemas[f"{PREFIX}service_list"] = service_list
    at = schemas[f"{PREFIX}service_at_location"]
    schemas[f"{PREFIX}service_at_location_list"] = {
        **_one_to_one(at, {"location": "location_list"}),
    }
    schemas[f"{PREFIX}service_at_location_list"]["properties"]["service"] = ref("service_list")
    # The single views nest one level more, as the specification's compiled files do.
    schemas[f"{PREFIX}service_at_location_full"] = {
        **at, "properties": {**at["properties"], "service": ref("service")},
    }  # fmt: skip
    schemas[f"{PREFIX}organization_full"] = {
        **organization,
        "properties": {**organization["properties"], "services": {"type": "array", "items": {"anyOf": [ref("service_list"), ref("service")]}}},
    }  # fmt: skip
    schemas["Error"] = {
        "type": "object", "additionalProperties": False, "required": ["detail"],
        "properties": {"detail": {"type": "string", "description": "What is wrong, in words."},
                       "parameter": {"type": "string", "description": "The query parameter at fault."}},
    }  # fmt: skip
    return schemas


def add_components(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the HSDS schemas the operations refer to."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(components())
    return result


def _page(item: dict[str, Any]) -> dict[str, Any]:
    integer = {"type": "integer", "minimum": 0}
    return {
        "type": "object", "additionalProperties": False,
        "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
        "properties": {
            "total_items": integer, "total_pages": {"type": "integer", "minimum": 1},
            "page_number": {"type": "integer", "minimum": 1, "maximum": selectors.MAX_PAGE},
            "size": {"type": "integer", "minimum": 0, "maximum": selectors.MAX_PER_PAGE},
            "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"}, "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": item, "maxItems": selectors.MAX_PER_PAGE},
        },
    }  # fmt: skip


ERROR = {"$ref": "#/components/schemas/Error"}
BAD = OpenApiResponse(ERROR, description="A parameter this endpoint does not take, or a malformed value; `parameter` names it.")
MISSING = OpenApiResponse(ERROR, description="No object with this id.")
SCHEMA_TYPES = {"int": "integer", "bool": "boolean", "uuid": "string", "text": "string", "datetime": "string", "format": "string"}


def _parameters(params: dict[str, selectors.Param]) -> list[OpenApiParameter]:
    out = []
    for name, param in params.items():
        schema: dict[str, Any] = {"type": SCHEMA_TYPES[param.kind]}
        if param.kind == "int":
            schema.update(minimum=param.low, maximum=param.high)
        elif param.kind == "uuid":
            schema["format"] = "uuid"
        elif param.kind == "datetime":
            schema["format"] = "date-time"
        elif param.kind == "format":
            schema["enum"] = list(selectors.FORMATS)
        elif param.kind == "text":
            schema["maxLength"] = selectors.MAX_SEARCH
        out.append(OpenApiParameter(name, schema, description=param.description))  # type: ignore[arg-type]
    return out


def _list(operation_id: str, summary: str, params: dict[str, selectors.Param], item: dict[str, Any]) -> Callable[[Any], Any]:
    return extend_schema(
        operation_id=operation_id, summary=summary, parameters=_parameters(params),
        responses={
            (200, "application/json"): OpenApiResponse(_page(item), description="One page (the HSDS Page object)."),
            (200, "application/x-ndjson"): OpenApiResponse(
                {"type": "array", "items": item},
                description="With format=ndjson: every result, one JSON object per line, streamed (no pages)."),
            (400, "application/json"): BAD,
        },
    )  # fmt: skip


def _single(operation_id: str, summary: str, item: dict[str, Any], params: dict[str, selectors.Param] | None = None) -> Callable[[Any], Any]:
    return extend_schema(operation_id=operation_id, summary=summary, parameters=_parameters(params or {}),
                         responses={200: OpenApiResponse(item, description=summary), 400: BAD, 404: MISSING})  # fmt: skip


info = extend_schema(
    operation_id="getAPIMetaInformation", summary="HSDS version, Omzien's profile and this OpenAPI document",
    responses={
        200: OpenApiResponse({
            "type": "object", "additionalProperties": False, "required": ["version", "profile", "openapi_url"],
            "properties": {"version": {"type": "string", "enum": ["3.0"]}, "profile": {"type": "string", "format": "uri"},
                           "openapi_url": {"type": "string", "format": "uri"}},
        }, description="About this API."),
        400: BAD,
    },
)  # fmt: skip
service_list = _list(
    "getPaginatedListOfServices", "Services (activities): one-to-one fields, organisation and live capacity",
    selectors.SERVICES, {"anyOf": [ref("service_list"), ref("service")]},
)
service = _single("getFullyNestedServiceById", "One service with everything nested", ref("service"))
service_at_location_list = _list(
    "getPaginatedListOfServiceAtLocation", "Services at their locations (with Open Referral UK's postcode search)",
    selectors.SERVICE_AT_LOCATIONS, {"anyOf": [ref("service_at_location_list"), ref("service_at_location_full")]},
)
service_at_location = _single(
    "getServiceAtLocationWithNestedDataById", "One service at a location, fully nested", ref("service_at_location_full")
)
organization_list = _list(
    "getPaginatedListOfOrganizations", "Organisations with services", selectors.ORGANIZATIONS,
    {"anyOf": [ref("organization_list"), ref("organization_full")]},
)
organization = _single(
    "getOrganizationById", "One organisation with its locations and services", ref("organization_full"),
    selectors.ORGANIZATION,
)
taxonomy_list = _list("getPaginatedListOfTaxonomies", "The taxonomies", selectors.TAXONOMIES_PARAMS, ref("taxonomy"))
taxonomy = _single("getTaxonomyById", "One taxonomy", ref("taxonomy"))
taxonomy_term_list = _list(
    "getPaginatedListOfTaxonomyTerms", "The taxonomy terms", selectors.TAXONOMY_TERMS, ref("taxonomy_term")
)
taxonomy_term = _single("getTaxonomyTermById", "One taxonomy term", ref("taxonomy_term"))
