# SPDX-License-Identifier: EUPL-1.2
"""A resident who also volunteers switches roles in the header, in a real browser, at 1280 and 320 px."""

from __future__ import annotations

from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resident_who_volunteers(settings: Any) -> None:
    from django.contrib.auth.models import Group

    from omzien.accounts.models import User
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    User.objects.get(username="demo-bewoner").groups.add(Group.objects.get(name="volunteer"))


@pytest.mark.parametrize("width", [1280, 320])
def test_a_resident_who_volunteers_switches_role_in_the_header(
    live_server: Any, page: Any, resident_who_volunteers: None, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='resident']) button").click()
    page.wait_for_url("**/account/start/")
    header = page.locator(".omzien-user")
    assert header.locator(".omzien-user__role").inner_text() == "bewoner"
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Mijn gegevens", exact=True).is_visible()
    axe_check(page)
    screenshot(page.page, f"role-switch-resident-{width}")
    page.get_by_label("Werken als").select_option("volunteer")
    page.get_by_role("button", name="Wisselen").click()
    page.wait_for_url("**/account/start/")
    assert header.locator(".omzien-user__role").inner_text() == "vrijwilliger"
    assert page.get_by_text("U werkt nu als vrijwilliger.").is_visible()
    assert menu.get_by_role("link", name="Mijn koppelingen", exact=True).is_visible()
    assert menu.get_by_role("link", name="Mijn gegevens", exact=True).count() == 0
    # The switcher wraps within the page at 320 px (WCAG 1.4.10 reflow).
    assert page.evaluate("document.querySelector('.omzien-role-switch').getBoundingClientRect().right") <= width
    axe_check(page)
    screenshot(page.page, f"role-switch-volunteer-{width}")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert header.locator(".omzien-user__role").inner_text() == "volunteer"
    page.get_by_label("Work as").select_option("resident")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_url("**/account/start/")
    assert page.get_by_text("You now work as resident.").is_visible()
    screenshot(page.page, f"role-switch-back-en-{width}")
