# SPDX-License-Identifier: EUPL-1.2
"""Download all my data: every room's export section, as JSON (art. 20) and PDF (art. 15), nothing about others."""

from __future__ import annotations

import json

from django.apps import apps
from django.urls import reverse

from omzien.audit.models import AccessLogEntry, Action
from omzien.lib.rooms import data_export_sections
from omzien.residents.models import Resident
from omzien.rights.models import ExportPdf
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

    def test_a_resident_asks_for_a_readable_pdf_and_downloads_it_when_it_is_made(self) -> None:
        mine = reverse("rights:mine") + "#download"
        self.login(self.resident_user)
        # Nothing made yet: the download sends the resident to the page that makes it, and shows nothing.
        self.assertRedirects(
            self.client.get(reverse("rights:export_pdf")), mine, fetch_redirect_response=False
        )
        self.assertContains(self.client.get(reverse("rights:mine")), 'data-testid="export-pdf-make"')
        # Asking is logged at once; the task worker makes the PDF after the request's commit (here, at once).
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("rights:export_pdf_prepare"))
        self.assertRedirects(response, mine, fetch_redirect_response=False)
        asked = AccessLogEntry.objects.order_by("-sequence").first()
        assert asked is not None
        self.assertEqual((asked.action, asked.object_type, asked.subject_resident_pseudo_id),
                         (Action.PRINT, "data_export", self.me.pseudo_id))  # fmt: skip
        export = ExportPdf.objects.get(resident=self.me)
        self.assertEqual((export.status, export.language), (ExportPdf.Status.DONE, "en"))
        # The waiting part of the page stops asking once the PDF is there, and offers it.
        status = self.client.get(reverse("rights:export_pdf_prepare"))
        self.assertContains(status, 'data-testid="export-pdf"')
        self.assertNotContains(status, "hx-get")
        response = self.client.get(reverse("rights:export_pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        downloaded = AccessLogEntry.objects.order_by("-sequence").first()
        assert downloaded is not None
        self.assertEqual(
            (downloaded.action, downloaded.subject_resident_pseudo_id), (Action.PRINT, self.me.pseudo_id)
        )

    def test_while_the_pdf_is_made_the_page_says_so_and_asks_again(self) -> None:
        from omzien.rights.services import export_pdf_request

        export_pdf_request(resident=self.me, language="en")  # no commit in a test: the task has not run
        self.login(self.resident_user)
        status = self.client.get(reverse("rights:export_pdf_prepare"))
        self.assertContains(status, "being made")
        self.assertContains(status, 'hx-get="{}"'.format(reverse("rights:export_pdf_prepare")))
        self.assertNotContains(status, 'data-testid="export-pdf"')
        self.assertRedirects(self.client.get(reverse("rights:export_pdf")), reverse("rights:mine") + "#download",
                             fetch_redirect_response=False)  # fmt: skip

    def test_a_new_request_replaces_the_old_pdf_and_another_resident_never_gets_it(self) -> None:
        from omzien.rights.services import export_pdf_make, export_pdf_request

        first = export_pdf_request(resident=self.me, language="nl")
        export_pdf_make(first.pk)
        second = export_pdf_request(resident=self.me, language="nl")
        self.assertEqual(
            list(ExportPdf.objects.filter(resident=self.me).values_list("pk", flat=True)), [second.pk]
        )
        self.assertIsNone(export_pdf_make(first.pk))  # the replaced one's task finds nothing to make
        other = self.world.residents["a"]
        self.assertNotEqual(other.pk, self.me.pk)
        export_pdf_make(export_pdf_request(resident=other, language="nl").pk)
        self.login(self.resident_user)
        # Resident "self" downloads only their own, still being made: sent back, never resident A's file.
        self.assertEqual(self.client.get(reverse("rights:export_pdf")).status_code, 302)

    def test_a_pdf_is_removed_when_its_download_period_is_over(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        from omzien.rights.services import export_pdf_request, export_pdfs_expire

        now = timezone.now()
        old = export_pdf_request(resident=self.me, language="nl", now=now - timedelta(days=2))
        fresh = export_pdf_request(resident=self.world.residents["a"], language="nl", now=now)
        self.assertEqual(export_pdfs_expire(now, True), 1)
        self.assertTrue(ExportPdf.objects.filter(pk=old.pk).exists())  # a dry run removes nothing
        self.assertEqual(export_pdfs_expire(now, False), 1)
        self.assertEqual(list(ExportPdf.objects.values_list("pk", flat=True)), [fresh.pk])

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
