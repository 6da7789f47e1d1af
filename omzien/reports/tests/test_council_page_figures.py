# SPDX-License-Identifier: EUPL-1.2
"""The council page's figures read the whole city, so the page shows them as made at most ten minutes ago
(issue #16), saying when, in the page's language."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import time_machine

from omzien.geo.services import demo_geography_load
from omzien.reports.selectors import COUNCIL_FIGURES_SECONDS
from omzien.reports.services import demo_edition_create
from omzien.reports.tests.helpers import login, policy_officer


def _made_at(page: str) -> str:
    found = re.search(r'data-testid="council-made-at">([^<]+)<', page)
    assert found is not None, "the page does not say when its figures were made"
    return found.group(1).strip()


class CouncilPageFiguresTests(TestCase):
    def setUp(self) -> None:
        demo_geography_load()
        self.edition = demo_edition_create(
            year=2024, lonely_share=0.36, respondents=1500, seed=3, now=timezone.now()
        )
        login(self.client, policy_officer())
        self.url = reverse("reports:council")

    def _page(self) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode(), len(queries.captured_queries)

    def test_the_figures_are_made_again_only_after_ten_minutes_and_the_page_says_when(self) -> None:
        start = timezone.now().replace(second=0, microsecond=0)
        with time_machine.travel(start, tick=False):
            first, made_queries = self._page()
            again, cached_queries = self._page()
        self.assertEqual(_made_at(first), _made_at(again))
        self.assertLess(cached_queries, made_queries - 10)  # the city is not read again
        with time_machine.travel(start + timedelta(seconds=COUNCIL_FIGURES_SECONDS - 60), tick=False):
            self.assertEqual(_made_at(self._page()[0]), _made_at(first))
        with time_machine.travel(start + timedelta(seconds=COUNCIL_FIGURES_SECONDS + 60), tick=False):
            later, queries = self._page()
        self.assertNotEqual(_made_at(later), _made_at(first))
        # Made again: the city is read again (the session's last-seen write, every 30 s, may add its own).
        self.assertGreater(queries, cached_queries + 10)

    def test_each_language_has_its_own_figures(self) -> None:
        dutch = self._page()[0]
        self.assertIn("Cijfers gemaakt op", dutch)
        cached = self._page()[1]
        self.client.post(reverse("set_language"), {"language": "en", "next": self.url})
        english, queries = self._page()
        self.assertIn("Figures made at", english)
        self.assertIn("Council view", english)
        self.assertGreater(queries, cached + 10)  # made anew in English, not the Dutch copy
