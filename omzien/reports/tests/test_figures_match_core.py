# SPDX-License-Identifier: EUPL-1.2
"""Every figure the room shows or publishes equals the statistical core's output for the same files."""

from __future__ import annotations

import csv
import io
import re

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from omzien import policy
from omzien.geo.services import demo_geography_load
from omzien.monitor.survey import monitor_estimates, survey_prepare
from omzien.reports.models import Edition, EstimationRun, Figure
from omzien.reports.templatetags.reports_tags import pct
from omzien.reports.tests.helpers import csv_bytes, login, policy_officer, survey_and_margins, upload
from omzien.wellbeing.services import scoring_rules

KEY = ("level", "area_code", "wave", "indicator", "kind")
NUMBERS = ("respondents", "estimate", "se", "ci_low", "ci_high", "mse")


def core_rows(survey_frame, margins_frame) -> list[dict]:  # type: ignore[no-untyped-def]
    """The core called directly, as the command would: the wijk table, then the buurt table."""
    min_cell, direct_min = policy.get("publication.min_cell_size"), 30
    wijk = survey_prepare(survey_frame, margins_frame, area_level="wijk")
    wijk_rows = monitor_estimates(wijk, area_level="wijk", min_cell=min_cell, direct_min_respondents=direct_min,
                                  rules=scoring_rules("djg11"))  # fmt: skip
    hidden = {"": {r["area_code"] for r in wijk_rows if r["kind"] == "suppressed" and r["level"] == "wijk"}}
    buurt = survey_prepare(survey_frame, margins_frame, area_level="buurt")
    buurt_rows = monitor_estimates(buurt, area_level="buurt", min_cell=min_cell, direct_min_respondents=direct_min,
                                   rules=scoring_rules("djg11"), hidden_wijken=hidden)  # fmt: skip
    return wijk_rows + [r for r in buurt_rows if r["level"] != "city"]


class FiguresMatchTheCoreTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_geography_load()
        cls.user = policy_officer()

    def setUp(self) -> None:
        login(self.client, self.user)
        self.survey, self.margins = survey_and_margins()
        response = upload(self.client, self, csv_bytes(self.survey), csv_bytes(self.margins))
        self.estimation_run = EstimationRun.objects.get()
        self.assertRedirects(response, reverse("reports:run", args=[self.estimation_run.pk]))
        self.assertEqual(self.estimation_run.status, EstimationRun.Status.DONE, self.estimation_run.problems)
        self.edition = Edition.objects.get()
        self.expected = {tuple(r[k] or "" for k in KEY): r for r in core_rows(self.survey, self.margins)}

    def test_the_stored_edition_holds_exactly_the_core_rows(self) -> None:
        stored = {tuple(getattr(f, k) for k in KEY): f for f in Figure.objects.filter(edition=self.edition)}
        self.assertEqual(set(stored), set(self.expected))
        for key, row in self.expected.items():
            for name in NUMBERS:
                self.assertEqual(getattr(stored[key], name), row[name], (key, name))
        self.assertIsNone(self.estimation_run.__class__.objects.get().survey_file)  # the upload is gone once read
        self.assertEqual(self.edition.respondents, 3000)
        self.assertIn("monitor ", self.edition.code_version)
        self.assertEqual(self.edition.settings["min_cell"], policy.get("publication.min_cell_size"))

    def test_the_pages_show_the_core_figures(self) -> None:
        with translation.override("nl"):
            for level in ("wijk", "buurt"):
                page = self.client.get(reverse("reports:edition", args=[self.edition.pk]),
                                       {"niveau": level, "indicator": "severe"}).content.decode()  # fmt: skip
                for (row_level, code, _wave, indicator, kind), row in self.expected.items():
                    if row_level != level or indicator != "severe" or kind not in ("direct", "model"):
                        continue
                    cells = re.search(rf'<tr[^>]*data-code="{code}">(.*?)</tr>', page, re.S)
                    assert cells is not None, code
                    attribute = "data-direct" if kind == "direct" else "data-model"
                    shown = re.search(rf"{attribute}>([^<]*)<", cells.group(1))
                    assert shown is not None, (code, kind)
                    self.assertEqual(shown.group(1), pct(row["estimate"]), (code, kind))
            city = self.expected[("city", "", "", "lonely", "direct")]
            self.assertIn(f'data-indicator="lonely">{pct(city["estimate"])}<', page)

    def test_the_open_data_equals_the_core_rows(self) -> None:
        self.client.post(reverse("reports:publish", args=[self.edition.pk]))
        self.client.logout()
        data = self.client.get(reverse("reports:api_edition", args=[self.edition.pk])).json()
        published = {tuple(f[k] or "" for k in KEY): f for f in data["figures"]}
        self.assertEqual(set(published), set(self.expected))
        for key, row in self.expected.items():
            for name in NUMBERS:
                self.assertEqual(published[key][name], row[name], (key, name))
        text = self.client.get(reverse("reports:edition_csv", args=[self.edition.pk])).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(len(rows), len(self.expected))
        for record in rows:
            row = self.expected[tuple(record[k] for k in KEY)]
            self.assertEqual(record["estimate"], "" if row["estimate"] is None else repr(row["estimate"]))

    def test_the_difference_between_two_editions_uses_the_core_formula(self) -> None:
        from omzien.monitor.survey import difference

        survey, margins = survey_and_margins(seed=9, share=0.42)
        upload(self.client, self, csv_bytes(survey), csv_bytes(margins))
        first, second = self.edition, Edition.objects.exclude(pk=self.edition.pk).get()
        page = self.client.get(reverse("reports:compare"), {"van": first.pk, "naar": second.pk, "niveau": "wijk"})
        rows = page.context["rows"]
        self.assertTrue(rows)
        later = {tuple(r[k] or "" for k in KEY): r for r in core_rows(survey, margins)}
        for row in rows:
            a = self.expected[("wijk", row.code, "", "lonely", "direct")]
            b = later[("wijk", row.code, "", "lonely", "direct")]
            self.assertEqual((row.estimate, row.se, row.ci_low, row.ci_high),
                             tuple(difference(a["estimate"], a["se"], b["estimate"], b["se"]).values()))  # fmt: skip
        self.assertTrue(page.context["city"].significant)  # 35 % → 42 % with 3,000 respondents each
