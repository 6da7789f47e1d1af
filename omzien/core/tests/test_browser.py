# SPDX-License-Identifier: EUPL-1.2
"""The home page in a real browser: Dutch first, English by the switch, accessible, no other hosts."""

from __future__ import annotations

from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check

pytestmark = [pytest.mark.e2e]


def test_a_visitor_reads_the_home_page_in_dutch_and_switches_to_english(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "Omzien naar elkaar"
    axe_check(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Looking out for one another"
    axe_check(page)
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_the_skip_link_is_the_first_stop_for_keyboard_users(live_server: Any, phone_page: Any) -> None:
    phone_page.goto(live_server.url + "/")
    phone_page.keyboard.press("Tab")
    focused = phone_page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    phone_page.keyboard.press("Enter")
    assert phone_page.evaluate("() => document.activeElement.id") == "main"
    axe_check(phone_page)


def test_the_404_page_is_branded_and_accessible(live_server: Any, page: Any) -> None:
    response = page.goto(live_server.url + "/bestaat-niet")
    assert response.status == 404
    assert "Pagina niet gevonden" in page.get_by_role("heading", level=1).inner_text()
    axe_check(page)


def test_the_axe_helper_fails_on_a_serious_violation(page: Any) -> None:
    # Guards the guard: an image without a text alternative must make axe_check fail.
    from omzien.lib.testing.browser import AxeViolationError

    page.set_content(
        '<html lang="nl"><head><title>t</title></head><body><main><img src="data:,"></main></body></html>'
    )
    with pytest.raises(AxeViolationError, match="image-alt"):
        axe_check(page)


def test_a_search_whose_htmx_answer_fails_is_opened_as_a_page(live_server: Any, page: Any) -> None:
    # The database away answers htmx with a 503 page, which htmx would not show: the search then
    # opens as an ordinary page, so the visitor sees what the server says instead of nothing.
    page.goto(live_server.url + "/activiteiten/")
    answered: list[str] = []

    def fail_htmx_only(route: Any) -> None:
        if route.request.headers.get("hx-request"):
            answered.append("503")
            route.fulfill(status=503, body="Tijdelijk niet beschikbaar")
        else:
            route.continue_()

    page.page.route("**/activiteiten/?*", fail_htmx_only)
    page.get_by_label("Postcode of adres").fill("3511 AB")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/activiteiten/?*where=3511*", timeout=10_000)
    page.wait_for_load_state()
    assert answered == ["503"]
    assert page.get_by_role("heading", level=1).inner_text() == "Activiteiten bij u in de buurt"
