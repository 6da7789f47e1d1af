# SPDX-License-Identifier: EUPL-1.2
"""The council's view in a real browser (issue #23), in Dutch and English; every page at 1280 and 320 px.

The demo policy officer opens the council's view from the menu, makes the council report with one
click (the page follows it while the task worker makes it) and downloads the PDF, then plans a what-if,
plans a second one and compares them side by side. axe-core on every page at both
widths; no sideways scrolling at 320 px. The flow runs once, at 1280 px, and each page is checked at both widths
(the flow's own work, a report or an edition made, ran twice before).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city_with_worker(settings: Any) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    demo_city_for_tests()


def checked(page: Any, name: str) -> None:
    """The page at 320 and at 1280 px (where the flow goes on): axe-core, no sideways scrolling, a screenshot."""
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        if width <= 320:
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"
        screenshot(page.page, f"council-{name}-{width}")


def test_a_policy_officer_makes_the_council_report_and_plans_what_if(
    live_server: Any, page: Any, demo_city_with_worker: None
) -> None:
    from django.core.management import call_command

    from omzien.reports.models import CouncilReport, WhatIfScenario

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='policy_officer']) button").click()
    page.wait_for_url("**/account/start/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Raadsinformatie").click()
    page.wait_for_url("**/raad/")
    assert page.get_by_role("heading", level=1).inner_text() == "Raadsinformatie"
    assert page.get_by_test_id("council-wijken").locator("tbody tr").count() == 10
    assert page.get_by_test_id("caveat").is_visible()
    checked(page, "index")

    # One click: queued, the page follows it while the worker makes it, then offers the PDF.
    page.get_by_role("button", name="Maak de raadsrapportage (PDF en HTML)").click()
    page.wait_for_url("**/raad/rapporten/*/")
    checked(page, "queued")
    call_command("db_worker", batch=True, interval=0.1, verbosity=0)
    page.get_by_role("link", name="Download de rapportage (PDF)").wait_for(timeout=30_000)
    report = CouncilReport.objects.get()
    assert report.status == CouncilReport.Status.DONE
    checked(page, "report")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de rapportage (PDF)").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")

    # What-if: the first kind and wijk offered, 20 more places; then 10 fewer; compare both.
    page.get_by_role("link", name="Raadsinformatie").first.click()
    page.get_by_role("link", name="Wat als: plan meer of minder plaatsen en vergelijk scenario's").click()
    page.wait_for_url("**/raad/wat-als/")
    checked(page, "whatif")
    page.locator("#id_places").fill("0")
    page.get_by_role("button", name="Plan en bewaar het scenario").click()
    page.wait_for_load_state()
    assert page.locator("#id_places").get_attribute("aria-invalid") == "true"
    checked(page, "whatif-error")
    planned = 0
    for places in ("20", "-1"):
        page.goto(live_server.url + "/raad/wat-als/")
        for value in page.locator("#id_wijk option").evaluate_all("(options) => options.map((o) => o.value)"):
            page.locator("#id_wijk").select_option(value)
            page.locator("#id_places").fill(places)
            page.get_by_role("button", name="Plan en bewaar het scenario").click()
            page.wait_for_load_state()
            if "/raad/wat-als/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit():
                planned += 1
                break
            page.goto(live_server.url + "/raad/wat-als/")
    assert planned == 2 == WhatIfScenario.objects.count()
    checked(page, "scenario")
    page.goto(live_server.url + "/raad/wat-als/")
    for box in page.locator("input[name=s]").all():
        box.check()
    page.get_by_role("button", name="Naast elkaar vergelijken").click()
    page.wait_for_url("**/raad/wat-als/vergelijken/*")
    assert page.get_by_test_id("whatif").locator("thead th[colspan='2']").count() == 2
    checked(page, "compare")
    compare_url = page.url

    # What-if, volunteers: 0 is refused at the field; ten more visitors over the city are planned (or, in a
    # demo city where nobody waits for a visitor today, refused with that message).
    page.goto(live_server.url + "/raad/wat-als/")
    volunteers = page.get_by_test_id("whatif-volunteers")
    volunteers.locator("#id_volunteers").fill("0")
    volunteers.get_by_role("button", name="Plan de vrijwilligers en bewaar het scenario").click()
    page.wait_for_load_state()
    assert page.locator("#id_volunteers").get_attribute("aria-invalid") == "true"
    page.get_by_test_id("whatif-volunteers").locator("#id_route").select_option("visiting_service")
    page.get_by_test_id("whatif-volunteers").locator("#id_volunteers").fill("10")
    page.get_by_role("button", name="Plan de vrijwilligers en bewaar het scenario").click()
    page.wait_for_load_state()
    if page.url.rstrip("/").split("/")[-1].isdigit():
        assert "vrijwilligers voor" in page.get_by_test_id("whatif").inner_text()
    else:
        assert "Niemand wacht daar vandaag op een vrijwilliger" in page.content()
    checked(page, "whatif-volunteers")
    page.goto(live_server.url + "/raad/")
    assert page.get_by_test_id("council-waits").count() == 1
    page.goto(compare_url)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Scenarios side by side"
    checked(page, "compare-en")
    page.goto(live_server.url + "/raad/")
    assert page.get_by_role("heading", level=1).inner_text() == "Council view"
    checked(page, "index-en")
