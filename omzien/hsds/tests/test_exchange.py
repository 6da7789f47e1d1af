# SPDX-License-Identifier: EUPL-1.2
"""Export → import into an empty database → searchable and registrable → export again: the same document."""

from __future__ import annotations

import copy
import io
import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.models import Organisation, User
from omzien.activities import services
from omzien.activities.models import Activity, Location, Registration, Schedule
from omzien.activities.tests.factories import Town
from omzien.hsds.exchange import directory_export, directory_import


def _without_times(document: dict[str, Any]) -> dict[str, Any]:
    """The document less the moments this installation sets itself (last change, capacity reading)."""
    document = copy.deepcopy(document)
    for service in document["services"]:
        service.pop("last_modified", None)
        for capacity in service.get("capacities", []):
            capacity.pop("updated", None)
    return document


def _empty_directory() -> None:
    Registration.objects.all().delete()
    Activity.objects.all().delete()
    Location.objects.all().delete()
    Organisation.objects.filter(kind=Organisation.Kind.ACTIVITY_PROVIDER).delete()


class RoundTripTests(TestCase):
    def test_export_import_export_gives_the_same_document(self) -> None:
        town = Town()
        town.activity(title="Kookclub", capacity=12, interests=("koken",), languages=["nl", "ar"])
        bare = Activity.objects.create(organisation=town.provider, title="Zonder plek", capacity=3,
                                       last_confirmed_at="2026-03-01T10:00Z")  # fmt: skip
        bare.target_groups.set([])
        first = json.loads(json.dumps(directory_export()))
        _empty_directory()
        self.assertEqual(Activity.objects.count(), 0)
        report = directory_import(first)
        self.assertEqual(report.problems, [])
        self.assertEqual(report.services, 2)
        second = json.loads(json.dumps(directory_export()))
        self.assertEqual(_without_times(second), _without_times(first))
        # last_modified is when the service changed here: the import, for services new here.
        self.assertTrue(all(s["last_modified"] > first["services"][0]["last_modified"] for s in second["services"]))
        # The imported activities are ordinary ones: found by the search, open for registration.
        response = self.client.get(
            reverse("activities:search"), {"where": "3561AA", "radius": "1", "interest": "koken"}
        )
        self.assertEqual([hit.title for hit in response.context["result"].hits], ["Kookclub"])
        kookclub = Activity.objects.get(title="Kookclub")
        self.assertEqual(Schedule.objects.filter(activity=kookclub).count(), 1)
        outcome = services.register(activity=kookclub, resident=town.resident(), acting_user=User.objects.create_user("medewerker"),
                                    actor=services.SYSTEM, via="professional", consent_method="verbal")  # fmt: skip
        self.assertIsNotNone(outcome.registration)

    def test_a_bad_document_changes_nothing_and_names_every_bad_record(self) -> None:
        town = Town()
        town.activity(title="Kookclub")
        document = directory_export()
        broken = copy.deepcopy(document)
        broken["services"][0]["schedules"][0]["byday"] = "XX"
        broken["services"][0]["capacities"][0]["maximum"] = -1
        broken["services"].append({"id": "not-a-uuid", "name": "Kapot"})
        _empty_directory()
        report = directory_import(broken)
        self.assertEqual(Activity.objects.count(), 0)
        self.assertEqual(len(report.problems), 4, report.problems)
        self.assertTrue(any("schedules[0].byday" in p for p in report.problems))
        self.assertTrue(any("capacities[0].maximum" in p for p in report.problems))
        self.assertTrue(any(p.startswith("services[1] (id not-a-uuid): id:") for p in report.problems))

    def test_the_command_exports_and_imports(self) -> None:
        town = Town()
        town.activity(title="Kookclub")
        path = Path(self.enterContext(__import__("tempfile").TemporaryDirectory())) / "kaart.json"
        call_command("hsds", "export", "-o", str(path), stdout=StringIO())
        _empty_directory()
        out = StringIO()
        call_command("hsds", "import", str(path), stdout=out)
        self.assertIn("1 services", out.getvalue())
        path.write_text('{"services": [{"id": "x"}]}', encoding="utf-8")
        with self.assertRaises(CommandError):
            call_command("hsds", "import", str(path), stdout=StringIO(), stderr=StringIO())


class TabularTests(TestCase):
    def test_the_csv_datapackage_round_trips_and_validates_against_the_tabular_schemas(self) -> None:
        import csv as csv_module
        import io
        import zipfile

        from omzien.hsds.tabular import document_to_tables, tables_to_document, tables_to_zip, zip_to_tables
        from omzien.hsds.tests.test_api import _strict, shared_schemas

        town = Town()
        town.activity(title="Kookclub", capacity=12, interests=("koken",), languages=["nl", "ar"])
        Activity.objects.create(organisation=town.provider, title="Zonder plek", capacity=3,
                                last_confirmed_at="2026-03-01T10:00Z")  # fmt: skip
        original = json.loads(json.dumps(directory_export()))
        content = tables_to_zip(document_to_tables(original))
        self.assertEqual(tables_to_document(zip_to_tables(content)), original)
        # Every HSDS table's rows validate strictly against the 3.0 tabular schema (capacity tables are 3.1).
        from jsonschema import Draft202012Validator, FormatChecker

        tabular = json.loads((shared_schemas() / "compiled" / "tabular.json").read_text(encoding="utf-8"))[
            "properties"
        ]
        tables = zip_to_tables(content)
        archive = zipfile.ZipFile(io.BytesIO(content))
        package = json.loads(archive.read("datapackage.json"))
        self.assertEqual({r["path"] for r in package["resources"]} - set(archive.namelist()), set())
        for table, rows in tables.items():
            if table in ("service_capacity", "unit"):
                continue
            schema = _strict(tabular[table]["items"])
            validator = Draft202012Validator(schema, format_checker=FormatChecker())
            for row in rows:
                errors = [e.message for e in validator.iter_errors(row)]
                self.assertEqual(errors, [], (table, row))
        self.assertTrue(list(csv_module.DictReader(io.StringIO(archive.read("services.csv").decode()))))
        # Into an empty directory and out again as JSON: the same document.
        _empty_directory()
        self.assertEqual(directory_import(tables_to_document(tables)).problems, [])
        self.assertEqual(_without_times(json.loads(json.dumps(directory_export()))), _without_times(original))

    def test_the_command_takes_a_zip(self) -> None:
        town = Town()
        town.activity(title="Kookclub")
        path = Path(self.enterContext(__import__("tempfile").TemporaryDirectory())) / "kaart.zip"
        call_command("hsds", "export", "-o", str(path), stdout=StringIO())
        _empty_directory()
        out = StringIO()
        call_command("hsds", "import", str(path), stdout=out)
        self.assertEqual(Activity.objects.get().title, "Kookclub")
        path.write_bytes(b"not a zip")
        with self.assertRaises(CommandError):
            call_command("hsds", "import", str(path), stdout=StringIO(), stderr=StringIO())


class MalformedDocumentTests(TestCase):
    def test_records_that_are_not_objects_are_reported_not_crashed_on(self) -> None:
        for document in ({"services": ["x"]}, {"services": [], "organizations": [1]},
                         {"services": [{"id": "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10", "name": "A",
                                        "organization_id": "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a11", "schedules": ["ma"],
                                        "languages": ["nl"], "attributes": [7]}]}):  # fmt: skip
            report = directory_import(document)
            self.assertTrue(report.problems, document)
            self.assertEqual(Activity.objects.count(), 0)


class BadDocumentTests(TestCase):
    """Every bad document: a line per problem naming the record, its id and the path; nothing written."""

    def setUp(self) -> None:
        self.town = Town()
        self.town.activity(title="Kookclub", interests=("koken",))
        self.town.activity(title="Wandelen")
        self.document = json.loads(json.dumps(directory_export()))
        _empty_directory()
        self.before = {model: model.objects.count() for model in (Activity, Location, Organisation, Schedule)}

    def refused(self, document: Any, *expected: str) -> list[str]:
        report = directory_import(document)
        self.assertTrue(report.problems, "the document was accepted")
        for text in expected:
            self.assertTrue(any(text in problem for problem in report.problems), (text, report.problems))
        self.assertEqual({model: model.objects.count() for model in self.before}, self.before)
        return report.problems

    def changed(self, change: Any) -> dict[str, Any]:
        document = copy.deepcopy(self.document)
        change(document)
        return document

    def test_the_issue_s_bad_documents(self) -> None:
        service, organisation = self.document["services"][0], self.document["organizations"][0]
        sid, oid = service["id"], organisation["id"]
        location = organisation["locations"][0]
        cases: list[tuple[Any, tuple[str, ...]]] = [
            (lambda d: d["services"][0]["schedules"][0].update(interval="x"), (f"services[0] (id {sid}): schedules[0].interval: 'x' is not of type 'number'",)),
            (lambda d: d["services"][0].update(application_process=123), (f"services[0] (id {sid}): application_process: 123 is not of type 'string'",)),
            (lambda d: d["organizations"][0]["locations"][0].update(latitude="north"), (f"organizations[0] (id {oid}): locations[0].latitude: 'north' is not of type 'number'",)),
            (lambda d: d["organizations"][0]["locations"][0].update(organization_id="6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10"), ("locations[0]: organization_id: is 6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10, yet the location is listed under",)),
            (lambda d: d["organizations"].append(copy.deepcopy(d["organizations"][0])), (f"organizations[1] (id {oid}): id: appears twice in organizations",)),
            (lambda d: d["services"].append({**copy.deepcopy(d["services"][1]), "id": sid}), (f"services[2] (id {sid}): id: appears twice in services",)),
            (lambda d: d["services"][0]["service_at_locations"][0].update(location_id="6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10"), (f"services[0] (id {sid}): service_at_locations[0].location.id: differs from location_id",)),
            (lambda d: d["services"][0]["service_at_locations"][0]["location"].update(name="Elders"), (f"location {location['id']} differs from its copy in organizations[0] (id {oid}).locations[0] (name)",)),
            (lambda d: d["services"][0].update(email="not-an-email"), (f"services[0] (id {sid}): email: 'not-an-email' is not a 'email'",)),
            (lambda d: d["services"][0].update(status="open"), (f"services[0] (id {sid}): status: 'open' is not one of",)),
            (lambda d: d["services"][0].update(status="defunct"), (f"services[0] (id {sid}): status: 'defunct': Omzien keeps a service as active or inactive only",)),
            (lambda d: d["services"][0].update(name=12345), (f"services[0] (id {sid}): name: 12345 is not of type 'string'",)),
            (lambda d: d["services"][0].update(name="x" * 400), (f"services[0] (id {sid}): name: is 400 characters; Omzien keeps at most 200",)),
            (lambda d: d["services"][0].update(description="x" * 20_000_000), (f"services[0] (id {sid}): description: is 20,000,000 characters; Omzien keeps at most 20,000",)),
            (lambda d: d["services"][0].update(assured_date="gisteren"), (f"services[0] (id {sid}): assured_date: 'gisteren' is not a date",)),
            (lambda d: d["services"][0]["schedules"][0].update(opens_at="25:00"), ("schedules[0].opens_at: '25:00' is not a time of day",)),
            (lambda d: d["services"][0].update(organization_id="6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10"), ("organization.id: differs from organization_id",)),
            (lambda d: d["services"][0]["attributes"][0].update(taxonomy_term_id="6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10"), ("unknown taxonomy term(s) 6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10",)),
            (lambda d: d["services"][0]["cost_options"].append(copy.deepcopy(d["services"][0]["cost_options"][0])), ("cost_options: 2 given; Omzien keeps one cost option per service",)),
            (lambda d: d["taxonomies"].append({"id": "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10", "name": "ISCO", "description": "x"}), ("is not one of Omzien's two taxonomies",)),
            (lambda d: d["services"].append("x"), ("services[2]: is not an object (a service is)",)),
        ]  # fmt: skip
        for change, expected in cases:
            with self.subTest(expected=expected):
                self.refused(self.changed(change), *expected)
        # The clean document goes in.
        self.assertEqual(directory_import(self.document).problems, [])

    def test_a_service_pointing_to_an_unknown_location_loses_nothing_silently(self) -> None:
        def dangling(document: dict[str, Any]) -> None:
            link = document["services"][0]["service_at_locations"][0]
            link.pop("location")
            link["location_id"] = "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10"

        self.refused(self.changed(dangling), "service_at_locations[0].location_id: location 6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10 is neither in the document nor known here")

    def test_what_is_taken_here_is_not_overwritten(self) -> None:
        Organisation.objects.create(name=self.document["organizations"][0]["name"], kind=Organisation.Kind.ACTIVITY_PROVIDER)
        self.before[Organisation] += 1
        self.refused(self.document, "is already the name of organisation")

    def test_places_taken_here_are_never_undercut(self) -> None:
        self.assertEqual(directory_import(self.document).problems, [])
        activity = Activity.objects.get(title="Kookclub")
        Activity.objects.filter(pk=activity.pk).update(places_taken=5)
        self.before = {model: model.objects.count() for model in self.before}
        smaller = self.changed(lambda d: next(s for s in d["services"] if s["name"] == "Kookclub")["capacities"][0].update(maximum=3))
        self.refused(smaller, "capacities[0].maximum: 3 is below the 5 places taken here")

    def test_reimporting_changes_only_what_changed_and_keeps_last_modified(self) -> None:
        first = directory_import(self.document)
        self.assertEqual((first.created, first.changed, first.unchanged), (2, 0, 0))
        stamps = dict(Activity.objects.values_list("title", "updated_at"))
        again = directory_import(self.document)
        self.assertEqual((again.created, again.changed, again.unchanged), (0, 0, 2))
        self.assertEqual(dict(Activity.objects.values_list("title", "updated_at")), stamps)
        renamed = self.changed(lambda d: d["services"][1].update(description="Nieuw"))
        report = directory_import(renamed)
        self.assertEqual((report.changed, report.unchanged), (1, 1))
        now = dict(Activity.objects.values_list("title", "updated_at"))
        self.assertEqual(sum(now[t] > stamps[t] for t in stamps), 1)

    def test_the_fast_and_the_reporting_validator_agree(self) -> None:
        from omzien.hsds import spec

        fast = spec.fast_validator("compiled/service.json")
        good = self.document["services"][0]
        samples = [good, {**good, "email": "x"}, {**good, "status": "open"}, {**good, "extra": 1}, {**good, "last_modified": "x"},
                   {**good, "url": "not a url"}, {**good, "assured_date": "2026-13-45"}, {**good, "name": 1}]  # fmt: skip
        for sample in samples:
            self.assertEqual(fast.is_valid(sample), not spec.problems(sample, "compiled/service.json"), sample)

    def test_the_command_reports_progress_and_problems_without_a_traceback(self) -> None:
        path = Path(self.enterContext(__import__("tempfile").TemporaryDirectory())) / "kaart.json"
        path.write_text(json.dumps(self.changed(lambda d: d["services"][0].update(status="open"))), encoding="utf-8")
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("hsds", "import", str(path), stdout=StringIO(), stderr=err)
        self.assertIn("status: 'open' is not one of", err.getvalue())
        path.write_text(json.dumps(self.document), encoding="utf-8")
        out = StringIO()
        call_command("hsds", "import", str(path), stdout=out, stderr=StringIO())
        self.assertIn("2 services (2 new, 0 changed, 0 unchanged)", out.getvalue())


class PackageValidationTests(TestCase):
    """The CSV datapackage carries the specification's tabular schema, and the import validates with it."""

    def setUp(self) -> None:
        from omzien.hsds.tabular import document_to_tables, tables_to_zip

        town = Town()
        town.activity(title="Kookclub", capacity=12, interests=("koken",), languages=["nl", "ar"])
        Activity.objects.create(organisation=town.provider, title="Zonder plek", capacity=3, last_confirmed_at="2026-03-01T10:00Z")
        self.content = tables_to_zip(document_to_tables(json.loads(json.dumps(directory_export()))))

    def test_frictionless_validates_the_exported_package_as_published(self) -> None:
        import tempfile
        import zipfile

        from frictionless import Package, system

        with tempfile.TemporaryDirectory() as folder:
            zipfile.ZipFile(io.BytesIO(self.content)).extractall(folder)
            with system.use_context(trusted=True):
                report = Package(f"{folder}/datapackage.json").validate()
            self.assertTrue(report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "note"])[:10])
            package = json.loads(Path(folder, "datapackage.json").read_text(encoding="utf-8"))
        schedule = next(r for r in package["resources"] if r["name"] == "schedule")["schema"]
        types = {f["name"]: f for f in schedule["fields"]}
        self.assertEqual((types["opens_at"]["type"], types["valid_from"]["type"], types["id"]["format"]), ("time", "date", "uuid"))
        self.assertIn({"fields": "service_id", "reference": {"resource": "service", "fields": "id"}}, schedule["foreignKeys"])
        self.assertEqual(types["freq"]["constraints"]["enum"], ["WEEKLY", "MONTHLY"])
        service = next(r for r in package["resources"] if r["name"] == "service")["schema"]
        self.assertTrue(next(f for f in service["fields"] if f["name"] == "status")["constraints"]["required"])

    def edited(self, path: str, change: Any) -> bytes:
        import zipfile

        source = zipfile.ZipFile(io.BytesIO(self.content))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                data = source.read(name).decode()
                target.writestr(name, change(data) if name == path else data)
        return out.getvalue()

    def test_bad_csv_files_are_reported_by_file_row_and_column_and_nothing_is_written(self) -> None:
        from omzien.hsds.exchange import package_import

        service_id = directory_export()["services"][0]["id"]
        cases = [
            ("services.csv", lambda t: t.replace(",active,", ",open,"), "services.csv row 2, column status"),
            ("services.csv", lambda t: t.replace(service_id, "not-a-uuid", 1), "services.csv row 2, column id"),
            ("schedules.csv", lambda t: t.replace(service_id, "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10"), "schedules.csv row 2"),
            ("schedules.csv", lambda t: t.replace("10:00:00", "tien uur"), "schedules.csv row 2, column opens_at"),
            ("services.csv", lambda t: t.replace("status,", "state,", 1), "services.csv: columns the HSDS table does not have: state"),
        ]
        _empty_directory()
        for path, change, expected in cases:
            with self.subTest(expected=expected):
                report = package_import(self.edited(path, change))
                self.assertTrue(any(p.startswith(expected) for p in report.problems), report.problems)
                self.assertEqual(Activity.objects.count(), 0)
        self.assertEqual(package_import(self.content).problems, [])
        self.assertEqual(Activity.objects.count(), 2)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


class NeverCrashesTests(TestCase):
    """Any value anywhere in a good document: a report, never a traceback, and nothing half written."""

    def test_random_values_anywhere(self) -> None:
        from hypothesis import HealthCheck, given, seed, settings
        from hypothesis import strategies as st

        town = Town()
        town.activity(title="Kookclub", interests=("koken",), languages=["nl"])
        document = json.loads(json.dumps(directory_export()))
        _empty_directory()
        paths = _paths(document)
        scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=30) | st.sampled_from(
            ["", "\x00", "\ud800", "25:99", "10:00:00+99:00", "not-a-uuid", "6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10", "x" * 300, "MO,TU"]
        )  # fmt: skip
        values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)

        @seed(17)
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(where=st.sampled_from(paths), value=values)
        def mutate(where: tuple[Any, ...], value: Any) -> None:
            broken = copy.deepcopy(document)
            node = broken
            for part in where[:-1]:
                node = node[part]
            node[where[-1]] = value
            with transaction.atomic():
                report = directory_import(broken)
                if report.problems:
                    self.assertEqual(Activity.objects.count(), 0, report.problems)
                transaction.set_rollback(True)

        mutate()
