# SPDX-License-Identifier: EUPL-1.2
"""What-if: the engine re-run on today's waiting lists with changed places; saved, compared, nothing live changed."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from omzien.activities.models import Activity, Registration, WaitingListEntry
from omzien.activities.tests.factories import Town, wait
from omzien.reports.models import WhatIfScenario
from omzien.reports.tests.helpers import login, policy_officer
from omzien.reports.whatif import PlacesChange, WhatIfError, spread, whatif_results


class WhatIfTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.full = self.town.activity(capacity=2, title="Kookclub", interests=("koken",))
        Activity.objects.filter(pk=self.full.pk).update(places_taken=2)
        self.walk = self.town.activity(capacity=1, title="Wandelclub", interests=("wandelen",))
        # Five residents wait for the full cooking club: two with high need.
        self.waiting = [self.town.resident() for _ in range(5)]
        for resident, need in zip(self.waiting, (3, 1, 3, 1, 2), strict=True):
            wait(self.full, resident, need=need, days_ago=30)
        # One place freed up in the last twelve weeks: 1/12 place a week.
        gone = self.town.resident()
        Registration.objects.create(activity=self.full, resident=gone, via=Registration.Via.PROFESSIONAL,
                                    status=Registration.Status.ENDED, ended_at=timezone.now() - timedelta(days=14))  # fmt: skip
        self.change = PlacesChange(interest="koken", interest_label="koken", wijk="WK034403", wijk_name="Overvecht",
                                   places=3)  # fmt: skip

    def _state(self) -> list[object]:
        return [*WaitingListEntry.objects.order_by("pk").values_list("pk", "status", "activity_id"),
                *Activity.objects.order_by("pk").values_list("pk", "capacity", "places_taken"),
                Registration.objects.count()]  # fmt: skip

    def test_three_more_places_place_three_more_residents_high_need_first_and_nothing_live_changes(self) -> None:
        before = self._state()
        results = whatif_results(self.change)
        self.assertEqual(self._state(), before)
        today, changed = results["today"], results["changed"]
        # Today: the cooking club is full and the walking club shares no interest: nobody is placed.
        self.assertEqual((today["waiting"], today["placed"], today["placed_high_need"]), (5, 0, 0))
        # Three more places: three placed, the two residents with high need among them (the engine weighs need).
        self.assertEqual((changed["placed"], changed["placed_high_need"], changed["waiting_high_need"]), (3, 2, 2))
        self.assertEqual((results["extra_placed"], changed["high_need_share"]), (3, 1.0))
        # Expected wait at 1/12 place a week: 5 still waiting → 60 weeks; 2 → 24 weeks.
        self.assertAlmostEqual(results["freed_per_week"], 1 / 12)
        self.assertAlmostEqual(today["expected_weeks"], 60.0)
        self.assertAlmostEqual(changed["expected_weeks"], 24.0)
        self.assertEqual((today["free_places"], changed["free_places"]), (1, 4))

    def test_fewer_places_and_changes_that_cannot_be_planned(self) -> None:
        self.assertEqual(spread(-3, [(1, 2, 0), (2, 1, 0)]), {1: -2, 2: -1})
        self.assertEqual(spread(5, [(1, 2, 0), (2, 1, 0)]), {1: 3, 2: 2})
        with self.assertRaises(WhatIfError):
            spread(-4, [(1, 2, 0), (2, 1, 0)])
        with self.assertRaises(WhatIfError):
            whatif_results(PlacesChange("koken", "koken", "WK034499", "Elders", 3))

    def test_the_officer_plans_saves_and_compares_scenarios_in_the_browser_forms(self) -> None:
        login(self.client, policy_officer())
        page = self.client.get(reverse("reports:whatif"))
        self.assertContains(page, 'value="koken"')
        response = self.client.post(reverse("reports:whatif"), {"interest": "koken", "wijk": "WK034403", "places": "3"})
        scenario = WhatIfScenario.objects.get()
        self.assertRedirects(response, reverse("reports:whatif_scenario", args=[scenario.pk]))
        self.assertEqual(scenario.results, whatif_results(self.change))
        shown = self.client.get(reverse("reports:whatif_scenario", args=[scenario.pk])).content.decode()
        self.assertIn('data-figure="placed-changed">3<', shown)
        self.assertIn('data-figure="extra">3<', shown)
        self.assertIn("in die twaalf weken kwam geen plaats vrij", shown)  # what a dash for the wait means
        self.client.post(reverse("reports:whatif"), {"interest": "koken", "wijk": "WK034403", "places": "-1",
                                                      "name": "Minder"})  # fmt: skip
        both = self.client.get(reverse("reports:whatif_compare"), {"s": [s.pk for s in WhatIfScenario.objects.all()]})
        self.assertContains(both, "Minder")
        self.assertContains(both, scenario.name)
        # Bad input: a clear message, nothing saved.
        for data, message in (({"interest": "koken", "wijk": "WK034403", "places": "0"}, "ander aantal dan 0"),
                              ({"interest": "koken", "wijk": "WK034403", "places": "veel"}, "Geef een heel aantal plaatsen"),
                              ({"interest": "wandelen", "wijk": "WK034499", "places": "2"}, "Kies er een uit de lijst.")):  # fmt: skip
            bad = self.client.post(reverse("reports:whatif"), data)
            self.assertContains(bad, message, status_code=400)  # the officer's page is in Dutch
        self.assertEqual(WhatIfScenario.objects.count(), 2)
        self.assertRedirects(self.client.get(reverse("reports:whatif_compare")), reverse("reports:whatif"))
