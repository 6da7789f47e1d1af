# SPDX-License-Identifier: EUPL-1.2
"""The volunteer centre's rules, through its services, selectors and access functions."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import TestCase
from django.utils import timezone, translation

from omzien.audit import events
from omzien.audit.models import AccessLogEntry
from omzien.volunteers import permissions, selectors, services
from omzien.volunteers.models import (
    Intake,
    IntakeStep,
    OrganisationPolicy,
    RespiteRequest,
    TrainingRegistration,
    TrainingSession,
    VogRecord,
)
from omzien.volunteers.tests.factories import Centre


class SignupTests(TestCase):
    def setUp(self) -> None:
        self.centre = Centre()

    def test_a_signup_makes_a_profile_and_an_intake_and_tells_the_coordinator(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            volunteer = self.centre.volunteer(languages=["yue", "nl"], availability=0b101, work_kinds=["visits", "meal_host"],
                                              guests_per_meal=2, diets=["halal"])  # fmt: skip
        intake = volunteer.intakes.get()
        self.assertEqual((intake.organisation, intake.stage, intake.via), (self.centre.humanitas, "registered", "signup"))
        self.assertEqual(IntakeStep.objects.filter(intake=intake).count(), 1)
        # The postcode places the volunteer, so matching can measure distances.
        self.assertEqual((volunteer.neighbourhood, volunteer.lat), (self.centre.buurt, 52.10))
        self.assertEqual((volunteer.guests_per_meal, volunteer.diets), (2, ["halal"]))
        entry = AccessLogEntry.objects.get(object_type="volunteer", action="create")
        self.assertEqual(entry.subject_resident_pseudo_id, volunteer.pseudo_id)
        self.assertEqual(len(mail.outbox), 1)
        self.assertNotIn(volunteer.first_name, mail.outbox[0].body)  # no name in a mail

    def test_a_resident_can_volunteer_too_one_person_two_roles(self) -> None:
        resident_user = self.centre.user("resident")
        first = self.centre.volunteer(user=resident_user)
        # Signing up again, logged in, with another organisation keeps the one profile.
        second = self.centre.volunteer(self.centre.rode_kruis, user=resident_user)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(second.intakes.count(), 2)
        self.assertEqual(resident_user.volunteer, first)

    def test_signing_up_twice_with_one_organisation_is_refused(self) -> None:
        user = self.centre.user("resident")
        self.centre.volunteer(user=user)
        with self.assertRaises(services.VolunteerError):
            self.centre.volunteer(user=user)

    def test_the_database_refuses_two_current_intakes_at_one_organisation(self) -> None:
        volunteer = self.centre.volunteer()
        now = timezone.now()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Intake.objects.create(volunteer=volunteer, organisation=self.centre.humanitas, stage_changed_at=now,
                                  started_at=now, via="coordinator")  # fmt: skip

    def test_stages_are_appended_to_the_history(self) -> None:
        volunteer = self.centre.volunteer()
        intake = volunteer.intakes.get()
        for stage in ("interview_planned", "interviewed", "screening", "active"):
            services.intake_stage_set(intake=intake, stage=stage, acting_user=self.centre.coordinator, actor=self.centre.actor())
        self.assertEqual(
            list(intake.steps.values_list("stage", flat=True)),
            ["registered", "interview_planned", "interviewed", "screening", "active"],
        )


class AccessTests(TestCase):
    def setUp(self) -> None:
        self.centre = Centre()
        self.volunteer = self.centre.volunteer()

    def test_a_coordinator_of_another_organisation_never_sees_the_volunteer(self) -> None:
        other = self.centre.other_coordinator
        self.assertFalse(permissions.volunteers_visible_to(other).exists())
        with self.assertRaises(Http404), events.audit_scope():
            permissions.get_volunteer_for_user(other, self.volunteer.public_id, actor=self.centre.actor(other))
        denied = AccessLogEntry.objects.get(outcome="denied", object_type="volunteer")
        self.assertEqual(denied.subject_resident_pseudo_id, self.volunteer.pseudo_id)
        # Their own coordinator sees them, and the read is logged with the field names only.
        seen = permissions.get_volunteer_for_user(self.centre.coordinator, self.volunteer.public_id, actor=self.centre.actor())
        self.assertEqual(seen, self.volunteer)
        read = AccessLogEntry.objects.get(action="read", outcome="success", object_type="volunteer")
        self.assertIn("extra_support_note", read.fields)
        self.assertNotIn(self.volunteer.last_name, str(read.fields))

    def test_a_volunteer_or_resident_sees_no_other_volunteers(self) -> None:
        for role in ("volunteer", "resident", "neighbourhood_professional", "policy_officer"):
            user = self.centre.user(role, self.centre.humanitas)
            self.assertFalse(permissions.volunteers_visible_to(user).exists(), role)

    def test_carers_are_seen_only_by_their_support_point(self) -> None:
        carer = services.carer_register(
            data=services.CarerData(first_name="Carla", last_name="Zorg", postcode="3561AA", cares_for="parent",
                                    hours_per_week=20, burden=4),
            organisation=self.centre.steunpunt, consent_text="ja", actor=self.centre.actor(self.centre.carer_coordinator),
            respite=services.RespiteData(availability=0b11, hours_per_week=3),
        )  # fmt: skip
        self.assertEqual(RespiteRequest.objects.get().carer, carer)
        with self.assertRaises(Http404), events.audit_scope():
            permissions.get_carer_for_user(self.centre.coordinator, carer.public_id, actor=self.centre.actor())
        got = permissions.get_carer_for_user(self.centre.carer_coordinator, carer.public_id,
                                             actor=self.centre.actor(self.centre.carer_coordinator))  # fmt: skip
        self.assertEqual(got, carer)
        self.assertTrue(AccessLogEntry.objects.filter(object_type="carer", action="read", subject_resident_pseudo_id=carer.pseudo_id).exists())

    def test_respite_needs_a_time(self) -> None:
        carer = services.carer_register(
            data=services.CarerData(first_name="C", last_name="Z", postcode="3561AA", cares_for="partner", hours_per_week=5, burden=2),
            organisation=self.centre.steunpunt, consent_text="ja", actor=self.centre.actor(),
        )  # fmt: skip
        with self.assertRaises(services.VolunteerError):
            services.respite_request(carer=carer, data=services.RespiteData(availability=0, hours_per_week=2),
                                     acting_user=None, actor=self.centre.actor())  # fmt: skip


class VogTests(TestCase):
    def setUp(self) -> None:
        self.centre = Centre()
        self.today = timezone.localdate()

    def test_only_active_volunteers_with_a_young_enough_vog_may_visit_at_home(self) -> None:
        recent = self.centre.volunteer(stage="active", vog_issued=self.today - timedelta(days=400))
        old = self.centre.volunteer(stage="active", vog_issued=selectors.add_months(self.today, -37))
        self.centre.volunteer(stage="active")  # no VOG at all
        self.centre.volunteer(stage="screening", vog_issued=self.today - timedelta(days=10))  # not active yet
        pending = self.centre.volunteer(stage="active")
        services.vog_record(volunteer=pending, organisation=self.centre.humanitas, requested_on=self.today, issued_on=None,
                            acting_user=self.centre.coordinator, actor=self.centre.actor())  # fmt: skip
        # Another organisation's VOG does not count here.
        elsewhere = self.centre.volunteer(stage="active")
        services.vog_record(volunteer=elsewhere, organisation=self.centre.rode_kruis, requested_on=self.today,
                            issued_on=self.today, acting_user=self.centre.other_coordinator, actor=self.centre.actor())  # fmt: skip
        eligible = selectors.volunteers_eligible_for_home_visits(self.centre.humanitas)
        self.assertEqual(list(eligible), [recent])
        self.assertNotIn(old, eligible)

    def test_an_organisation_may_keep_a_shorter_maximum_age(self) -> None:
        volunteer = self.centre.volunteer(stage="active", vog_issued=self.today - timedelta(days=400))
        self.assertIn(volunteer, selectors.volunteers_eligible_for_home_visits(self.centre.humanitas))
        OrganisationPolicy.objects.create(organisation=self.centre.humanitas, vog_max_age_months=12)
        self.assertNotIn(volunteer, selectors.volunteers_eligible_for_home_visits(self.centre.humanitas))
        status = selectors.vog_status(volunteer, self.centre.humanitas.pk)
        self.assertFalse(status.valid)
        self.assertEqual(status.due_on, selectors.add_months(self.today - timedelta(days=400), 12))

    def test_a_vog_cannot_be_dated_in_the_future_and_a_checked_one_names_its_checker(self) -> None:
        volunteer = self.centre.volunteer()
        with self.assertRaises(services.VolunteerError):
            services.vog_record(volunteer=volunteer, organisation=self.centre.humanitas, requested_on=self.today,
                                issued_on=self.today + timedelta(days=1), acting_user=self.centre.coordinator, actor=self.centre.actor())  # fmt: skip
        vog = services.vog_record(volunteer=volunteer, organisation=self.centre.humanitas, requested_on=self.today,
                                  issued_on=self.today, acting_user=self.centre.coordinator, actor=self.centre.actor())  # fmt: skip
        self.assertEqual((vog.checked_by, vog.issued_on), (self.centre.coordinator, self.today))
        with self.assertRaises(IntegrityError), transaction.atomic():
            VogRecord.objects.create(volunteer=volunteer, organisation=self.centre.humanitas, requested_on=self.today,
                                     issued_on=self.today)  # fmt: skip

    def test_the_tick_reminds_once_before_the_vog_is_due(self) -> None:
        # 36 months by default, reminded 42 days before: a VOG of 35 months and a bit is in the window.
        due_soon = self.centre.volunteer(stage="active", vog_issued=selectors.add_months(self.today, -36) + timedelta(days=20))
        self.centre.volunteer(stage="active", vog_issued=self.today - timedelta(days=100))  # not yet
        stopped = self.centre.volunteer(stage="stopped", vog_issued=selectors.add_months(self.today, -36))
        mail.outbox.clear()
        from omzien.lib.tick import periodic_jobs

        job = next(job for job in periodic_jobs() if job.name == "remind_vogs_due")
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(job.function(), 1)
        self.assertEqual(job.function(), 0)  # idempotent
        self.assertEqual([m.to for m in mail.outbox], [[due_soon.email]])
        self.assertNotIn(stopped.email, str([m.to for m in mail.outbox]))
        # A newer VOG replaces the old one: nothing is due any more.
        services.vog_record(volunteer=due_soon, organisation=self.centre.humanitas, requested_on=self.today,
                            issued_on=self.today, acting_user=self.centre.coordinator, actor=self.centre.actor())  # fmt: skip
        self.assertEqual(selectors.vogs_due(on=self.today, organisation_id=self.centre.humanitas.pk), [])

    def test_add_months_keeps_the_day_or_takes_the_months_last(self) -> None:
        self.assertEqual(selectors.add_months(date(2024, 1, 31), 1), date(2024, 2, 29))
        self.assertEqual(selectors.add_months(date(2026, 3, 15), -36), date(2023, 3, 15))
        self.assertEqual(selectors.add_months(date(2026, 12, 1), 1), date(2027, 1, 1))


class TrainingTests(TestCase):
    def setUp(self) -> None:
        self.centre = Centre()
        self.session = self.centre.session(capacity=2)

    def test_places_fill_and_then_registration_is_refused(self) -> None:
        people = [self.centre.volunteer() for _ in range(3)]
        for person in people[:2]:
            services.training_register(session=self.session, volunteer=person, actor=self.centre.actor())
        with translation.override("en"), self.assertRaisesMessage(services.VolunteerError, "full"):
            services.training_register(session=self.session, volunteer=people[2], actor=self.centre.actor())
        self.session.refresh_from_db()
        self.assertEqual(self.session.places_taken, 2)
        # Cancelling frees the place for the next one.
        services.training_cancel(registration=TrainingRegistration.objects.filter(volunteer=people[0]).get(), actor=self.centre.actor())
        services.training_register(session=self.session, volunteer=people[2], actor=self.centre.actor())
        self.session.refresh_from_db()
        self.assertEqual(self.session.places_taken, 2)

    def test_the_same_volunteer_cannot_register_twice(self) -> None:
        person = self.centre.volunteer()
        services.training_register(session=self.session, volunteer=person, actor=self.centre.actor())
        with self.assertRaises(services.VolunteerError):
            services.training_register(session=self.session, volunteer=person, actor=self.centre.actor())

    def test_the_database_refuses_an_overbooking_past_the_services(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            TrainingSession.objects.filter(pk=self.session.pk).update(places_taken=3)

    def test_attendance_then_a_pdf_certificate(self) -> None:
        person = self.centre.volunteer()
        registration = services.training_register(session=self.session, volunteer=person, actor=self.centre.actor())
        with self.assertRaises(services.VolunteerError):  # not started yet
            services.attendance_record(session=self.session, present={registration.pk}, acting_user=self.centre.coordinator,
                                       actor=self.centre.actor())  # fmt: skip
        later = self.session.starts_at + timedelta(hours=1)
        came = services.attendance_record(session=self.session, present={registration.pk}, acting_user=self.centre.coordinator,
                                          actor=self.centre.actor(), now=later)  # fmt: skip
        self.assertEqual(came, 1)
        registration.refresh_from_db()
        pdf = services.certificate_pdf(registration, actor=self.centre.actor(), language="nl")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(AccessLogEntry.objects.filter(action="print", object_type="volunteer").exists())

    def test_no_certificate_without_attendance(self) -> None:
        registration = services.training_register(session=self.session, volunteer=self.centre.volunteer(), actor=self.centre.actor())
        with self.assertRaises(services.VolunteerError):
            services.certificate_pdf(registration, actor=self.centre.actor(), language="nl")


class AccountAndOverviewTests(TestCase):
    def setUp(self) -> None:
        self.centre = Centre()

    def test_an_active_volunteer_gets_an_account_with_a_link_to_choose_a_password(self) -> None:
        volunteer = self.centre.volunteer(stage="active")
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            user = services.volunteer_account_create(volunteer=volunteer, acting_user=self.centre.coordinator,
                                                     actor=self.centre.actor(), site="http://testserver")  # fmt: skip
        self.assertEqual(list(user.groups.values_list("name", flat=True)), ["volunteer"])
        self.assertFalse(user.has_usable_password())
        self.assertIn("http://testserver/account/", mail.outbox[0].body)
        with self.assertRaises(services.VolunteerError):
            services.volunteer_account_create(volunteer=volunteer, acting_user=self.centre.coordinator,
                                              actor=self.centre.actor(), site="")  # fmt: skip

    def test_an_existing_account_is_never_attached_by_e_mail(self) -> None:
        taken = self.centre.user("resident")
        volunteer = self.centre.volunteer(email=taken.email)
        with self.assertRaises(services.VolunteerError):
            services.volunteer_account_create(volunteer=volunteer, acting_user=self.centre.coordinator,
                                              actor=self.centre.actor(), site="")  # fmt: skip

    def test_the_overview_counts_only_the_own_organisation(self) -> None:
        self.centre.volunteer()
        self.centre.volunteer(stage="active")
        self.centre.volunteer(self.centre.rode_kruis)
        vacancy = self.centre.vacancy()
        services.volunteer_signup(data=self.centre.profile(), organisation=self.centre.humanitas, vacancy=vacancy,
                                  actor=self.centre.actor())  # fmt: skip
        view = selectors.overview(self.centre.humanitas)
        counts = {stage: n for stage, _label, n in view.stages}
        self.assertEqual((counts["registered"], counts["active"]), (2, 1))
        self.assertEqual(view.active_without_vog, 1)
        self.assertEqual(view.responses_open, 1)
        self.assertEqual(view.vacancies[0].response_count, 1)  # type: ignore[attr-defined]
        self.assertEqual(selectors.new_signups_count(self.centre.coordinator), 2)
        self.assertEqual(selectors.new_signups_count(self.centre.other_coordinator), 1)
