# SPDX-License-Identifier: EUPL-1.2
"""Every page of the rights room that shows a person's data writes complete access-log entries under the person's
pseudonymous id, with nothing personal in them. (Which roles reach each page, and that every other role is
refused, the URL walker checks for every room: core/tests/test_url_policy.py.)"""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry, Outcome
from omzien.conf.url_policy import POLICY
from omzien.lib.testing.world import build_world, login_verified
from omzien.rights.models import ExportPdf

ALWAYS_FILLED = ("id", "sequence", "occurred_at", "action", "outcome", "actor_user_id", "actor_display", "actor_role",
                 "purpose", "object_type", "object_id", "source_system", "request_id", "prev_hash", "entry_hash")  # fmt: skip


class RightsAccessLogTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        # A PDF made for the resident persona, so the download itself is requested (without one: a redirect).
        me = cls.world.residents["self"]
        ExportPdf.objects.create(resident=me, status=ExportPdf.Status.DONE, pdf=b"%PDF-1.7 test", created_at=timezone.now(),
                                 finished_at=timezone.now())  # fmt: skip

    def test_every_personal_data_url_writes_complete_entries_for_each_role_that_reaches_it(self) -> None:
        names = sorted(
            name for name, rule in POLICY.items() if name.startswith("rights:") and rule.personal_data
        )
        self.assertEqual(len(names), 11, names)  # a new personal-data page is added here on purpose
        request = self.world.extra["rights"]["request"]
        # Whose record each page shows: the resident's own pages their own; the officer's pages the requester's
        # (resident A); the link code resident A's.
        subject = {
            Role.RESIDENT.value: self.world.residents["self"].pseudo_id,
            "privacy_officer": request.resident_pseudo_id,
            Role.NEIGHBOURHOOD_PROFESSIONAL.value: self.world.residents["a"].pseudo_id,
        }
        for name in names:
            rule = POLICY[name]
            for role in sorted(rule.allowed):
                self.client.logout()
                user = self.world.user(role)
                login_verified(self.client, user)
                kwargs = rule.sample_kwargs(name, self.world) if rule.sample_kwargs else {}
                before = AccessLogEntry.objects.count()
                response = getattr(self.client, rule.method)(reverse(name, kwargs=kwargs), rule.data)
                new = list(AccessLogEntry.objects.order_by("sequence")[before:])
                with self.subTest(url=name, role=role, status=response.status_code):
                    self.assertIn(response.status_code, (200, 400) if name != "rights:export_pdf" else (200,))
                    self.assertTrue(new, "no access-log entry written")
                    for entry in new:
                        for field in ALWAYS_FILLED:
                            self.assertNotIn(getattr(entry, field), (None, ""), f"{field} empty")
                        self.assertEqual(entry.request_id, response["X-Request-ID"])
                        self.assertEqual(entry.outcome, Outcome.SUCCESS)
                        # Field names, never values: no name or e-mail in the entry.
                        for resident in self.world.residents.values():
                            written = (
                                str(entry.fields) + entry.object_id + entry.actor_display + str(entry.changes)
                            )
                            self.assertNotIn(resident.last_name, written)
                            self.assertNotIn(resident.email or "@@", written)
                    self.assertIn(subject[role], {entry.subject_resident_pseudo_id for entry in new})
