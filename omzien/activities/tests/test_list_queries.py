# SPDX-License-Identifier: EUPL-1.2
"""The number of queries of a list does not grow with the rows it shows (issue #16).

Each page is requested with a few rows and again with many more; the query count must be the same.
A query per row (a lazy relation in a template, an update per person) makes the second count larger.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.models import Organisation, User
from omzien.activities.models import Activity, Registration
from omzien.activities.tests.factories import Town, wait
from omzien.lib.testing.world import login_verified
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose, Resident, ResidentLink


class ListQueryCountTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.provider = self.town.provider_user()
        self.activity = self.town.activity(capacity=200)
        self.full = self.town.activity(capacity=0, title="Vol")
        self.team = Organisation.objects.create(name="Buurtteam", kind=Organisation.Kind.NEIGHBOURHOOD_TEAM)
        self.professional = self._staff("neighbourhood_professional", self.team)
        self.coordinator = self._staff("coordinator", Organisation.objects.create(
            name="Humanitas", kind=Organisation.Kind.VOLUNTEER_ORGANISATION))  # fmt: skip

    def _staff(self, role: str, organisation: Organisation) -> User:
        user = User.objects.create_user(
            username=role, password="x-long-password-1", organisation=organisation
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    def _add(self, count: int) -> None:
        """``count`` more residents: registered (with consent to share) and waiting, a client of the team."""
        for _ in range(count):
            resident: Resident = self.town.resident()
            Registration.objects.create(
                activity=self.activity, resident=resident, status=Registration.Status.ACTIVE
            )
            self.activity.places_taken += 1
            for organisation, kind in ((self.town.provider, ResidentLink.Kind.REGISTRATION),
                                       (self.team, ResidentLink.Kind.CASE)):  # fmt: skip
                ResidentLink.objects.create(
                    resident=resident, kind=kind, organisation=organisation, source="test"
                )
            ConsentEvent.objects.create(resident=resident, purpose=ConsentPurpose.SHARING, given=True,
                                        organisation=self.town.provider, method=ConsentMethod.VERBAL,
                                        recorded_by=self.professional)  # fmt: skip
            wait(self.full, resident, days_ago=3)
        Activity.objects.filter(pk=self.activity.pk).update(places_taken=self.activity.places_taken)
        # Places freed at the activity they wait for, so the allocation round proposes one to each.
        Activity.objects.filter(pk=self.full.pk).update(capacity=100)

    def _queries(self, user: User, request: Callable[[], object]) -> int:
        self.client.logout()
        login_verified(self.client, user)
        request()  # warm: sessions, permissions and the policy store are read once
        with CaptureQueriesContext(connection) as captured:
            response = request()
        self.assertIn(getattr(response, "status_code", 0), (200, 302))
        return len(captured.captured_queries)

    def _pages(self) -> dict[str, tuple[User, Callable[[], object]]]:
        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        attendance = reverse("activities:attendance", args=[self.activity.public_id])
        present = [str(pk) for pk in self.activity.registrations.values_list("pk", flat=True)]
        return {
            "provider's residents": (self.provider, lambda: self.client.get(reverse("residents:list"))),
            "professional's clients": (self.professional, lambda: self.client.get(reverse("residents:list"))),
            "participants": (self.provider, lambda: self.client.get(
                reverse("activities:participants", args=[self.activity.public_id]))),
            "waiting list": (self.provider, lambda: self.client.get(
                reverse("activities:participants", args=[self.full.public_id]))),
            "attendance": (self.provider, lambda: self.client.get(attendance)),
            "attendance saved": (self.provider, lambda: self.client.post(
                attendance, {"datum": yesterday, "present": present})),
            "allocation round": (self.coordinator, lambda: self.client.get(reverse("activities:allocation"))),
            "registering a client": (self.professional, lambda: self.client.get(
                reverse("activities:register_on_behalf", args=[self.activity.public_id]))),
            "allocation round sent": (self.coordinator, lambda: self._undone(
                lambda: self.client.post(reverse("activities:allocation")))),
        }  # fmt: skip

    def _undone(self, request: Callable[[], object]) -> object:
        """Send, then roll it back: the warm-up and the counted send each offer every place afresh."""
        with transaction.atomic():
            response = request()
            transaction.set_rollback(True)
        return response

    def test_no_list_makes_a_query_per_row(self) -> None:
        self._add(3)
        few = {name: self._queries(user, request) for name, (user, request) in self._pages().items()}
        self._add(12)
        many = {name: self._queries(user, request) for name, (user, request) in self._pages().items()}
        self.assertEqual(many, few)

    def test_the_rows_are_there(self) -> None:
        # Guards the test above: with 15 residents every list shows them all (a list that showed
        # nobody would make no queries per row either).
        self._add(15)
        login_verified(self.client, self.provider)
        page = self.client.get(reverse("activities:participants", args=[self.activity.public_id]))
        self.assertEqual(len(page.context["registrations"]), 15)
        self.assertEqual(self.client.get(reverse("residents:list")).context["page"].paginator.count, 15)
        login_verified(self.client, self.professional)
        self.assertEqual(self.client.get(reverse("residents:list")).context["page"].paginator.count, 15)
        login_verified(self.client, self.coordinator)
        self.assertEqual(len(self.client.get(reverse("activities:allocation")).context["shown"]), 15)
        login_verified(self.client, self.professional)
        on_behalf = self.client.get(reverse("activities:register_on_behalf", args=[self.activity.public_id]))
        choices = on_behalf.context["form"].fields["resident"].choices
        self.assertEqual(len(choices), 1 + 15)  # "—" and the clients
