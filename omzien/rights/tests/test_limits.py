# SPDX-License-Identifier: EUPL-1.2
"""A granted restriction (AVG art. 18) and objection (art. 21) take effect: the record is kept but only the
responsible team reads it, nothing new starts, statistics and matching leave the resident out — and a lifted
restriction is told to the resident first."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose, Resident, ResidentLink
from omzien.residents.selectors import processing_limited, residents_with_case_by_district
from omzien.residents.services import ProcessingRestricted, link_open
from omzien.rights import services
from omzien.rights.models import RequestStatus
from omzien.rights.tests.base import RightsTestCase


class LimitsTests(RightsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.a = self.world.residents["a"]
        self.resident_user_of_a()

    def resident_user_of_a(self) -> None:
        self.me.user = None
        self.me.save(update_fields=["user"])
        self.a.user = self.resident_user
        self.a.save(update_fields=["user"])

    def _decide(self, kind: str, **data: object) -> tuple[Any, Any]:
        request = services.request_submit(resident=self.a, kind=kind, explanation="Stop it, please.",
                                          acting_user=self.resident_user)  # fmt: skip
        self.login(self.officer)
        response = self.client.post(reverse("rights:decide", args=[request.public_id]),
                                    {"decision": "grant", "reasons": "Well founded.", **data})  # fmt: skip
        request.refresh_from_db()
        return response, request

    def test_a_granted_restriction_leaves_only_the_team_reading_and_starts_nothing_new(self) -> None:
        ConsentEvent.objects.create(resident=self.a, purpose=ConsentPurpose.STATISTICS, given=True,
                                    method=ConsentMethod.VERBAL, recorded_by=self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))  # fmt: skip
        before = {row.code: row.residents_with_case for row in residents_with_case_by_district(min_cell=1)}
        response, request = self._decide("restriction")
        self.assertEqual(response.status_code, 302)
        self.a.refresh_from_db()
        self.assertIsNotNone(self.a.restricted_since)
        self.assertEqual(request.status, RequestStatus.GRANTED)

        detail = reverse("residents:detail", args=[self.a.public_id])
        self.login(self.world.user(Role.COORDINATOR))  # Humanitas: a referral and a sharing consent
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.login(self.world.user(Role.VOLUNTEER))  # the matched volunteer
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.login(self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))  # the responsible team: read only
        page = self.client.get(detail)
        self.assertContains(page, 'data-testid="restricted"')

        with self.assertRaises(ProcessingRestricted):
            link_open(resident=self.a, kind=ResidentLink.Kind.REFERRAL, organisation=self.world.organisations["rode_kruis"],
                      source="test")  # fmt: skip
        self.assertIn(self.a, processing_limited("statistics"))
        self.assertIn(self.a, processing_limited("matching"))
        after = {row.code: row.residents_with_case for row in residents_with_case_by_district(min_cell=1)}
        self.assertEqual(sum(n or 0 for n in after.values()), sum(n or 0 for n in before.values()) - 1)
        latest = (
            ConsentEvent.objects.filter(resident=self.a, purpose=ConsentPurpose.STATISTICS)
            .order_by("-recorded_at", "-pk")
            .first()
        )
        self.assertEqual((latest.given, latest.method), (False, ConsentMethod.WRITTEN))

        # The resident sees the restriction on their privacy page.
        self.login(self.resident_user)
        self.assertContains(self.client.get(reverse("rights:mine")), 'data-testid="limits"')

    def test_a_restricted_resident_cannot_be_registered_for_an_activity(self) -> None:
        import uuid

        from omzien.activities.models import Activity
        from omzien.activities.services import register
        from omzien.audit import events

        Resident.objects.filter(pk=self.a.pk).update(restricted_since="2026-01-01T00:00:00Z")
        activity = Activity.objects.filter(is_active=True).first()
        assert activity is not None
        # A copy with free places and nobody waiting, at a provider A has no link with: registering would
        # open a link at once.
        activity.pk, activity.public_id, activity.capacity, activity.places_taken = None, uuid.uuid4(), 10, 0
        activity.organisation = self.world.organisations["rode_kruis"]  # a provider new to A
        activity.save()
        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        with self.assertRaises(ProcessingRestricted):
            register(activity=activity, resident=self.a, acting_user=professional, actor=events.actor_for_user(professional),
                     via="professional", consent_method="verbal")  # fmt: skip
        self.assertFalse(activity.registrations.filter(resident=self.a).exists())

    def test_lifting_tells_the_resident_and_the_partners_see_again(self) -> None:
        _response, request = self._decide("restriction")
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            lifted = self.client.post(reverse("rights:lift", args=[request.public_id]))
        self.assertEqual(lifted.status_code, 302)
        self.a.refresh_from_db()
        self.assertIsNone(self.a.restricted_since)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("lifted", mail.outbox[0].subject)
        again = self.client.post(reverse("rights:lift", args=[request.public_id]))
        self.assertContains(again, "lifted already", status_code=400)
        self.login(self.world.user(Role.COORDINATOR))
        self.assertEqual(
            self.client.get(reverse("residents:detail", args=[self.a.public_id])).status_code, 200
        )

    def test_an_objection_stops_what_the_officer_ticks(self) -> None:
        response, request = self._decide("objection")
        self.assertContains(response, "Choose which use of the data the objection stops", status_code=400)
        self.assertIn("objection_to", response.context["decision_form"].errors)  # at the boxes to tick
        self.assertEqual(request.status, RequestStatus.RECEIVED)
        response, request = self._decide_again(request, objection_to=["statistics"])
        self.a.refresh_from_db()
        self.assertEqual(self.a.objections, ["statistics"])
        self.assertIsNone(self.a.restricted_since)
        self.assertIn(self.a, processing_limited("statistics"))
        self.assertNotIn(self.a, processing_limited("matching"))
        bad = services.request_submit(resident=self.a, kind="objection", explanation="And matching.",
                                      acting_user=self.resident_user)  # fmt: skip
        refused = self.client.post(reverse("rights:decide", args=[bad.public_id]),
                                   {"decision": "grant", "reasons": "x", "objection_to": ["profiling"]})  # fmt: skip
        self.assertEqual(refused.status_code, 400)
        self.a.refresh_from_db()
        self.assertEqual(self.a.objections, ["statistics"])

    def _decide_again(self, request: Any, **data: object) -> tuple[Any, Any]:
        response = self.client.post(reverse("rights:decide", args=[request.public_id]),  # type: ignore[attr-defined]
                                    {"decision": "grant", "reasons": "Well founded.", **data})  # fmt: skip
        request.refresh_from_db()  # type: ignore[attr-defined]
        return response, request
