# SPDX-License-Identifier: EUPL-1.2
"""The self-test by keyboard on a phone, and a professional's two measurements, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from omzien.audit.models import AccessLogEntry
from omzien.lib.testing.browser import axe_check, screenshot
from omzien.wellbeing.models import ContactRequest, Measurement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_self_test_by_keyboard_only_on_a_phone(live_server: Any, phone_page: Any) -> None:
    phone_page.goto(live_server.url + "/zelftest/")
    axe_check(phone_page)
    phone_page.locator("input[name='item_1']").first.focus()
    for _item in range(11):
        # Arrow keys move within a radio group and select; Tab goes on to the next statement.
        phone_page.keyboard.press("ArrowDown")
        phone_page.keyboard.press("Tab")
    assert phone_page.locator("input[type=radio]:checked").count() == 11
    phone_page.get_by_role("button", name="Bekijk mijn uitkomst").focus()
    with phone_page.expect_navigation():
        phone_page.keyboard.press("Enter")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Uw uitkomst"
    assert "0800-0113" in phone_page.content()
    axe_check(phone_page)
    screenshot(phone_page.page, "self-test-result-phone")
    assert ContactRequest.objects.count() == 0
    assert AccessLogEntry.objects.count() == 0


def test_a_professional_records_two_measurements_and_sees_the_change(
    live_server: Any, page: Any, settings: Any
) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    before = Measurement.objects.count()  # casework's demo history holds measurements too
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='neighbourhood_professional']) button").click()
    page.get_by_role("link", name="Cliënten").first.click()
    page.locator("[data-resident] a").first.click()
    page.get_by_role("link", name="Metingen eenzaamheid").click()
    for lonely_answer in ("ja", "nee"):
        page.get_by_role("link", name="De Jong Gierveld, 11 items").click()
        # locator.all() does not wait: without this, a slow form page left the list empty and the
        # form was sent unanswered (CI, stop 32).
        page.wait_for_url("**/metingen/nieuw/**")
        items = page.locator("fieldset.omzien-item")
        assert items.count() == 11
        for fieldset in items.all():
            text = fieldset.locator("legend").inner_text()
            positive = any(
                word in text
                for word in (
                    "altijd wel iemand",
                    "genoeg mensen",
                    "veel mensen",
                    "voldoende",
                    "vrienden terecht",
                )
            )
            wanted = {"ja": "nee" if positive else "ja", "nee": "ja" if positive else "nee"}[lonely_answer]
            fieldset.get_by_label(wanted, exact=True).check()
        axe_check(page)
        page.get_by_role("button", name="Meting opslaan").click()
        page.wait_for_url("**/metingen/")
    change = page.get_by_test_id("change").last.inner_text()
    assert change.startswith("-11") and "betrouwbare verandering" in change
    axe_check(page)
    screenshot(page.page, "measurements")
    assert Measurement.objects.count() == before + 2
