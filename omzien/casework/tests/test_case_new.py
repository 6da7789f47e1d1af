# SPDX-License-Identifier: EUPL-1.2
"""Opening a case for a resident the team knows, without a signal: the page, its checks and its log."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.casework.models import Case, CaseEvent, Stage
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.models import ConsentEvent, ConsentPurpose


class CaseNewTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.resident = cls.world.extra["casework"]["walk_in"]
        cls.professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        cls.url = reverse("casework:case_new", kwargs={"public_id": cls.resident.public_id})

    def entries(self, after: int) -> list[AccessLogEntry]:
        return list(AccessLogEntry.objects.filter(sequence__gt=after).order_by("sequence"))

    def last_sequence(self) -> int:
        return AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    def test_the_resident_page_links_to_it_and_a_professional_opens_a_case_with_the_residents_consent(self) -> None:
        login_verified(self.client, self.professional)
        detail = self.client.get(reverse("residents:detail", kwargs={"public_id": self.resident.public_id}))
        self.assertContains(detail, f'href="{self.url}"')
        before = self.last_sequence()
        page = self.client.get(self.url)
        self.assertContains(page, 'data-testid="case-new-form"')
        self.assertContains(page, 'name="consent_method"')  # no consent for support yet
        [read] = self.entries(before)
        self.assertEqual((read.action, read.subject_resident_pseudo_id, read.purpose),
                         ("read", self.resident.pseudo_id, "case_support"))  # fmt: skip

        # Bad input: nothing is made, the page says what is missing.
        empty = self.client.post(self.url, {"reason": "  ", "professional": str(self.professional.pk)})
        self.assertContains(empty, "Zeg hoe de hulpvraag bij het team is gekomen", status_code=200)
        no_consent = self.client.post(self.url, {"reason": "Kwam langs op het spreekuur.", "professional": str(self.professional.pk)})
        self.assertContains(no_consent, "toestemming", status_code=200)
        stranger = self.client.post(self.url, {"reason": "Kwam langs.", "professional": "999999", "consent_method": "verbal"})
        self.assertEqual(stranger.status_code, 200)
        self.assertFalse(Case.objects.filter(resident=self.resident).exists())

        before = self.last_sequence()
        done = self.client.post(self.url, {"reason": "Kwam langs op het spreekuur.", "professional": str(self.professional.pk),
                                           "consent_method": "verbal"})  # fmt: skip
        case = Case.objects.get(resident=self.resident)
        self.assertRedirects(done, reverse("casework:case", kwargs={"public_id": case.public_id}))
        self.assertEqual((case.stage, case.team_id, case.professional_id, case.signal_id),
                         (Stage.INTAKE, self.professional.organisation_id, self.professional.pk, None))  # fmt: skip
        self.assertIsNotNone(case.intake_due)
        consent = ConsentEvent.objects.get(resident=self.resident, purpose=ConsentPurpose.SUPPORT)
        self.assertEqual((consent.given, consent.method), (True, "verbal"))
        self.assertEqual(CaseEvent.objects.get(case=case, kind="opened").detail, "Kwam langs op het spreekuur.")
        logged = {(e.action, e.object_type) for e in self.entries(before) if e.subject_resident_pseudo_id == self.resident.pseudo_id}
        self.assertLessEqual({("create", "resident"), ("create", "case")}, logged)
        self.assertContains(self.client.get(done["Location"]), "Kwam langs op het spreekuur.")

        # A second click (or a second tab) opens no second case: it goes to the open one.
        again = self.client.post(self.url, {"reason": "Nog eens.", "professional": str(self.professional.pk)})
        self.assertRedirects(again, reverse("casework:case", kwargs={"public_id": case.public_id}))
        self.assertEqual(Case.objects.filter(resident=self.resident).count(), 1)

    def test_with_a_standing_consent_for_support_no_consent_is_asked(self) -> None:
        ConsentEvent.objects.create(resident=self.resident, purpose=ConsentPurpose.SUPPORT, given=True, method="written",
                                    recorded_by=self.professional)  # fmt: skip
        login_verified(self.client, self.professional)
        page = self.client.get(self.url)
        self.assertNotContains(page, 'name="consent_method"')
        self.client.post(self.url, {"reason": "Doorverwezen door de huisarts, telefonisch.", "professional": str(self.professional.pk)})
        self.assertTrue(Case.objects.filter(resident=self.resident, closed_at__isnull=True).exists())
        self.assertEqual(ConsentEvent.objects.filter(resident=self.resident, purpose=ConsentPurpose.SUPPORT).count(), 1)

    def test_another_team_gets_a_logged_404_and_other_roles_are_refused(self) -> None:
        login_verified(self.client, self.world.other_team_user)
        before = self.last_sequence()
        response = self.client.post(self.url, {"reason": "Poging.", "professional": str(self.world.other_team_user.pk),
                                               "consent_method": "verbal"})  # fmt: skip
        self.assertEqual(response.status_code, 404)
        [denied] = self.entries(before)
        self.assertEqual((denied.outcome, denied.subject_resident_pseudo_id), ("denied", self.resident.pseudo_id))
        self.assertFalse(Case.objects.filter(resident=self.resident).exists())
        self.client.logout()
        login_verified(self.client, self.world.user(Role.POLICY_OFFICER))
        self.assertIn(self.client.get(self.url).status_code, (403, 404))
