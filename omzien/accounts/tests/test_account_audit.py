# SPDX-License-Identifier: EUPL-1.2
"""Account changes in the access log: who changed a password or a role (security.md A4, BIO 5.18.01)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.test import TestCase, override_settings
from django.urls import reverse

from omzien.accounts.models import User
from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry, Action
from omzien.lib.testing.world import PASSWORD, build_world, login_verified

NEW_PASSWORD = "een-nieuwe-lange-zin-als-wachtwoord"


class AccountAuditTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.admin = cls.world.user(Role.ADMINISTRATOR)
        cls.resident_user = cls.world.user(Role.RESIDENT)

    def entries(self, action: str, user: User) -> list[AccessLogEntry]:
        return list(
            AccessLogEntry.objects.filter(action=action, object_type="user", object_id=str(user.public_id))
        )

    def test_an_administrator_changing_a_password_is_named_in_the_log(self) -> None:
        login_verified(self.client, self.admin)
        url = reverse("admin:auth_user_password_change", args=[self.resident_user.pk])
        response = self.client.post(
            url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
        )
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", None) and response.context.get("form").errors,
        )
        (entry,) = self.entries(Action.PASSWORD_CHANGE, self.resident_user)
        self.assertEqual(entry.actor_display, self.admin.username)
        self.assertEqual(entry.actor_role, Role.ADMINISTRATOR.value)
        self.assertNotIn(NEW_PASSWORD, str(entry.__dict__))

    def test_a_role_given_in_the_admin_is_logged_with_the_administrator_as_actor(self) -> None:
        login_verified(self.client, self.admin)
        response = self.client.post(
            reverse("admin:accounts_user_add"),
            {"username": "nieuwe-medewerker", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
             "usable_password": "true", "organisation": self.world.organisations["team_a"].pk,
             "groups": [Group.objects.get(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value).pk]},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        created = User.objects.get(username="nieuwe-medewerker")
        self.assertEqual(
            [e.actor_display for e in self.entries(Action.ROLE_CHANGE, created)], [self.admin.username]
        )
        # A new account is no password change.
        self.assertEqual(self.entries(Action.PASSWORD_CHANGE, created), [])

    def test_outside_a_request_the_actor_is_the_system(self) -> None:
        before = len(self.entries(Action.ROLE_CHANGE, self.resident_user))
        self.resident_user.groups.add(Group.objects.get(name=Role.VOLUNTEER.value))
        entries = self.entries(Action.ROLE_CHANGE, self.resident_user)
        self.assertEqual(len(entries), before + 1)
        self.assertEqual((entries[-1].actor_display, entries[-1].actor_role), ("system", "system"))

    @override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]
    )
    def test_a_hash_upgraded_at_log_in_is_no_password_change(self) -> None:
        User.objects.filter(pk=self.resident_user.pk).update(password=make_password(PASSWORD, hasher="md5"))
        user = User.objects.get(pk=self.resident_user.pk)
        self.assertTrue(user.check_password(PASSWORD))  # Django re-hashes with PBKDF2 and saves
        user.refresh_from_db()
        self.assertTrue(user.password.startswith("pbkdf2_sha256$"))
        self.assertEqual(self.entries(Action.PASSWORD_CHANGE, user), [])
        user.set_password(NEW_PASSWORD)
        user.save()
        self.assertEqual(len(self.entries(Action.PASSWORD_CHANGE, user)), 1)
