# SPDX-License-Identifier: EUPL-1.2
"""The allocation round run twice, suggestions told as such, and the coordinator's choice of proposals."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.models import Organisation, User
from omzien.activities import allocation, services
from omzien.activities.models import Registration, WaitingListEntry
from omzien.activities.tests.factories import Town, wait
from omzien.residents.models import ConsentEvent, ResidentLink

ACTOR = services.SYSTEM


class SecondRoundTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.staff = self.town.provider_user()
        self.full = self.town.activity(capacity=0, title="Vol", interests=("koken",))
        self.also_full = self.town.activity(capacity=0, title="Ook vol", interests=("koken",))
        self.free = self.town.activity(capacity=3, title="Kookclub", interests=("koken",))

    def test_a_second_round_sends_nothing_twice_and_does_not_fail(self) -> None:
        first = self.town.resident(email="a@example.org")
        wait(self.full, first, need=3)
        wait(self.also_full, first, need=3)
        _plan, sent = services.allocation_apply(actor=ACTOR, acting_user=self.staff)
        self.assertEqual(sent, 1)
        # The first resident holds a suggestion now, so the second round leaves them out.
        plan = allocation.allocation_plan()
        self.assertNotIn(first.pk, [p.resident_id for p in plan.proposals])
        _plan, sent_again = services.allocation_apply(actor=ACTOR, acting_user=self.staff)
        self.assertEqual(sent_again, 0)
        self.assertEqual(WaitingListEntry.objects.filter(resident=first, activity=self.free).count(), 1)

    def test_a_place_elsewhere_is_a_suggestion_and_the_mail_says_so(self) -> None:
        resident = self.town.resident(email="b@example.org")
        wait(self.full, resident, need=2)
        with self.captureOnCommitCallbacks(execute=True):
            services.allocation_apply(actor=ACTOR, acting_user=self.staff)
        entry = WaitingListEntry.objects.get(resident=resident, activity=self.free)
        self.assertEqual((entry.status, entry.suggested), ("offered", True))
        self.assertEqual(WaitingListEntry.objects.get(resident=resident, activity=self.full).status, "waiting")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("suggest", mail.outbox[0].subject.lower())
        self.assertNotIn("has become free", mail.outbox[0].body)

    def test_a_place_they_wait_for_is_an_offer(self) -> None:
        resident = self.town.resident()
        waiting = wait(self.free, resident, need=2)
        self.town.activity(capacity=0, title="Nog een", interests=("koken",))
        # A place is free but the resident waits (the factory adds entries directly): the round offers it.
        services.allocation_apply(actor=ACTOR, acting_user=self.staff)
        waiting.refresh_from_db()
        self.assertEqual((waiting.status, waiting.suggested), ("offered", False))

    def test_nobody_is_proposed_an_activity_they_are_registered_for(self) -> None:
        resident = self.town.resident()
        Registration.objects.create(activity=self.free, resident=resident, via=Registration.Via.PROFESSIONAL)
        wait(self.full, resident, need=3)
        plan = allocation.allocation_plan()
        self.assertNotIn((resident.pk, self.free.pk), [(p.resident_id, p.activity.pk) for p in plan.proposals])

    def test_only_the_ticked_proposals_go_out(self) -> None:
        kept = self.town.resident()
        left_out = self.town.resident()
        wait(self.full, kept, need=3)
        wait(self.full, left_out, need=3)
        plan = allocation.allocation_plan()
        self.assertEqual(len(plan.proposals), 2)
        key = next(p.key for p in plan.proposals if p.resident_id == kept.pk)
        _plan, sent = services.allocation_apply(actor=ACTOR, acting_user=self.staff, chosen={key})
        self.assertEqual(sent, 1)
        self.assertTrue(WaitingListEntry.objects.filter(resident=kept, status="offered").exists())
        self.assertFalse(WaitingListEntry.objects.filter(resident=left_out, status="offered").exists())


class RoundPageTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.coordinator_org = Organisation.objects.create(
            name="Vrijwilligers", kind=Organisation.Kind.VOLUNTEER_ORGANISATION
        )
        self.coordinator = User.objects.create_user(username="coord", password="x-long-password-1",
                                                    organisation=self.coordinator_org)  # fmt: skip
        self.coordinator.groups.add(Group.objects.get(name="coordinator"))
        self.full = self.town.activity(capacity=0, title="Vol", interests=("koken",))
        self.town.activity(capacity=5, title="Kookclub", interests=("koken",))

    def test_names_only_of_residents_the_coordinator_may_see_and_a_second_send_is_fine(self) -> None:
        from omzien.lib.testing.world import login_verified

        known = self.town.resident()
        unknown = self.town.resident()
        ResidentLink.objects.create(
            resident=known, organisation=self.coordinator_org, kind=ResidentLink.Kind.REQUEST
        )
        wait(self.full, known, need=3, days_ago=5)
        wait(self.full, unknown, need=2)
        login_verified(self.client, self.coordinator)
        page = self.client.get(reverse("activities:allocation"))
        self.assertContains(page, known.full_name)
        self.assertNotContains(page, unknown.full_name)
        self.assertContains(page, "suggestie")
        keys = [p.key for p in page.context["shown"]]
        self.assertEqual(len(keys), 2)
        response = self.client.post(reverse("activities:allocation"), {"proposal": keys[:1]})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(WaitingListEntry.objects.filter(status="offered").count(), 1)
        # Sending again (the page proposes the one left out) works, and then nothing remains.
        rest = [p.key for p in self.client.get(reverse("activities:allocation")).context["shown"]]
        again = self.client.post(reverse("activities:allocation"), {"proposal": rest})
        self.assertEqual(again.status_code, 302)
        self.assertEqual(WaitingListEntry.objects.filter(status="offered").count(), 2)
        self.assertEqual(self.client.post(reverse("activities:allocation"), {}).status_code, 302)
        self.assertFalse(ConsentEvent.objects.exists())
