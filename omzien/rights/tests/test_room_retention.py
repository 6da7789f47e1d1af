# SPDX-License-Identifier: EUPL-1.2
"""The wellbeing and activities rooms' retention rules: exactly the expired records go, a dry run counts
the same and changes nothing, and records still in use stay."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from omzien.accounts.roles import Role
from omzien.activities.models import Activity, Registration, WaitingListEntry
from omzien.audit import events
from omzien.lib.rooms import retention_rules
from omzien.residents.models import Resident, ResidentLink
from omzien.rights.services import retention_apply
from omzien.rights.tests.base import RightsTestCase
from omzien.wellbeing.models import ContactRequest, Measurement
from omzien.wellbeing.services import measurement_record

ANSWERS = [-1, 1, 1, -1, 1, 1, -1, -1, 1, 0, -1]


class RoomRetentionTests(RightsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.now = timezone.now()
        self.long_ago = self.now - timedelta(days=3 * 365)
        self.professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)

    def _resident(self, name: str, *, link_ended: object) -> Resident:
        person = Resident.objects.create(first_name=name, last_name="Bewaartermijn", postcode="3561AB")
        measurement_record(actor=events.actor_for_user(self.professional), acting_user=self.professional,
                           resident=person, instrument_code="djg11", answers=ANSWERS, context="intake",
                           mode="conversation", at=self.long_ago)  # fmt: skip
        Measurement.objects.filter(resident=person).update(recorded_at=self.long_ago)
        link = ResidentLink.objects.create(resident=person, kind=ResidentLink.Kind.CASE,
                                           organisation=self.world.organisations["team_a"], source="test")  # fmt: skip
        ResidentLink.objects.filter(pk=link.pk).update(ended_at=link_ended)
        return person

    def _lines(self, dry_run: bool) -> dict[str, int]:
        return {
            f"{line.room}.{line.key}": line.count for line in retention_apply(now=self.now, dry_run=dry_run)
        }

    def test_the_rules_are_declared_with_their_basis(self) -> None:
        declared = {f"{room.label}.{rule.key}": rule for room, rule in retention_rules()}
        for key in ("wellbeing.measurements", "wellbeing.contact_requests", "activities.participation"):
            self.assertIn(key, declared)
            self.assertIn("AVG art. 5(1)(e)", declared[key].basis)

    def test_measurements_go_only_when_nobody_has_worked_with_the_resident_since_the_period(self) -> None:
        gone = self._resident("Weg", link_ended=self.long_ago)
        recent = self._resident("Recent", link_ended=self.now - timedelta(days=30))
        active = self._resident("Actief", link_ended=None)
        resident_a_count = Measurement.objects.filter(resident=self.world.residents["a"]).count()
        dry = self._lines(dry_run=True)
        self.assertEqual(dry["wellbeing.measurements"], 1)
        self.assertTrue(Measurement.objects.filter(resident=gone).exists())  # a dry run changes nothing
        self.assertEqual(self._lines(dry_run=False)["wellbeing.measurements"], 1)
        self.assertFalse(Measurement.objects.filter(resident=gone).exists())
        for kept in (recent, active):
            self.assertTrue(Measurement.objects.filter(resident=kept).exists())
        self.assertEqual(
            Measurement.objects.filter(resident=self.world.residents["a"]).count(), resident_a_count
        )
        self.assertEqual(self._lines(dry_run=True)["wellbeing.measurements"], 0)

    def test_a_corrected_measurement_goes_with_its_correction(self) -> None:
        gone = self._resident("Gecorrigeerd", link_ended=self.long_ago)
        original = Measurement.objects.get(resident=gone)
        correction = Measurement.objects.get(pk=original.pk)
        correction.pk = None
        correction.supersedes = original
        correction.save()
        Measurement.objects.filter(pk=correction.pk).update(recorded_at=self.long_ago + timedelta(hours=1))
        self.assertEqual(self._lines(dry_run=False)["wellbeing.measurements"], 2)
        self.assertFalse(Measurement.objects.filter(resident=gone).exists())

    def test_contact_requests_go_after_a_year(self) -> None:
        old = ContactRequest.objects.create(name="Oud Verzoek", phone="06-1", consent_text="ja")
        new = ContactRequest.objects.create(name="Nieuw Verzoek", phone="06-2", consent_text="ja")
        ContactRequest.objects.filter(pk=old.pk).update(created_at=self.now - timedelta(days=400))
        before = ContactRequest.objects.count()
        self.assertEqual(self._lines(dry_run=True)["wellbeing.contact_requests"], before - ContactRequest.objects.filter(
            created_at__gte=self.now - timedelta(days=365)).count())  # fmt: skip
        self.assertEqual(ContactRequest.objects.count(), before)
        self._lines(dry_run=False)
        self.assertFalse(ContactRequest.objects.filter(pk=old.pk).exists())
        self.assertTrue(ContactRequest.objects.filter(pk=new.pk).exists())

    def test_ended_registrations_and_closed_waiting_places_go_after_the_period(self) -> None:
        activity = Activity.objects.filter(is_active=True).first()
        assert activity is not None
        person = Resident.objects.create(first_name="Deel", last_name="Nemer", postcode="3561AB")
        old_end = Registration.objects.create(activity=activity, resident=person, via="professional",
                                              registered_by=self.professional, status="ended", ended_at=self.long_ago)  # fmt: skip
        recent_end = Registration.objects.create(activity=activity, resident=person, via="professional",
                                                 registered_by=self.professional, status="ended",
                                                 ended_at=self.now - timedelta(days=10))  # fmt: skip
        closed = WaitingListEntry.objects.create(activity=activity, resident=person, status="withdrawn",
                                                 joined_at=self.long_ago, decided_at=self.long_ago)  # fmt: skip
        waiting = WaitingListEntry.objects.create(
            activity=activity, resident=person, status="waiting", joined_at=self.long_ago
        )
        self.assertEqual(self._lines(dry_run=True)["activities.participation"], 2)
        self.assertTrue(Registration.objects.filter(pk=old_end.pk).exists())
        self.assertEqual(self._lines(dry_run=False)["activities.participation"], 2)
        self.assertFalse(Registration.objects.filter(pk=old_end.pk).exists())
        self.assertFalse(WaitingListEntry.objects.filter(pk=closed.pk).exists())
        self.assertTrue(Registration.objects.filter(pk=recent_end.pk).exists())
        self.assertTrue(WaitingListEntry.objects.filter(pk=waiting.pk).exists())
