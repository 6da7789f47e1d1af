# SPDX-License-Identifier: EUPL-1.2
"""Residents log in with DigiD through a real OpenID Connect provider (oidc-provider-mock on loopback):
the whole redirect, code exchange, token and logout flow, the one-time link code, and every refusal —
tampered state, nonce and token, an expired token, a wrong audience, too low a level — with a clear page
and an access-log entry."""

from __future__ import annotations

import re
import time
from contextlib import ExitStack
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

import requests

from omzien.accounts.demo_provider import DIGID_MIDDEN, ProviderControl, provider_running
from omzien.accounts.models import OidcIdentity
from omzien.accounts.oidc import bsn_valid, metadata_forget, subject_hash
from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.residents.models import Resident
from omzien.rights import services
from omzien.rights.models import LinkCode
from omzien.rights.tests.base import RightsTestCase

KEY = "a-test-only-subject-key-of-forty-characters!"


def _bsns() -> list[str]:
    """Synthetic BSNs in the 9999 test range that pass the eleven test."""
    return [str(number) for number in range(999990000, 999990400) if bsn_valid(str(number))]


BSNS = _bsns()


class DigidLoginTests(RightsTestCase):
    provider: str
    control: ProviderControl

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        stack = ExitStack()
        cls.provider, cls.control = stack.enter_context(provider_running(users=()))
        cls.addClassCleanup(stack.close)

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(OMZIEN_OIDC_ISSUER=self.provider, OMZIEN_OIDC_SUBJECT_KEY=KEY))
        metadata_forget()
        self.addCleanup(metadata_forget)
        self.control.tamper_token = False
        self._subject = 0

    # --- helpers ------------------------------------------------------------------------------------

    def _user_at_provider(self, bsn: str, **claims: Any) -> str:
        """A DigiD user at the provider (a fresh subject per call), with a BSN and the DigiD level Midden."""
        self._subject += 1
        sub = f"{self._testMethodName}-{self._subject}"
        response = requests.put(
            f"{self.provider}/users/{sub}", json={"bsn": bsn, "acr": DIGID_MIDDEN, **claims}, timeout=5
        )
        assert response.status_code == 204
        return sub

    def _digid(self, sub: str, *, state: str | None = None, nonce: str | None = None) -> Any:
        """Start at Omzien, authorise at the provider as ``sub``, return Omzien's answer to the callback."""
        start = self.client.get("/account/digid/")
        self.assertEqual(start.status_code, 302)
        authorize = start["Location"]
        self.assertTrue(authorize.startswith(f"{self.provider}/oauth2/authorize?"))
        query = parse_qs(urlsplit(authorize).query)
        self.assertEqual(query["code_challenge_method"], ["S256"])  # PKCE on top of state and nonce
        if nonce is not None:
            authorize = re.sub(r"nonce=[^&]+", f"nonce={nonce}", authorize)
        answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
        self.assertEqual(answer.status_code, 302, answer.text[:300])
        callback = urlsplit(answer.headers["Location"])
        self.assertEqual(callback.path, "/account/digid/terug/")
        path = f"{callback.path}?{callback.query}"
        if state is not None:
            path = re.sub(r"state=[^&]+", f"state={state}", path)
        return self.client.get(path)

    def _linked(self, bsn: str) -> None:
        OidcIdentity.objects.create(user=self.resident_user, subject_hash=subject_hash(bsn))

    def _refused(self, response: Any, reason: str) -> None:
        self.assertEqual(response.status_code, 503 if reason == "unreachable" else 403)
        self.assertContains(response, f'data-reason="{reason}"', status_code=response.status_code)
        self.assertContains(response, "Logging in with DigiD did not work", status_code=response.status_code)
        self.assertFalse(response.wsgi_request.user.is_authenticated)
        self.assertTrue(
            AccessLogEntry.objects.filter(action="login_failed", outcome="denied", object_type="oidc_login",
                                          object_id=reason).exists(),
            f"no access-log entry for the refusal '{reason}'",
        )  # fmt: skip

    # --- a returning resident ---------------------------------------------------------------------------

    def test_a_linked_resident_logs_in_with_digid_and_out_at_the_provider_too(self) -> None:
        self._linked(BSNS[0])
        response = self._digid(self._user_at_provider(BSNS[0]))
        self.assertRedirects(response, "/account/start/", fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.resident_user.pk))
        page = self.client.get("/mijn/privacy/")
        self.assertEqual(page.status_code, 200)  # a resident's page, no second factor asked
        self.assertTrue(
            AccessLogEntry.objects.filter(
                action="login", object_id=str(self.resident_user.public_id)
            ).exists()
        )
        identity = OidcIdentity.objects.get(user=self.resident_user)
        self.assertIsNotNone(identity.last_login_at)
        # Nothing stores the BSN itself.
        self.assertNotIn(BSNS[0], identity.subject_hash)
        self.assertFalse(AccessLogEntry.objects.filter(object_id__contains=BSNS[0]).exists())
        # Logging out ends the session here and sends the browser to the provider's end-session page.
        out = self.client.post("/account/uitloggen/")
        self.assertEqual(out.status_code, 302)
        self.assertTrue(out["Location"].startswith(f"{self.provider}/oauth2/end_session?"))
        self.assertIn("id_token_hint=", out["Location"])
        self.assertEqual(self.client.get("/mijn/privacy/").status_code, 302)

    def test_the_hash_is_keyed_a_different_key_does_not_recognise_the_resident(self) -> None:
        self._linked(BSNS[1])
        with override_settings(OMZIEN_OIDC_SUBJECT_KEY="another-key-another-key-another-key-42"):
            response = self._digid(self._user_at_provider(BSNS[1]))
        self.assertRedirects(response, "/mijn/koppelen/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    # --- a first login and the link code -----------------------------------------------------------

    def test_a_first_login_links_the_record_with_a_one_time_code_from_the_professional(self) -> None:
        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        resident = self.world.residents["a"]
        self.login(professional)
        made = self.client.post(f"/bewoners/{resident.public_id}/inlogcode/")
        self.assertEqual(made.status_code, 200)
        code = re.search(r'data-testid="link-code"><strong>([A-Z0-9-]+)<', made.content.decode()).group(1)
        stored = LinkCode.objects.get(resident=resident)
        self.assertNotIn(code.replace("-", ""), stored.code_hash)  # only the keyed hash is kept
        self.client.logout()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logout() empties the cookie jar

        response = self._digid(self._user_at_provider(BSNS[2]))
        self.assertRedirects(response, "/mijn/koppelen/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/mijn/koppelen/").status_code, 200)
        wrong = self.client.post("/mijn/koppelen/", {"code": "AAAA-BBBB-CCCC"})
        self.assertContains(wrong, "This link code is not valid", status_code=400)
        empty = self.client.post("/mijn/koppelen/", {"code": ""})
        self.assertContains(empty, "Type the link code", status_code=400)
        linked = self.client.post("/mijn/koppelen/", {"code": code.lower().replace("-", " ")})
        self.assertRedirects(linked, "/account/start/", fetch_redirect_response=False)
        resident.refresh_from_db()
        self.assertIsNotNone(resident.user)
        self.assertEqual(self.client.session["_auth_user_id"], str(resident.user.pk))
        self.assertFalse(resident.user.has_usable_password())
        self.assertEqual(OidcIdentity.objects.get(user=resident.user).subject_hash, subject_hash(BSNS[2]))
        stored.refresh_from_db()
        self.assertIsNotNone(stored.used_at)

        # Next time DigiD alone is enough; the used code links nobody else.
        self.client.post("/account/uitloggen/")
        again = self._digid(self._user_at_provider(BSNS[2]))
        self.assertRedirects(again, "/account/start/", fetch_redirect_response=False)
        self.client.post("/account/uitloggen/")
        self._digid(self._user_at_provider(BSNS[3]))
        reused = self.client.post("/mijn/koppelen/", {"code": code})
        self.assertContains(reused, "This link code is not valid", status_code=400)
        self.assertFalse(OidcIdentity.objects.filter(subject_hash=subject_hash(BSNS[3])).exists())

    def test_an_expired_or_replaced_code_links_nothing(self) -> None:
        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        resident = self.world.residents["a"]
        old = timezone.now() - timedelta(days=30)
        _expired, expired_code = services.link_code_create(
            resident=resident, acting_user=professional, now=old
        )
        _first, replaced_code = services.link_code_create(resident=resident, acting_user=professional)
        _second, _current = services.link_code_create(resident=resident, acting_user=professional)
        self._digid(self._user_at_provider(BSNS[4]))
        for code in (expired_code, replaced_code):
            response = self.client.post("/mijn/koppelen/", {"code": code})
            self.assertContains(response, "This link code is not valid", status_code=400)
        self.assertFalse(OidcIdentity.objects.exists())
        self.assertEqual(AccessLogEntry.objects.filter(object_type="link_code", outcome="denied").count(), 2)

    def test_the_link_page_without_a_digid_login_only_says_to_log_in_first(self) -> None:
        code = services.link_code_create(resident=self.world.residents["a"], acting_user=self.officer)[1]
        response = self.client.post("/mijn/koppelen/", {"code": code})
        self.assertContains(response, "First log in with DigiD", status_code=400)
        self.assertFalse(OidcIdentity.objects.exists())

    def test_another_teams_resident_gets_no_code(self) -> None:
        self.login(self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        response = self.client.post(f"/bewoners/{self.world.residents['b'].public_id}/inlogcode/")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(LinkCode.objects.exists())

    # --- refusals -----------------------------------------------------------------------------------------

    def test_a_tampered_state_is_refused(self) -> None:
        self._linked(BSNS[5])
        self._refused(self._digid(self._user_at_provider(BSNS[5]), state="forged-state"), "state")

    def test_a_replayed_answer_is_refused(self) -> None:
        self._linked(BSNS[5])
        response = self._digid(self._user_at_provider(BSNS[5]))
        self.assertEqual(response.status_code, 302)
        self.client.post("/account/uitloggen/")
        self._refused(self.client.get(response.wsgi_request.get_full_path()), "state")

    def test_a_tampered_nonce_is_refused(self) -> None:
        self._linked(BSNS[6])
        self._refused(self._digid(self._user_at_provider(BSNS[6]), nonce="forged-nonce"), "nonce")

    def test_a_tampered_token_is_refused(self) -> None:
        self._linked(BSNS[7])
        self.control.tamper_token = True
        self._refused(self._digid(self._user_at_provider(BSNS[7])), "signature")

    def test_an_expired_token_is_refused(self) -> None:
        self._linked(BSNS[8])
        sub = self._user_at_provider(BSNS[8], exp=int(time.time()) - 3600)
        self._refused(self._digid(sub), "expired")

    def test_a_token_for_another_audience_is_refused(self) -> None:
        self._linked(BSNS[9])
        self._refused(self._digid(self._user_at_provider(BSNS[9], aud="another-service")), "audience")

    def test_a_token_from_another_issuer_is_refused(self) -> None:
        self._linked(BSNS[9])
        self._refused(self._digid(self._user_at_provider(BSNS[9], iss="https://elsewhere.example")), "issuer")

    def test_digid_basis_is_not_enough(self) -> None:
        self._linked(BSNS[10])
        sub = self._user_at_provider(
            BSNS[10], acr="urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        )
        self._refused(self._digid(sub), "assurance")

    def test_no_or_an_invalid_bsn_is_refused(self) -> None:
        self._refused(self._digid(self._user_at_provider("123456789")), "identifier")

    def test_acting_for_someone_else_is_refused(self) -> None:
        self._linked(BSNS[11])
        self._refused(self._digid(self._user_at_provider(BSNS[11], act={"sub": "someone"})), "mandate")

    def test_a_staff_account_cannot_log_in_with_digid(self) -> None:
        OidcIdentity.objects.create(user=self.officer, subject_hash=subject_hash(BSNS[12]))
        self._refused(self._digid(self._user_at_provider(BSNS[12])), "staff_account")

    def test_cancelling_at_the_provider(self) -> None:
        start = self.client.get("/account/digid/")
        answer = requests.post(start["Location"], data={"action": "deny"}, allow_redirects=False, timeout=5)
        callback = urlsplit(answer.headers["Location"])
        self._refused(self.client.get(f"{callback.path}?{callback.query}"), "cancelled")

    def test_an_unreachable_provider(self) -> None:
        with override_settings(OMZIEN_OIDC_ISSUER="http://127.0.0.1:9"):
            metadata_forget()
            self._refused(self.client.get("/account/digid/"), "unreachable")

    def test_the_login_page_offers_digid_only_when_configured(self) -> None:
        self.assertContains(self.client.get("/account/inloggen/"), 'data-testid="login-digid"')
        with override_settings(OMZIEN_OIDC_ISSUER=""):
            self.assertNotContains(self.client.get("/account/inloggen/"), 'data-testid="login-digid"')
            self.assertEqual(self.client.get("/account/digid/").status_code, 404)

    def test_a_password_login_does_not_ask_the_provider(self) -> None:
        before = len(self.control.token_requests)
        self.resident_user.set_password("a-long-password-1")
        self.resident_user.save()
        response = self.client.post("/account/inloggen/", {"username": self.resident_user.username,
                                                            "password": "a-long-password-1"})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(self.control.token_requests), before)

    def test_the_digid_backend_grants_no_permissions_of_its_own(self) -> None:
        from omzien.accounts.oidc import ResidentOidcBackend

        backend = ResidentOidcBackend()
        self.assertEqual(backend.get_all_permissions(self.officer), set())
        self.assertFalse(backend.has_perm(self.officer, "rights.handle_privacy_request"))
        self.assertTrue(Resident.objects.filter(user=self.resident_user).exists())


class LinkPageThrottleTests(RightsTestCase):
    def test_the_link_form_takes_ten_codes_an_hour_from_one_address(self) -> None:
        for _attempt in range(10):
            self.assertEqual(self.client.post("/mijn/koppelen/", {"code": "AAAA-BBBB-CCCC"}).status_code, 400)
        response = self.client.post("/mijn/koppelen/", {"code": "AAAA-BBBB-CCCC"})
        self.assertEqual(response.status_code, 429)
        self.assertFalse(OidcIdentity.objects.exists())


class AccountLinkTests(RightsTestCase):
    def test_a_code_links_the_residents_existing_account_and_never_a_staff_account(self) -> None:
        from omzien.audit import events

        actor = events.Actor(display="anonymous", role="anonymous")
        with override_settings(OMZIEN_OIDC_SUBJECT_KEY=KEY):
            _made, code = services.link_code_create(resident=self.me, acting_user=self.officer)
            user = services.account_link(code=code, subject_hash=subject_hash(BSNS[0]), actor=actor)
            self.assertEqual(user, self.resident_user)  # the password account the resident had
            self.assertEqual(
                OidcIdentity.objects.get(user=self.resident_user).subject_hash, subject_hash(BSNS[0])
            )
            # A record whose account is a staff member's: the code links nothing.
            other = self.world.residents["b"]
            other.user = self.officer
            other.save(update_fields=["user"])
            _made, staff_code = services.link_code_create(resident=other, acting_user=self.officer)
            with self.assertRaisesMessage(services.RequestError, "cannot log in with DigiD"):
                services.account_link(code=staff_code, subject_hash=subject_hash(BSNS[1]), actor=actor)
            self.assertFalse(OidcIdentity.objects.filter(user=self.officer).exists())


class ErasureTests(RightsTestCase):
    def test_an_erasure_removes_the_digid_login(self) -> None:
        OidcIdentity.objects.create(user=self.resident_user, subject_hash="f" * 64)
        request = services.request_submit(
            resident=self.me, kind="erasure", explanation="", acting_user=self.resident_user
        )
        services.request_decide(request=request, grant=True, reasons="Granted.", acting_user=self.officer)
        self.assertFalse(OidcIdentity.objects.exists())
        request.refresh_from_db()
        self.assertEqual(request.erasure_report["removed"]["accounts.digid_login"], {"digid_login": 1})
