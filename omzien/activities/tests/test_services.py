# SPDX-License-Identifier: EUPL-1.2
"""Capacity, waiting lists by rank, offers that expire and pass on, the allocation round, attendance."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase
from django.utils import timezone

import pytest

from omzien.activities import allocation, services
from omzien.activities.models import Activity, Attendance, Registration, WaitingListEntry
from omzien.activities.tests.factories import Town, wait
from omzien.audit.models import AccessLogEntry
from omzien.lib.tick import periodic_jobs
from omzien.residents.models import ConsentEvent, ResidentLink

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): places are taken under row locks, which SQLite replaces by locking the whole database.
pytestmark = pytest.mark.both_databases

ACTOR = services.SYSTEM


class RegistrationTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.user = self.town.provider_user()

    def register(self, activity: Activity, resident) -> services.Outcome:  # type: ignore[no-untyped-def]
        return services.register(activity=activity, resident=resident, acting_user=self.user, actor=ACTOR,
                                 via=Registration.Via.PROFESSIONAL, consent_method="verbal")  # fmt: skip

    def test_registrations_fill_the_places_then_the_waiting_list_takes_over(self) -> None:
        activity = self.town.activity(capacity=2)
        outcomes = [self.register(activity, self.town.resident()) for _ in range(4)]
        self.assertEqual([o.registration is not None for o in outcomes], [True, True, False, False])
        self.assertEqual([o.waiting is not None for o in outcomes], [False, False, True, True])
        activity.refresh_from_db()
        self.assertEqual(activity.places_taken, 2)
        self.assertEqual(activity.registrations.filter(status="active").count(), 2)

    def test_registering_records_consent_opens_the_provider_link_and_logs(self) -> None:
        activity = self.town.activity()
        resident = self.town.resident()
        self.register(activity, resident)
        consent = ConsentEvent.objects.get(resident=resident, purpose="sharing")
        self.assertEqual(consent.organisation, self.town.provider)
        self.assertTrue(
            ResidentLink.objects.filter(resident=resident, kind="registration", ended_at=None).exists()
        )
        entry = AccessLogEntry.objects.get(subject_resident_pseudo_id=resident.pseudo_id, action="create")
        self.assertEqual(entry.legal_basis_or_consent_id, f"consent:{consent.pk}")

    def test_the_same_resident_cannot_register_twice(self) -> None:
        activity = self.town.activity()
        resident = self.town.resident()
        self.register(activity, resident)
        with self.assertRaises(services.RegistrationError):
            self.register(activity, resident)
        activity.refresh_from_db()
        self.assertEqual(activity.places_taken, 1)

    def test_the_database_refuses_an_overbooking_even_past_the_services(self) -> None:
        from django.db import IntegrityError, transaction

        activity = self.town.activity(capacity=1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Activity.objects.filter(pk=activity.pk).update(places_taken=2)

    def test_ending_the_last_registration_ends_the_providers_access(self) -> None:
        activity = self.town.activity()
        resident = self.town.resident()
        registration = self.register(activity, resident).registration
        assert registration is not None
        services.registration_end(registration=registration, actor=ACTOR)
        self.assertFalse(
            ResidentLink.objects.filter(resident=resident, kind="registration", ended_at=None).exists()
        )
        activity.refresh_from_db()
        self.assertEqual(activity.places_taken, 0)


class WaitingListTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.staff = self.town.provider_user()
        self.activity = self.town.activity(capacity=1)
        self.first = self.town.resident()
        registration = services.register(activity=self.activity, resident=self.first, acting_user=self.staff, actor=ACTOR,
                                         via=Registration.Via.SELF)  # fmt: skip
        self.registration = registration.registration

    def test_a_freed_place_goes_to_the_highest_ranked_not_the_earliest(self) -> None:
        early_low_need = wait(self.activity, self.town.resident(), need=1, days_ago=30)
        late_high_need = wait(self.activity, self.town.resident(email="hoog@example.nl"), need=3, days_ago=2)
        ranking = allocation.waiting_ranking(self.activity)
        self.assertEqual([item.entry for item in ranking], [late_high_need, early_low_need])
        for item in ranking:  # the explanation adds up to the score
            self.assertAlmostEqual(sum(item.parts.values()), item.weight, places=9)
        assert self.registration is not None
        with self.captureOnCommitCallbacks(execute=True):
            services.registration_end(registration=self.registration, actor=ACTOR)
        late_high_need.refresh_from_db()
        early_low_need.refresh_from_db()
        self.assertEqual(late_high_need.status, WaitingListEntry.Status.OFFERED)
        self.assertEqual(early_low_need.status, WaitingListEntry.Status.WAITING)
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.places_taken, 1)  # held for the offer
        self.assertEqual(len(mail.outbox), 1)  # the immediate task backend sends at commit
        self.assertIn(self.activity.title, mail.outbox[0].subject)

    def test_a_resident_who_restricted_processing_or_objected_to_matching_is_not_ranked(self) -> None:
        # AVG art. 18 and 21 (rights room): their place on the list stays, but no place is offered.
        restricted = wait(self.activity, self.town.resident(), need=3, days_ago=9)
        objected = wait(self.activity, self.town.resident(), need=3, days_ago=8)
        other = wait(self.activity, self.town.resident(), need=1, days_ago=1)
        restricted.resident.restricted_since = timezone.now()
        restricted.resident.save(update_fields=["restricted_since"])
        objected.resident.objections = ["matching"]
        objected.resident.save(update_fields=["objections"])
        self.assertEqual([i.entry for i in allocation.waiting_ranking(self.activity)], [other])
        self.assertEqual(allocation.allocation_plan().waiting_residents, 1)  # the city-wide round: only `other`

    def test_nearer_wins_when_need_and_waiting_are_equal(self) -> None:
        far = wait(self.activity, self.town.resident("3562CC"), need=2, days_ago=10)
        near = wait(self.activity, self.town.resident("3561BB"), need=2, days_ago=10)
        self.assertEqual([i.entry for i in allocation.waiting_ranking(self.activity)], [near, far])

    def test_an_expired_offer_moves_on_and_tick_is_idempotent(self) -> None:
        first = wait(self.activity, self.town.resident(), need=3, days_ago=5)
        second = wait(self.activity, self.town.resident(), need=2, days_ago=5)
        assert self.registration is not None
        services.registration_end(registration=self.registration, actor=ACTOR)
        first.refresh_from_db()
        self.assertEqual(first.status, "offered")
        later = timezone.now() + timedelta(hours=73)
        self.assertEqual(services.offers_expire(now=later), 1)
        self.assertEqual(services.offers_expire(now=later), 0)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.status, second.status), ("expired", "offered"))
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.places_taken, 1)
        # Nobody left: the next expiry releases the place.
        services.offers_expire(now=later + timedelta(hours=73))
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.places_taken, 0)

    def test_tick_runs_the_expiry_job(self) -> None:
        self.assertIn("expire_activity_offers", {job.name for job in periodic_jobs()})

    def test_accepting_an_offer_registers_and_an_expired_one_cannot_be_accepted(self) -> None:
        entry = wait(self.activity, self.town.resident(), need=3)
        assert self.registration is not None
        services.registration_end(registration=self.registration, actor=ACTOR)
        entry.refresh_from_db()
        registration = services.offer_accept(entry=entry, acting_user=self.staff, actor=ACTOR)
        self.assertEqual(registration.via, Registration.Via.OFFER)
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.places_taken, 1)
        other = wait(self.activity, self.town.resident(), need=3)
        with self.assertRaises(services.RegistrationError):
            services.offer_accept(entry=other, acting_user=self.staff, actor=ACTOR)  # never offered

    def test_more_places_are_offered_straight_away(self) -> None:
        entries = [wait(self.activity, self.town.resident(), need=n) for n in (1, 2, 3)]
        services.activity_save(organisation=self.town.provider, values={"capacity": 3}, location=None, slots=[],
                               interests=[], target_groups=[], activity=self.activity)  # fmt: skip
        statuses = [WaitingListEntry.objects.get(pk=e.pk).status for e in entries]
        self.assertEqual(statuses, ["waiting", "offered", "offered"])

    def test_a_lower_capacity_than_taken_is_refused(self) -> None:
        with self.assertRaises(services.RegistrationError):
            services.activity_save(organisation=self.town.provider, values={"capacity": 0}, location=None, slots=[],
                                   interests=[], target_groups=[], activity=self.activity)  # fmt: skip


class AllocationRoundTests(TestCase):
    def test_the_round_is_the_engines_optimum_and_offers_what_it_proposes(self) -> None:
        town = Town()
        self.staff = town.provider_user()
        full = town.activity(capacity=0, title="Vol", interests=("koken",))
        free_near = town.activity(capacity=1, title="Kookclub", interests=("koken",))
        far_location = type(town.location).objects.create(organisation=town.provider, name="Ver", postcode="3562CC",
                                                          lat=52.1000, lon=5.1800)  # fmt: skip
        town.activity(capacity=5, title="Ver weg", location=far_location, interests=("koken",))  # beyond 3 km
        unrelated = town.activity(capacity=5, title="Schaken", interests=("spelletjes",))
        high = wait(full, town.resident(), need=3, days_ago=1)
        low = wait(full, town.resident(), need=1, days_ago=90)
        plan = allocation.allocation_plan()
        self.assertEqual(
            [(p.resident_id, p.activity) for p in plan.proposals], [(high.resident_id, free_near)]
        )
        self.assertEqual(plan.fairness["high_need_matched"], 1)
        self.assertNotIn(unrelated, [p.activity for p in plan.proposals])
        _plan, sent = services.allocation_apply(actor=ACTOR, acting_user=self.staff)
        self.assertEqual(sent, 1)
        offered = WaitingListEntry.objects.get(activity=free_near)
        self.assertEqual((offered.resident_id, offered.status), (high.resident_id, "offered"))
        low.refresh_from_db()
        self.assertEqual(low.status, "waiting")


class AttendanceAndRemindersTests(TestCase):
    def test_attendance_is_recorded_per_session_and_can_be_corrected(self) -> None:
        town = Town()
        self.staff = town.provider_user()
        activity = town.activity()
        people = [town.resident() for _ in range(3)]
        regs = [services.register(activity=activity, resident=p, acting_user=self.staff, actor=ACTOR, via="self").registration
                for p in people]  # fmt: skip
        day = timezone.localdate()
        services.attendance_record(
            activity=activity, session_date=day, present_ids={regs[0].pk}, acting_user=self.staff, actor=ACTOR
        )  # type: ignore[union-attr]
        services.attendance_record(activity=activity, session_date=day, present_ids={regs[0].pk, regs[1].pk},  # type: ignore[union-attr]
                                   acting_user=self.staff, actor=ACTOR)  # fmt: skip
        self.assertEqual(Attendance.objects.filter(session_date=day).count(), 3)
        self.assertEqual(Attendance.objects.filter(session_date=day, present=True).count(), 2)

    def test_stale_activities_remind_the_provider_once(self) -> None:
        town = Town()
        town.provider_user()
        activity = town.activity()
        Activity.objects.filter(pk=activity.pk).update(last_confirmed_at=timezone.now() - timedelta(days=200))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.stale_reminders_send(), 1)
        self.assertEqual(services.stale_reminders_send(), 0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(activity.title, mail.outbox[0].body)
        services.activity_confirm(activity=activity)
        self.assertEqual(services.stale_reminders_send(), 0)

    def test_a_role_group_exists_for_every_new_permission(self) -> None:
        self.assertTrue(
            Group.objects.get(name="coordinator").permissions.filter(codename="run_allocation").exists()
        )


class ScheduleIdTests(TestCase):
    def test_an_unchanged_session_keeps_its_id_when_the_activity_is_saved(self) -> None:
        from datetime import time

        from omzien.activities.schedules import Slot

        town = Town()
        activity = town.activity()
        before = activity.schedules.get().public_id
        monday = Slot(0, time(10), time(12))
        services.activity_save(organisation=town.provider, values={"title": "Nieuw"}, location=None,
                               slots=[monday, Slot(2, time(14), time(15))], interests=[], target_groups=[],
                               activity=activity)  # fmt: skip
        self.assertEqual(activity.schedules.get(weekday=0).public_id, before)
        self.assertNotEqual(activity.schedules.get(weekday=2).public_id, before)
