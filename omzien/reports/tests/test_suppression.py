# SPDX-License-Identifier: EUPL-1.2
"""Suppression holds in every view and download: an attacker with the published totals recovers no hidden cell."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from typing import Any

from django.test import TestCase
from django.urls import reverse

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.geo.models import Neighbourhood
from omzien.geo.services import demo_geography_load
from omzien.lib.disclosure import nested_suppression_mask
from omzien.monitor.survey import monitor_estimates, survey_prepare
from omzien.reports import demo
from omzien.reports.models import Edition
from omzien.reports.tests.helpers import csv_bytes, login, policy_officer, upload
from omzien.wellbeing.instruments import DJG11


def survey_with_counts(counts: dict[str, int], seed: int = 1) -> pl.DataFrame:
    """A survey with exactly ``counts[buurt]`` respondents per buurt, answers at random."""
    rng = np.random.default_rng(seed)
    records = []
    for code, count in counts.items():
        for _ in range(count):
            lonely = rng.random() < 0.35
            record = {"area": code, "age": str(int(rng.integers(18, 95))), "sex": str(rng.choice(["man", "vrouw"]))}
            for item in DJG11.items:
                agrees = rng.random() < (0.8 if lonely else 0.1)
                record[f"item_{item.number}"] = ("nee" if agrees else "ja") if item.positive else ("ja" if agrees else "nee")
            records.append(record)
    return pl.DataFrame(records)


def recoverable(rows: list[dict[str, Any]]) -> dict[str, int]:
    """What an attacker works out: hidden respondent counts that follow from a published total minus the parts.

    Lines: the city = its wijken = its buurten; each wijk = its buurten. A line with one unknown gives it
    away; what is worked out is used again, until nothing more follows.
    """
    known: dict[str, int] = {}
    hidden: set[str] = set()
    for row in rows:
        if row["indicator"] != "lonely" or row["level"] not in ("city", "wijk", "buurt"):
            continue
        code = row["area_code"] or "city"
        if row["kind"] == "direct" and row["respondents"] not in (None, ""):
            known[code] = int(row["respondents"])
        elif row["kind"] == "suppressed":
            hidden.add(code)
    buurten = {c for c in known.keys() | hidden if c.startswith("BU")}
    wijken = {c for c in known.keys() | hidden if c.startswith("WK")} | {"WK" + b[2:8] for b in buurten}
    lines = [("city", sorted(wijken)), ("city", sorted(buurten))]
    lines += [(w, sorted(b for b in buurten if b[2:8] == w[2:8])) for w in wijken]
    found: dict[str, int] = {}
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            if not parts:
                continue
            cells = [total, *parts]
            unknown = [c for c in cells if c not in known]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            value = known[total] - sum(known[p] for p in parts if p != cell) if cell != total else sum(known[p] for p in parts)
            known[cell] = found[cell] = value
            changed = True
    return {code: value for code, value in found.items() if code in hidden}


class SuppressionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_geography_load()
        cls.user = policy_officer()
        buurten = list(Neighbourhood.objects.order_by("code").values_list("code", flat=True))
        cls.counts = {code: 40 for code in buurten}
        # One wijk with exactly one small buurt: wijk total minus its other buurten would give it away.
        cls.wijk = buurten[0][2:8]
        in_wijk = [b for b in buurten if b[2:8] == cls.wijk]
        cls.small = in_wijk[0]
        cls.counts |= {b: 60 for b in in_wijk}  # so the city total's partner is found in another wijk
        cls.counts[cls.small] = 4
        margins = demo.margins_frame([(b, 1000) for b in buurten])
        cls.survey, cls.margins = survey_with_counts(cls.counts), margins

    def test_without_nested_suppression_the_attack_would_work(self) -> None:
        # The test can fail: the buurt table suppressed only against the city total leaks the small buurt.
        wijk_rows = monitor_estimates(survey_prepare(self.survey, self.margins, area_level="wijk"), area_level="wijk")
        buurt_rows = monitor_estimates(survey_prepare(self.survey, self.margins, area_level="buurt"), area_level="buurt")
        self.assertEqual(recoverable(wijk_rows + buurt_rows).get(self.small), 4)

    def test_no_hidden_cell_can_be_recovered_from_the_csv_the_api_or_the_page(self) -> None:
        login(self.client, self.user)
        upload(self.client, self, csv_bytes(self.survey), csv_bytes(self.margins))
        edition = Edition.objects.get()
        self.client.post(reverse("reports:publish", args=[edition.pk]))
        text = self.client.get(reverse("reports:edition_csv", args=[edition.pk])).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertIn("suppressed", {r["kind"] for r in rows if r["area_code"] == self.small})
        self.assertEqual(recoverable(rows), {})
        api = self.client.get(reverse("reports:api_edition", args=[edition.pk])).json()["figures"]
        self.assertEqual(recoverable(api), {})
        # The small buurt shows no count and no direct estimate anywhere.
        for row in rows + api:
            if row["area_code"] == self.small:
                self.assertIn(row["kind"], ("suppressed", "model"))
                self.assertIn(row["respondents"], (None, ""))
        page = self.client.get(reverse("reports:edition", args=[edition.pk]), {"niveau": "buurt"})
        small = next(a for a in page.context["view"].areas if a.code == self.small)
        self.assertTrue(small.suppressed)
        self.assertIsNone(small.direct)
        self.assertIsNone(small.respondents)

    def test_no_hidden_cell_can_be_recovered_from_the_pages_the_map_or_the_charts(self) -> None:
        """The rendered pages as a reader sees them: tables, map, bar charts, the comparison, the trend."""
        login(self.client, self.user)
        upload(self.client, self, csv_bytes(self.survey), csv_bytes(self.margins))
        upload(self.client, self, csv_bytes(survey_with_counts(self.counts, seed=2)), csv_bytes(self.margins))
        first, second = Edition.objects.order_by("pk")
        hidden = {r.area_code or "city" for r in second.figures.filter(indicator="lonely", kind="suppressed")}
        self.assertIn(self.small, hidden)
        self.assertGreaterEqual(len(hidden), 2)  # the small buurt and its complement
        models = {r.area_code: r for r in second.figures.filter(indicator="lonely", kind="model")}
        url = reverse("reports:edition", args=[second.pk])
        published: list[dict[str, Any]] = [{"level": "city", "area_code": "", "indicator": "lonely", "kind": "direct",
                                             "respondents": page_total(self.client.get(url).content.decode())}]  # fmt: skip
        wijken = sorted({"WK" + code[2:8] for code in self.counts})
        pages = [self.client.get(url, {"niveau": "wijk"}), self.client.get(url, {"niveau": "buurt"})]
        pages += [self.client.get(url, {"niveau": "buurt", "wijk": wijk}) for wijk in wijken]
        for level, response in (("wijk", pages[0]), ("buurt", pages[1])):
            table = page_table(response.content.decode())
            self.assertEqual(len(table), len(wijken) if level == "wijk" else len(self.counts))
            published += [{"level": level, "area_code": code, "indicator": "lonely",
                           "kind": "suppressed" if count is None else "direct", "respondents": count}
                          for code, count in table.items()]  # fmt: skip
            for code in hidden & set(table):
                self.assertIsNone(table[code], code)
        self.assertEqual(recoverable(published), {})
        names = dict(Neighbourhood.objects.values_list("code", "name"))
        for response in pages:
            text = response.content.decode()
            for code in hidden - {"city"}:
                # The map tells a hidden area's model estimate or nothing, never a direct one.
                label = re.search(rf'data-code="{code}"><title>([^<]*)</title>', text)
                if label is not None:
                    model = models.get(code)
                    expected = f"{names[code]}: {model.estimate * 100:.1f} %" if model and model.estimate is not None else names[code]
                    self.assertEqual(html.unescape(label.group(1)), expected)
            bars = response.context["bars"]
            for bar in bars:
                area = next(a for a in response.context["view"].areas if a.name == bar.label)
                if area.code in hidden:
                    self.assertTrue(bar.model, area.code)  # only a model estimate is drawn for a hidden area
                    model_estimate = models[area.code].estimate
                    assert model_estimate is not None
                    self.assertEqual(bar.value, f"{model_estimate * 100:.1f}")
        # The comparison shows differences only where both editions publish a direct estimate.
        for level in ("wijk", "buurt"):
            compare = self.client.get(reverse("reports:compare"), {"van": first.pk, "naar": second.pk, "niveau": level})
            shown = set(re.findall(r'<tr class="utrecht-table__row" data-code="([^"]+)"', compare.content.decode()))
            self.assertTrue(shown)
            self.assertFalse(shown & hidden)
        # The open data of both editions together gives nothing away either.
        for edition in (first, second):
            self.client.post(reverse("reports:publish", args=[edition.pk]))
            api = self.client.get(reverse("reports:api_edition", args=[edition.pk]), {"indicator": "lonely"}).json()
            self.assertEqual(recoverable(api["figures"]), {})


def page_table(text: str) -> dict[str, int | None]:
    """The per-area table of an edition page as a reader copies it: area code → respondents (None: hidden)."""
    table = text[text.index('data-testid="areas"'):]
    table = table[: table.index("</table>")]
    found: dict[str, int | None] = {}
    for code, cells in re.findall(r'<tr class="utrecht-table__row" data-code="([^"]+)">(.*?)</tr>', table, re.S):
        if "data-suppressed" in cells:
            found[code] = None
            continue
        first = re.search(r"<td[^>]*>\s*([0-9.]+)\s*</td>", cells)
        assert first is not None, cells
        found[code] = int(first.group(1).replace(".", ""))
    return found


def page_total(text: str) -> int:
    """The edition's respondents as its page states them (the city total)."""
    found = re.search(r"([0-9.]+) respondent", text)
    assert found is not None
    return int(found.group(1).replace(".", ""))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 40)), min_size=1, max_size=25))
def test_nested_mask_leaves_no_line_with_one_hidden_cell(children: list[tuple[int, int]]) -> None:
    parent = np.array([p for p, _n in children])
    counts = np.array([n for _p, n in children])
    parents = 5
    parent_counts = np.bincount(parent, weights=counts, minlength=parents)
    parent_hidden = parent_counts < 10
    hidden = nested_suppression_mask(counts, parent, parent_hidden, 10)
    assert hidden[counts < 10].all()
    lines = defaultdict(list)
    for i, p in enumerate(parent):
        lines[p].append(i)
    for p, members in lines.items():
        lone = int(hidden[members].sum()) + int(parent_hidden[p])
        # A line with one hidden cell only when every child is hidden (then the parent equals their sum).
        assert lone != 1 or hidden[members].all()
    assert hidden.sum() != 1 or len(hidden) == 1
