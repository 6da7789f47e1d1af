# SPDX-License-Identifier: EUPL-1.2
""""The resident this user is": one access function, logged, 404 alike for no record and not a resident."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.http import Http404
from django.test import RequestFactory, TestCase
from django.urls import reverse

from omzien.accounts.models import User
from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.audit.models import AccessLogEntry, Action, Outcome
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.permissions import get_own_resident_for_user


class OwnResidentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def request_of(self, user):  # type: ignore[no-untyped-def]
        request = RequestFactory().get("/")
        request.user = user
        return request

    def test_a_resident_gets_their_own_record_and_the_read_is_logged(self) -> None:
        own = self.world.residents["self"]
        resident = get_own_resident_for_user(self.request_of(self.world.user(Role.RESIDENT)), fields=("phone",))
        self.assertEqual(resident, own)
        entry = AccessLogEntry.objects.get(purpose="own_record")
        self.assertEqual((entry.action, entry.outcome), (Action.READ, Outcome.SUCCESS))
        self.assertEqual((entry.subject_resident_pseudo_id, entry.fields), (own.pseudo_id, ["phone"]))

    def test_staff_and_a_resident_without_a_record_get_404_and_a_denied_entry(self) -> None:
        without_record = User.objects.create_user(username="no-record", password="x")  # noqa: S106
        without_record.groups.add(Group.objects.get(name=str(Role.RESIDENT)))
        for user in (self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL), without_record):
            with self.subTest(user=user.username), events.audit_scope(), self.assertRaises(Http404):
                get_own_resident_for_user(self.request_of(user))
        entries = AccessLogEntry.objects.filter(purpose="own_record")
        self.assertEqual([e.outcome for e in entries], [Outcome.DENIED, Outcome.DENIED])

    def test_the_rooms_pages_reach_the_own_record_through_it(self) -> None:
        # My details and My activities are both reads of the own record, logged once per page.
        login_verified(self.client, self.world.user(Role.RESIDENT))
        for name in ("residents:mine", "activities:mine"):
            with self.subTest(page=name):
                before = AccessLogEntry.objects.count()
                self.assertEqual(self.client.get(reverse(name)).status_code, 200)
                new = AccessLogEntry.objects.filter(action=Action.READ).order_by("-sequence")[:1].get()
                self.assertEqual(new.subject_resident_pseudo_id, self.world.residents["self"].pseudo_id)
                self.assertEqual(new.purpose, "own_record")
                self.assertGreater(AccessLogEntry.objects.count(), before)
