# SPDX-License-Identifier: EUPL-1.2
"""In a real browser at 320 px: a vacancy found through the public search, someone signs up through the
public form (first with mistakes), the coordinator holds the intake and records the VOG and a reference,
the new volunteer registers for a training, the coordinator records attendance and the volunteer
downloads the certificate. axe-core on every page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core import mail
from django.utils import timezone

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTH = 320


def demo_login(page: Any, base: str, role: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/")
    page.locator(f"form:has(input[value='{role}']) button").click()
    page.wait_for_load_state()


def password_login(page: Any, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_signup_intake_vog_training_certificate_and_vacancy_search(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    from omzien.geo.models import Postcode
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.volunteers.models import Intake, TrainingRegistration, TrainingSession, VogRecord, Volunteer

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    postcode = Postcode.objects.filter(lat__isnull=False, code__regex=r"^\d{4}[A-Z]{2}$").values_list("code", flat=True)[0]
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, has_touch=True, locale="nl-NL", accept_downloads=True)
    page, base = context.new_page(), live_server.url

    def fits() -> None:
        axe_check(page)
        # Reflow (WCAG 1.4.10): nothing on the room's part of the page reaches past 320 px. (The shared
        # header is the ground floor's; see the report.)
        wide = page.evaluate(
            "width => [...document.querySelectorAll('main *')]"
            ".filter(e => !e.closest('.omzien-table-wrap') && e.getBoundingClientRect().right > width + 1)"
            ".map(e => e.tagName + '.' + e.className + ':' + e.textContent.trim().slice(0, 30)).slice(0, 5)",
            WIDTH,
        )
        assert wide == [], f"sideways scrolling at {WIDTH} px: {wide}"

    # Anyone finds the vacancy through the public search.
    page.goto(base + "/vrijwilligerswerk/")
    fits()
    page.locator("#id_q").fill("oudere in de wijk")
    page.locator("#id_work_kind").select_option("visits")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**q=*")
    result = page.get_by_test_id("vacancy-result").filter(has_text="Humanitas").first
    result.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/vrijwilligerswerk/[0-9a-f-]{36}/$"))
    fits()
    screenshot(page, "volunteers-vacancy-320")
    page.get_by_role("link", name="Reageer op deze vacature").click()
    page.wait_for_url("**/aanmelden/?vacature=*")
    assert "Humanitas" in page.get_by_test_id("vacancy").inner_text()
    fits()

    # Mistakes first: every field says what is wrong, nothing is stored.
    page.locator("#id_email").fill("geen-e-mailadres")
    page.locator("#id_postcode").fill("12")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("alert").wait_for()
    assert page.locator(".utrecht-form-field-error-message").count() >= 5
    # The shared error summary has the focus, and its links lead to the fields (includes/form_errors.html).
    assert page.evaluate("document.activeElement.dataset.testid") == "error-summary"
    assert page.get_by_test_id("error-summary").locator("a[href='#id_postcode']").count() == 1
    assert Volunteer.objects.filter(email="geen-e-mailadres").count() == 0
    fits()
    screenshot(page, "volunteers-signup-errors-320")
    # The availability grid at 320 px: no day or part of the day broken in the middle of its word (a row
    # of one line each; "maanda|g" and "donderd|ag" took two).
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('.omzien-slots th')).map(e => Math.round(e.getBoundingClientRect().height))"
    )
    assert len(set(heights[4:])) == 1, f"the grid's day names wrap: {heights}"
    widths = page.evaluate(
        "Array.from(document.querySelectorAll('.omzien-slots th')).map(e => e.scrollWidth <= e.clientWidth)"
    )
    assert all(widths), "a day or part of the day spills out of its cell"

    # Then right: visits, Monday morning and Thursday evening, Dutch and Cantonese.
    page.locator("input[name=work_kinds][value=visits]").check()
    page.get_by_label("maandag ochtend").check()
    page.get_by_label("donderdag avond").check()
    page.locator("input[name=languages][value=yue]").check()
    page.locator("#id_first_name").fill("Fenna")
    page.locator("#id_last_name").fill("Proefvrijwilliger")
    page.locator("#id_email").fill("fenna.proef@example.nl")
    page.locator("#id_postcode").fill(postcode)
    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/aanmelden/bedankt/")
    assert "Humanitas" in page.get_by_test_id("done").inner_text()
    fits()
    volunteer = Volunteer.objects.get(email="fenna.proef@example.nl")
    intake = volunteer.intakes.get()
    assert (intake.organisation.name, intake.via, sorted(volunteer.languages)) == ("Humanitas", "vacancy", ["nl", "yue"])

    # The Humanitas coordinator holds the intake: stage, reference, VOG, active, account.
    demo_login(page, base, "coordinator")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert re.search(r"Vrijwilligers \(\d+\)", menu.inner_text())
    page.goto(base + "/vrijwilligers/")
    fits()
    page.goto(base + "/vrijwilligers/lijst/?q=Proefvrijwilliger")
    fits()
    page.get_by_role("link", name="Fenna Proefvrijwilliger").click()
    page.wait_for_url(f"**/vrijwilligers/{volunteer.public_id}/")
    fits()
    page.locator("#id_stage").select_option("interviewed")
    page.get_by_role("button", name="Fase opslaan").click()
    page.wait_for_load_state()
    page.locator("#id_ref-name").fill("Piet Referent")
    page.locator("#id_ref-relation").fill("oud-collega")
    page.locator("#id_ref-outcome").select_option("positive")
    page.get_by_role("button", name="Referentie toevoegen").click()
    page.wait_for_load_state()
    today = timezone.localdate()
    page.locator("#id_vog-requested_on").fill((today - timedelta(days=14)).isoformat())
    page.locator("#id_vog-issued_on").fill((today - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="VOG vastleggen").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("vog-status").inner_text().startswith("Geldig")
    page.locator("#id_stage").select_option("active")
    page.get_by_role("button", name="Fase opslaan").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_load_state()
    assert "Piet Referent" in page.get_by_test_id("references").inner_text()
    fits()
    screenshot(page, "volunteers-intake-320")
    vog = VogRecord.objects.get(volunteer=volunteer)
    assert vog.checked_by is not None and vog.checked_by.username == "demo-coordinator"
    assert Intake.objects.get(pk=intake.pk).stage == "active"

    # The volunteer chooses a password through the e-mailed link and registers for Humanitas's course.
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
    page.context.clear_cookies()
    page.goto(link)
    page.locator("#id_new_password1").fill("een-heel-lang-wachtwoord-77")
    page.locator("#id_new_password2").fill("een-heel-lang-wachtwoord-77")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    password_login(page, base, "fenna.proef@example.nl", "een-heel-lang-wachtwoord-77")
    page.goto(base + "/vrijwilligerswerk/trainingen/")
    fits()
    course = page.get_by_test_id("training").filter(has_text="Maatjescursus")
    course.locator("form button").first.click()
    page.wait_for_url("**/mijn/vrijwilligerswerk/")
    assert "Maatjescursus" in page.get_by_test_id("registrations").inner_text()
    fits()
    registration = TrainingRegistration.objects.get(volunteer=volunteer, status="active")
    # The evening comes: the session starts (moved into the past for the test).
    now = timezone.now()
    TrainingSession.objects.filter(pk=registration.session_id).update(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))

    # The coordinator records who came.
    demo_login(page, base, "coordinator")
    page.goto(f"{base}/vrijwilligers/trainingen/{registration.session.public_id}/aanwezigheid/")
    fits()
    page.get_by_label("Fenna Proefvrijwilliger").check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    page.wait_for_load_state()
    registration.refresh_from_db()
    assert registration.attended is True
    # The coordinator's other pages at 320 px: vacancies, a vacancy's form, trainings, details, carers.
    from omzien.volunteers.models import Carer

    carer = Carer.objects.first()
    assert carer is not None
    Carer.objects.filter(pk=carer.pk).update(organisation=intake.organisation)  # one carer at Humanitas, for the page
    for path in ("/vrijwilligers/vacatures/", f"/vrijwilligers/vacatures/{intake.vacancy.public_id}/",  # type: ignore[union-attr]
                 "/vrijwilligers/vacatures/nieuw/", "/vrijwilligers/trainingen/", f"/vrijwilligers/{volunteer.public_id}/gegevens/",
                 "/mantelzorgers/", f"/mantelzorgers/{carer.public_id}/"):  # fmt: skip
        page.goto(base + path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        fits()

    # The volunteer downloads the certificate.
    password_login(page, base, "fenna.proef@example.nl", "een-heel-lang-wachtwoord-77")
    page.goto(base + "/mijn/vrijwilligerswerk/")
    fits()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Certificaat downloaden")).click()
    saved = tmp_path / "certificaat.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    screenshot(page, "volunteers-mine-320")
    context.close()


def test_carer_registers_and_public_pages_in_english(live_server: Any, browser: Any, settings: Any) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.volunteers.models import Carer, RespiteRequest

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, has_touch=True)
    page, base = context.new_page(), live_server.url
    page.goto(base + "/mantelzorg/aanmelden/")
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("alert").wait_for()
    axe_check(page)
    page.locator("#id_first_name").fill("Carla")
    page.locator("#id_last_name").fill("Proefzorger")
    page.locator("#id_postcode").fill("3561 AB")
    page.locator("input[name=cares_for][value=parent]").check()
    page.locator("#id_hours_per_week").fill("25")
    page.locator("input[name=burden][value='4']").check()
    page.locator("#id_wants_respite").check()
    page.get_by_label("woensdag middag").check()
    page.locator("#id_respite_hours").fill("3")
    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mantelzorg/aanmelden/bedankt/")
    assert page.get_by_test_id("carer-activities").locator("a").count() >= 1  # the directory's carer activities
    axe_check(page)
    carer = Carer.objects.get(last_name="Proefzorger")
    assert (carer.organisation.name, carer.burden) == ("Steunpunt Mantelzorg", 4)
    assert RespiteRequest.objects.filter(carer=carer, status="open").exists()
    # English second.
    page.goto(base + "/vrijwilligerswerk/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Volunteer work"
    axe_check(page)
    context.close()
