# SPDX-License-Identifier: EUPL-1.2
"""Residents' rights in the volunteer room (issue #25): the export section (nobody else named), the erasure
step (the person gone, the anonymous counts kept: durability unchanged) and the retention rules (exactly
the expired records anonymised; a dry run changes nothing)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from django.test import TestCase
from django.utils import timezone, translation

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from omzien.lib.rooms import data_export_sections, erasure_steps, retention_rules
from omzien.lib.testing.world import build_world
from omzien.residents.models import Resident
from omzien.volunteers import selectors, services
from omzien.volunteers.models import (
    CheckIn,
    Contact,
    Intake,
    MatchRequest,
    Pair,
    Proposal,
    Reference,
    VogRecord,
    Volunteer,
)
from omzien.volunteers.policies import MATCH_RETENTION, VOLUNTEER_RETENTION


def _curves() -> list[tuple[int, str, int, int, list[float]]]:
    return [(c.organisation_id or 0, c.route_code, c.pairs, c.ended, list(c.survival))
            for c in selectors.pair_durability()]  # fmt: skip


class RightsTests(TestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.resident = cls.world.residents["a"]
        extra = cls.world.extra["volunteers"]
        cls.pair, cls.vera = extra["pair"], extra["volunteer"]
        CheckIn.objects.filter(pk=extra["check_in"].pk).update(note="Mevrouw Smit vertelde over haar dochter",
                                                               done_at=timezone.now(), resident_going=4)  # fmt: skip
        Contact.objects.create(pair=cls.pair, on=timezone.localdate(), minutes=60, note="Zij was somber", worried=True,
                               signal_reference="S-123", logged_at=timezone.now())  # fmt: skip

    def test_the_room_declares_an_export_an_erasure_and_retention(self) -> None:
        self.assertIn("volunteers", {room.label for room, _section in data_export_sections()})
        self.assertIn("volunteers", {room.label for room, _step in erasure_steps()})
        self.assertEqual({rule.key for room, rule in retention_rules() if room.label == "volunteers"},
                         {"volunteers_matches", "volunteers_profiles"})  # fmt: skip

    def test_the_export_holds_the_requests_matches_and_check_ins_and_names_no_volunteer(self) -> None:
        section = next(s for room, s in data_export_sections() if room.label == "volunteers")
        data = section.collect(self.resident)
        text = json.dumps(data, ensure_ascii=False)
        self.assertEqual(len(data["requests"]), 3)  # visit, buddy, Eet Mee
        buddy = next(r for r in data["requests"] if r["asked_for"] == "a buddy")
        self.assertEqual(buddy["organisation"], "Humanitas")
        self.assertEqual(buddy["what_to_keep_in_mind"], "Houdt van schaken")
        match = buddy["matches"][0]
        self.assertEqual(
            (match["stage"], len(match["check_ins"]), len(match["visits_and_meals"])), ("active", 1, 1)
        )
        self.assertEqual(match["check_ins"][0]["note"], "Mevrouw Smit vertelde over haar dochter")
        # Nobody else: not the volunteer (Vera Vrijwilliger), not the host, not the coordinator.
        for other in ("Vera", "Vrijwilliger", "Gerda", "Gastvrouw", "vera@example.nl"):
            self.assertNotIn(other, text)
        self.assertIsNone(data["volunteering"])

    def test_a_resident_who_volunteers_gets_their_profile_without_the_people_they_visit(self) -> None:
        me = self.world.residents["self"]  # the resident persona, with an account
        self.assertIsNotNone(me.user_id)
        Volunteer.objects.filter(pk=self.vera.pk).update(user=me.user)
        Intake.objects.filter(volunteer=self.vera).update(extra_support_note="Heeft hulp nodig bij plannen")
        data = selectors.volunteers_of_resident_export(me)
        mine = data["volunteering"]
        self.assertEqual((mine["first_name"], mine["email"]), ("Vera", "vera@example.nl"))
        self.assertEqual(
            mine["organisations"][0]["extra_support_noted_by_the_coordinator"], "Heeft hulp nodig bij plannen"
        )
        self.assertTrue(mine["trainings"] and mine["vogs"])
        as_volunteer = json.dumps(mine["matches_as_volunteer"], ensure_ascii=False)
        self.assertNotIn("Zij was somber", as_volunteer)  # the note is about the resident visited
        self.assertNotIn(self.resident.last_name, as_volunteer)

    def test_erasure_removes_the_person_and_keeps_the_anonymous_counts(self) -> None:
        curves = _curves()
        ids = list(MatchRequest.objects.filter(resident=self.resident).values_list("pk", flat=True))
        step = next(s for room, s in erasure_steps() if room.label == "volunteers")
        report = step.erase(self.resident)
        Resident.objects.filter(pk=self.resident.pk).delete()  # what the rights room does next
        self.assertEqual(report["requests_anonymised"], 3)
        self.assertLessEqual(set(report), set(step.labels))  # every count is worded for the officer's report
        self.assertEqual(report["pairs_ended"], 2)  # the running buddy and Eet Mee pairs
        requests = MatchRequest.objects.filter(pk__in=ids)
        self.assertEqual(requests.count(), 3)
        for request in requests:
            self.assertIsNone(request.resident_id)
            self.assertIsNotNone(request.anonymised_at)
            self.assertEqual(
                (request.postcode, request.keep_in_mind, request.languages, request.lat), ("", "", [], None)
            )
            self.assertEqual(request.status, MatchRequest.Status.CLOSED)
        self.assertFalse(Proposal.objects.filter(request_id__in=ids).exists())
        self.assertFalse(CheckIn.objects.filter(pair__request_id__in=ids).exclude(note="").exists())
        contact = Contact.objects.get(pair=self.pair)
        self.assertEqual(
            (contact.note, contact.signal_reference, contact.minutes), ("", "", 60)
        )  # the hours stay
        self.assertFalse(Pair.objects.filter(request_id__in=ids, stage__in=Pair.CURRENT).exists())
        # The council's durability figures count the same pairs (the running ones now ended).
        after = _curves()
        self.assertEqual([(o, k, n) for o, k, n, _e, _s in after], [(o, k, n) for o, k, n, _e, _s in curves])
        # A second run finds nothing left to do.
        self.assertEqual(services.volunteers_of_resident_erase(Resident(pk=self.resident.pk, user=None)), {})

    def test_erasure_of_a_resident_who_volunteers_removes_their_profile_too(self) -> None:
        resident_b = self.world.residents["b"]
        otto = self.world.extra["volunteers"]["other_volunteer"]
        me = self.world.residents["self"]
        Volunteer.objects.filter(pk=otto.pk).update(user=me.user)
        Reference.objects.create(intake=Intake.objects.get(volunteer=otto), name="Buurvrouw", relation="buurvrouw",
                                 recorded_at=timezone.now())  # fmt: skip
        report = services.volunteers_of_resident_erase(me)
        otto.refresh_from_db()
        self.assertEqual((otto.first_name, otto.last_name, otto.email, otto.user_id), ("—", "", "", None))
        self.assertEqual(report["volunteer_profiles_anonymised"], 1)
        step = next(s for room, s in erasure_steps() if room.label == "volunteers")
        self.assertLessEqual(set(report), set(step.labels))  # every count is worded for the officer's report
        self.assertFalse(Reference.objects.filter(intake__volunteer=otto).exists())
        self.assertFalse(VogRecord.objects.filter(volunteer=otto).exists())
        self.assertFalse(Intake.objects.filter(volunteer=otto, stage__in=Intake.CURRENT).exists())
        # Otto's resident (B) is not erased: their request waits for someone else.
        other = MatchRequest.objects.get(resident=resident_b)
        self.assertEqual(other.status, MatchRequest.Status.OPEN)
        self.assertEqual(other.pairs.get().end_reason, Pair.EndReason.VOLUNTEER_STOPPED)


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Days since the request closed, or None for a request still open (never expires).
AGES = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=1500)), min_size=1, max_size=8)


class RetentionPropertyTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(AGES)
    def test_exactly_the_requests_closed_longer_ago_are_anonymised(self, ages: list[int | None]) -> None:
        world, period = self.world, MATCH_RETENTION.default
        volunteer = world.extra["volunteers"]["volunteer"]
        made = []
        for age in ages:
            request = MatchRequest.objects.create(
                organisation=world.organisations["humanitas"], resident=world.residents["a"], kind="visit",
                source="coordinator", postcode="3561AB", keep_in_mind="Geheim", created_at=NOW - timedelta(days=2000),
                status="open" if age is None else "closed", closed_at=None if age is None else NOW - timedelta(days=age),
            )  # fmt: skip
            pair = Pair.objects.create(request=request, volunteer=volunteer, organisation=request.organisation, kind="visit",
                                       stage="ended", asked_at=NOW - timedelta(days=1999), end_note="Geheim",
                                       ended_on=(NOW - timedelta(days=age or 0)).date())  # fmt: skip
            made.append((request.pk, pair.pk, age))
        expired = {pk for pk, _pair, age in made if age is not None and timedelta(days=age) > period}
        rule = next(rule for room, rule in retention_rules() if rule.key == "volunteers_matches")
        before = sorted(MatchRequest.objects.values_list("pk", "keep_in_mind", "resident_id"))
        self.assertEqual(rule.apply(NOW, True), len(expired))
        self.assertEqual(
            sorted(MatchRequest.objects.values_list("pk", "keep_in_mind", "resident_id")), before
        )
        self.assertEqual(rule.apply(NOW, False), len(expired))
        mine = {pk for pk, _pair, _age in made}
        anonymised = set(
            MatchRequest.objects.filter(pk__in=mine, anonymised_at__isnull=False).values_list("pk", flat=True)
        )
        self.assertEqual(anonymised, expired)
        self.assertFalse(MatchRequest.objects.filter(pk__in=expired).exclude(keep_in_mind="").exists())
        self.assertFalse(Pair.objects.filter(request_id__in=expired).exclude(end_note="").exists())
        self.assertEqual(Pair.objects.filter(request_id__in=mine).count(), len(made))  # the counts stay
        self.assertEqual(rule.apply(NOW, False), 0)  # once anonymised, never again
        MatchRequest.objects.filter(pk__in=mine).delete()

    def test_volunteers_who_stopped_long_ago_are_anonymised_and_the_others_kept(self) -> None:
        period = VOLUNTEER_RETENTION.default
        organisation = self.world.organisations["humanitas"]

        def volunteer(
            name: str, *, stopped_days: int | None, pair_ended_days: int | None = None
        ) -> Volunteer:
            person = Volunteer.objects.create(first_name=name, last_name="Oud", email=f"{name}@example.nl",
                                              created_at=NOW - timedelta(days=3000))  # fmt: skip
            Intake.objects.create(volunteer=person, organisation=organisation, via="signup", started_at=NOW - timedelta(days=3000),
                                  stage="active" if stopped_days is None else "stopped",
                                  stage_changed_at=NOW - timedelta(days=stopped_days or 1))  # fmt: skip
            if pair_ended_days is not None:
                request = MatchRequest.objects.create(organisation=organisation, resident=self.world.residents["b"], kind="visit",
                                                      source="coordinator", postcode="3561AB", created_at=NOW - timedelta(days=2000))  # fmt: skip
                Pair.objects.create(request=request, volunteer=person, organisation=organisation, kind="visit", stage="ended",
                                    asked_at=NOW - timedelta(days=1999), ended_on=(NOW - timedelta(days=pair_ended_days)).date())  # fmt: skip
            return person

        gone = volunteer("Gone", stopped_days=period.days + 5)
        recent = volunteer("Recent", stopped_days=period.days - 5)
        active = volunteer("Active", stopped_days=None)
        paired = volunteer("Paired", stopped_days=period.days + 5, pair_ended_days=period.days - 30)
        rule = next(rule for room, rule in retention_rules() if rule.key == "volunteers_profiles")
        self.assertEqual(rule.apply(NOW, True), 1)
        self.assertEqual(Volunteer.objects.get(pk=gone.pk).first_name, "Gone")
        self.assertEqual(rule.apply(NOW, False), 1)
        names = dict(
            Volunteer.objects.filter(pk__in=[gone.pk, recent.pk, active.pk, paired.pk]).values_list(
                "pk", "first_name"
            )
        )
        self.assertEqual(names, {gone.pk: "—", recent.pk: "Recent", active.pk: "Active", paired.pk: "Paired"})
        self.assertEqual(rule.apply(NOW, False), 0)
