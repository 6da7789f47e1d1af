# SPDX-License-Identifier: EUPL-1.2
"""The loneliness monitor in a real browser (issue #22), in Dutch and English; every page at 1280 and 320 px.

The demo policy officer uploads a survey and its margins (first without files: the form says what is
missing), follows the calculation's progress while the task worker runs it, opens the new edition and
sees the map, the bar chart with error bars and the tables, downloads the CSV, sees the trend line
over the editions, and compares two editions. axe-core on every page at both
widths; no sideways scrolling at 320 px. The flow runs once, at 1280 px, and each page is checked at both widths
(the flow's own work, a report or an edition made, ran twice before).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city_with_worker(settings: Any) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    # The database backend, as in production: the run waits until the worker (started by the test) takes it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    demo_city_for_tests()


def survey_files(folder: Path) -> tuple[Path, Path]:
    from omzien.reports import demo
    from omzien.reports.tests.helpers import buurten

    areas = buurten()
    survey, margins = folder / "enquete-2025.csv", folder / "marges-2025.csv"
    demo.survey_frame(areas, respondents=4000, lonely_share=0.40, seed=2025).write_csv(survey)
    demo.margins_frame(areas).write_csv(margins)
    return survey, margins


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"


def charts_in_place(page: Any) -> None:
    """The map stays inside its figure and the legend's swatches stay small (no other room's CSS takes over)."""
    boxes = page.evaluate("""() => {
        const box = (e) => e.getBoundingClientRect();
        const map = document.querySelector("[data-testid=map]");
        return {map: box(map), figure: box(map.closest("figure")),
                swatches: [...document.querySelectorAll(".omzien-legend__swatch")].map((e) => box(e).width)};
    }""")
    assert boxes["map"]["bottom"] <= boxes["figure"]["bottom"] + 1, boxes
    assert boxes["swatches"] and max(boxes["swatches"]) <= 32, boxes["swatches"]


def checked(page: Any, name: str) -> None:
    """The page at 320 and at 1280 px (where the flow goes on): axe-core, the charts in place, no sideways
    scrolling, a screenshot."""
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        if page.locator("[data-testid=map]").count():
            charts_in_place(page)
        if width <= 320:
            no_sideways_scroll(page)
        screenshot(page.page, f"monitor-{name}-{width}")


def test_a_policy_officer_makes_an_edition_and_reads_it(
    live_server: Any, page: Any, demo_city_with_worker: None, tmp_path: Path
) -> None:
    from django.core.management import call_command
    from django.utils import translation

    from omzien.reports.models import Edition
    from omzien.reports.templatetags.reports_tags import pct

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='policy_officer']) button").click()
    page.wait_for_url("**/account/start/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Eenzaamheidsmonitor").click()
    page.wait_for_url("**/monitor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Eenzaamheidsmonitor"
    assert page.get_by_test_id("editions").locator("tbody tr").count() == 3
    checked(page, "index")

    # Upload: first without files (the form names what is missing, nothing is queued), then the files.
    page.get_by_role("link", name="Nieuwe editie uit een enquête").click()
    page.locator("#id_title").fill("Gezondheidsmonitor 2025")
    page.locator("#id_fieldwork_date").fill("2025-10-01")
    page.get_by_role("button", name="Controleren en berekenen").click()
    page.wait_for_load_state()
    assert page.locator("#id_survey").get_attribute("aria-invalid") == "true"
    checked(page, "upload-errors")
    survey, margins = survey_files(tmp_path)
    page.locator("#id_survey").set_input_files(str(survey))
    page.locator("#id_margins").set_input_files(str(margins))
    page.get_by_role("button", name="Controleren en berekenen").click()
    page.wait_for_url("**/monitor/berekening/*/")
    progress = page.locator("#run-progress")
    assert progress.get_attribute("data-status") == "queued"
    assert page.locator("progress").is_visible()
    checked(page, "progress")
    # The worker takes the run; the page follows it by itself (htmx polling) until the edition is stored.
    call_command("db_worker", batch=True, interval=0.1, verbosity=0)
    page.get_by_text("Klaar: de editie is bewaard.").wait_for(timeout=15_000)
    assert Edition.objects.count() == 4

    page.get_by_role("link", name="Bekijk de cijfers").click()
    page.wait_for_url("**/monitor/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Gezondheidsmonitor 2025"
    edition = Edition.objects.get(title="Gezondheidsmonitor 2025")
    map_svg = page.get_by_test_id("map")
    assert map_svg.locator("path.omzien-map__area").count() == 10  # the wijken
    assert map_svg.locator("path.omzien-map__area--none").count() == 0
    bars = page.get_by_test_id("bars")
    assert bars.locator("rect.omzien-chart__bar").count() == 10
    assert bars.locator("line.omzien-chart__error").count() == 10
    assert page.get_by_test_id("areas").locator("tbody tr").count() == 10
    city = edition.figures.get(level="city", indicator="lonely", kind="direct")
    shown = page.get_by_test_id("city").locator("td[data-indicator='lonely']").inner_text()
    with translation.override("nl"):
        assert shown == pct(city.estimate)  # the stored figure, in Dutch notation
    checked(page, "edition-wijken")

    # Per buurt, with one wijk's buurten as bars.
    page.locator("#choice-level").select_option("buurt")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_load_state()
    page.locator("#choice-wijk").select_option(index=1)
    page.get_by_role("button", name="Toon").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("map").locator("path.omzien-map__area").count() > 50
    assert page.get_by_test_id("bars").locator("line.omzien-chart__error").count() > 1
    checked(page, "edition-buurten")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de cijfers (CSV)").click()
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == edition.figures.count()
    assert {r["level"] for r in rows} == {"city", "wijk", "buurt"}
    assert all(r["estimate"] == "" for r in rows if r["kind"] == "suppressed")

    # Compare the new edition with the 2024 demo edition.
    page.get_by_role("link", name="Vergelijk met een andere editie").click()
    page.wait_for_url("**/monitor/vergelijken/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Twee edities vergelijken"
    assert page.get_by_test_id("differences").locator("tbody tr[data-code]").count() > 0
    assert "procentpunt" in page.get_by_test_id("city-difference").inner_text()
    checked(page, "compare")

    # The trend over the four editions, on the monitor's page.
    page.get_by_role("link", name="Eenzaamheidsmonitor").first.click()
    page.wait_for_url("**/monitor/")
    assert len(page.locator("polyline.omzien-chart__line").get_attribute("points").split()) == 4
    assert page.get_by_test_id("trend").locator("tbody tr").count() == 4

    # The same in English.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Loneliness monitor"
    assert page.locator("html").get_attribute("lang") == "en"
    checked(page, "index-en")
    page.get_by_role("link", name="Gezondheidsmonitor 2025").click()
    page.wait_for_url("**/monitor/*/")
    assert page.get_by_role("link", name="Download the figures (CSV)").is_visible()
    assert page.get_by_test_id("bars").locator("line.omzien-chart__error").count() == 10
    checked(page, "edition-en")
    page.get_by_role("link", name="Compare with another edition").click()
    page.wait_for_url("**/monitor/vergelijken/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Compare two editions"
    assert "percentage points" in page.get_by_test_id("city-difference").inner_text()
    checked(page, "compare-en")
