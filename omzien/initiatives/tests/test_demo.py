# SPDX-License-Identifier: EUPL-1.2
"""The demo city's initiatives: a broker per wijk, sixty initiatives in every stage, twenty centres with a
month of bookings, some initiatives in the sociale kaart and the volunteer room."""

from __future__ import annotations

import random

from django.test import TestCase
from django.utils import timezone

from faker import Faker

from omzien.accounts.demo import demo_accounts_seed
from omzien.activities.models import Activity
from omzien.geo.models import District
from omzien.geo.services import demo_geography_load
from omzien.initiatives.demo import initiatives_demo_seed
from omzien.initiatives.models import Booking, BrokerArea, Centre, Initiative, KeyFigure, Status, VisitorCount
from omzien.lib.rooms import DemoContext


class DemoTests(TestCase):
    def test_the_demo_holds_every_stage_centres_with_a_month_of_bookings_and_a_broker_per_wijk(self) -> None:
        # The rooms it builds on (places, organisations and demo accounts), not the whole city: the seed's
        # full run is timed by `omzien seed_demo` and walked by the browser tests.
        demo_geography_load()
        ctx = DemoContext(seed=344, rng=random.Random(344), fake=Faker("nl_NL"), now=timezone.now())  # noqa: S311
        demo_accounts_seed(ctx)
        initiatives_demo_seed(ctx)
        self.assertEqual(set(BrokerArea.objects.values_list("district_id", flat=True)),
                         set(District.objects.values_list("pk", flat=True)))  # fmt: skip
        self.assertEqual(set(Initiative.objects.values_list("status", flat=True)), set(Status.values))
        self.assertTrue(55 <= Initiative.objects.count() <= 65)
        self.assertEqual(Centre.objects.count(), 20)
        first = Booking.objects.earliest("starts_at").starts_at
        last = Booking.objects.latest("starts_at").starts_at
        self.assertGreaterEqual((last - first).days, 25)
        self.assertTrue(Booking.objects.filter(starts_at__gt=timezone.now()).exists())
        published = Initiative.objects.filter(activity__isnull=False)
        self.assertGreaterEqual(published.count(), 5)
        self.assertTrue(Activity.objects.filter(pk__in=published.values("activity"), schedules__isnull=False).exists())
        self.assertTrue(Initiative.objects.filter(vacancy__is_published=True).exists())
        self.assertTrue(Initiative.objects.filter(settled_amount__isnull=False).exists())
        self.assertGreater(VisitorCount.objects.count(), 500)
        self.assertEqual(KeyFigure.objects.count(), 5 * District.objects.count())
