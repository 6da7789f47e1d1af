# SPDX-License-Identifier: EUPL-1.2
"""Issue 15: no administrator promotes themselves; privileged grants need a second administrator and are
in the chained access log with old and new values."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.models import RoleGrantRequest, User
from omzien.accounts.roles import Role
from omzien.audit.integrity import chain_verify
from omzien.audit.models import AccessLogEntry, Action, Outcome
from omzien.lib.testing.world import PASSWORD, build_world, login_verified


def change_form(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
        "groups": list(user.groups.values_list("pk", flat=True)),
        "organisation": user.organisation_id or "",
    }  # fmt: skip
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    return data | overrides


class FourEyesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.admin = cls.world.user(Role.ADMINISTRATOR)
        cls.second = User.objects.create_user(username="beheer-2", password=PASSWORD, is_staff=True,
                                              organisation=cls.admin.organisation)  # fmt: skip
        cls.second.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
        cls.policy = cls.world.user(Role.POLICY_OFFICER)
        cls.professional_group = Group.objects.get(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value)
        cls.team_a = cls.world.organisations["team_a"]

    def edit(self, user: User, **overrides: Any):  # type: ignore[no-untyped-def]
        return self.client.post(reverse("admin:accounts_user_change", args=[user.pk]), change_form(user, **overrides))

    def test_an_administrator_cannot_promote_themselves(self) -> None:
        login_verified(self.client, self.admin)
        groups = [*self.admin.groups.values_list("pk", flat=True), self.professional_group.pk]
        for attempt in ({"groups": groups}, {"is_superuser": "on"}, {"organisation": self.team_a.pk}):
            response = self.edit(self.admin, **attempt)
            self.assertContains(response, "Vraag een andere beheerder")  # the form is shown again
        self.admin.refresh_from_db()
        self.assertFalse(self.admin.is_superuser)
        self.assertFalse(self.admin.groups.filter(pk=self.professional_group.pk).exists())
        self.assertNotEqual(self.admin.organisation, self.team_a)
        self.assertFalse(RoleGrantRequest.objects.exists())
        # And there is no field to give oneself a single permission past the roles.
        self.assertNotContains(self.client.get(reverse("admin:accounts_user_change", args=[self.admin.pk])),
                               'name="user_permissions"')  # fmt: skip
        # Nor can they ask a colleague's confirmation for themselves through the service.
        from django.core.exceptions import PermissionDenied

        from omzien.accounts.services import PrivilegedChange, role_grant_request
        from omzien.audit.events import actor_for_user

        with self.assertRaises(PermissionDenied):
            role_grant_request(user=self.admin, change=PrivilegedChange(make_superuser=True),
                               requested_by=self.admin, actor=actor_for_user(self.admin))  # fmt: skip

    def test_a_grant_waits_for_a_second_administrator_and_is_logged_with_old_and_new_values(self) -> None:
        target = self.policy
        old_org = str(target.organisation)
        login_verified(self.client, self.admin)
        groups = [*target.groups.values_list("pk", flat=True), self.professional_group.pk]
        response = self.edit(target, groups=groups, organisation=self.team_a.pk, is_superuser="on", first_name="Piet")
        self.assertEqual(response.status_code, 302)
        target.refresh_from_db()
        self.assertEqual(target.first_name, "Piet")  # the ordinary part of the edit is saved
        self.assertFalse(target.is_superuser)  # the privileged part waits
        self.assertFalse(target.groups.filter(pk=self.professional_group.pk).exists())
        self.assertEqual(str(target.organisation), old_org)
        grant = RoleGrantRequest.objects.get()
        self.assertEqual((grant.add_roles, grant.organisation, grant.make_superuser),
                         ([Role.NEIGHBOURHOOD_PROFESSIONAL.value], self.team_a, True))  # fmt: skip
        requested = AccessLogEntry.objects.filter(action=Action.ROLE_CHANGE, object_id=str(target.public_id)).latest("sequence")
        self.assertEqual(requested.changes["status"], "requested")
        self.assertEqual(requested.changes["is_superuser"], {"old": False, "new": True})
        self.assertEqual(requested.changes["organisation"], {"old": old_org, "new": "Buurtteam A"})
        self.assertIn(Role.NEIGHBOURHOOD_PROFESSIONAL.value, requested.changes["roles"]["new"])
        self.assertNotIn(Role.NEIGHBOURHOOD_PROFESSIONAL.value, requested.changes["roles"]["old"])

        # The one who asked cannot confirm it; the refusal is logged.
        changelist = reverse("admin:accounts_rolegrantrequest_changelist")
        self.client.post(changelist, {"action": "confirm_grants", "_selected_action": [grant.pk]})
        grant.refresh_from_db()
        self.assertEqual(grant.status, RoleGrantRequest.Status.PENDING)
        self.assertTrue(AccessLogEntry.objects.filter(action=Action.ROLE_CHANGE, outcome=Outcome.DENIED,
                                                      actor_user_id=self.admin.public_id).exists())  # fmt: skip
        target.refresh_from_db()
        self.assertFalse(target.is_superuser)

        # A second administrator sees it waiting and confirms: now it takes effect.
        login_verified(self.client, self.second)
        self.assertContains(self.client.get(changelist), target.username)
        self.client.post(changelist, {"action": "confirm_grants", "_selected_action": [grant.pk]})
        grant.refresh_from_db()
        self.assertEqual((grant.status, grant.decided_by), (RoleGrantRequest.Status.CONFIRMED, self.second))
        target.refresh_from_db()
        self.assertTrue(target.is_superuser)
        self.assertEqual(target.organisation, self.team_a)
        self.assertTrue(target.groups.filter(pk=self.professional_group.pk).exists())
        made = AccessLogEntry.objects.filter(action=Action.ROLE_CHANGE, object_id=str(target.public_id),
                                             actor_user_id=self.second.public_id, outcome=Outcome.SUCCESS)  # fmt: skip
        changes = [entry.changes for entry in made]
        self.assertIn({"is_superuser": {"old": False, "new": True}, "organisation": {"old": old_org, "new": "Buurtteam A"}}, changes)
        self.assertTrue(any("groups" in c and Role.NEIGHBOURHOOD_PROFESSIONAL.value in c["groups"]["new"]
                            and Role.NEIGHBOURHOOD_PROFESSIONAL.value not in c["groups"]["old"] for c in changes))  # fmt: skip
        self.assertTrue(any(c.get("status") == "confirmed" for c in changes))
        # Decided once: confirming again changes nothing.
        self.client.post(changelist, {"action": "confirm_grants", "_selected_action": [grant.pk]})
        self.assertTrue(chain_verify().intact)

    def test_a_lost_authenticator_app_is_removed_only_when_a_second_administrator_confirms(self) -> None:
        # One administrator who sets a professional's password and removes their app would log in as them.
        from django_otp.plugins.otp_totp.models import TOTPDevice

        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        device = TOTPDevice.objects.create(user=professional, name="app", confirmed=True)
        own = TOTPDevice.objects.create(user=self.admin, name="app", confirmed=True)
        login_verified(self.client, self.admin)
        # No direct removal: the delete page is refused and the list offers only the request.
        self.assertEqual(
            self.client.get(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])).status_code, 403
        )
        changelist = reverse("admin:otp_totp_totpdevice_changelist")
        self.assertNotContains(self.client.get(changelist), 'value="delete_selected"')
        self.client.post(changelist, {"action": "ask_second_factor_removal", "_selected_action": [device.pk, own.pk]})
        self.assertTrue(TOTPDevice.objects.filter(pk=device.pk).exists())
        grant = RoleGrantRequest.objects.get()  # not for the administrator's own app
        self.assertEqual((grant.user, grant.remove_second_factor), (professional, True))
        grants = reverse("admin:accounts_rolegrantrequest_changelist")
        self.client.post(grants, {"action": "confirm_grants", "_selected_action": [grant.pk]})
        self.assertTrue(TOTPDevice.objects.filter(pk=device.pk).exists())  # the one who asked cannot confirm

        login_verified(self.client, self.second)
        self.client.post(grants, {"action": "confirm_grants", "_selected_action": [grant.pk]})
        self.assertFalse(TOTPDevice.objects.filter(user=professional).exists())
        self.assertTrue(TOTPDevice.objects.filter(pk=own.pk).exists())
        logged = AccessLogEntry.objects.filter(action=Action.ROLE_CHANGE, object_id=str(professional.public_id),
                                               actor_user_id=self.second.public_id).latest("sequence")  # fmt: skip
        self.assertEqual(logged.changes["second_factor"], {"old": "set", "new": "removed"})
        self.assertTrue(chain_verify().intact)

    def test_a_role_that_sees_nobody_and_a_role_taken_away_need_no_second_administrator(self) -> None:
        target = self.world.user(Role.RESIDENT)
        login_verified(self.client, self.admin)
        policy_group = Group.objects.get(name=Role.POLICY_OFFICER.value)
        self.edit(target, groups=[*target.groups.values_list("pk", flat=True), policy_group.pk])
        self.assertTrue(target.groups.filter(pk=policy_group.pk).exists())
        self.assertFalse(RoleGrantRequest.objects.exists())
        entry = AccessLogEntry.objects.filter(action=Action.ROLE_CHANGE, object_id=str(target.public_id)).latest("sequence")
        self.assertEqual(entry.changes["groups"]["new"], sorted([Role.RESIDENT.value, Role.POLICY_OFFICER.value]))

    def test_changes_outside_the_admin_are_logged_with_old_and_new_values_too(self) -> None:
        target = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        old = str(target.organisation)
        target.organisation = self.world.organisations["team_b"]
        target.is_superuser = True
        target.save()
        entry = AccessLogEntry.objects.filter(action=Action.ROLE_CHANGE, object_id=str(target.public_id)).latest("sequence")
        self.assertEqual(entry.changes, {"organisation": {"old": old, "new": "Buurtteam B"},
                                         "is_superuser": {"old": False, "new": True}})  # fmt: skip
        self.assertEqual(entry.actor_display, "system")
        self.assertTrue(chain_verify().intact)
