# SPDX-License-Identifier: EUPL-1.2
"""The Open Referral HSDS 3.0 schemas shipped in ``spec/`` (CC BY-SA 4.0), and strict validators.

Strict as the specification's own recipe: ``additionalProperties: false`` on every object schema
(the compiled files do not forbid unknown fields themselves) and format checking on. Omzien's
profile adds one field, ``capacities`` on a service (3.1's ``service_capacity``), so a service
object anywhere in a schema may carry it. The import and the tests use the same validators.
"""

from __future__ import annotations

import copy
import functools
import gzip
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).resolve().parent / "spec"
PROFILE_FIELD = "capacities"
CAPACITY = "service_capacity.3.1-dev.json"
BASE = "https://hsds.omzien.invalid/schema/"  # the shipped files' base URI, so relative $refs resolve among them
# Single objects the API and the import validate against (compiled = fully resolved, no $ref).
SCHEMAS = (
    "compiled/service.json", "compiled/service_list.json", "compiled/service_at_location.json",
    "compiled/service_at_location_list.json", "compiled/organization.json", "compiled/organization_list.json",
    "taxonomy.json", "taxonomy_term.json", "schedule.json", CAPACITY, "unit.3.1-dev.json",
)  # fmt: skip


def _resources() -> list[str]:
    """Every shipped schema: the compiled objects and the single files they and the others refer to."""
    singles = sorted(p.name for p in SPEC.glob("*.json") if p.name != "openapi.json")
    return [name for name in SCHEMAS if name.startswith("compiled/")] + singles


def load(name: str) -> Any:
    """One shipped schema by its path in the specification's ``schema/`` folder."""
    path = SPEC / name
    if path.suffix == ".json" and not path.exists():
        return json.loads(gzip.decompress((SPEC / f"{name}.gz").read_bytes()))
    return json.loads(path.read_text(encoding="utf-8"))


def strict(schema: Any) -> Any:
    """A copy with ``additionalProperties: false`` on every object schema, recursively."""
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if schema.get("type") == "object" or "properties" in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


def _with_profile(schema: Any) -> Any:
    """Every service object (``path: services.csv``) may carry Omzien's ``capacities`` list."""
    if isinstance(schema, dict):
        schema = {key: _with_profile(value) for key, value in schema.items()}
        if schema.get("path") == "services.csv" and "properties" in schema:
            schema["properties"] = {
                **schema["properties"],
                PROFILE_FIELD: {"type": "array", "items": {"$ref": BASE + CAPACITY}},
            }
        return schema
    if isinstance(schema, list):
        return [_with_profile(item) for item in schema]
    return schema


@functools.cache
def prepared(name: str) -> Any:
    """One shipped schema as validated: strict, with Omzien's profile (read and made once per process)."""
    return strict(_with_profile(load(name)))


def _singles() -> list[str]:
    return [name for name in _resources() if not name.startswith("compiled/")]


@functools.cache
def registry() -> Registry:
    resources = [
        (BASE + name, Resource.from_contents(prepared(name), default_specification=DRAFT202012))
        for name in _resources()
    ]
    return Registry().with_resources(resources)


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None or "T" in value


def _date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _django(validator: Any) -> Any:
    def check(value: object) -> bool:
        if not isinstance(value, str):
            return True
        try:
            validator(value)
        except ValidationError:
            return False
        return True

    return check


@functools.cache
def format_checker() -> FormatChecker:
    """jsonschema's checks plus date-time, date, email and uri as Omzien stores them (Django's validators)."""
    checker = FormatChecker()
    checker.checks("date-time")(_date_time)
    checker.checks("date")(_date)
    checker.checks("email")(_django(EmailValidator()))
    checker.checks("uri")(_django(URLValidator()))
    return checker


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """A strict validator for one object of the named schema (e.g. ``compiled/service.json``)."""
    return Draft202012Validator({"$ref": BASE + name}, registry=registry(), format_checker=format_checker())


@functools.cache
def fast_validator(name: str) -> Any:
    """The same strict check compiled in Rust (jsonschema-rs), for the import's bulk pass.

    A record it refuses is checked again with ``validator`` for the report, so both must agree
    (tested); it makes a 5,000-service document's check take about a second instead of twenty.
    """
    # The compiled file itself and the single files (small) its references may reach.
    resources = [(BASE + n, prepared(n)) for n in {name, *_singles()}]
    checker = format_checker()
    formats = {key: checker.checkers[key][0] for key in ("date-time", "date", "email", "uri")}
    return jsonschema_rs.Draft202012Validator(
        {"$ref": BASE + name}, registry=jsonschema_rs.Registry(resources), validate_formats=True, formats=formats
    )


def page_validator(item_schema: str) -> Draft202012Validator:
    """A strict validator for a page of the API: the ``Page`` wrapper, every field required, items by schema."""
    page = copy.deepcopy(load("openapi.json")["components"]["schemas"]["Page"])
    page["properties"]["contents"] = {"type": "array", "items": {"$ref": BASE + item_schema}}
    page["required"] = [*page["properties"]]
    page["additionalProperties"] = False
    return Draft202012Validator(page, registry=registry(), format_checker=format_checker())


def problems(document: Any, name: str, *, limit: int = 50) -> list[str]:
    """What is wrong with one object under the named schema, each as ``path: message``."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{json_path(error.absolute_path)}: {_message(error)}" for error in errors[:limit]]


def json_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(the record)"


def _message(error: Any) -> str:
    message = str(error.message)
    # A 20 MB description is not repeated back in the report.
    return message if len(message) <= 300 else message[:300] + "…"


@functools.cache
def official_openapi() -> dict[str, Any]:
    """The official HSDS 3.0 OpenAPI document with its references resolved into ``components/schemas``.

    As published, every path answers its objects; nothing forbids unknown fields, exactly as the
    specification's document says (the strict recipe is for the tests and the import).
    """
    document = load("openapi.json")
    names: dict[str, str] = {}

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                key = ref.removesuffix(".json").replace("/", "_")
                names[ref] = key
                node = {**node, "$ref": f"#/components/schemas/{key}"}
            return {key: rewrite(value) for key, value in node.items()}
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    resolved: dict[str, Any] = rewrite(document)
    pending = list(names)
    done: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in done:
            continue
        done.add(ref)
        before = set(names)
        resolved["components"]["schemas"][names[ref]] = rewrite(load(ref))
        pending += [name for name in names if name not in before]
    return resolved
