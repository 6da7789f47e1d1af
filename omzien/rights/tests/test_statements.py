# SPDX-License-Identifier: EUPL-1.2
"""The statements a municipal site publishes, generated from the rooms' declarations, linked from every page."""

from __future__ import annotations

import csv
import io

from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from omzien import policy
from omzien.lib.rooms import algorithm_declarations, processing_purposes
from omzien.residents.room import MATCH_FIELDS
from omzien.rights.policies import ACCESSIBILITY


class StatementTests(TestCase):
    def setUp(self) -> None:
        self.client.cookies["omzien-language"] = "en"

    def test_every_page_links_the_statements_in_its_footer(self) -> None:
        page = self.client.get(reverse("home")).content.decode()
        for name in ("rights:privacy_statement", "rights:accessibility", "rights:cookies"):
            self.assertIn(f'href="{reverse(name)}"', page)

    def test_the_privacy_statement_names_every_purpose_of_the_register(self) -> None:
        page = self.client.get(reverse("rights:privacy_statement"))
        for _room, purpose in processing_purposes():
            self.assertContains(page, escape(str(purpose.name)))
        self.assertContains(page, "Stadsplateau 1")

    def test_the_registers_are_csv_with_one_row_per_declaration(self) -> None:
        for name, declared in (("rights:register_csv", processing_purposes()),
                               ("rights:algorithms_csv", algorithm_declarations())):  # fmt: skip
            response = self.client.get(reverse(name))
            self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            self.assertEqual([row[1] for row in rows[1:]], [item.key for _room, item in declared])

    def test_the_accessibility_statement_shows_what_the_municipality_filled_in(self) -> None:
        page = self.client.get(reverse("rights:accessibility"))
        self.assertContains(page, "Not yet determined")
        self.assertContains(page, "axe-core")
        policy.set_value(
            ACCESSIBILITY.key,
            {
                "status": "b",
                "audit_by": "Stichting Accessibility",
                "known_issues": ["Kaart zonder tekstalternatief"],
            },
        )
        page = self.client.get(reverse("rights:accessibility"))
        self.assertContains(page, "B: voldoet gedeeltelijk")
        self.assertContains(page, "Kaart zonder tekstalternatief")

    def test_the_cookie_note_names_only_functional_cookies(self) -> None:
        page = self.client.get(reverse("rights:cookies"))
        self.assertContains(page, "omzien-session")
        self.assertNotContains(page, "_ga")

    def test_the_matrix_shows_what_a_volunteer_sees_through_a_match(self) -> None:
        page = self.client.get(reverse("rights:matrix")).content.decode()
        self.assertIn("date of birth", page)
        row = page.split(">volunteer<", 1)[1].split("</tr>", 1)[0]
        self.assertEqual(row.count("✓"), len(MATCH_FIELDS))
