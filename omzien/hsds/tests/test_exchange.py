# SPDX-License-Identifier: EUPL-1.2
"""Export → import into an empty database → searchable and registrable → export again: the same document."""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.models import Organisation, User
from omzien.activities import services
from omzien.activities.models import Activity, Location, Registration, Schedule
from omzien.activities.tests.factories import Town
from omzien.hsds.exchange import directory_export, directory_import


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
        self.assertEqual(second, first)
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
        self.assertEqual(len(report.problems), 3, report.problems)
        self.assertTrue(any("schedules[0]" in p for p in report.problems))
        self.assertTrue(any("maximum" in p for p in report.problems))
        self.assertTrue(any("services[1]" in p for p in report.problems))

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
        self.assertEqual(json.loads(json.dumps(directory_export())), original)

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
