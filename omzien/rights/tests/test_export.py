# SPDX-License-Identifier: EUPL-1.2
"""Download all my data: every room's export section, as JSON (art. 20) and PDF (art. 15), nothing about others."""

from __future__ import annotations

import json

from django.apps import apps
from django.urls import reverse

from omzien.audit.models import AccessLogEntry, Action
from omzien.lib.rooms import data_export_sections
from omzien.residents.models import Resident
from omzien.rights.tests.base import RightsTestCase

# Rooms whose resident records another room's section exports: the rights room exports the resident record.
EXPORTED_BY = {"residents": "rights"}
# Rooms that hold resident records but declare no export section yet: each must be fixed in its room.
# The test below fails when a new room joins this list unnoticed, and when a listed room gains a section.
KNOWN_GAPS: frozenset[str] = frozenset()


def rooms_holding_resident_data() -> set[str]:
    """The app labels of models with a foreign key to the resident record."""
    return {
        model._meta.app_label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and getattr(field, "related_model", None) is Resident
    }


class ExportTests(RightsTestCase):
    def test_every_room_holding_resident_data_declares_an_export_section(self) -> None:
        exporting = {room.label for room, _section in data_export_sections()}
        missing = {
            label for label in rooms_holding_resident_data() if EXPORTED_BY.get(label, label) not in exporting
        }
        self.assertEqual(missing, set(KNOWN_GAPS))

    def test_the_export_holds_a_record_of_every_room_that_declares_a_section(self) -> None:
        from omzien.casework.models import Signal
        from omzien.initiatives.models import Initiative
        from omzien.rights.selectors import export_build

        resident = self.world.residents["a"]
        # The test world gives resident A a registration (activities), a measurement (wellbeing), a case, a
        # consent and links; a signal becomes theirs when the team links it, an application when it came
        # from their e-mail address (the initiatives room's rule).
        Signal.objects.filter(pk=self.world.extra["casework"]["signal_a"].pk).update(resident=resident)
        Initiative.objects.filter(pk=self.world.extra["initiatives"]["initiative_a"].pk).update(
            contact_email=resident.email
        )
        export = export_build(resident)
        empty = [section["key"] for section in export["sections"] if not _has_content(section["data"])]
        self.assertEqual(empty, [])

    def test_a_resident_downloads_json_and_the_download_is_logged(self) -> None:
        self.login(self.resident_user)
        response = self.client.get(reverse("rights:export_json"))
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        data = json.loads(response.content)
        self.assertEqual(data["format"], "omzien-data-export/1")
        keys = [section["key"] for section in data["sections"]]
        self.assertEqual(keys, [section.key for _room, section in data_export_sections()])
        record = next(section["data"] for section in data["sections"] if section["key"] == "resident")
        self.assertEqual(record["last_name"], "Smit")
        entry = AccessLogEntry.objects.order_by("-sequence").first()
        assert entry is not None
        self.assertEqual((entry.action, entry.subject_resident_pseudo_id), (Action.EXPORT, self.me.pseudo_id))

    def test_a_resident_downloads_a_readable_pdf(self) -> None:
        self.login(self.resident_user)
        response = self.client.get(reverse("rights:export_pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertEqual(AccessLogEntry.objects.order_by("-sequence").first().action, Action.PRINT)  # type: ignore[union-attr]

    def test_the_export_names_no_staff_member_or_reporter(self) -> None:
        from omzien.rights.selectors import export_build

        text = json.dumps(export_build(self.world.residents["a"]))
        # The volunteer, meal host and professional in resident A's world are other people (art. 15(4)).
        for user in self.world.users.values():
            self.assertNotIn(user.email, text)

    def test_an_account_without_a_record_gets_a_clear_page(self) -> None:
        self.me.user = None
        self.me.save(update_fields=["user"])
        self.login(self.resident_user)
        self.assertContains(self.client.get(reverse("rights:mine")), "not linked to a resident record")
        self.assertEqual(self.client.get(reverse("rights:export_json")).status_code, 404)


def _has_content(data: object) -> bool:
    if isinstance(data, dict):
        return any(_has_content(value) for value in data.values())
    if isinstance(data, list | tuple):
        return bool(data)
    return data not in (None, "")
