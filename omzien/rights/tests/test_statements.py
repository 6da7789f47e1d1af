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

    def test_the_algorithm_register_holds_the_ranking_the_route_advice_and_the_matching(self) -> None:
        page = self.client.get(reverse("algorithm_register"))
        for key in ("waiting-list-ranking", "route-advice", "matching"):
            self.assertContains(page, f'id="algorithm-{key}"')
        rows = list(
            csv.DictReader(io.StringIO(self.client.get(reverse("rights:algorithms_csv")).content.decode()))
        )
        self.assertLessEqual(
            {"waiting-list-ranking", "route-advice", "matching"}, {row["key"] for row in rows}
        )

    def test_every_algorithm_fills_the_algoritmeregisters_fields(self) -> None:
        """The publication standard's mandatory fields and the ones about responsible use and how it works are
        filled for every installed algorithm; the link to the register of processing names a declared purpose."""
        purposes = {purpose.key for _room, purpose in processing_purposes()}
        response = self.client.get(reverse("rights:algorithms_csv"))
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual(len(rows), len(algorithm_declarations()))
        for row in rows:
            for field in ("Naam", "Organisatie", "Korte omschrijving", "Status", "Contactgegevens",
                          "Publicatiecategorie", "Doel en impact", "Menselijke tussenkomst", "Gegevens",
                          "Technische werking"):  # fmt: skip
                self.assertTrue(row[field].strip(), f"{row['key']}: '{field}' is empty")
            self.assertIn(row["Publicatiecategorie"], ("Impactvolle algoritmes", "Overige algoritmes"))
            if row["Link naar verwerkingsregister"]:
                link = row["Link naar verwerkingsregister"]
                self.assertTrue(
                    link.startswith(f"http://testserver{reverse('processing_register')}#purpose-")
                )
                self.assertIn(link.rsplit("#purpose-", 1)[1], purposes)
        self.assertEqual(rows[0]["Organisatie"], "Gemeente Utrecht")
        self.assertEqual({row["Status"] for row in rows}, {"In use"})
        # Each algorithm that uses residents' data links its entry in the register of processing.
        linked = {row["key"] for row in rows if row["Link naar verwerkingsregister"]}
        self.assertLessEqual(
            {"waiting-list-ranking", "route-advice", "matching", "loneliness-urgency"}, linked
        )

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
