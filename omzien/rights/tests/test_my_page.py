# SPDX-License-Identifier: EUPL-1.2
"""The resident's own pages: their support from every room (plan, routes, referrals, pairs, activities,
measurements with the chart) and their consents, each withdrawable online with its effect — every view
in the access log, a withdrawn sharing consent shutting the partner out at once."""

from __future__ import annotations

from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.lib.testing.world import main_region
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose
from omzien.rights.tests.base import RightsTestCase


class MyPageTests(RightsTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The resident persona becomes resident A, whom every room's test world gave a record.
        self.me.user = None
        self.me.save(update_fields=["user"])
        self.a = self.world.residents["a"]
        self.a.user = self.resident_user
        self.a.save(update_fields=["user"])
        self.login(self.resident_user)

    def test_my_support_shows_every_room_and_is_logged(self) -> None:
        response = self.client.get(reverse("rights:my_support"))
        self.assertEqual(response.status_code, 200)
        page = main_region(response.content.decode())
        # casework: the team, the goals in the resident's own words, the routes chosen and the referrals
        self.assertIn("Buurtteam A", page)
        self.assertIn("Weer onder de mensen komen.", page)
        self.assertIn('data-testid="my-referrals"', page)
        self.assertIn("Humanitas", page)
        # volunteers: the requests and the active pair (the organisation, not the volunteer's name)
        pairs = page.split('data-testid="my-pairs"')[1].split("</section>")[0]
        self.assertIn("Humanitas", pairs)
        self.assertIn("Eet Mee", pairs)
        self.assertNotIn("Gerda", page)
        # activities and wellbeing: the registration and the chart with its table
        activities = page.split('data-testid="my-activities"')[1].split("</section>")[0]
        self.assertIn("AxionContinu", activities)
        self.assertIn('data-testid="chart"', page)
        self.assertIn('data-testid="chart-table"', page)
        # nothing of another resident (team B's client's goals)
        self.assertNotIn("Iemand om mee te praten.", page)
        entry = AccessLogEntry.objects.order_by("-sequence").first()
        assert entry is not None
        self.assertEqual(
            (entry.object_type, entry.subject_resident_pseudo_id), ("my_support", self.a.pseudo_id)
        )

    def test_a_resident_without_support_gets_clear_empty_sections(self) -> None:
        self.a.user = None
        self.a.save(update_fields=["user"])
        self.me.user = self.resident_user
        self.me.save(update_fields=["user"])
        page = main_region(self.client.get(reverse("rights:my_support")).content.decode())
        self.assertIn("You have no support from a neighbourhood team in Omzien.", page)
        self.assertIn("No questionnaire about loneliness was recorded for you.", page)

    def test_an_account_without_a_record_gets_a_clear_page(self) -> None:
        self.a.user = None
        self.a.save(update_fields=["user"])
        for name in ("rights:my_support", "rights:my_consents"):
            self.assertContains(self.client.get(reverse(name)), "not linked to a resident record")

    def test_other_roles_do_not_reach_the_residents_pages(self) -> None:
        self.login(self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        self.assertEqual(self.client.get(reverse("rights:my_support")).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("rights:my_consents"), {"consent": "statistics"}).status_code, 403
        )

    def test_each_consent_says_what_withdrawing_it_does(self) -> None:
        response = self.client.get(reverse("rights:my_consents"))
        page = main_region(response.content.decode())
        self.assertEqual(page.count('data-testid="consent"'), 3)  # Humanitas, AxionContinu, U Centraal
        self.assertIn("Humanitas no longer sees your data", page)
        self.assertIn("referral to an organisation", page)
        self.assertTrue(
            AccessLogEntry.objects.filter(
                object_type="consents", subject_resident_pseudo_id=self.a.pseudo_id
            ).exists()
        )

    def test_withdrawing_a_sharing_consent_shuts_the_partner_out_at_once(self) -> None:
        coordinator = self.world.user(Role.COORDINATOR)  # at Humanitas, which received resident A's referral
        detail = reverse("residents:detail", args=[self.a.public_id])
        self.login(coordinator)
        self.assertEqual(self.client.get(detail).status_code, 200)

        self.login(self.resident_user)
        humanitas = self.world.organisations["humanitas"]
        response = self.client.post(
            reverse("rights:my_consents"), {"consent": f"sharing:{humanitas.public_id}"}, follow=True
        )
        self.assertContains(response, "Your consent is withdrawn. Humanitas no longer sees your data")
        latest = (
            ConsentEvent.objects.filter(resident=self.a, organisation=humanitas)
            .order_by("-recorded_at", "-pk")
            .first()
        )
        assert latest is not None
        self.assertEqual(
            (latest.given, latest.method, latest.recorded_by_id),
            (False, ConsentMethod.DIGITAL, self.resident_user.pk),
        )
        self.assertIn('data-testid="withdrawn"', response.content.decode())
        self.assertEqual(main_region(response.content.decode()).count('data-testid="consent"'), 2)

        self.login(coordinator)
        self.assertEqual(self.client.get(detail).status_code, 404)
        denied = AccessLogEntry.objects.order_by("-sequence").first()
        assert denied is not None
        self.assertEqual((denied.outcome, denied.subject_resident_pseudo_id), ("denied", self.a.pseudo_id))

    def test_withdrawing_twice_or_an_unknown_consent_changes_nothing(self) -> None:
        before = ConsentEvent.objects.count()
        for key in ("sharing:00000000-0000-0000-0000-000000000000", "statistics", "<script>"):
            response = self.client.post(reverse("rights:my_consents"), {"consent": key}, follow=True)
            self.assertContains(response, "This consent was already withdrawn, or never given.")
        self.assertEqual(ConsentEvent.objects.count(), before)

    def test_statistics_consent_names_the_public_task_when_the_municipality_counts_without_consent(
        self,
    ) -> None:
        from omzien import policy

        ConsentEvent.objects.create(resident=self.a, purpose=ConsentPurpose.STATISTICS, given=True,
                                    method=ConsentMethod.VERBAL, recorded_by=self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))  # fmt: skip
        page = main_region(self.client.get(reverse("rights:my_consents")).content.decode())
        self.assertIn("left out of the anonymous statistics", page)
        policy.set_value("casework.statistics_without_consent", 1, acting_user=self.officer, reason="test")
        policy.clear_cache()
        page = main_region(self.client.get(reverse("rights:my_consents")).content.decode())
        self.assertIn("object below", page)
