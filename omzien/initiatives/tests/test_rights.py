# SPDX-License-Identifier: EUPL-1.2
"""A resident's rights over their applications (export, erasure with the grant's legal hold) and retention."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from omzien.initiatives.models import Initiative, Status
from omzien.initiatives.services import applications_expire
from omzien.initiatives.tests.base import InitiativesTestCase
from omzien.lib.rooms import data_export_sections, erasure_steps


class RightsTests(InitiativesTestCase):
    def test_export_erasure_and_retention_of_applications(self) -> None:
        resident = self.world.residents["a"]
        resident.email = "bi-aaaaaa@example.nl"  # initiative A was sent from this address
        export = next(s for room, s in data_export_sections() if s.key == "initiatives").collect(resident)
        self.assertEqual([row["reference"] for row in export], ["BI-AAAAAA"])
        self.assertEqual(export[0]["contact_name"], self.initiative_a.contact_name)
        granted = Initiative.objects.get(reference="BI-CCCCCC")
        Initiative.objects.filter(pk=granted.pk).update(contact_email=resident.email)
        erase = next(s for room, s in erasure_steps() if s.key == "initiative_applications").erase(resident)
        self.assertEqual(erase, {"applications": 1})
        self.assertEqual(Initiative.objects.get(pk=self.initiative_a.pk).contact_name, "")
        self.assertNotEqual(Initiative.objects.get(pk=granted.pk).contact_name, "")  # legal hold: a grant's file
        # Retention: a refusal decided longer ago than the period loses its contact details, the figures stay.
        Initiative.objects.filter(pk=self.initiative_b.pk).update(status=Status.DECLINED, decided_at=timezone.now() - timedelta(days=400))
        keep = timedelta(days=365)
        self.assertEqual(applications_expire(timezone.now(), True, keep), 1)
        self.assertEqual(applications_expire(timezone.now(), False, keep), 1)
        self.assertEqual(Initiative.objects.get(pk=self.initiative_b.pk).contact_name, "")
        self.assertEqual(applications_expire(timezone.now(), True, keep), 0)
