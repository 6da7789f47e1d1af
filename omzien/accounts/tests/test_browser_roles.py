# SPDX-License-Identifier: EUPL-1.2
"""Every demo role in a real browser: one-click login, its start page and menu, accessible, screenshots."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts.roles import Role
from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What each role's menu must offer (Dutch labels).
MENU = {
    Role.RESIDENT: "Mijn gegevens",
    Role.VOLUNTEER: "Mijn koppelingen",
    Role.MEAL_HOST: "Mijn gasten",
    Role.NEIGHBOURHOOD_PROFESSIONAL: "Cliënten",
    Role.COORDINATOR: "Bewoners die wij ondersteunen",
    Role.ACTIVITY_PROVIDER: "Deelnemers",
    Role.SOCIAL_BROKER: "Bewoners die wij ondersteunen",
    Role.POLICY_OFFICER: "Cijfers",
    Role.ADMINISTRATOR: "Toegangslog",
}


@pytest.fixture
def demo_city(settings: Any) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()


def test_each_demo_role_logs_in_with_one_click_and_uses_its_menu(
    live_server: Any, page: Any, demo_city: None
) -> None:
    for role, menu_label in MENU.items():
        page.context.clear_cookies()
        page.goto(live_server.url + "/")
        page.locator(f"form:has(input[value='{role.value}']) button").click()
        page.wait_for_url("**/account/start/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
        axe_check(page)
        screenshot(page.page, f"role-{role.value}-start")
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name=menu_label, exact=True
        ).click()
        page.wait_for_load_state()
        assert page.url != live_server.url + "/account/start/", role
        axe_check(page)
        screenshot(page.page, f"role-{role.value}-{menu_label}")


def test_a_professional_finds_a_client_and_switches_language(
    live_server: Any, page: Any, demo_city: None
) -> None:
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='neighbourhood_professional']) button").click()
    page.get_by_role("link", name="Cliënten").first.click()
    rows = page.locator("[data-resident]")
    assert rows.count() > 0
    rows.first.get_by_role("link").click()
    assert page.get_by_text("Geboortedatum").is_visible()
    axe_check(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_text("Date of birth").is_visible()


def test_staff_log_in_with_password_and_a_code_from_their_app(
    live_server: Any, page: Any, demo_city: None
) -> None:
    from omzien.accounts.demo import DEMO_USERNAMES
    from omzien.core.demo_city import DEMO_PASSWORD

    page.goto(live_server.url + "/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(DEMO_USERNAMES[Role.COORDINATOR])
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account/tweestaps/instellen/**")
    axe_check(page)
    screenshot(page.page, "two-factor-setup")
    device = TOTPDevice.objects.get(user__username=DEMO_USERNAMES[Role.COORDINATOR], confirmed=False)
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="App koppelen").click()
    page.wait_for_url("**/account/start/")
    assert "Uw authenticator-app is gekoppeld" in page.content()
    axe_check(page)


def test_a_form_error_is_announced_and_linked_to_its_field(
    live_server: Any, page: Any, demo_city: None
) -> None:
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='neighbourhood_professional']) button").click()
    page.goto(live_server.url + "/bewoners/nieuw/")
    page.get_by_label("Voornaam").fill("Test")
    page.get_by_label("Achternaam").fill("Persoon")
    page.get_by_label("Postcode").fill("12")
    page.get_by_role("button", name="Bewoner aanmelden").click()
    postcode = page.get_by_label("Postcode")
    assert postcode.get_attribute("aria-invalid") == "true"
    assert (
        "Dit is geen Nederlandse postcode"
        in page.locator(f"#{postcode.get_attribute('aria-describedby').split()[-1]}").inner_text()
    )
    axe_check(page)


def test_the_session_warning_appears_only_near_the_end_and_extends_the_session(
    live_server: Any, page: Any, demo_city: None, settings: Any
) -> None:
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='resident']) button").click()
    page.wait_for_url("**/account/start/")
    warning = page.get_by_role("alertdialog")
    assert not warning.is_visible()  # 30 minutes left: no warning
    settings.OMZIEN_RESIDENT_IDLE_MINUTES = 2  # now every page is within two minutes of its end
    page.reload()
    warning.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Ingelogd blijven"
    axe_check(page)
    screenshot(page.page, "session-warning")
    settings.OMZIEN_RESIDENT_IDLE_MINUTES = 30
    page.keyboard.press("Enter")
    warning.wait_for(state="hidden")
