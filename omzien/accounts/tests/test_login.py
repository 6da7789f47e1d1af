# SPDX-License-Identifier: EUPL-1.2
"""Logging in: lock-out per account and address, the second factor, session keys, timeouts, reset."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts.roles import Role
from omzien.accounts.services import user_deactivate
from omzien.audit import events
from omzien.audit.models import AccessLogEntry, Action
from omzien.lib.testing.demo import DemoCityTestCase
from omzien.lib.testing.world import PASSWORD, build_world, login_verified


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


class LoginTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.resident_user = cls.world.user(Role.RESIDENT)
        cls.professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)

    def login(self, username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def test_a_resident_logs_in_without_a_second_factor(self) -> None:
        response = self.login(self.resident_user.username, PASSWORD)
        self.assertRedirects(response, reverse("accounts:start"))
        self.assertContains(self.client.get(reverse("accounts:start")), reverse("residents:my_access_log"))
        self.assertTrue(
            AccessLogEntry.objects.filter(
                action=Action.LOGIN, actor_user_id=self.resident_user.public_id
            ).exists()
        )

    def test_a_wrong_password_is_refused_with_a_message_and_logged(self) -> None:
        response = self.login(self.resident_user.username, "wrong password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'role="alert"')
        entry = AccessLogEntry.objects.get(action=Action.LOGIN_FAILED)
        self.assertEqual(entry.actor_user_id, self.resident_user.public_id)
        self.login("nobody-with-this-name", "x")
        self.assertEqual(
            AccessLogEntry.objects.filter(
                action=Action.LOGIN_FAILED, actor_display="(unknown account)"
            ).count(),
            1,
        )

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_account_at_that_address_only(self) -> None:
        for _ in range(3):
            self.login(self.resident_user.username, "wrong", address="10.6.6.6")
        locked = self.login(self.resident_user.username, PASSWORD, address="10.6.6.6")
        self.assertEqual(locked.status_code, 429)
        self.assertTrue(AccessLogEntry.objects.filter(action=Action.LOCKOUT).exists())
        # The real user, elsewhere, is not locked out by the attacker.
        elsewhere = self.login(self.resident_user.username, PASSWORD, address="10.0.0.2")
        self.assertRedirects(elsewhere, reverse("accounts:start"))

    def test_staff_set_up_and_use_a_second_factor_with_new_session_keys(self) -> None:
        response = self.login(self.professional.username, PASSWORD)
        self.assertTrue(response["Location"].startswith(reverse("accounts:two_factor")))
        key_after_password = self.client.session.session_key
        # Every other page sends staff to the second step first.
        self.assertTrue(
            self.client.get(reverse("residents:list"))["Location"].startswith(reverse("accounts:two_factor"))
        )
        setup = self.client.get(reverse("accounts:two_factor"), follow=True)
        self.assertContains(setup, "<svg")
        device = TOTPDevice.objects.get(user=self.professional, confirmed=False)
        wrong = self.client.post(
            reverse("accounts:two_factor_setup"),
            {"token": "000000" if code_for(device) != "000000" else "111111"},
        )
        self.assertEqual(wrong.status_code, 200)
        device.refresh_from_db()
        # django-otp slows down guessing: after a wrong code the next try must wait a moment.
        with time_machine.travel(timezone.now() + timedelta(seconds=5)):
            done = self.client.post(
                reverse("accounts:two_factor_setup"),
                {"token": code_for(device), "next": reverse("residents:list")},
            )
        self.assertRedirects(done, reverse("residents:list"))
        self.assertNotEqual(self.client.session.session_key, key_after_password)
        self.assertEqual(self.client.get(reverse("residents:list")).status_code, 200)
        self.assertTrue(AccessLogEntry.objects.filter(action=Action.MFA_CHANGE).exists())
        # Next time: password, then the code from the now confirmed device.
        self.client.post(reverse("accounts:logout"))
        self.login(self.professional.username, PASSWORD)
        device.refresh_from_db()
        with time_machine.travel(timezone.now() + timedelta(seconds=60)):
            bad = self.client.post(reverse("accounts:two_factor"), {"token": "12345"})
            self.assertContains(bad, "6 cijfers")
            good = self.client.post(reverse("accounts:two_factor"), {"token": code_for(device)})
            self.assertTrue(self.client.session.session_key)
        self.assertRedirects(good, reverse("accounts:start"), fetch_redirect_response=False)
        self.assertTrue(AccessLogEntry.objects.filter(action=Action.MFA_OK).exists())

    def test_logging_out_deletes_the_session_so_the_old_cookie_is_useless(self) -> None:
        self.login(self.resident_user.username, PASSWORD)
        cookie = self.client.cookies["omzien-session"].value
        self.client.post(reverse("accounts:logout"))
        self.assertFalse(Session.objects.filter(session_key=cookie).exists())
        self.client.cookies["omzien-session"] = cookie
        response = self.client.get(reverse("residents:mine"))
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))

    def test_deactivating_a_user_ends_their_sessions_at_once(self) -> None:
        self.login(self.resident_user.username, PASSWORD)
        self.assertEqual(self.client.get(reverse("residents:mine")).status_code, 200)
        user_deactivate(user=self.resident_user, actor=events.Actor(display="admin", role="administrator"))
        response = self.client.get(reverse("residents:mine"))
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
        self.assertTrue(AccessLogEntry.objects.filter(action=Action.SESSION_REVOKED).exists())

    def test_deactivating_through_a_plain_save_ends_sessions_too(self) -> None:
        login_verified(self.client, self.professional)
        self.professional.is_active = False
        self.professional.save()
        self.assertTrue(
            self.client.get(reverse("residents:list"))["Location"].startswith(reverse("accounts:login"))
        )

    def test_staff_sessions_end_after_15_idle_minutes_residents_after_30(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            login_verified(self.client, self.professional)
            self.assertEqual(self.client.get(reverse("residents:list")).status_code, 200)
            clock.shift(timedelta(minutes=14))
            self.assertEqual(self.client.get(reverse("residents:list")).status_code, 200)
            clock.shift(timedelta(minutes=16))
            response = self.client.get(reverse("residents:list"))
            self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
        with time_machine.travel(start, tick=False) as clock:
            self.client.force_login(self.resident_user)
            self.client.get(reverse("residents:mine"))
            clock.shift(timedelta(minutes=20))
            self.assertEqual(self.client.get(reverse("residents:mine")).status_code, 200)
            clock.shift(timedelta(minutes=31))
            self.assertEqual(self.client.get(reverse("residents:mine")).status_code, 302)

    def test_every_session_ends_after_12_hours_however_active(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            self.client.force_login(self.resident_user)
            for _ in range(12 * 4 + 1):
                clock.shift(timedelta(minutes=15))
                response = self.client.get(reverse("residents:mine"))
            self.assertEqual(response.status_code, 302)

    def test_the_page_knows_when_the_session_ends_and_the_warning_can_extend_it(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            self.client.force_login(self.resident_user)
            page = self.client.get(reverse("residents:mine"))
            expires = int(re.search(r'data-session-expires="(\d+)"', page.content.decode()).group(1))
            self.assertAlmostEqual(expires, start.timestamp() + 30 * 60, delta=2)
            clock.shift(timedelta(minutes=28))
            # The warning's own check does not count as activity.
            extended = self.client.post(reverse("accounts:session_extend")).json()["expires_at"]
            self.assertAlmostEqual(extended, start.timestamp() + 58 * 60, delta=2)

    def test_a_forgotten_password_is_reset_by_mail_sent_through_the_task_queue(self) -> None:
        response = self.client.post(reverse("accounts:password_reset"), {"email": self.resident_user.email})
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"https?://testserver(/account/herstel/\S+/)", mail.outbox[0].body).group(1)
        form_page = self.client.get(link, follow=True)
        new_password = "een-nieuwe-lange-zin-als-wachtwoord"
        done = self.client.post(
            form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
        )
        self.assertRedirects(done, reverse("accounts:password_reset_complete"))
        # Logged, with the holder of the link (not logged in) as actor, their address kept.
        changed = AccessLogEntry.objects.get(
            action=Action.PASSWORD_CHANGE, object_id=str(self.resident_user.public_id)
        )
        self.assertEqual((changed.actor_role, changed.client_ip), ("anonymous", "127.0.0.1"))
        self.assertRedirects(self.login(self.resident_user.username, new_password), reverse("accounts:start"))
        # Unknown addresses get the same answer and no mail (no account enumeration).
        self.client.post(reverse("accounts:password_reset"), {"email": "unknown@example.org"})
        self.assertEqual(len(mail.outbox), 1)

    def test_passwords_are_stored_with_the_configured_hasher(self) -> None:
        self.resident_user.refresh_from_db()
        self.assertEqual(
            identify_hasher(self.resident_user.password).algorithm, "md5"
        )  # production: see test_settings


@pytest.mark.whole_city
class DemoLoginTests(DemoCityTestCase):
    demo_residents = 300  # the whole-city tests' common size: one seed per run

    def test_demo_login_is_off_outside_demo_mode(self) -> None:
        self.assertEqual(
            self.client.post(reverse("accounts:demo_login"), {"role": "resident"}).status_code, 404
        )

    @override_settings(OMZIEN_DEMO=True)
    def test_every_role_logs_in_with_one_click_and_lands_on_its_start_page(self) -> None:
        self.assertContains(self.client.get("/"), 'name="role" value="neighbourhood_professional"')
        for role in Role:
            self.client.logout()
            response = self.client.post(reverse("accounts:demo_login"), {"role": role.value}, follow=True)
            with self.subTest(role=role.value):
                self.assertEqual(response.redirect_chain[-1][0], reverse("accounts:start"))
                self.assertEqual(response.context["current_role"], role)
        self.assertEqual(self.client.post(reverse("accounts:demo_login"), {"role": "king"}).status_code, 404)


class OptionalSecondFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_a_resident_may_add_a_second_factor_and_is_then_asked_for_it(self) -> None:
        resident = self.world.user(Role.RESIDENT)
        self.client.post(reverse("accounts:login"), {"username": resident.username, "password": PASSWORD})
        self.assertContains(self.client.get(reverse("accounts:start")), reverse("accounts:two_factor_setup"))
        self.client.get(reverse("accounts:two_factor_setup"))
        device = TOTPDevice.objects.get(user=resident)
        self.client.post(reverse("accounts:two_factor_setup"), {"token": code_for(device)})
        self.client.post(reverse("accounts:logout"))
        response = self.client.post(
            reverse("accounts:login"), {"username": resident.username, "password": PASSWORD}
        )
        self.assertTrue(response["Location"].startswith(reverse("accounts:two_factor")))
        self.assertTrue(
            self.client.get(reverse("residents:mine"))["Location"].startswith(reverse("accounts:two_factor"))
        )

    def test_an_administrator_ends_a_users_sessions_from_the_admin(self) -> None:
        resident = self.world.user(Role.RESIDENT)
        other = self.client_class()
        other.force_login(resident)
        self.assertEqual(other.get(reverse("residents:mine")).status_code, 200)
        login_verified(self.client, self.world.user(Role.ADMINISTRATOR))
        response = self.client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "end_sessions", "_selected_action": [resident.pk]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            other.get(reverse("residents:mine"))["Location"].startswith(reverse("accounts:login"))
        )


class NextAfterSecondFactorTests(TestCase):
    def test_a_next_address_with_a_query_survives_the_second_step(self) -> None:
        world = build_world()
        target = "/bewoners/?q=a&page=2"
        response = self.client.post(
            reverse("accounts:login"),
            {
                "username": world.user(Role.NEIGHBOURHOOD_PROFESSIONAL).username,
                "password": PASSWORD,
                "next": target,
            },
        )
        self.assertEqual(
            response["Location"], f"{reverse('accounts:two_factor')}?next=%2Fbewoners%2F%3Fq%3Da%26page%3D2"
        )
