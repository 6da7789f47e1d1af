# SPDX-License-Identifier: EUPL-1.2
"""Issue 15: a refusal at the role level (403) on a resident's URL is in the access log, like a 404."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry, Outcome
from omzien.lib.testing.world import build_world, login_verified


class RoleLevelRefusalTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_a_403_on_a_residents_page_is_logged_with_the_resident(self) -> None:
        resident = self.world.residents["a"]
        login_verified(self.client, self.world.user(Role.POLICY_OFFICER))
        response = self.client.get(reverse("residents:detail", args=[resident.public_id]), {"q": "Aaldering"})
        self.assertEqual(response.status_code, 403)
        entry = AccessLogEntry.objects.get(outcome=Outcome.DENIED, http_status=403)
        self.assertEqual((entry.subject_resident_pseudo_id, entry.object_type, entry.actor_role),
                         (resident.pseudo_id, "resident", Role.POLICY_OFFICER.value))  # fmt: skip
        self.assertNotIn("Aaldering", str(entry.__dict__))

    def test_a_403_on_any_other_page_is_logged_too(self) -> None:
        login_verified(self.client, self.world.user(Role.RESIDENT))
        response = self.client.post(reverse("residents:create"), {})
        self.assertEqual(response.status_code, 403)
        entry = AccessLogEntry.objects.get(outcome=Outcome.DENIED, http_status=403)
        self.assertEqual((entry.object_type, entry.object_id, entry.action), ("page", "residents:create", "update"))
