# SPDX-License-Identifier: EUPL-1.2
"""The council's pair durability is the volunteers room's own (pair_durability, survival_at), small curves hidden."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from omzien.reports.council import PAIR_MOMENTS, pairs_figures
from omzien.volunteers import selectors
from omzien.volunteers.models import Pair
from omzien.volunteers.tests.test_pairs import PairsTestCase


class CouncilPairsTests(PairsTestCase):
    def test_the_figures_are_the_volunteers_rooms_curve_read_at_3_6_and_12_months(self) -> None:
        today = timezone.localdate()
        vera = self.volunteer("Vera", max_pairs=20)
        # Twelve pairs: ended after 30, 60, … days, or still running after 400 days (censored).
        for index in range(12):
            days, ended = (30 * (index + 1), True) if index < 8 else (400, False)
            start = today - timedelta(days=days + (5 if ended else 0))
            Pair.objects.create(request=self.request(), volunteer=vera, organisation=self.humanitas, kind="visit",
                                stage=Pair.Stage.ENDED if ended else Pair.Stage.ACTIVE,
                                asked_at=timezone.now() - timedelta(days=500), started_on=start,
                                ended_on=start + timedelta(days=days) if ended else None,
                                end_reason="mismatch" if ended else "")  # fmt: skip
        [curve] = selectors.pair_durability()
        [row] = pairs_figures(min_cell=10)
        self.assertEqual(row["n"], 12)
        for moment, (months, day) in zip(row["moments"], PAIR_MOMENTS, strict=True):
            expected = selectors.survival_at(curve, day)
            assert expected is not None
            self.assertEqual((moment["months"], moment["survival"], moment["lower"], moment["upper"]),
                             (months, *expected))  # fmt: skip
        # By hand: 8 of 12 ended by 240 days, none after: S(365) = 4/12.
        self.assertAlmostEqual(row["moments"][2]["survival"], 4 / 12)
        # A curve over fewer pairs than the smallest group shown carries no figure.
        [hidden] = pairs_figures(min_cell=13)
        self.assertEqual((hidden["n"], hidden["moments"], hidden["first_meeting_days"]), (None, [], None))
