# SPDX-License-Identifier: EUPL-1.2
"""Home page, language choice, error pages and security headers, over HTTP."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import TestCase, override_settings
from django.urls import include, path


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("SECRET-INTERNAL-DETAIL select * from resident")


urlpatterns = [path("boom", _boom, name="boom"), path("", include("omzien.conf.urls"))]
handler500 = "omzien.core.views.error_500"


class HomePageTests(TestCase):
    def test_it_speaks_dutch_even_when_the_browser_asks_for_english(self) -> None:
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, 'lang="nl"')
        self.assertContains(response, "Omzien naar elkaar")
        self.assertContains(response, "Naar de inhoud")  # the skip link
        self.assertEqual(response["Content-Language"], "nl")

    def test_the_language_switch_turns_the_site_english_and_back(self) -> None:
        response = self.client.post("/taal/", {"language": "en", "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        response = self.client.get("/")
        self.assertContains(response, 'lang="en"')
        self.assertContains(response, "Looking out for one another")
        self.client.post("/taal/", {"language": "nl", "next": "/"})
        self.assertContains(self.client.get("/"), "Omzien naar elkaar")

    def test_an_unknown_language_falls_back_to_dutch(self) -> None:
        self.client.cookies["omzien-language"] = "xx"
        self.assertContains(self.client.get("/"), 'lang="nl"')

    def test_it_links_every_rooms_public_start_card(self) -> None:
        from django.urls import reverse

        from omzien.lib.rooms import PUBLIC, rooms

        page = self.client.get("/").content.decode()
        public = [card for room in rooms() for card in room.start_cards if PUBLIC in card.roles]
        self.assertGreaterEqual(len(public), 3)  # the activity search, volunteer work, informal carers
        for card in public:
            self.assertIn(f'href="{reverse(card.url_name)}"', page)
        self.assertIn("Vrijwilligerswerk", page)

    def test_it_shows_the_crisis_numbers_on_every_page(self) -> None:
        for url, status in (("/", 200), ("/bestaat-niet", 404)):
            self.assertContains(self.client.get(url), "0800-0113", status_code=status)

    def test_html_responses_carry_the_security_headers(self) -> None:
        response = self.client.get("/")
        csp = response["Content-Security-Policy"]
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertIn("camera=()", response["Permissions-Policy"])
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_a_valid_traceparent_becomes_the_request_id(self) -> None:
        trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        response = self.client.get("/", HTTP_TRACEPARENT=f"00-{trace}-00f067aa0ba902b7-01")
        self.assertEqual(response["X-Request-ID"], trace)
        response = self.client.get("/", HTTP_TRACEPARENT="garbage\r\nInjected: yes")
        self.assertNotEqual(response["X-Request-ID"], trace)


class ErrorPageTests(TestCase):
    def test_a_missing_page_gets_the_branded_404(self) -> None:
        response = self.client.get("/bestaat-niet")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Pagina niet gevonden", status_code=404)
        self.assertContains(response, "utrecht-page-header", status_code=404)

    @override_settings(ROOT_URLCONF=__name__, DEBUG=False)
    def test_a_crash_shows_the_branded_500_without_internals(self) -> None:
        self.client.raise_request_exception = False
        with self.assertLogs("django.request", level="ERROR"):
            response = self.client.get("/boom")
        self.assertEqual(response.status_code, 500)
        body = response.content.decode()
        self.assertIn("Er ging iets mis", body)
        self.assertIn(response["X-Request-ID"], body)
        for leak in ("SECRET-INTERNAL-DETAIL", "Traceback", "select * from", "SECRET_KEY", "RuntimeError"):
            self.assertNotIn(leak, body)

    def test_a_wrong_method_is_refused(self) -> None:
        self.assertEqual(self.client.post("/").status_code, 405)


class ForbiddenPageTests(TestCase):
    def test_a_logged_in_user_without_access_gets_the_branded_403(self) -> None:
        from omzien.accounts.roles import Role
        from omzien.lib.testing.world import build_world, login_verified

        world = build_world()
        login_verified(self.client, world.user(Role.RESIDENT))
        response = self.client.get("/bewoners/")
        self.assertContains(response, "Geen toegang", status_code=403)
        self.assertContains(response, "utrecht-page-header", status_code=403)
