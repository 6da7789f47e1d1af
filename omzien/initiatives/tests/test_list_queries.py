# SPDX-License-Identifier: EUPL-1.2
"""The room's lists make no query per row: twenty more rows cost no more queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omzien.initiatives.models import Centre, CentreRoom, Initiative, KeyFigure
from omzien.initiatives.tests.base import InitiativesTestCase


class ListQueryTests(InitiativesTestCase):
    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(captured)

    def test_lists_cost_the_same_queries_for_more_rows(self) -> None:
        self.login()
        urls = [reverse("initiatives:list") + "?weergave=all", reverse("initiatives:network"), reverse("initiatives:centres"),
                reverse("initiatives:budget"), reverse("initiatives:reach")]  # fmt: skip
        for url in urls:
            self.queries(url)  # warm the policy and permission caches
        before = {url: self.queries(url) for url in urls}
        a = self.initiative_a
        now = timezone.now()
        Initiative.objects.bulk_create(
            Initiative(reference=f"BI-Q{n:04d}", title=f"Extra {n}", idea="x", for_whom="x", where="x", when="x",
                       expected_participants=5, budget_requested=Decimal(10), contact_name=f"Naam {n}",
                       contact_email=f"q{n}@example.nl", postcode=a.postcode, neighbourhood_id=a.neighbourhood_id,
                       district_id=a.district_id, received_at=now, decision_due=now.date() + timedelta(weeks=8))
            for n in range(20)
        )  # fmt: skip
        KeyFigure.objects.bulk_create(KeyFigure(district_id=a.district_id, kind="person", name=f"Figuur {n}", role="x",
                                                added_at=now) for n in range(20))  # fmt: skip
        for n in range(10):
            centre = Centre.objects.create(name=f"Buurthuis {n}", street="x", postcode="3561AB", district_id=a.district_id)
            CentreRoom.objects.create(centre=centre, name="Zaal", capacity=10)
        after = {url: self.queries(url) for url in urls}
        self.assertEqual(after, before)
