# SPDX-License-Identifier: EUPL-1.2
"""Issue 15: the lock-out behind a proxy, the access log's address, and the per-account slow-down."""

from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry, Action
from omzien.lib.client import client_address
from omzien.lib.testing.world import PASSWORD, build_world


class FakeRequest:
    def __init__(self, **meta: str) -> None:
        self.META = meta


class ClientAddressTests(TestCase):
    def test_without_trusted_proxy_headers_the_peer_is_the_client(self) -> None:
        request = FakeRequest(REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.1")
        self.assertEqual(client_address(request), "192.0.2.9")

    @override_settings(OMZIEN_TRUST_PROXY_HEADERS=True, OMZIEN_TRUSTED_PROXIES=1)
    def test_one_proxy_the_right_most_entry_is_the_client(self) -> None:
        forged = FakeRequest(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7")
        self.assertEqual(client_address(forged), "198.51.100.7")
        honest = FakeRequest(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
        self.assertEqual(client_address(honest), "198.51.100.7")
        self.assertEqual(client_address(FakeRequest(REMOTE_ADDR="10.0.0.2")), "10.0.0.2")

    @override_settings(OMZIEN_TRUST_PROXY_HEADERS=True, OMZIEN_TRUSTED_PROXIES=2)
    def test_two_proxies_the_second_entry_from_the_right(self) -> None:
        request = FakeRequest(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7, 10.0.0.2")
        self.assertEqual(client_address(request), "198.51.100.7")


@override_settings(OMZIEN_TRUST_PROXY_HEADERS=True, OMZIEN_TRUSTED_PROXIES=1, AXES_FAILURE_LIMIT=5)
class LockoutBehindProxyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.resident_user = cls.world.user(Role.RESIDENT)

    def attempt(self, password: str, forged: str, real: str = "198.51.100.7"):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("accounts:login"), {"username": self.resident_user.username, "password": password},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{forged}, {real}",
        )  # fmt: skip

    def test_thirty_forged_addresses_are_one_address_and_get_locked_out(self) -> None:
        statuses = [self.attempt("wrong", forged=f"203.0.113.{n}").status_code for n in range(30)]
        self.assertEqual(statuses[:4], [200] * 4)  # the fifth failure locks
        self.assertEqual(set(statuses[4:]), {429})
        # The correct password no longer logs in from there.
        self.assertEqual(self.attempt(PASSWORD, forged="203.0.113.200").status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # The access log holds the address the proxy saw, never the forged one.
        addresses = set(AccessLogEntry.objects.filter(action__in=[Action.LOGIN_FAILED, Action.LOCKOUT])
                        .values_list("client_ip", flat=True))  # fmt: skip
        self.assertEqual(addresses, {"198.51.100.7"})


@override_settings(
    AXES_FAILURE_LIMIT=5, OMZIEN_LOGIN_ACCOUNT_FAILURES=10, OMZIEN_LOGIN_SLOWDOWN_SECONDS=30,
)  # fmt: skip
class AccountSlowDownTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.resident_user = cls.world.user(Role.RESIDENT)

    def attempt(self, password: str, address: str, client=None):  # type: ignore[no-untyped-def]
        return (client or self.client).post(
            reverse("accounts:login"), {"username": self.resident_user.username, "password": password},
            REMOTE_ADDR=address,
        )  # fmt: skip

    def test_guesses_from_many_addresses_are_slowed_but_the_real_users_browser_is_not(self) -> None:
        from django.conf import settings
        from django.test import Client

        # The real user logged in once from their own browser before the attack.
        own_browser = Client()
        self.assertEqual(self.attempt(PASSWORD, "192.0.2.10", own_browser).status_code, 302)
        own_browser.cookies.pop(settings.SESSION_COOKIE_NAME)  # logged out; the browser keeps its other cookies
        # An attacker spreads guesses over many addresses: each address stays under axes' limit.
        statuses = [self.attempt("wrong", f"203.0.113.{n}").status_code for n in range(40)]
        self.assertEqual(statuses[:10], [200] * 10)  # ten failures for the account, then the slow-down
        self.assertEqual(statuses[10], 200)  # one attempt per 30 seconds still gets through
        self.assertEqual(set(statuses[11:]), {429})
        guessed = AccessLogEntry.objects.filter(action=Action.LOGIN_FAILED).count()
        self.assertEqual(guessed, 11)  # the password was checked 11 times, not 40
        slowed = self.attempt(PASSWORD, "203.0.113.250")
        self.assertContains(slowed, "Even geduld", status_code=429)
        self.assertTrue(1 <= int(slowed["Retry-After"]) <= 30)
        self.assertNotIn("_auth_user_id", self.client.session)
        # The real user, from their own browser, is not slowed and not locked out.
        response = self.attempt(PASSWORD, "192.0.2.10", own_browser)
        self.assertRedirects(response, reverse("accounts:start"), fetch_redirect_response=False)

    def test_a_forged_or_other_accounts_device_cookie_does_not_help(self) -> None:
        from django.conf import settings

        for n in range(10):
            self.attempt("wrong", f"203.0.113.{n}")
        self.attempt("wrong", "203.0.113.99")  # takes the slot
        self.client.cookies[settings.OMZIEN_DEVICE_COOKIE_NAME] = "forged:value"
        self.assertEqual(self.attempt(PASSWORD, "203.0.113.100").status_code, 429)

    def test_the_owner_who_resets_the_password_by_mail_is_not_slowed_from_that_browser(self) -> None:
        import re

        from django.core import mail
        from django.test import Client

        for n in range(11):
            self.attempt("wrong", f"203.0.113.{n}")
        owner = Client()
        self.assertEqual(self.attempt(PASSWORD, "192.0.2.20", owner).status_code, 429)  # slowed, a new browser
        owner.post(reverse("accounts:password_reset"), {"email": self.resident_user.email})
        link = re.search(r"https?://testserver(/account/herstel/\S+/)", mail.outbox[-1].body).group(1)
        form_page = owner.get(link, follow=True)
        new_password = "een-nieuwe-lange-zin-als-wachtwoord"
        owner.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
        response = owner.post(reverse("accounts:login"), {"username": self.resident_user.username,
                                                          "password": new_password}, REMOTE_ADDR="192.0.2.20")  # fmt: skip
        self.assertEqual(response.status_code, 302)
        # The attacker, elsewhere, is still slowed.
        self.assertEqual(self.attempt(new_password, "203.0.113.77").status_code, 429)
