# SPDX-License-Identifier: EUPL-1.2
"""Every HSDS endpoint validated strictly against the official schemas (../shared/data/hsds-3.0).

Strict as the spec's own recipe: ``additionalProperties: false`` on every object schema, format
checking on, list responses inside the ``Page`` wrapper of openapi.json, and ``capacities`` items
against 3.1-dev's ``service_capacity`` — the one field allowed beyond 3.0.
"""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Any

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.activities.models import Activity, Location, Schedule, Term
from omzien.activities.search_index import refresh
from omzien.activities.tests.factories import Town
from omzien.geo.distance import km_between
from omzien.hsds import spec
from omzien.lib.testing.demo import DemoCityTestCase

SCHEMAS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "hsds-3.0"
_strict = spec.strict


def shared_schemas() -> Path:
    """The official schemas; a missing ../shared fails loudly, it never skips."""
    if not SCHEMAS.is_dir():
        pytest.fail(f"{SCHEMAS} is missing: these tests need the shared HSDS schemas beside the repository.")
    return SCHEMAS


def validate(document: Any, schema_file: str) -> None:
    """Strictly valid under the shipped schema (``compiled/service.json`` …), Omzien's capacities allowed."""
    errors = spec.problems(document, schema_file, limit=10)
    assert not errors, "\n".join(errors)


def validate_page(document: dict[str, Any], item_schema: str) -> None:
    errors = list(spec.page_validator(item_schema).iter_errors(document))
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
        validate_page(self.get("hsds:services"), "compiled/service_list.json")
        validate_page(self.get("hsds:service_at_locations"), "compiled/service_at_location_list.json")
        validate_page(self.get("hsds:organizations"), "compiled/organization_list.json")
        validate_page(self.get("hsds:taxonomies"), "taxonomy.json")
        validate_page(self.get("hsds:taxonomy_terms"), "taxonomy_term.json")
        for activity in (self.full, self.bare):
            document = self.get("hsds:service", id=str(activity.public_id))
            validate(document, "compiled/service.json")
            for capacity in document["capacities"]:
                validate(capacity, spec.CAPACITY)
        validate(self.get("hsds:organization", id=str(self.town.provider.public_id)), "compiled/organization.json")

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
        validate(good, "compiled/service.json")
        for bad in (
            {**good, "foo": 1},
            {**good, "id": "not-a-uuid"},
            {**good, "capacities": [{"id": good["id"]}]},
        ):
            with self.assertRaises(AssertionError):
                validate(bad, "compiled/service.json")


@pytest.mark.whole_city
class DemoDataTests(DemoCityTestCase):
    demo_residents = 300

    def test_the_demo_directory_validates_strictly(self) -> None:
        page = self.client.get(reverse("hsds:services"), {"per_page": 200}).json()
        # Every activity of the demo city is a service: the activities room's 300 and what other
        # rooms publish in the sociale kaart (initiatives' meetings).
        from omzien.activities.models import Activity

        self.assertGreaterEqual(page["total_items"], 300)
        self.assertEqual(page["total_items"], Activity.objects.count())
        validate_page(page, "compiled/service_list.json")
        for item in page["contents"][::25]:
            validate(
                self.client.get(reverse("hsds:service", kwargs={"id": item["id"]})).json(), "compiled/service.json"
            )
        validate_page(
            self.client.get(reverse("hsds:service_at_locations"), {"per_page": 200}).json(),
            "compiled/service_at_location_list.json",
        )
        for organisation in self.client.get(reverse("hsds:organizations")).json()["contents"]:
            validate(
                self.client.get(reverse("hsds:organization", kwargs={"id": organisation["id"]})).json(),
                "compiled/organization.json",
            )
        full = [i for i in page["contents"] if i["capacities"][0]["available"] == 0]
        self.assertTrue(full, "the demo has full activities")


class SpecificationParameterTests(TestCase):
    """Every endpoint and parameter of the HSDS 3.0 OpenAPI document, as a federation client uses them."""

    def setUp(self) -> None:
        self.town = Town()
        self.cooking = self.town.activity(title="Kookclub", interests=("koken",))
        self.walk = self.town.activity(title="Wandelen in het park")
        self.koken = Term.objects.get(code="koken")

    def json(self, path: str, params: dict[str, Any] | None = None, status: int = 200) -> Any:
        response = self.client.get(path, params or {})
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertTrue(response["Content-Type"].startswith("application/json"), response["Content-Type"])
        return response.json()

    def test_single_taxonomies_and_terms(self) -> None:
        taxonomies = self.json(reverse("hsds:taxonomies"))["contents"]
        for taxonomy in taxonomies:
            validate(self.json(reverse("hsds:taxonomy", kwargs={"id": taxonomy["id"]})), "taxonomy.json")
        term = self.json(reverse("hsds:taxonomy_term", kwargs={"id": str(self.koken.public_id)}))
        validate(term, "taxonomy_term.json")
        self.assertEqual(term["code"], "koken")
        for name in ("hsds:taxonomy", "hsds:taxonomy_term"):
            for missing in ("nope", "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10"):
                self.assertEqual(self.json(reverse(name, kwargs={"id": missing}), status=404), {"detail": "Not found."})

    def test_every_error_is_json_with_cors(self) -> None:
        for path in ("/api/hsds/nope", "/api/hsds/services/", "/api/hsds/services/x/y", "/api/hsds/taxonomy_terms/nope"):
            self.json(path, status=404)
        response = self.client.post(reverse("hsds:services"))
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertIn("detail", response.json())

    def test_unknown_and_malformed_parameters_are_named(self) -> None:
        cases = [
            ("hsds:services", {"colour": "red"}, "colour"), ("hsds:services", {"taxonomy_id": "abc"}, "taxonomy_id"),
            ("hsds:services", {"taxonomy_term_id": "abc"}, "taxonomy_term_id"),
            ("hsds:services", {"modified_after": "yesterday"}, "modified_after"),
            ("hsds:services", {"minimal": "maybe"}, "minimal"), ("hsds:services", {"full": "2"}, "full"),
            ("hsds:services", {"format": "xml"}, "format"), ("hsds:services", {"per_page": "201"}, "per_page"),
            ("hsds:services", {"page": "0"}, "page"), ("hsds:service_at_locations", {"proximity": "x"}, "proximity"),
            ("hsds:organizations", {"full_service": "ja"}, "full_service"), ("hsds:organizations", {"minimal": "true"}, "minimal"),
            ("hsds:taxonomies", {"taxonomy_id": str(self.koken.public_id)}, "taxonomy_id"),
            ("hsds:taxonomy_terms", {"top_only": "x"}, "top_only"), ("hsds:taxonomy_terms", {"parent_id": "x"}, "parent_id"),
            ("hsds:info", {"page": "1"}, "page"),
        ]  # fmt: skip
        for name, params, parameter in cases:
            with self.subTest(name=name, params=params):
                error = self.json(reverse(name), params, status=400)
                self.assertEqual(error["parameter"], parameter)
                self.assertIn(f"'{parameter}'", error["detail"])
        error = self.json(reverse("hsds:services") + "?page=1&page=2", status=400)
        self.assertEqual(error["parameter"], "page")

    def test_modified_after_uses_each_service_s_own_last_change(self) -> None:
        from datetime import UTC, datetime

        Activity.objects.filter(pk=self.walk.pk).update(updated_at=datetime(2025, 1, 1, 12, tzinfo=UTC))
        found = self.json(reverse("hsds:services"), {"modified_after": "2025-06-01T00:00:00Z"})["contents"]
        self.assertEqual([s["name"] for s in found], ["Kookclub"])
        found = self.json(reverse("hsds:services"), {"modified_after": "2025-01-01T12:00:00+00:00"})["contents"]
        self.assertEqual(len(found), 2)
        found = self.json(reverse("hsds:services"), {"modified_after": "2025-01-01T13:00:01+01:00"})["contents"]
        self.assertEqual([s["name"] for s in found], ["Kookclub"])
        walk = self.json(reverse("hsds:service", kwargs={"id": str(self.walk.public_id)}))
        self.assertEqual(walk["last_modified"], "2025-01-01T13:00:00.000+01:00")

    def test_a_place_taken_or_freed_moves_the_service_s_last_modified(self) -> None:
        """Free places are published (``capacities``), so a client syncing by modified_after sees them change."""
        from datetime import UTC, datetime

        from omzien.activities import services as activity_services
        from omzien.activities.models import Registration

        Activity.objects.filter(pk=self.walk.pk).update(updated_at=datetime(2025, 1, 1, 12, tzinfo=UTC))
        since = {"modified_after": "2025-06-01T00:00:00Z"}
        self.assertEqual([s["name"] for s in self.json(reverse("hsds:services"), since)["contents"]], ["Kookclub"])
        outcome = activity_services.register(
            activity=self.walk, resident=self.town.resident(), acting_user=self.town.provider_user(),
            actor=activity_services.SYSTEM, via=Registration.Via.PROFESSIONAL, consent_method="verbal",
        )  # fmt: skip
        assert outcome.registration is not None  # a free place: registered, not waiting
        found = self.json(reverse("hsds:services"), since)["contents"]
        self.assertEqual(sorted(s["name"] for s in found), ["Kookclub", "Wandelen in het park"])
        Activity.objects.filter(pk=self.walk.pk).update(updated_at=datetime(2025, 1, 1, 12, tzinfo=UTC))
        activity_services.registration_end(registration=outcome.registration, actor=activity_services.SYSTEM)
        found = self.json(reverse("hsds:services"), since)["contents"]
        self.assertIn("Wandelen in het park", [s["name"] for s in found])

    def test_minimal_full_and_search_on_services(self) -> None:
        minimal = self.json(reverse("hsds:services"), {"minimal": "true"})
        validate_page(minimal, "compiled/service_list.json")
        self.assertEqual({frozenset(s) for s in minimal["contents"]}, {frozenset({"id", "name", "status", "last_modified"})})
        full = self.json(reverse("hsds:services"), {"full": "true"})
        validate_page(full, "compiled/service.json")
        self.assertTrue(all("schedules" in s for s in full["contents"]))
        self.assertEqual([s["name"] for s in self.json(reverse("hsds:services"), {"search": "park"})["contents"]],
                         ["Wandelen in het park"])  # fmt: skip
        by_taxonomy = self.json(reverse("hsds:services"), {"taxonomy_id": spec_taxonomy_id("interest")})
        self.assertEqual([s["name"] for s in by_taxonomy["contents"]], ["Kookclub"])

    def test_ndjson_streams_every_result_without_pages(self) -> None:
        for i in range(3):
            self.town.activity(title=f"Extra {i}")
        for name, schema in (("hsds:services", "compiled/service_list.json"),
                             ("hsds:service_at_locations", "compiled/service_at_location_list.json"),
                             ("hsds:organizations", "compiled/organization_list.json"),
                             ("hsds:taxonomies", "taxonomy.json"), ("hsds:taxonomy_terms", "taxonomy_term.json")):  # fmt: skip
            response = self.client.get(reverse(name), {"format": "ndjson", "per_page": 2})
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.streaming)
            self.assertEqual(response["Content-Type"], "application/x-ndjson")
            self.assertEqual(response["Access-Control-Allow-Origin"], "*")
            lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
            total = self.json(reverse(name), {"per_page": 200})["total_items"]
            self.assertEqual(len(lines), total, name)
            for line in lines:
                validate(json.loads(line), schema)
        self.assertEqual(self.json(reverse("hsds:services"), {"format": "json"})["total_items"], 5)

    def test_service_at_location_by_key_with_the_service_nested(self) -> None:
        page = self.json(reverse("hsds:service_at_locations"))
        validate_page(page, "compiled/service_at_location_list.json")
        self.assertTrue(all(item["service"]["id"] == item["service_id"] for item in page["contents"]))
        validate_page(self.json(reverse("hsds:service_at_locations"), {"full": "true"}), "compiled/service_at_location.json")
        key = page["contents"][0]["id"]
        self.json(reverse("hsds:service_at_location", kwargs={"id": page["contents"][1]["id"]}))  # fills the index
        # The directory's version (the cached answers' key, omzien.lib.page_cache), the key, the activity, and its
        # schedules, interests and target groups.
        with self.assertNumQueries(6):
            document = self.json(reverse("hsds:service_at_location", kwargs={"id": key}))
        validate(document, "compiled/service_at_location.json")
        self.assertEqual(document["service"]["id"], document["service_id"])
        # A new activity is found at once; a moved one no longer answers to its old id.
        newcomer = self.town.activity(title="Nieuw")
        newcomer_key = self.json(reverse("hsds:service", kwargs={"id": str(newcomer.public_id)}))["service_at_locations"][0]["id"]
        self.assertEqual(self.json(reverse("hsds:service_at_location", kwargs={"id": newcomer_key}))["service_id"],
                         str(newcomer.public_id))  # fmt: skip
        elsewhere = Location.objects.create(organisation=self.town.provider, name="Elders", postcode="3561AB")
        # Moved as the services and the import move an activity: with its updated_at (HSDS's modified_after, and
        # the key of the cached answers).
        Activity.objects.filter(pk=newcomer.pk).update(location=elsewhere, updated_at=timezone.now())
        self.json(reverse("hsds:service_at_location", kwargs={"id": newcomer_key}), status=404)

    def test_organizations_search_full_and_full_service(self) -> None:
        validate_page(self.json(reverse("hsds:organizations"), {"search": self.town.provider.name}), "compiled/organization_list.json")
        self.assertEqual(self.json(reverse("hsds:organizations"), {"search": "zzzz"})["total_items"], 0)
        full = self.json(reverse("hsds:organizations"), {"full": "true"})
        validate_page(full, "compiled/organization.json")
        self.assertIn("locations", full["contents"][0])
        with_services = self.json(reverse("hsds:organizations"), {"full_service": "true"})
        validate_page(with_services, "compiled/organization.json")
        self.assertTrue(all("schedules" in s for s in with_services["contents"][0]["services"]))
        single = self.json(reverse("hsds:organization", kwargs={"id": str(self.town.provider.public_id)}))
        validate(single, "compiled/organization.json")
        self.assertEqual(sorted(s["name"] for s in single["services"]), ["Kookclub", "Wandelen in het park"])
        self.assertTrue(all("schedules" not in s for s in single["services"]))
        nested = self.json(reverse("hsds:organization", kwargs={"id": str(self.town.provider.public_id)}), {"full_service": "true"})
        validate(nested, "compiled/organization.json")
        self.assertTrue(all("schedules" in s for s in nested["services"]))

    def test_taxonomy_term_filters(self) -> None:
        terms = self.json(reverse("hsds:taxonomy_terms"), {"per_page": 200})
        validate_page(terms, "taxonomy_term.json")
        interest = spec_taxonomy_id("interest")
        only = self.json(reverse("hsds:taxonomy_terms"), {"taxonomy_id": interest, "per_page": 200})["contents"]
        self.assertEqual({t["taxonomy_id"] for t in only}, {interest})
        self.assertEqual(len(only), Term.objects.filter(vocabulary="interest").count())
        self.assertEqual([t["code"] for t in self.json(reverse("hsds:taxonomy_terms"), {"search": "koken"})["contents"]], ["koken"])
        self.assertEqual(self.json(reverse("hsds:taxonomy_terms"), {"top_only": "true"})["total_items"], terms["total_items"])
        self.assertEqual(self.json(reverse("hsds:taxonomy_terms"), {"parent_id": str(self.koken.public_id)})["total_items"], 0)
        self.assertEqual(self.json(reverse("hsds:taxonomies"), {"search": "doelgroepen"})["total_items"], 1)

    def test_schedules_are_spec_times_with_the_time_zone(self) -> None:
        import re

        document = self.json(reverse("hsds:service", kwargs={"id": str(self.cooking.public_id)}))
        schedule = document["schedules"][0]
        self.assertRegex(schedule["opens_at"], r"^\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
        offset = re.search(r"([+-])(\d\d):(\d\d)$", schedule["opens_at"])
        assert offset is not None
        self.assertEqual(schedule["timezone"], (1 if offset[1] == "+" else -1) * int(offset[2]))
        self.assertIn(schedule["timezone"], (1, 2))  # Europe/Amsterdam, winter or summer

    def test_root_points_to_omzien_s_profile_and_a_json_schema_with_cors(self) -> None:
        info = self.json(reverse("hsds:info"))
        self.assertTrue(info["profile"].endswith(reverse("hsds:profile")))
        page = self.client.get(info["profile"])
        self.assertContains(page, "capacities")
        schema = self.client.get(reverse("api_schema"))
        self.assertEqual(schema["Access-Control-Allow-Origin"], "*")
        self.assertIn("json", schema["Content-Type"])
        self.assertIn("/api/hsds/taxonomy_terms/{id}", schema.json()["paths"])


def spec_taxonomy_id(vocabulary: str) -> str:
    from omzien.hsds.documents import taxonomy_id

    return taxonomy_id(vocabulary)
