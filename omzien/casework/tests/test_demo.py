# SPDX-License-Identifier: EUPL-1.2
"""The demo city's casework: three months of signals from every source, at every triage outcome."""

from __future__ import annotations

from django.test import TestCase

import pytest

from omzien.casework.models import Case, FollowUp, Outcome, PhoneCall, Referral, Signal, Source, Stage, Status
from omzien.casework.selectors import outcome_records
from omzien.core.demo_city import demo_city_seed


@pytest.mark.whole_city
class DemoTests(TestCase):
    def test_the_demo_holds_every_source_and_every_outcome_over_three_months(self) -> None:
        demo_city_seed(residents=1000)
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
        # A year of cases: every stage, referrals answered both ways, follow-ups also of waiting residents.
        stages = set(Case.objects.values_list("stage", flat=True))
        self.assertLessEqual({Stage.INTAKE, Stage.FOLLOW_UP, Stage.CLOSED}, stages)
        self.assertTrue(stages & {Stage.ADVICE, Stage.REFERRED})
        statuses = set(Referral.objects.values_list("status", flat=True))
        # Answered both ways, started and ended. Whether one is still unanswered ("sent") at this small city
        # depends on the last month's draw: the volunteer centre's demo answers person routes after casework's.
        self.assertLessEqual({"accepted", "declined", "started", "ended"}, statuses)
        self.assertGreaterEqual(len(set(Referral.objects.values_list("route", flat=True))), 8)
        self.assertTrue(FollowUp.objects.filter(months=12, status="done").exists())
        self.assertTrue(outcome_records())
        # Not checked here (issue #19 stays open on it): since the volunteer centre's demo answers casework's
        # person-route referrals, a small demo city may hold no follow-up of a resident still waiting.
