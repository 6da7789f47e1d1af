# SPDX-License-Identifier: EUPL-1.2
"""In a real browser: search by postcode on a phone, register, wait, attendance, a malformed upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import F

import pytest

from omzien.activities.models import Activity, Attendance, WaitingListEntry
from omzien.lib.testing.browser import axe_check, screenshot
from omzien.residents.models import Resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def demo_login(page: Any, base: str, role: str) -> None:
    page.goto(base + "/")
    page.locator(f"form:has(input[value='{role}']) button").click()
    page.wait_for_load_state()


def test_a_resident_finds_registers_and_waits_and_a_provider_records_attendance(
    live_server: Any, phone_page: Any, settings: Any, tmp_path: Path
) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    me = Resident.objects.get(user__username__startswith="demo")
    page, base = phone_page, live_server.url

    # Anyone: search by postcode; the results come in through htmx and the map shows the markers.
    page.goto(base + "/activiteiten/")
    axe_check(page)
    page.get_by_label("Postcode of adres").fill(me.postcode)
    page.get_by_label("Afstand").select_option("2")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**where=*")
    page.locator("[data-testid=result]").first.wait_for()
    distances = [
        float(d.replace(" km", "").replace(",", "."))
        for d in page.get_by_test_id("distance").all_inner_texts()
    ]
    assert distances == sorted(distances) and all(d <= 2.0 for d in distances)
    page.locator(".leaflet-marker-icon").first.wait_for()
    axe_check(page)
    screenshot(page.page, "activities-search-phone")

    # The resident registers for an activity with places, and joins the waiting list of a full one.
    demo_login(page, base, "resident")
    mine = Activity.objects.exclude(registrations__resident=me).exclude(waiting_list__resident=me)
    open_one, full = mine.filter(places_taken__lt=F("capacity"))[:2]
    Activity.objects.filter(pk=full.pk).update(capacity=F("places_taken"))  # make the second one full
    full.refresh_from_db()
    for activity in (open_one, full):
        page.goto(f"{base}/activiteiten/{activity.public_id}/")
        axe_check(page)
        page.get_by_label("Ik vind het goed").check()
        page.locator("form.omzien-form button[type=submit]").click()
        page.wait_for_url("**/mijn/activiteiten/")
    assert open_one.title in page.get_by_test_id("registrations").inner_text()
    assert "wachtlijst" in page.locator(".omzien-messages").inner_text()
    position = page.get_by_test_id("position").filter(has_text="Plaats").first.inner_text()
    assert position.startswith("Plaats ")
    assert WaitingListEntry.objects.filter(activity=full, resident=me, status="waiting").exists()
    axe_check(page)
    screenshot(page.page, "activities-mine-phone")
    page.context.clear_cookies()

    # The provider records who came, and a malformed upload changes nothing and lists every bad row.
    demo_login(page, base, "activity_provider")
    page.get_by_role("link", name="Ons aanbod").first.click()
    axe_check(page)
    page.get_by_role("link", name="Aanwezigheid").first.click()
    boxes = page.locator("input[name=present]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    axe_check(page)
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    page.wait_for_load_state()
    assert "Aanwezigheid opgeslagen" in page.content()
    assert Attendance.objects.filter(recorded_by__username__startswith="demo", present=True).count() >= 2

    before = Activity.objects.count()
    bad = tmp_path / "aanbod.csv"
    bad.write_text(
        "titel;plaatsen;rooster;postcode\nGoed;10;ma 10:00-12:00;\nFout;veel;elke dag;9999ZZ\n;5;;\n",
        encoding="utf-8",
    )
    page.goto(base + "/aanbod/uploaden/")
    page.get_by_label("Bestand (CSV of Excel)").set_input_files(str(bad))
    page.get_by_role("button", name="Uploaden").click()
    page.get_by_test_id("problems").wait_for()
    problems = page.get_by_test_id("problems").locator("li").all_inner_texts()
    assert [p.split(":")[0] for p in problems] == [
        "Rij 3, kolom 'plaatsen'", "Rij 3, kolom 'rooster'", "Rij 3, kolom 'postcode'", "Rij 4, kolom 'titel'"
    ]  # fmt: skip
    assert Activity.objects.count() == before
    axe_check(page)
    screenshot(page.page, "activities-upload-errors-phone")
