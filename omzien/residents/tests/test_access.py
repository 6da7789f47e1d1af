# SPDX-License-Identifier: EUPL-1.2
"""Who sees whom: object-level access through residents.permissions, over HTTP, for every role."""

from __future__ import annotations

import re

from django.test import TestCase
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry, Outcome
from omzien.lib.testing.world import BIRTH_MARKER, STREET_MARKER, build_world, login_verified, main_region
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose, ResidentLink
from omzien.residents.permissions import residents_visible_to
from omzien.residents.services import link_end

UUID = re.compile(r'data-resident="([0-9a-f-]{36})"')


class AccessTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.a, cls.b, cls.own = (
            cls.world.residents["a"],
            cls.world.residents["b"],
            cls.world.residents["self"],
        )

    def detail(self, resident):  # type: ignore[no-untyped-def]
        return self.client.get(reverse("residents:detail", args=[resident.public_id]))

    def listed_ids(self) -> set[str]:
        return set(UUID.findall(self.client.get(reverse("residents:list")).content.decode()))

    def test_a_professional_cannot_open_another_teams_resident_and_the_attempt_is_logged(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        self.assertEqual(self.detail(self.a).status_code, 200)
        response = self.detail(self.b)
        self.assertEqual(response.status_code, 404)
        denied = AccessLogEntry.objects.get(outcome=Outcome.DENIED, object_id=str(self.b.public_id))
        self.assertEqual(denied.subject_resident_pseudo_id, self.b.pseudo_id)
        self.assertEqual(denied.actor_role, "neighbourhood_professional")
        self.assertEqual(denied.http_status, 404)

    def test_missing_and_foreign_residents_look_the_same(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        foreign = self.detail(self.b)
        missing = self.client.get(reverse("residents:detail", args=["00000000-0000-4000-8000-000000000000"]))
        self.assertEqual((foreign.status_code, missing.status_code), (404, 404))

        def normalised(response) -> str:  # type: ignore[no-untyped-def]
            # The CSRF token is masked anew on every response; the request id differs too, and the
            # session's end moves on with the clock (a second may pass between the two requests).
            body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
            body = re.sub(r'data-session-expires="\d+"', "", body)
            body = body.replace(str(self.b.public_id), "ID").replace(
                "00000000-0000-4000-8000-000000000000", "ID"
            )
            return body.replace(response["X-Request-ID"], "")

        self.assertEqual(normalised(foreign), normalised(missing))

    def test_lists_never_contain_foreign_residents(self) -> None:
        # Team A's clients: resident_a, the newcomer whose case casework's part of the world opens, and the
        # resident registered at team A without a case (casework opens one from the resident's page).
        casework = self.world.extra.get("casework", {})
        team_a_clients = {self.a} | {r for r in (getattr(casework.get("case_new"), "resident", None), casework.get("walk_in")) if r}
        expected = {
            Role.NEIGHBOURHOOD_PROFESSIONAL: team_a_clients,
            Role.COORDINATOR: {self.a},  # resident_b's referral to Humanitas has no sharing consent
            Role.ACTIVITY_PROVIDER: {self.a},
            Role.SOCIAL_BROKER: {self.a},
            Role.VOLUNTEER: {self.a},
            Role.MEAL_HOST: {self.a},
        }
        for role, residents in expected.items():
            self.client.logout()
            login_verified(self.client, self.world.user(role))
            with self.subTest(role=role.value):
                self.assertEqual(self.listed_ids(), {str(r.public_id) for r in residents})
        self.client.logout()
        login_verified(self.client, self.world.other_team_user)
        self.assertEqual(self.listed_ids(), {str(self.b.public_id)})

    def test_policy_officers_and_administrators_see_no_person_at_all(self) -> None:
        for role in (Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.RESIDENT):
            user = self.world.user(role)
            with self.subTest(role=role.value):
                self.assertFalse(residents_visible_to(user).exclude(user=user).exists())
                self.client.logout()
                login_verified(self.client, user)
                self.assertIn(self.detail(self.a).status_code, (403, 404))
                self.assertIn(self.client.get(reverse("residents:list")).status_code, (403, 404))

    def test_a_resident_sees_only_their_own_record(self) -> None:
        login_verified(self.client, self.world.user(Role.RESIDENT))
        response = self.client.get(reverse("residents:mine"))
        self.assertContains(response, "Sien Smit")
        self.assertNotContains(response, "Aaldering")

    def test_withdrawing_sharing_consent_removes_the_partners_access_on_the_next_request(self) -> None:
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        self.assertEqual(self.detail(self.a).status_code, 200)
        ConsentEvent.objects.create(
            resident=self.a, purpose=ConsentPurpose.SHARING, organisation=self.world.organisations["humanitas"],
            given=False, method=ConsentMethod.PHONE, recorded_by=self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL),
        )  # fmt: skip
        self.assertEqual(self.detail(self.a).status_code, 404)
        self.assertNotIn(str(self.a.public_id), self.listed_ids())
        # Consent for another partner does not bring Humanitas back.
        self.client.logout()
        login_verified(self.client, self.world.user(Role.ACTIVITY_PROVIDER))
        self.assertEqual(self.detail(self.a).status_code, 200)

    def test_the_professional_withdraws_consent_through_the_page(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        response = self.client.post(
            reverse("residents:consent", args=[self.a.public_id]),
            {
                "purpose": "sharing",
                "organisation": self.world.organisations["axion"].pk,
                "given": "0",
                "method": "phone",
            },
        )
        self.assertRedirects(response, reverse("residents:detail", args=[self.a.public_id]))
        self.client.logout()
        login_verified(self.client, self.world.user(Role.ACTIVITY_PROVIDER))
        self.assertEqual(self.detail(self.a).status_code, 404)

    def test_a_sharing_consent_without_organisation_is_refused_with_a_message(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        before = ConsentEvent.objects.count()
        response = self.client.post(
            reverse("residents:consent", args=[self.a.public_id]),
            {"purpose": "sharing", "given": "1", "method": "verbal"},
        )
        self.assertContains(response, "Kies de organisatie", status_code=200)
        self.assertEqual(ConsentEvent.objects.count(), before)

    def test_an_ended_link_ends_access(self) -> None:
        login_verified(self.client, self.world.user(Role.VOLUNTEER))
        self.assertEqual(self.detail(self.a).status_code, 200)
        link_end(
            link=ResidentLink.objects.get(
                resident=self.a, kind=ResidentLink.Kind.MATCH, user=self.world.user(Role.VOLUNTEER)
            )
        )
        self.assertEqual(self.detail(self.a).status_code, 404)

    def test_each_role_sees_only_the_fields_it_needs(self) -> None:
        birth = BIRTH_MARKER.strftime("%Y")
        cases = {
            Role.NEIGHBOURHOOD_PROFESSIONAL: (["Aaldering", STREET_MARKER, birth], []),
            Role.COORDINATOR: (["Aaldering", "06-12345678"], [STREET_MARKER, birth]),
            Role.ACTIVITY_PROVIDER: (["Aaldering", "06-12345678"], [STREET_MARKER, birth, "Zamenhofdreef"]),
            Role.VOLUNTEER: (
                ["Alida", "Zamenhofdreef"],
                ["Aaldering", STREET_MARKER, birth, "alida@example.nl"],
            ),
        }
        for role, (shown, hidden) in cases.items():
            self.client.logout()
            login_verified(self.client, self.world.user(role))
            # Only the page's main region: the header carries a session timestamp whose digits can
            # spell a birth year by chance.
            body = main_region(self.detail(self.a).content.decode())
            with self.subTest(role=role.value):
                for marker in shown:
                    self.assertIn(marker, body)
                for marker in hidden:
                    self.assertNotIn(marker, body)
            entry = AccessLogEntry.objects.filter(
                actor_role=role.value, outcome=Outcome.SUCCESS, object_type="resident"
            ).last()
            self.assertNotIn("street", entry.fields if role != Role.NEIGHBOURHOOD_PROFESSIONAL else [])

    def test_staff_without_a_verified_second_factor_are_sent_to_it(self) -> None:
        self.client.force_login(self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        response = self.detail(self.a)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:two_factor")))
        self.assertFalse(AccessLogEntry.objects.filter(object_type="resident").exists())

    def test_a_role_whose_group_lost_its_permission_sees_nobody(self) -> None:
        from django.contrib.auth.models import Group, Permission

        coordinator = self.world.user(Role.COORDINATOR)
        self.assertTrue(residents_visible_to(coordinator).exists())
        Group.objects.get(name="coordinator").permissions.remove(
            Permission.objects.get(codename="view_resident")
        )
        coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # fresh permission cache
        self.assertFalse(residents_visible_to(coordinator).exists())

    def test_a_resident_cannot_use_the_staff_pages_even_for_their_own_record(self) -> None:
        login_verified(self.client, self.world.user(Role.RESIDENT))
        self.assertEqual(self.detail(self.own).status_code, 403)
