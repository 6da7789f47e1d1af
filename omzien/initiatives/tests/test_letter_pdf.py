# SPDX-License-Identifier: EUPL-1.2
"""The Awb decision letter as a downloadable, tagged PDF (WeasyPrint, PDF/UA-1): the same text as the page,
in the page's language, for the wijk's broker only (the access log notes it)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pikepdf

from omzien.audit.models import AccessLogEntry
from omzien.initiatives import services
from omzien.initiatives.tests.base import InitiativesTestCase


def _text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.pdf"
        path.write_bytes(pdf)
        return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout.split())


class LetterPdfTests(InitiativesTestCase):
    def test_the_decision_and_the_settlement_download_as_tagged_dutch_pdfs(self) -> None:
        granted = self.granted("400")
        self.login()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        page = self.client.get(reverse("initiatives:letter", args=[granted.public_id]))
        url = reverse("initiatives:letter_pdf", args=[granted.public_id])
        self.assertContains(page, f'href="{url}"')
        before = AccessLogEntry.objects.filter(object_id=str(granted.public_id)).count()
        response = self.client.get(url)
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "application/pdf"))
        self.assertIn(f'filename="besluit-{granted.reference}.pdf"', response["Content-Disposition"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertGreater(AccessLogEntry.objects.filter(object_id=str(granted.public_id)).count(), before)
        text = _text(response.content)
        self.assertIn("We kennen u € 400,00 toe uit het initiatievenfonds.", text)
        self.assertIn("binnen zes weken", text)
        self.assertIn("14 030", text)  # the number to call (the world's organisation has none of its own)
        with pikepdf.open(io.BytesIO(response.content)) as pdf:
            self.assertEqual(str(pdf.Root.Lang), "nl")
            self.assertTrue(pdf.Root.MarkInfo.Marked)
            self.assertIn("Besluitbrief", str(pdf.docinfo.get("/Title", "")))
        # The settlement letter names the difference to be paid back.
        services.initiative_start(initiative=granted, acting_user=self.broker, actor=self.actor())
        services.initiative_evaluate(initiative=granted, participants=9, went_well="goed", could_be_better="",
                                     acting_user=self.broker, actor=self.actor())  # fmt: skip
        services.initiative_settle(initiative=granted, amount=Decimal("300"), acting_user=self.broker, actor=self.actor())
        settlement = self.client.get(url, {"soort": "vaststelling"})
        self.assertIn(f'filename="vaststelling-{granted.reference}.pdf"', settlement["Content-Disposition"])
        self.assertIn("Het verschil van € 100,00 wordt niet uitbetaald.", _text(settlement.content))

    def test_no_pdf_before_a_decision_nor_for_another_wijks_broker(self) -> None:
        self.login()
        response = self.client.get(reverse("initiatives:letter_pdf", args=[self.initiative_a.public_id]))
        self.assertEqual(response.status_code, 302)
        granted = self.granted("400")
        self.login(self.other_broker)
        self.assertEqual(self.client.get(reverse("initiatives:letter_pdf", args=[granted.public_id])).status_code, 404)
