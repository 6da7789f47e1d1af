# SPDX-License-Identifier: EUPL-1.2
"""What-if "M more volunteers for a person route in a wijk": the volunteers room's engine run on today's open
requests through the policy officer's page, saved as a scenario, compared with a places scenario, nothing
live changed, bad input refused with a clear message."""

from __future__ import annotations

from django.urls import reverse

from omzien.reports.models import WhatIfScenario
from omzien.reports.tests.helpers import login, policy_officer
from omzien.reports.whatif import VolunteersChange, whatif_volunteers_results
from omzien.volunteers.models import MatchRequest, Pair, Proposal, Volunteer
from omzien.volunteers.selectors import whatif_more_volunteers
from omzien.volunteers.tests.test_pairs import PairsTestCase

WIJK = "WK034403"  # the test world's Overvecht


class VolunteersWhatIfTests(PairsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.volunteer("Nina", neighbourhood=self.resident.neighbourhood)
        for need in (3, 1, 1):
            self.request("visit", need=need)
        self.officer = policy_officer()
        login(self.client, self.officer)
        WhatIfScenario.objects.all().delete()  # the test world's own scenario is not part of these stories

    def live(self) -> tuple[object, ...]:
        return (Volunteer.objects.count(), MatchRequest.objects.count(), Proposal.objects.count(), Pair.objects.count(),
                list(MatchRequest.objects.order_by("pk").values_list("pk", "status")))  # fmt: skip

    def test_five_more_visitors_in_the_wijk_are_planned_saved_and_shown_next_to_today(self) -> None:
        before = self.live()
        page = self.client.get(reverse("reports:whatif"))
        self.assertContains(page, 'data-testid="whatif-volunteers"')
        self.assertContains(page, 'value="visiting_service"')
        response = self.client.post(reverse("reports:whatif"), {"plan": "volunteers", "route": "visiting_service",
                                                                "district": WIJK, "volunteers": "5"})  # fmt: skip
        scenario = WhatIfScenario.objects.get()
        self.assertRedirects(response, reverse("reports:whatif_scenario", args=[scenario.pk]))
        engine = whatif_more_volunteers(kind="visiting_service", district_code=WIJK, extra=5, seed=0)
        results = scenario.results
        self.assertEqual((results["today"]["waiting"], results["today"]["placed"], results["changed"]["placed"]),
                         (engine["open_requests"], engine["matched_now"], engine["matched_with_extra"]))  # fmt: skip
        self.assertEqual((results["today"]["waiting"], results["today"]["placed"], results["changed"]["placed"]), (3, 1, 3))
        self.assertEqual(results["extra_placed"], 2)
        self.assertEqual((results["volunteers_now"], results["volunteers_added"]), (1, 5))
        self.assertEqual(scenario.parameters["kind"], "volunteers")
        self.assertEqual(self.live(), before)  # nothing in the live data changed
        shown = self.client.get(response["Location"]).content.decode()
        self.assertIn('data-figure="placed-changed">3<', shown)
        self.assertIn('data-figure="extra">2<', shown)
        self.assertIn('data-figure="volunteers-changed">6<', shown)
        self.assertIn("Bezoekdienst", shown)

    def test_a_volunteers_scenario_compares_with_a_places_scenario(self) -> None:
        self.client.post(reverse("reports:whatif"), {"plan": "volunteers", "route": "visiting_service", "district": "",
                                                     "volunteers": "2", "label": "Twee bezoekers"})  # fmt: skip
        saved = list(WhatIfScenario.objects.values_list("pk", "name"))
        self.assertEqual([name for _pk, name in saved], ["Twee bezoekers"])
        change = VolunteersChange("visiting_service", "Bezoekdienst", "", "de hele stad", 2)
        self.assertEqual(WhatIfScenario.objects.get().results["changed"], whatif_volunteers_results(change)["changed"])
        both = self.client.get(reverse("reports:whatif_compare"), {"s": [pk for pk, _name in saved]})
        self.assertContains(both, "Twee bezoekers")

    def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(self) -> None:
        url = reverse("reports:whatif")
        zero = self.client.post(url, {"plan": "volunteers", "route": "visiting_service", "district": WIJK, "volunteers": "0"})
        self.assertContains(zero, "Geef een aantal vrijwilligers anders dan 0", status_code=400)
        words = self.client.post(url, {"plan": "volunteers", "route": "visiting_service", "district": WIJK, "volunteers": "veel"})
        self.assertEqual(words.status_code, 400)
        unknown = self.client.post(url, {"plan": "volunteers", "route": "day_activity", "district": WIJK, "volunteers": "3"})
        self.assertEqual(unknown.status_code, 400)
        nobody = self.client.post(url, {"plan": "volunteers", "route": "buddy", "district": WIJK, "volunteers": "3"})
        self.assertContains(nobody, "Niemand wacht daar vandaag op een vrijwilliger", status_code=400)
        # Too many, too few, words or nothing: the plan's own Dutch words, not Django's general ones.
        for value, message in (
            ("501", "Kies een aantal vrijwilligers van -500 tot en met 500."),
            ("-501", "Kies een aantal vrijwilligers van -500 tot en met 500."),
            ("veel", "Geef een heel aantal vrijwilligers, bijvoorbeeld 5, of -3."),
            ("", "Geef het aantal vrijwilligers meer (of minder, met een minteken)."),
        ):
            with self.subTest(volunteers=value):
                refused = self.client.post(url, {"plan": "volunteers", "route": "visiting_service", "district": WIJK,
                                                 "volunteers": value})  # fmt: skip
                self.assertContains(refused, message, status_code=400)
        for value, message in (
            ("1001", "Kies een aantal plaatsen van -1000 tot en met 1000."),
            ("-1001", "Kies een aantal plaatsen van -1000 tot en met 1000."),
            ("2.5", "Geef een heel aantal plaatsen, bijvoorbeeld 20, of -10."),
            ("", "Geef het aantal plaatsen meer (of minder, met een minteken)."),
        ):
            with self.subTest(places=value):
                refused = self.client.post(url, {"plan": "places", "wijk": WIJK, "places": value})
                self.assertContains(refused, message, status_code=400)
        self.assertFalse(WhatIfScenario.objects.exists())
