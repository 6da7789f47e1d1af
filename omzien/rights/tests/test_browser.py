# SPDX-License-Identifier: EUPL-1.2
"""A resident on a phone downloads their data and asks for erasure; the privacy officer grants it; afterwards
no table holds the resident's e-mail, phone or public id — in a real browser (Debian's Chromium), Dutch and
English, axe-clean at 320 and 1280 px, with clear messages on bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def narrow_page(browser: Any) -> Iterator[Any]:
    """The narrowest screen WCAG 1.4.10 asks for: 320 CSS pixels."""
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 320, "height": 800}, has_touch=True, is_mobile=True
    )
    yield context.new_page()
    context.close()


def _no_sideways_scrolling(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px)"


def _tables_holding(values: list[str]) -> list[str]:
    """Every table.column whose text holds one of the values (the whole database, every text column)."""
    from django.db import connection

    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                for value in values:
                    cursor.execute(
                        f'SELECT 1 FROM "{table}" WHERE CAST("{column.name}" AS TEXT) LIKE %s LIMIT 1',  # noqa: S608 - names from introspection
                        [f"%{value}%"],
                    )
                    if cursor.fetchone():
                        found.append(f"{table}.{column.name}")
    return found


def test_a_resident_downloads_asks_for_erasure_and_the_privacy_officer_grants_it(
    live_server: Any, page: Any, narrow_page: Any, settings: Any, tmp_path: Path
) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.residents.models import Resident

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()

    # The resident, on a 320 px phone: from the start page to My privacy.
    narrow_page.goto(live_server.url + "/")
    narrow_page.locator("form:has(input[value='resident']) button").click()
    narrow_page.wait_for_url("**/account/start/")
    from omzien.accounts.demo import demo_usernames
    from omzien.accounts.roles import Role

    resident = Resident.objects.get(user__username=demo_usernames()[Role.RESIDENT])
    narrow_page.get_by_role("link", name="Mijn privacy").first.click()
    narrow_page.wait_for_url("**/mijn/privacy/")
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)

    # Download all my data, machine-readable: every room's section, their own name in it.
    with narrow_page.expect_download() as download:
        narrow_page.get_by_test_id("export-json").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert resident.last_name in json.dumps(data)
    assert {"resident", "measurements", "activities"} <= {section["key"] for section in data["sections"]}
    with narrow_page.expect_download() as download:
        narrow_page.get_by_test_id("export-pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # An objection without saying what: a clear message, nothing sent.
    narrow_page.get_by_label("bezwaar maken tegen het gebruik van mijn gegevens (art. 21)").check()
    narrow_page.get_by_role("button", name="Verzoek versturen").click()
    assert narrow_page.get_by_role("alert").first.is_visible()
    assert "Zeg wat er moet veranderen" in narrow_page.content()
    axe_check(narrow_page)
    # Erasure.
    narrow_page.get_by_label("mijn gegevens wissen (art. 17)").check()
    narrow_page.get_by_role("button", name="Verzoek versturen").click()
    assert "Uw verzoek is ontvangen" in narrow_page.content()
    assert "mijn gegevens wissen" in narrow_page.get_by_test_id("my-requests").inner_text()
    screenshot(narrow_page, "rights-requested-320")

    # The statements in the footer, on the phone.
    for name in ("Toegankelijkheidsverklaring", "Cookies", "Privacyverklaring"):
        narrow_page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        axe_check(narrow_page)
        _no_sideways_scrolling(narrow_page)
    narrow_page.get_by_role("link", name="Wie welke gegevens van u ziet").click()
    axe_check(narrow_page)

    # The privacy officer, at 1280 px, in English: the queue, a decision without reasons, then the grant.
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.locator("form:has(input[value='privacy_officer']) button").click()
    page.wait_for_url("**/account/start/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Privacy requests").click()
    axe_check(page)
    page.get_by_role("link", name="erase my data (art. 17)").first.click()
    assert resident.last_name in page.get_by_test_id("request-facts").inner_text()
    page.get_by_label("grant").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "Give the reasons for the decision" in page.content()
    axe_check(page)
    page.get_by_label("grant").check()
    page.get_by_label("Reasons").fill("No legal ground to keep the data any longer.")
    page.get_by_role("button", name="Record the decision").click()
    assert "What the erasure did" in page.content()
    assert page.get_by_test_id("erasure-removed").is_visible()
    assert resident.last_name not in page.content()
    axe_check(page)
    screenshot(page, "rights-erased-1280")

    # Nothing in the database names the resident any more. The access log (the legal hold of NEN 7513) keeps
    # the record's former public id as the object of its entries, which nothing resolves to a person now.
    contact = [value for value in (resident.email, resident.phone) if value]
    assert [place for place in _tables_holding(contact) if not place.startswith("django_tasks")] == []
    assert _tables_holding([str(resident.public_id)]) in ([], ["audit_accesslogentry.object_id"])
    assert not Resident.objects.filter(pk=resident.pk).exists()
