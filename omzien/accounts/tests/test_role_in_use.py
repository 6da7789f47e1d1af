# SPDX-License-Identifier: EUPL-1.2
"""An account may hold more than one role: the role in use is chosen per session, shown in the header,
and menus, pages and permissions follow it."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.middleware import idle_limit_seconds
from omzien.accounts.roles import Role, needs_two_factor, user_role, user_roles
from omzien.audit.models import AccessLogEntry, Action
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.permissions import residents_visible_to


class RoleInUseTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        # The resident persona also volunteers (at Humanitas), matched with resident A.
        cls.user = cls.world.user(Role.RESIDENT)
        cls.user.groups.add(Group.objects.get(name=Role.VOLUNTEER.value))
        cls.world.residents["a"].links.create(kind="match", organisation=cls.world.organisations["humanitas"],
                                              user=cls.user, source="test")  # fmt: skip

    def _switch(self, role: str):  # type: ignore[no-untyped-def]
        return self.client.post(reverse("accounts:role_switch"), {"role": role})

    def test_the_first_role_is_in_use_until_another_is_chosen(self) -> None:
        self.assertEqual(user_roles(self.user), (Role.RESIDENT, Role.VOLUNTEER))
        self.assertEqual(user_role(self.user), Role.RESIDENT)
        login_verified(self.client, self.user)
        start = self.client.get(reverse("accounts:start"))
        self.assertContains(start, '<span class="omzien-user__role">bewoner</span>', html=True)
        self.assertContains(start, '<option value="volunteer">vrijwilliger</option>', html=True)
        self.assertContains(start, "Mijn gegevens")
        self.assertNotContains(start, "Mijn koppelingen")

    def test_access_follows_the_role_in_use(self) -> None:
        login_verified(self.client, self.user)
        # As a resident: their own record, no list of others (the volunteer's permission does not count).
        self.assertEqual(self.client.get(reverse("residents:mine")).status_code, 200)
        self.assertEqual(self.client.get(reverse("residents:list")).status_code, 403)
        response = self._switch(Role.VOLUNTEER)
        self.assertRedirects(response, reverse("accounts:start"), fetch_redirect_response=False)
        start = self.client.get(reverse("accounts:start"))
        self.assertContains(start, '<span class="omzien-user__role">vrijwilliger</span>', html=True)
        self.assertContains(start, "Mijn koppelingen")
        self.assertContains(start, "U werkt nu als vrijwilliger.")
        listing = self.client.get(reverse("residents:list"))
        self.assertContains(listing, "Alida")
        self.assertEqual(self.client.get(reverse("residents:mine")).status_code, 403)
        # And back: the resident sees only themselves again.
        self._switch(Role.RESIDENT)
        self.assertEqual(self.client.get(reverse("residents:list")).status_code, 403)
        self.assertEqual(self.client.get(reverse("residents:mine")).status_code, 200)

    def test_permissions_and_visibility_follow_the_role_in_use_outside_views_too(self) -> None:
        self.user._omzien_role_in_use = Role.VOLUNTEER.value  # type: ignore[attr-defined]
        self.assertTrue(self.user.has_perm("residents.view_resident"))
        self.assertEqual(list(residents_visible_to(self.user)), [self.world.residents["a"]])
        user = type(self.user).objects.get(pk=self.user.pk)  # a fresh request's user object
        self.assertFalse(user.has_perm("residents.view_resident"))
        self.assertEqual(list(residents_visible_to(user)), [self.world.residents["self"]])

    def test_a_role_the_account_does_not_hold_is_refused_and_nothing_changes(self) -> None:
        login_verified(self.client, self.user)
        response = self._switch(Role.ADMINISTRATOR)
        self.assertRedirects(response, reverse("accounts:start"), fetch_redirect_response=False)
        start = self.client.get(reverse("accounts:start"))
        self.assertContains(start, "Uw account heeft die rol niet.")
        self.assertContains(start, '<span class="omzien-user__role">bewoner</span>', html=True)
        self.assertEqual(self.client.get(reverse("audit:entries")).status_code, 403)
        self._switch("no-such-role")
        self.assertEqual(self.client.get(reverse("residents:list")).status_code, 403)

    def test_the_switch_is_logged_and_later_entries_name_the_role_in_use(self) -> None:
        login_verified(self.client, self.user)
        self._switch(Role.VOLUNTEER)
        switch = AccessLogEntry.objects.filter(action=Action.ROLE_CHANGE).latest("sequence")
        self.assertEqual(switch.object_id, str(self.user.public_id))
        self.client.get(
            reverse("residents:detail", kwargs={"public_id": self.world.residents["a"].public_id})
        )
        read = AccessLogEntry.objects.filter(action=Action.READ).latest("sequence")
        self.assertEqual(read.actor_role, Role.VOLUNTEER.value)

    def test_one_role_accounts_get_no_switcher(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        self.assertNotContains(self.client.get(reverse("accounts:start")), "omzien-role-switch")

    def test_a_staff_role_held_means_a_second_factor_and_the_staff_timeout_whichever_is_in_use(self) -> None:
        self.user.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
        user = type(self.user).objects.get(pk=self.user.pk)
        self.assertEqual(user_role(user), Role.RESIDENT)
        self.assertTrue(needs_two_factor(user))
        self.assertEqual(idle_limit_seconds(user), idle_limit_seconds(self.world.user(Role.COORDINATOR)))

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self._switch(Role.VOLUNTEER)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
