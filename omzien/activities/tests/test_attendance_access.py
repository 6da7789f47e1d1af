# SPDX-License-Identifier: EUPL-1.2
"""Issue 15: writes about a resident follow the read rule (withdrawn consent); attendance dates stay within
the activity's life."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from omzien.activities import services
from omzien.activities.models import Attendance
from omzien.activities.tests.factories import Town
from omzien.audit import events
from omzien.audit.models import AccessLogEntry, Outcome
from omzien.lib.testing.world import login_verified
from omzien.residents.models import ConsentPurpose
from omzien.residents.services import consent_record

ACTOR = events.Actor(display="test", role="test")


class AttendanceAccessTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.staff = self.town.provider_user()
        self.activity = self.town.activity()
        self.people = [self.town.resident() for _ in range(2)]
        self.regs = [services.register(activity=self.activity, resident=p, acting_user=self.staff, actor=ACTOR,
                                       via="professional", consent_method="verbal").registration
                     for p in self.people]  # fmt: skip
        # The second resident withdraws consent to share with the provider.
        consent_record(actor=ACTOR, acting_user=self.staff, resident=self.people[1], purpose=ConsentPurpose.SHARING,
                       given=False, method="verbal", organisation=self.activity.organisation)  # fmt: skip

    def test_a_withdrawn_consent_stops_the_providers_writes_too(self) -> None:
        login_verified(self.client, self.staff)
        url = reverse("activities:attendance", args=[self.activity.public_id])
        day = timezone.localdate()
        page = self.client.get(url, {"datum": day.isoformat()})
        self.assertNotContains(page, self.people[1].first_name)  # the read rule, as before
        # Posting the hidden registration's id does not mark that resident present.
        self.client.post(url, {"datum": day.isoformat(), "present": [str(r.pk) for r in self.regs]})  # type: ignore[union-attr]
        written = dict(Attendance.objects.filter(session_date=day).values_list("registration_id", "present"))
        self.assertEqual(written, {self.regs[0].pk: True})  # type: ignore[union-attr]
        refused = AccessLogEntry.objects.filter(outcome=Outcome.DENIED, object_type="attendance")
        self.assertEqual([e.subject_resident_pseudo_id for e in refused], [self.people[1].pseudo_id])

    def test_a_session_outside_the_activitys_life_is_refused_by_the_service(self) -> None:
        for day in (date(1900, 1, 1), timezone.localdate() + timedelta(days=1),
                    timezone.localdate(self.activity.created_at) - timedelta(days=1)):  # fmt: skip
            with self.assertRaises(ValidationError):
                services.attendance_record(activity=self.activity, session_date=day, present_ids=set(),
                                           acting_user=self.staff, actor=ACTOR)  # fmt: skip
        login_verified(self.client, self.staff)
        url = reverse("activities:attendance", args=[self.activity.public_id])
        response = self.client.post(url, {"datum": "1900-01-01", "present": [str(self.regs[0].pk)]}, follow=True)  # type: ignore[union-attr]
        self.assertContains(response, "alleen worden vastgelegd")
        self.assertFalse(Attendance.objects.exists())
