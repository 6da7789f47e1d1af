# SPDX-License-Identifier: EUPL-1.2
"""The demo city's casework: three months of signals from every source, at every triage outcome, and
eighteen months of cases whose outcomes the council's page shows per route next to residents still waiting."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

import pytest

from omzien.casework.models import Case, FollowUp, Outcome, PhoneCall, Referral, Signal, Source, Stage, Status
from omzien.casework.selectors import outcome_records
from omzien.core.demo_city import demo_city_seed
from omzien.lib.testing.demo import DemoCityTestCase


def waiting_residents_followed_up() -> int:
    """Measured follow-ups of residents who were still waiting for a route at that moment."""
    return FollowUp.objects.filter(basis=FollowUp.Basis.WAITING, status=FollowUp.Status.DONE).count()


@pytest.mark.whole_city
class DemoTests(DemoCityTestCase):
    demo_residents = 8000  # the demo city scripts/demo loads

    def test_the_demo_holds_every_source_every_outcome_and_the_council_sees_outcomes_per_route(self) -> None:
        from omzien.reports.council import outcomes_figures, presentation

        sources = set(Signal.objects.values_list("source", flat=True))
        self.assertEqual(sources, set(Source.values))
        outcomes = set(Signal.objects.exclude(outcome="").values_list("outcome", flat=True))
        self.assertEqual(outcomes, set(Outcome.values))
        self.assertTrue(Signal.objects.filter(status=Status.NEW).exists())
        self.assertTrue(Signal.objects.filter(status=Status.ASSIGNED).exists())
        first = Signal.objects.earliest("received_at").received_at
        last = Signal.objects.latest("received_at").received_at
        self.assertGreater((last - first).days, 80)
        self.assertGreater(PhoneCall.objects.filter(signal__isnull=True).count(), 100)
        # Cases at every stage, referrals answered both ways, follow-ups also of residents still waiting.
        stages = set(Case.objects.values_list("stage", flat=True))
        self.assertLessEqual({Stage.INTAKE, Stage.FOLLOW_UP, Stage.CLOSED}, stages)
        self.assertTrue(stages & {Stage.ADVICE, Stage.REFERRED})
        statuses = set(Referral.objects.values_list("status", flat=True))
        self.assertLessEqual({"sent", "accepted", "declined", "started", "ended"}, statuses)
        self.assertGreaterEqual(len(set(Referral.objects.values_list("route", flat=True))), 8)
        self.assertTrue(FollowUp.objects.filter(months=12, status="done").exists())
        self.assertGreater(waiting_residents_followed_up(), 20)
        still_waiting = Case.objects.filter(referrals__isnull=False).exclude(referrals__started_at__isnull=False)
        self.assertTrue(FollowUp.objects.filter(case__in=still_waiting, status=FollowUp.Status.DONE).exists())

        # The council's outcome tables (the same function as /raad/ and the report): not empty, with intervals
        # per route at every moment, and the comparison with residents still waiting.
        figures = outcomes_figures(outcome_records(), min_cell=10)
        for months in (3, 6, 12):
            shown = [c for c in figures["cells"] if c["months"] == months and not c["suppressed"]]
            self.assertTrue(shown, f"no route's outcome is shown at {months} months")
            for cell in shown:
                self.assertLessEqual(cell["mean_change"]["low"], cell["mean_change"]["high"])
                self.assertIsNotNone(cell["no_longer_lonely"])
            waiting = next(c for c in figures["waiting"] if c["months"] == months)
            self.assertFalse(waiting["suppressed"], f"the waiting residents are hidden at {months} months")
            self.assertTrue(all(c["vs_waiting_change"] for c in shown))
        self.assertGreaterEqual(len({c["route"] for c in figures["cells"] if not c["suppressed"]}), 4)
        # The generating model's effects show: every shown route improves more than waiting does at 6 months.
        at_6 = [c for c in figures["cells"] if c["months"] == 6 and not c["suppressed"]]
        self.assertTrue(all(c["vs_waiting_change"]["estimate"] < 0 for c in at_6))
        page = presentation({"outcomes": figures, "edition": {"wijken": []}})
        self.assertTrue(all(moment["chart"] for moment in page["outcome_moments"]))
        self.assertTrue(all(moment["waiting"] for moment in page["outcome_moments"]))
        self.assertLess(Case.objects.filter(opened_at__lt=timezone.now()).count(), 800)  # a demo, not a city


@pytest.mark.whole_city
class SmallDemoTests(TestCase):
    def test_a_small_demo_city_holds_follow_ups_of_residents_still_waiting(self) -> None:
        # The size the browser tests seed: the waiting comparison has data there too.
        demo_city_seed(residents=150)
        self.assertGreaterEqual(waiting_residents_followed_up(), 2)
        self.assertTrue(any(record.waiting and any(record.followups.values()) for record in outcome_records()))
