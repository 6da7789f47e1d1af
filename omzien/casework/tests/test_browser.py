# SPDX-License-Identifier: EUPL-1.2
"""A neighbour reports a worry on a phone; the buurtteam sees it with its deadline, assigns it and decides.

In a real browser (Debian's Chromium), axe-clean at 320 and 1280 px wide, in Dutch.
"""

from __future__ import annotations

from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scrolling(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => !(e.parentElement && e.parentElement.closest('.omzien-table-wrap')) && e.getBoundingClientRect().right > 321)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + '/' + e.scrollWidth)"
    )
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px): {wide}"


def test_a_neighbour_reports_and_the_team_assigns_and_decides(
    live_server: Any, page: Any, narrow_page: Any, settings: Any
) -> None:
    from omzien.casework.models import Signal
    from omzien.geo.models import Postcode
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    postcode = (
        Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$", neighbourhood__district__name="Overvecht")
        .order_by("code").values_list("code", flat=True).first()
    )  # fmt: skip
    assert postcode

    # The neighbour, on a 320 px phone, without an account.
    narrow_page.goto(live_server.url + "/zorgmelding/")
    assert "112" in narrow_page.get_by_test_id("emergency").inner_text()
    assert "0800-2000" in narrow_page.get_by_test_id("emergency").inner_text()
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    # Sent half-filled: clear messages, nothing lost.
    narrow_page.get_by_label("Achternaam").fill("Vergeten")
    narrow_page.get_by_label("Postcode").fill("12345")
    narrow_page.get_by_role("button", name="Versturen").click()
    assert narrow_page.get_by_role("alert").is_visible()
    assert "Dit is geen Nederlandse postcode" in narrow_page.content()
    assert narrow_page.get_by_label("Achternaam").input_value() == "Vergeten"
    axe_check(narrow_page)
    narrow_page.get_by_label("buur", exact=True).check()
    narrow_page.get_by_label("Uw naam").fill("Bea Buur")
    narrow_page.get_by_label("Uw telefoonnummer").fill("06-11112222")
    narrow_page.get_by_label("Voornaam").fill("Gerrit")
    narrow_page.get_by_label("Achternaam").fill("Zorgenkind")
    narrow_page.get_by_label("Postcode").fill(postcode)
    narrow_page.get_by_label("Huisnummer").fill("7")
    narrow_page.get_by_label("Wat heeft u gezien of gehoord?").fill("De gordijnen blijven al een week dicht.")
    narrow_page.get_by_role("group", name="Weet de persoon dat u dit meldt?").get_by_label("nee").check()
    narrow_page.get_by_role("group", name="Vindt de persoon het goed?").get_by_label("Weet ik niet").check()
    narrow_page.get_by_label("Binnen een paar werkdagen").check()
    narrow_page.get_by_role("button", name="Versturen").click()
    narrow_page.wait_for_url("**/zorgmelding/ontvangen/**")
    signal = Signal.objects.get(last_name="Zorgenkind")
    assert signal.reference in narrow_page.get_by_test_id("receipt").inner_text()
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    screenshot(narrow_page, "casework-public-report-received-320")

    # The buurtteam, at 1280 px: the signal in the queue with its deadline.
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='neighbourhood_professional']) button").click()
    page.wait_for_url("**/account/start/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Meldingen").click()
    page.get_by_test_id("queue-views").get_by_role("link", name="Nieuw").click()
    row = page.locator(f"[data-signal='{signal.reference}']")
    assert row.is_visible()
    deadline = row.get_by_test_id("deadline").inner_text()
    assert str(signal.deadline.day) in deadline
    axe_check(page)
    screenshot(page.page, "casework-queue-1280")
    row.get_by_role("link").click()
    assert "Reageren vóór" in page.get_by_test_id("signal-deadline").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Toewijzen").click()
    assert "De melding is toegewezen." in page.content()
    signal.refresh_from_db()
    assert signal.status == "assigned"
    # A decision without what it needs is refused with the reason; then decided.
    page.get_by_label("geen actie").check()
    page.get_by_role("button", name="Besluit opslaan").click()
    assert "Geef de reden waarom geen actie nodig is." in page.content()
    axe_check(page)
    page.get_by_label("geen actie").check()
    page.get_by_label("Reden of toelichting").fill("Dochter komt dagelijks langs; bewoner wil geen hulp.")
    page.get_by_role("button", name="Besluit opslaan").click()
    assert "geen actie" in page.get_by_test_id("outcome").inner_text()
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == ("decided", "no_action")
    axe_check(page)
    screenshot(page.page, "casework-decided-1280")

    # The same queue at 320 px: readable without sideways scrolling of the page.
    narrow_page.context.add_cookies(page.context.cookies())
    narrow_page.goto(live_server.url + "/meldingen/?weergave=decided")
    assert narrow_page.locator(f"[data-signal='{signal.reference}']").count() == 1
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
