# SPDX-License-Identifier: EUPL-1.2
"""Every casework page that shows a person's data writes complete access-log entries, nothing personal in them."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.conf.url_policy import POLICY
from omzien.lib.testing.world import build_world, login_verified

ALWAYS_FILLED = ("id", "sequence", "occurred_at", "action", "outcome", "actor_user_id", "actor_display", "actor_role",
                 "purpose", "object_type", "object_id", "source_system", "request_id", "prev_hash", "entry_hash")  # fmt: skip


class CaseworkAccessLogTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_every_personal_data_url_writes_complete_entries_for_each_role_that_reaches_it(self) -> None:
        names = [name for name, rule in POLICY.items() if name.startswith("casework:") and rule.personal_data]
        self.assertGreaterEqual(len(names), 8)
        for name in names:
            rule = POLICY[name]
            for role in sorted(rule.allowed):
                self.client.logout()
                login_verified(self.client, self.world.user(role))
                kwargs = rule.sample_kwargs(name, self.world) if rule.sample_kwargs else {}
                before = AccessLogEntry.objects.count()
                response = getattr(self.client, rule.method)(reverse(name, kwargs=kwargs), rule.data)
                new = list(AccessLogEntry.objects.order_by("sequence")[before:])
                with self.subTest(url=name, role=role):
                    self.assertIn(response.status_code, rule.ok_status)
                    empty = (name == "casework:reported" and b"data-signal=" not in response.content) or (
                        name == "casework:referrals_received" and b"referrals-empty" in response.content
                    )
                    if empty:
                        self.assertEqual(new, [])  # no reports or referrals: nothing shown, nothing logged
                        continue
                    self.assertTrue(new, "no access-log entry written")
                    for entry in new:
                        for field in ALWAYS_FILLED:
                            self.assertNotIn(getattr(entry, field), (None, ""), f"{field} empty")
                        self.assertEqual(entry.request_id, response["X-Request-ID"])
                        # Field names, never values: the resident's name is nowhere in the entry.
                        self.assertNotIn("Aaldering", str(entry.fields) + entry.object_id + entry.actor_display)

    def test_a_signal_that_became_a_case_is_logged_under_the_residents_pseudonymous_id(self) -> None:
        from omzien.audit import events
        from omzien.casework import services

        signal = self.world.extra["casework"]["signal_a"]
        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        services.signal_decide(signal=signal, outcome="added_to_case", acting_user=professional,
                               actor=events.Actor(display="t"), resident=self.world.residents["a"])  # fmt: skip
        login_verified(self.client, professional)
        self.client.get(reverse("casework:signal", kwargs={"public_id": signal.public_id}))
        entry = AccessLogEntry.objects.filter(object_id=str(signal.public_id), action="read").latest("sequence")
        self.assertEqual(entry.subject_resident_pseudo_id, self.world.residents["a"].pseudo_id)
        # In the queue too (the list reads the pseudonymous id without loading the resident).
        self.client.get(reverse("casework:queue"), {"weergave": "decided"})
        listed = AccessLogEntry.objects.filter(object_id=str(signal.public_id), action="list").latest("sequence")
        self.assertEqual(listed.subject_resident_pseudo_id, self.world.residents["a"].pseudo_id)
