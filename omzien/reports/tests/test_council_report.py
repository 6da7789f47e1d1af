# SPDX-License-Identifier: EUPL-1.2
"""The council report: its figures are the outcome core's, on the page and in the PDF; the PDF is accessible."""

from __future__ import annotations

import re
import subprocess
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

import pikepdf
from PIL import Image

from omzien.geo.models import District
from omzien.geo.services import demo_geography_load
from omzien.reports.council import outcomes_figures
from omzien.reports.models import CouncilReport
from omzien.reports.outcomes import OutcomeRecord
from omzien.reports.services import council_report_create, demo_edition_create
from omzien.reports.templatetags.reports_tags import pct, points
from omzien.reports.tests.helpers import login, policy_officer


def hand_made_records(wijken: list[str]) -> list[OutcomeRecord]:
    """Buddy routes in three wijken (14, 12 and a small 4), day activities, a small phone-line group, waiting residents."""
    records: list[OutcomeRecord] = []
    n = 0

    def add(route: str, label: str, wijk: str, intake: int, after: list[int], *, waiting: bool = False) -> None:
        nonlocal n
        for score in after:
            n += 1
            records.append(OutcomeRecord(resident=n, route=route, route_label=label, wijk=wijk, organisation=None,
                                         waiting=waiting, intake_score=intake,
                                         followups={3: score, 6: score - 1 if score else None}))  # fmt: skip

    add("buddy", "Maatje", wijken[0], 7, [2, 3, 4, 5, 6, 7, 1, 2, 8, 4, 5, 3, 2, 6])
    add("buddy", "Maatje", wijken[1], 6, [5, 6, 7, 2, 1, 4, 5, 6, 3, 2, 4, 0])
    add("buddy", "Maatje", wijken[2], 9, [1, 1, 2, 1])
    add("day_activity", "Dagbesteding", wijken[0], 5, [4, 5, 6, 3, 2, 5, 4, 4, 6, 1, 2, 3, 5, 5, 4, 2, 3, 4, 5, 6])
    add("phone_line", "Telefooncirkel", wijken[1], 6, [4, 5, 6])
    add("waiting", "", wijken[0], 6, [6, 5, 7, 6, 6, 4, 7, 5, 6, 6, 8, 5, 6, 7, 6], waiting=True)
    return records


class CouncilReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_geography_load()
        cls.user = policy_officer()
        cls.edition = demo_edition_create(year=2024, lonely_share=0.36, respondents=1500, seed=3, now=timezone.now())
        cls.wijken = list(District.objects.order_by("code").values_list("code", flat=True))
        cls.records = hand_made_records(cls.wijken)
        cls.report = council_report_create(edition=cls.edition, acting_user=cls.user, records=cls.records)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "rapport.pdf"
            path.write_bytes(bytes(cls.report.pdf))
            # Reading order, whitespace folded: a table cell that wraps in the PDF reads as one line here.
            cls.text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                                               text=True).stdout.split())  # fmt: skip
            subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(Path(folder) / "page")], check=True)
            cls.boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True,
                                       text=True).stdout  # fmt: skip
            cls.pages = [Image.open(p).convert("L").copy() for p in sorted(Path(folder).glob("page*.png"))]

    def setUp(self) -> None:
        login(self.client, self.user)

    def _expected(self) -> dict:  # type: ignore[type-arg]
        return outcomes_figures(self.records, min_cell=self.report.figures["min_cell"])

    def test_the_stored_outcomes_are_the_cores_for_the_same_records(self) -> None:
        self.assertEqual(self.report.status, CouncilReport.Status.DONE)
        self.assertEqual(self.report.figures["outcomes"], self._expected())
        self.assertEqual(self.report.edition_ids, [self.edition.pk])
        # Aggregates only: no resident number is stored anywhere in the report's figures.
        self.assertNotIn("resident", str(self.report.figures))

    def test_every_outcome_figure_on_the_page_and_in_the_pdf_equals_the_core(self) -> None:
        with translation.override("nl"):
            page = self.client.get(reverse("reports:council_report", args=[self.report.pk])).content.decode()
        shown = 0
        for cell in self._expected()["cells"]:
            if cell["suppressed"]:
                continue
            change = cell["mean_change"]
            with translation.override("nl"):
                text = f"{points(change['estimate'])} ({points(change['low'])} – {points(change['high'])})"
                share = cell["no_longer_lonely"]
                share_text = f"{pct(share['estimate'])} ({pct(share['low'])} – {pct(share['high'])})"
            row = re.search(rf'data-route="{cell["route"]}">(.*?)</tr>', page, re.S)
            self.assertIsNotNone(row)
            rows = re.findall(rf'data-route="{cell["route"]}">(.*?)</tr>', page, re.S)
            self.assertTrue(any(text in r and share_text in r for r in rows), (cell["route"], cell["months"], text))
            self.assertIn(text, self.text)
            self.assertIn(share_text, self.text)
            shown += 1
        self.assertGreaterEqual(shown, 4)  # buddy and day activities at 3 and 6 months

    def test_the_pdf_holds_every_wijk_with_its_figure_and_is_not_blank(self) -> None:
        for wijk in self.report.figures["edition"]["wijken"]:
            self.assertIn(wijk["name"], self.text)
            if wijk["estimate"] is not None:
                with translation.override("nl"):
                    self.assertRegex(self.text, rf"{re.escape(wijk['name'])}\s+{re.escape(pct(wijk['estimate']))}")
        self.assertIn("Inhoud", self.text)
        self.assertRegex(self.text, r"Pagina 1 van \d+")
        self.assertIn("geen gerandomiseerde vergelijking", self.text)
        self.assertGreaterEqual(len(self.pages), 4)
        for number, image in enumerate(self.pages, start=1):
            dark = sum(image.histogram()[:200])
            self.assertGreater(dark / (image.width * image.height), 0.003, f"page {number} is blank")

    def test_every_word_of_the_pdf_is_inside_the_page_margins(self) -> None:
        """A table wider than the page is cut off at its edge on paper (the outcome tables lost their comparison
        with the residents still waiting): every word stays within A4's text width (margins 20 mm)."""
        margin = 20 / 25.4 * 72
        outside = []
        for number, page in enumerate(self.boxes.split("<page ")[1:], start=1):
            width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
            for left, right, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                                                r'yMax="[\d.]+">([^<]*)</word>', page):  # fmt: skip
                if float(left) < margin - 1 or float(right) > width - margin + 1:
                    outside.append((number, word))
        self.assertGreater(self.boxes.count("<word "), 500)
        self.assertEqual(outside, [])

    def test_the_pdf_is_tagged_dutch_and_every_figure_has_an_alternative_text(self) -> None:
        with pikepdf.open(__import__("io").BytesIO(bytes(self.report.pdf))) as pdf:
            self.assertEqual(str(pdf.Root.Lang), "nl")
            self.assertTrue(pdf.Root.MarkInfo.Marked)
            figures, headings = [], []

            def walk(node: pikepdf.Object) -> None:
                if isinstance(node, pikepdf.Array):
                    for child in node:
                        walk(child)
                    return
                if not isinstance(node, pikepdf.Dictionary):
                    return
                kind = str(node.get("/S", ""))
                if kind == "/Figure":
                    figures.append(str(node.get("/Alt", "")))
                if kind in ("/H1", "/H2", "/H3"):
                    headings.append(kind)
                if "/K" in node:
                    walk(node.K)

            walk(pdf.Root.StructTreeRoot)
        self.assertGreaterEqual(len(figures), 3)  # map, bars and a forest plot per moment
        self.assertTrue(all(len(alt) > 20 for alt in figures), figures)
        self.assertIn("/H1", headings)
        self.assertIn("/H2", headings)

    def test_small_cells_are_not_in_the_report(self) -> None:
        outcomes = self.report.figures["outcomes"]
        phone = [c for c in outcomes["cells"] if c["route"] == "phone_line"]
        self.assertTrue(phone and all(c["suppressed"] and c["mean_change"] is None for c in phone))
        small = [c for c in outcomes["by_wijk"] if c["route"] == "buddy" and c["group"] == self.wijken[2]]
        self.assertTrue(small and all(c["suppressed"] and c["measured"] == 0 for c in small))
        # The partner (12 measured) is hidden too: the route's total would give the small wijk away.
        partner = [c for c in outcomes["by_wijk"] if c["route"] == "buddy" and c["group"] == self.wijken[1]]
        self.assertTrue(partner and all(c["suppressed"] for c in partner))
        self.assertIn("Telefooncirkel niet getoond (te weinig bewoners gemeten)", self.text)

    def test_the_page_and_the_downloads(self) -> None:
        response = self.client.get(reverse("reports:council"))
        self.assertContains(response, self.report.title)
        pdf = self.client.get(reverse("reports:council_report_pdf", args=[self.report.pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        html = self.client.get(reverse("reports:council_report_html", args=[self.report.pk]))
        self.assertContains(html, '<html lang="nl">')

    def test_one_click_queues_the_report_and_the_task_makes_it(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("reports:council_report_make"), {"editie": self.edition.pk})
        made = CouncilReport.objects.exclude(pk=self.report.pk).get()
        self.assertRedirects(response, reverse("reports:council_report", args=[made.pk]))
        self.assertEqual(made.status, CouncilReport.Status.DONE)
        self.assertTrue(bytes(made.pdf).startswith(b"%PDF"))
        self.assertEqual(made.figures["edition_ids"], [self.edition.pk])

    def test_the_command_writes_pdf_and_html_and_names_bad_input(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            out = StringIO()
            call_command("report", "council", "--edition", str(self.edition.pk), "-o", f"{folder}/r.html", stdout=out)
            self.assertIn('lang="nl"', Path(folder, "r.html").read_text())
            with self.assertRaisesMessage(CommandError, "no monitor edition 999999"):
                call_command("report", "council", "--edition", "999999", "-o", f"{folder}/r.pdf")
            with self.assertRaisesMessage(CommandError, ".pdf or .html"):
                call_command("report", "council", "--edition", str(self.edition.pk), "-o", f"{folder}/r.docx")


def test_reach_counts_are_suppressed_per_column_and_a_lone_hidden_cell_hides_the_total() -> None:
    from omzien.reports.council import _suppress_columns

    rows = [{"label": "A", "referrals": 40, "started": 3}, {"label": "B", "referrals": 12, "started": 0},
            {"label": "C", "referrals": 4, "started": 0}]  # fmt: skip
    unsafe = _suppress_columns(rows, ["referrals", "started"], 10)
    # Referrals: C (4) is too small, B (12) is hidden with it, or 56 − 40 − 12 would give C away.
    assert [r["referrals"] for r in rows] == [40, None, None]
    # Started: one nonzero cell (3), hidden, and no partner: the total (3) must go too.
    assert [r["started"] for r in rows] == [None, 0, 0]
    assert unsafe == {"started"}


def test_a_median_waiting_time_is_shown_only_for_a_group_large_enough() -> None:
    from omzien.reports.council import _median

    assert _median([3, 1, 10, 7, 2, 30, 4, 8, 9, 5], 10, False) == 6.0  # sorted: …4, 5 | 7, 8…: (5 + 7) / 2
    assert _median([3, 1, 10], 10, False) is None
    assert _median(list(range(20)), 10, True) is None  # its count is hidden, so is its median


class OtherSectionsAndWaitsTests(TestCase):
    def test_another_rooms_section_is_drawn_as_a_table_with_its_total_in_the_page_and_the_pdf(self) -> None:
        from omzien.reports.council import other_sections

        value = {"year": 2026, "per_wijk": [{"code": "WK1", "district": "Oost", "applications": 6, "visitors": 2344},
                                            {"code": "WK2", "district": "West", "applications": 2, "visitors": 120}],
                 "city": {"applications": 8, "visitors": 2464}}  # fmt: skip
        sections = {"signals": {"title": "Meldingen", "value": {}}, "initiatives": {"title": "Initiatieven", "value": value}}
        with translation.override("nl"):
            [drawn] = other_sections(sections)
        self.assertEqual(drawn["facts"], [("Jaar", 2026)])
        [table] = drawn["tables"]
        self.assertEqual([label for _key, label in table["columns"]], ["Wijk", "Aanvragen", "Bezoekers"])  # codes left out
        self.assertEqual(table["rows"], [["Oost", 6, 2344], ["West", 2, 120]])
        self.assertEqual(table["total"], ["Stad", 8, 2464])

    def test_the_report_draws_the_initiatives_section(self) -> None:
        demo_geography_load()
        user = policy_officer()
        edition = demo_edition_create(year=2024, lonely_share=0.36, respondents=1500, seed=3, now=timezone.now())
        # Made while the worker happens to be in English: the letter, its section titles included, is Dutch.
        with translation.override("en"):
            report = council_report_create(edition=edition, acting_user=user, records=[])
        section = report.figures["sections"]["initiatives"]
        self.assertEqual(section["title"], "Bewonersinitiatieven en buurthuizen per wijk")
        self.assertIn(section["title"], report.html)
        self.assertIn('data-testid="council-section-initiatives-per_wijk"', report.html)
        self.assertIn('href="#raad-andere"', report.html)  # in the table of contents
        login(self.client, user)
        self.assertContains(self.client.get(reverse("reports:council")), 'data-testid="council-section-initiatives-per_wijk"')


class WaitsTests(TestCase):
    def test_waiting_times_per_route_count_the_days_and_hide_small_groups(self) -> None:
        from datetime import timedelta

        from omzien.casework import selectors as casework
        from omzien.lib.testing.world import build_world
        from omzien.reports.council import waits_figures
        from omzien.residents.models import ConsentEvent, ConsentPurpose

        world = build_world()
        case = world.extra["casework"]["case_a"]
        ConsentEvent.objects.create(resident=case.resident, purpose=ConsentPurpose.STATISTICS, given=True, method="verbal",
                                    recorded_by=case.professional)  # fmt: skip
        today = timezone.localdate() + timedelta(days=1)
        waits = {w.route: w for w in casework.route_waits(today=today)}
        # The world's case: a buddy that started three days after sending, a visiting service sent today.
        self.assertEqual(waits["buddy"].started_days, (3,))
        self.assertEqual(waits["visiting_service"].waiting_days, (1,))
        shown = {row["key"]: row for row in waits_figures(min_cell=1, today=today)}
        self.assertEqual((shown["buddy"]["started"], shown["buddy"]["start_median"]), (1, 3.0))
        self.assertEqual((shown["visiting_service"]["waiting"], shown["visiting_service"]["waited_median"]), (1, 1.0))
        hidden = {row["key"]: row for row in waits_figures(min_cell=10, today=today)}
        self.assertEqual((hidden["buddy"]["started"], hidden["buddy"]["start_median"]), (None, None))
        self.assertIsNone(hidden["visiting_service"]["waited_median"])
