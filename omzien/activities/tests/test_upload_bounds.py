# SPDX-License-Identifier: EUPL-1.2
"""Issue 15: upload bombs refused fast; uploads checked with the form's field rules; no 500 on input."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from omzien.activities.models import Activity
from omzien.activities.tests.factories import Town
from omzien.activities.tests.test_views import GOOD_ROW, HEADER
from omzien.lib.testing.world import login_verified
from omzien.lib.tests.bombs import dimension_bomb


class UploadBoundsTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        login_verified(self.client, self.town.provider_user())

    def post(self, name: str, content: bytes):  # type: ignore[no-untyped-def]
        return self.client.post(reverse("activities:upload"), {"file": SimpleUploadedFile(name, content)})

    def test_a_dimension_bomb_is_refused_fast(self) -> None:
        self.post("aanbod.csv", b"titel;plaatsen\n")  # warm up templates and forms: time the file only
        for ref in ("A1:XFD2000", "A1:XFD1048576"):
            bomb = dimension_bomb([HEADER.split(";"), GOOD_ROW.split(";")], ref)
            started = time.perf_counter()
            response = self.post("aanbod.xlsx", bomb)
            elapsed = time.perf_counter() - started
            self.assertLess(elapsed, 3.0, ref)  # was 20 s for A1:XFD2000, hours for A1:XFD1048576
            self.assertContains(response, "meer dan 100 kolommen")
        self.assertFalse(Activity.objects.filter(title="Wandelclub").exists())

    def test_values_beyond_the_forms_rules_are_row_errors_and_nothing_is_saved(self) -> None:
        cells = GOOD_ROW.split(";")

        def row(**changes: str) -> str:
            values = list(cells)
            for index, value in changes.items():
                values[int(index[1:])] = value
            return ";".join(values)

        rows = [
            HEADER,
            row(c0="Groot", c2="100000000000000000000"),  # row 2: capacity 10^20
            "",  # row 3: blank, still counted
            row(c0="Veel", c2="3000000000"),  # row 4: beyond the form's limit
            row(c0="Lang", c4="L" * 300),  # row 5: a location name of 300 characters
            row(c0="Mail", c16="a" * 290 + "@example.org"),  # row 6: a 302-character address
            row(c0="Nul\x00byte"),  # row 7: a NUL character
            row(c0="Telefoon", c15="0" * 60),  # row 8: a phone number the form would refuse
        ]
        response = self.post("aanbod.csv", "\n".join(rows).encode())
        self.assertEqual(response.status_code, 200)
        text = "\n".join(response.context["report"].problems)
        for fragment in ("Rij 2, kolom 'plaatsen'", "Rij 4, kolom 'plaatsen'", "Rij 5, kolom 'locatie'",
                         "Rij 6, kolom 'email'", "Rij 7, kolom 'titel'", "Rij 8, kolom 'telefoon'"):  # fmt: skip
            self.assertIn(fragment, text)
        self.assertNotIn("Rij 3", text)
        self.assertEqual(Activity.objects.count(), 0)

    def test_a_twenty_digit_interest_id_is_a_form_error(self) -> None:
        data = {"title": "Koffie", "capacity": "8", "access": "walk_in", "cost_eur": "0", "is_active": "on",
                "languages": ["nl"], "interests": ["12345678901234567890"]}  # fmt: skip
        response = self.client.post(reverse("activities:create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("interests", response.context["form"].errors)
        self.assertFalse(Activity.objects.filter(title="Koffie").exists())
