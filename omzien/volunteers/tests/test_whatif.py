# SPDX-License-Identifier: EUPL-1.2
"""The council's what-if "M more volunteers" (issue #23): the real engine on today's open requests,
with copies of the organisation's volunteers added, counts only, and nothing written."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from omzien.volunteers import selectors, services
from omzien.volunteers.models import MatchRequest, Pair, Proposal, Volunteer
from omzien.volunteers.selectors.whatif import WhatIfKindError, _spread
from omzien.volunteers.tests.test_pairs import PairsTestCase

WIJK = "WK034403"  # the test world's Overvecht: both buurten lie in it


class WhatIfMoreVolunteersTests(PairsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.buurt = self.resident.neighbourhood
        # One volunteer living in the wijk, one place; a Dutch-speaking visitor.
        self.nina = self.volunteer("Nina", neighbourhood=self.buurt)
        # Three Dutch requests (one urgent), one that only speaks Arabic: copies of Nina never suit it.
        self.requests = [self.request("visit", need=3), self.request("visit"), self.request("visit")]
        self.arabic = self.request("visit")
        MatchRequest.objects.filter(pk=self.arabic.pk).update(languages=["ar"])

    def test_more_volunteers_match_more_residents_and_copies_keep_the_profile(self) -> None:
        today = selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=0)
        self.assertEqual(
            (today["open_requests"], today["matched_now"], today["matched_with_extra"]), (4, 1, 1)
        )
        self.assertEqual(today["still_waiting_now"], 3)
        # The engine gives Nina's one place to the urgent request.
        self.assertEqual((today["high_need_requests"], today["high_need_matched_now"]), (1, 1))
        self.assertEqual(today["high_need_share_now"], 1.0)
        more = selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=5)
        self.assertEqual((more["matched_now"], more["matched_with_extra"]), (1, 3))
        # Copies of a Dutch-speaking volunteer: the Arabic-speaking resident still waits.
        self.assertEqual(more["still_waiting_with_extra"], 1)
        self.assertEqual(more["extra_matched"], 2)
        self.assertEqual((more["volunteers_now"], more["volunteers_added"], more["places_added"]), (1, 5, 5))
        self.assertEqual(more["profile"], ["district"])
        self.assertEqual(more["organisations"][0]["organisation_id"], self.humanitas.pk)

    def test_an_arabic_speaking_volunteer_in_the_wijk_shapes_the_copies(self) -> None:
        self.volunteer("Amal", neighbourhood=self.buurt)
        Volunteer.objects.filter(first_name="Amal").update(languages=["ar"])
        # Both volunteers are free; one request each would be matched, the copies now sometimes speak Arabic.
        results = [
            selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=6, seed=s)
            for s in range(4)
        ]
        self.assertTrue(all(r["matched_now"] == 2 for r in results))
        self.assertTrue(any(r["still_waiting_with_extra"] == 0 for r in results))

    def test_the_same_seed_gives_the_same_answer(self) -> None:
        first = selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=3, seed=7)
        second = selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=3, seed=7)
        self.assertEqual(first, second)

    def test_nothing_in_the_live_data_changes(self) -> None:
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        before = (Volunteer.objects.count(), MatchRequest.objects.count(), Proposal.objects.count(), Pair.objects.count(),
                  list(Proposal.objects.values_list("pk", "status", "volunteer_id")))  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=4)
            selectors.whatif_more_volunteers(kind="visit", district_code=None, extra=-1)
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        ]
        self.assertEqual(writes, [])
        after = (Volunteer.objects.count(), MatchRequest.objects.count(), Proposal.objects.count(), Pair.objects.count(),
                 list(Proposal.objects.values_list("pk", "status", "volunteer_id")))  # fmt: skip
        self.assertEqual(before, after)

    def test_fewer_volunteers_and_other_wijken(self) -> None:
        fewer = selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=-1)
        self.assertEqual(
            (fewer["matched_now"], fewer["matched_with_extra"], fewer["volunteers_added"]), (1, 0, -1)
        )
        self.assertEqual(fewer["high_need_share_with_extra"], 0.0)
        elsewhere = selectors.whatif_more_volunteers(kind="visit", district_code="WK034499", extra=10)
        self.assertEqual((elsewhere["open_requests"], elsewhere["matched_with_extra"]), (0, 0))
        self.assertIsNone(elsewhere["high_need_share_now"])
        # Another kind: nobody asked for a buddy.
        self.assertEqual(
            selectors.whatif_more_volunteers(kind="buddy", district_code=WIJK, extra=3)["open_requests"], 0
        )

    def test_kinds_by_casework_route_and_bad_kinds(self) -> None:
        by_route = selectors.whatif_more_volunteers(kind="visiting_service", district_code=WIJK, extra=1)
        self.assertEqual((by_route["kind"], by_route["open_requests"]), ("visit", 4))
        with self.assertRaises(WhatIfKindError):
            selectors.whatif_more_volunteers(kind="gardening", district_code=WIJK, extra=1)

    def test_without_volunteers_of_its_own_an_organisation_gets_plain_copies(self) -> None:
        Volunteer.objects.filter(pk=self.nina.pk).update(work_kinds=["buddy"])
        result = selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=2)
        self.assertEqual(
            (result["volunteers_now"], result["matched_now"], result["matched_with_extra"]), (0, 0, 2)
        )
        self.assertEqual(result["profile"], ["plain"])

    def test_places_freed_give_an_expected_wait(self) -> None:
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        proposal = Proposal.objects.get(request=self.requests[0], status=Proposal.Status.PROPOSED)
        pair = services.proposal_accept(proposal=proposal, acting_user=self.coordinator)
        services.pair_answer(pair=pair, who="volunteer", answer="no", acting_user=self.coordinator)
        result = selectors.whatif_more_volunteers(kind="visit", district_code=WIJK, extra=0)
        self.assertAlmostEqual(result["freed_per_week"], 1 / 12)
        self.assertAlmostEqual(result["expected_weeks_now"], result["still_waiting_now"] * 12)


def test_extra_volunteers_are_spread_in_proportion_to_the_requests() -> None:
    # 7.5 and 2.5: the remainders tie, the organisation with more requests gets the odd one.
    assert _spread(10, {1: 30, 2: 10, 3: 0}) == {1: 8, 2: 2, 3: 0}
    assert _spread(1, {4: 5, 2: 5}) == {2: 1, 4: 0}
    assert sum(_spread(7, {1: 3, 2: 3, 3: 3}).values()) == 7
    assert _spread(-3, {1: 3}) == {1: 0}
