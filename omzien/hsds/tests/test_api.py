# SPDX-License-Identifier: EUPL-1.2
"""Every HSDS endpoint validated strictly against the official schemas (../shared/data/hsds-3.0).

Strict as the spec's own recipe: ``additionalProperties: false`` on every object schema, format
checking on, list responses inside the ``Page`` wrapper of openapi.json, and ``capacities`` items
against 3.1-dev's ``service_capacity`` — the one field allowed beyond 3.0.
"""

from __future__ import annotations

import copy
import functools
import json
from datetime import time
from pathlib import Path
from typing import Any

from django.test import TestCase
from django.urls import reverse

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from omzien.activities.models import Activity, Location, Schedule, Term
from omzien.activities.search_index import refresh
from omzien.activities.selectors import km_between
from omzien.activities.tests.factories import Town

SCHEMAS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "hsds-3.0"
pytestmark = pytest.mark.needs_shared


def _strict(schema: Any) -> Any:
    """A copy with additionalProperties false on every object schema, recursively."""
    if isinstance(schema, dict):
        schema = {key: _strict(value) for key, value in schema.items()}
        if schema.get("type") == "object" or "properties" in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


def shared_schemas() -> Path:
    """The official schemas; a missing ../shared fails loudly, it never skips."""
    if not SCHEMAS.is_dir():
        pytest.fail(f"{SCHEMAS} is missing: these tests need the shared HSDS schemas beside the repository.")
    return SCHEMAS


@functools.cache
def _registry() -> Registry:
    shared_schemas()
    resources = []
    for path in SCHEMAS.glob("*.json"):
        if path.name == "openapi.json":
            continue
        contents = _strict(json.loads(path.read_text(encoding="utf-8")))
        if path.name == "service.json":
            contents["properties"]["capacities"] = {
                "type": "array",
                "items": {"$ref": "service_capacity.3.1-dev.json"},
            }
        resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@functools.cache
def _page_schema() -> dict[str, Any]:
    openapi = json.loads((shared_schemas() / "openapi.json").read_text(encoding="utf-8"))
    return openapi["components"]["schemas"]["Page"]  # type: ignore[no-any-return]


def validate(document: Any, schema_file: str) -> None:
    validator = Draft202012Validator(
        {"$ref": schema_file}, registry=_registry(), format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def validate_page(document: dict[str, Any], item_schema: str) -> None:
    page = copy.deepcopy(_page_schema())
    page["properties"]["contents"] = {"type": "array", "items": {"$ref": item_schema}}
    page["required"] = [*page["properties"]]
    page["additionalProperties"] = False
    validator = Draft202012Validator(page, registry=_registry(), format_checker=FormatChecker())
    errors = list(validator.iter_errors(document))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


class StrictSchemaTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.full = self.town.activity(
            capacity=2, title="Vol", languages=["nl", "ar", "tr", "zh", "en"], interests=("koken",)
        )
        Activity.objects.filter(pk=self.full.pk).update(places_taken=2)
        self.bare = Activity.objects.create(organisation=self.town.provider, title="Zonder plek en rooster", capacity=3,
                                            last_confirmed_at="2026-01-01T00:00Z")  # fmt: skip
        self.bare.target_groups.set(Term.objects.filter(code="65-plus"))

    def get(self, name: str, **kwargs: Any) -> Any:
        response = self.client.get(reverse(name, kwargs=kwargs or None))
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        return response.json()

    def test_every_endpoint_validates_strictly(self) -> None:
        info = self.get("hsds:info")
        self.assertEqual(info["version"], "3.0")
        validate_page(self.get("hsds:services"), "service.json")
        validate_page(self.get("hsds:service_at_locations"), "service_at_location.json")
        validate_page(self.get("hsds:organizations"), "organization.json")
        validate_page(self.get("hsds:taxonomies"), "taxonomy.json")
        validate_page(self.get("hsds:taxonomy_terms"), "taxonomy_term.json")
        for activity in (self.full, self.bare):
            document = self.get("hsds:service", id=str(activity.public_id))
            validate(document, "service.json")
            for capacity in document["capacities"]:
                validate(capacity, "service_capacity.3.1-dev.json")
        validate(self.get("hsds:organization", id=str(self.town.provider.public_id)), "organization.json")

    def test_capacity_and_edge_cases_are_told_right(self) -> None:
        full = self.get("hsds:service", id=str(self.full.public_id))
        self.assertEqual(full["capacities"][0]["available"], 0)
        self.assertEqual(full["capacities"][0]["maximum"], 2)
        self.assertEqual([lang["code"] for lang in full["languages"]], ["nl", "ar", "tr", "zh", "en"])
        self.assertEqual(full["schedules"][0]["byday"], "MO")
        bare = self.get("hsds:service", id=str(self.bare.public_id))
        self.assertEqual((bare["schedules"], bare["service_at_locations"]), ([], []))

    def test_unknown_ids_and_bad_parameters(self) -> None:
        self.assertEqual(self.client.get(reverse("hsds:service", kwargs={"id": "nope"})).status_code, 404)
        response = self.client.get(reverse("hsds:services"), {"page": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("page", response.json()["detail"])
        self.assertEqual(
            self.client.get(reverse("hsds:service_at_locations"), {"postcode": "9999ZZ"}).status_code, 400
        )


class FilterAndPageTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        spots = [(52.10 + i * 0.004, 5.10 + (i % 3) * 0.01) for i in range(25)]
        for i, (lat, lon) in enumerate(spots):
            location = Location.objects.create(
                organisation=self.town.provider, name=f"L{i}", postcode="3561AA", lat=lat, lon=lon
            )
            activity = self.town.activity(
                title=f"A{i:02d}", location=location, interests=("koken",) if i % 2 else ()
            )
            Schedule.objects.filter(activity=activity).update(starts_at=time(9))
        refresh()

    def test_postcode_and_proximity_return_exactly_those_within_the_distance(self) -> None:
        for metres in (500, 1500, 4000):
            response = self.client.get(reverse("hsds:service_at_locations"),
                                       {"postcode": "3561AA", "proximity": metres, "per_page": 200})  # fmt: skip
            got = {item["location"]["name"] for item in response.json()["contents"]}
            expected = {
                loc.name for loc in Location.objects.filter(activities__isnull=False)
                if km_between(52.1, 5.1, loc.lat, loc.lon) <= metres / 1000  # type: ignore[arg-type]
            }  # fmt: skip
            self.assertEqual(got, expected, metres)

    def test_taxonomy_and_search_filters(self) -> None:
        koken = Term.objects.get(code="koken")
        response = self.client.get(
            reverse("hsds:services"), {"taxonomy_term_id": str(koken.public_id), "per_page": 200}
        )
        self.assertEqual(response.json()["total_items"], 12)
        response = self.client.get(
            reverse("hsds:services"), {"taxonomy_id": str(koken.public_id)}
        )  # the UK alias
        self.assertEqual(response.json()["total_items"], 12)
        self.assertEqual(
            self.client.get(reverse("hsds:services"), {"search": "A07"}).json()["total_items"], 1
        )

    def test_pages_are_complete_and_stable(self) -> None:
        seen: list[str] = []
        for number in range(1, 5):
            page = self.client.get(reverse("hsds:services"), {"per_page": 7, "page": number}).json()
            self.assertEqual((page["page_number"], page["total_pages"], page["total_items"]), (number, 4, 25))
            self.assertEqual(page["first_page"], number == 1)
            self.assertEqual(page["last_page"], number == 4)
            seen += [item["id"] for item in page["contents"]]
        self.assertEqual(len(seen), 25)
        self.assertEqual(len(set(seen)), 25)
        again = [
            i["id"] for i in self.client.get(reverse("hsds:services"), {"per_page": 200}).json()["contents"]
        ]
        self.assertEqual(seen, again)


class OpenApiTests(TestCase):
    def test_the_openapi_document_is_served_and_rendered(self) -> None:
        schema = self.client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn(b"/api/hsds/services", schema.content)
        page = self.client.get(reverse("api_docs"))
        self.assertContains(page, "/api/hsds/service_at_locations")
        self.assertContains(page, "proximity")


class ValidatorTests(TestCase):
    def test_the_strict_validator_refuses_an_unknown_field_and_a_bad_uuid(self) -> None:
        good = {"id": "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10", "name": "x", "status": "active"}
        validate(good, "service.json")
        for bad in (
            {**good, "foo": 1},
            {**good, "id": "not-a-uuid"},
            {**good, "capacities": [{"id": good["id"]}]},
        ):
            with self.assertRaises(AssertionError):
                validate(bad, "service.json")


class DemoDataTests(TestCase):
    def test_the_demo_directory_validates_strictly(self) -> None:
        from django.test import override_settings

        from omzien.core.demo_city import demo_city_seed

        with override_settings(OMZIEN_DEMO=True):
            demo_city_seed(residents=300)
        page = self.client.get(reverse("hsds:services"), {"per_page": 200}).json()
        self.assertEqual(page["total_items"], 300)
        validate_page(page, "service.json")
        for item in page["contents"][::25]:
            validate(
                self.client.get(reverse("hsds:service", kwargs={"id": item["id"]})).json(), "service.json"
            )
        validate_page(
            self.client.get(reverse("hsds:service_at_locations"), {"per_page": 200}).json(),
            "service_at_location.json",
        )
        for organisation in self.client.get(reverse("hsds:organizations")).json()["contents"]:
            validate(
                self.client.get(reverse("hsds:organization", kwargs={"id": organisation["id"]})).json(),
                "organization.json",
            )
        full = [i for i in page["contents"] if i["capacities"][0]["available"] == 0]
        self.assertTrue(full, "the demo has full activities")
