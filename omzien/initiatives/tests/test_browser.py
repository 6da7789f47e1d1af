# SPDX-License-Identifier: EUPL-1.2
"""A resident applies on a phone, the broker grants it, the initiative publishes a weekly activity, a resident
finds it through the public search, and the broker books a room for it — in a real browser (Debian's Chromium),
in Dutch, axe-clean at 320 and 1280 px; the public form survives bad input with clear messages."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scrolling(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px)"


def test_a_resident_applies_the_broker_grants_publishes_and_books_and_a_resident_finds_it(
    live_server: Any, page: Any, narrow_page: Any, settings: Any
) -> None:
    from django.utils import timezone

    from omzien.geo.models import Postcode
    from omzien.initiatives.models import Booking, Centre, Initiative, Status
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    postcode = (
        Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$", neighbourhood__district__name="Overvecht")
        .order_by("code").values_list("code", flat=True).first()
    )  # fmt: skip
    assert postcode

    # A resident on a 320 px phone finds the form from the home page, without an account.
    narrow_page.goto(live_server.url + "/")
    narrow_page.get_by_role("link", name="Start uw eigen initiatief").first.click()
    narrow_page.wait_for_url("**/bewonersinitiatief/")
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    # Sent half-filled and with a wrong postcode: clear messages, nothing lost.
    narrow_page.get_by_label("Naam van uw initiatief").fill("Soep op woensdag Zamenhof")
    narrow_page.get_by_label("Postcode waar het plaatsvindt").fill("12345")
    narrow_page.get_by_label("Hoeveel geld vraagt u aan (euro)?").fill("-20")
    narrow_page.get_by_role("button", name="Aanvraag versturen").click()
    assert narrow_page.get_by_role("alert").first.is_visible()
    # The error summary takes the focus, so it is read out first and its links lead to the fields.
    assert narrow_page.evaluate("document.activeElement.dataset.testid") == "error-summary"
    content = narrow_page.content()
    assert "Dit is geen Nederlandse postcode" in content
    assert "Vertel ons over uw idee." in content
    assert narrow_page.get_by_label("Naam van uw initiatief").input_value() == "Soep op woensdag Zamenhof"
    axe_check(narrow_page)
    narrow_page.get_by_label("Wat is uw idee?").fill("Elke woensdag samen soep eten in de buurtkamer.")
    narrow_page.get_by_label("Voor wie?").fill("Buren die alleen wonen")
    narrow_page.get_by_label("Waar?", exact=True).fill("Buurtkamer Zamenhof")
    narrow_page.get_by_label("Postcode waar het plaatsvindt").fill(postcode)
    narrow_page.get_by_label("Wanneer?").fill("Elke woensdag om half zes")
    narrow_page.get_by_label("Hoeveel mensen verwacht u?").fill("18")
    narrow_page.get_by_label("Hoeveel vrijwilligers heeft u nodig?").fill("2")
    narrow_page.get_by_label("Hoeveel geld vraagt u aan (euro)?").fill("450")
    narrow_page.get_by_label("Uw naam").fill("Fatima Soepkoker")
    narrow_page.get_by_label("Uw e-mailadres").fill("fatima@example.nl")
    narrow_page.get_by_role("button", name="Aanvraag versturen").click()
    narrow_page.wait_for_url("**/bewonersinitiatief/ontvangen/**")
    initiative = Initiative.objects.get(contact_name="Fatima Soepkoker")
    assert initiative.reference in narrow_page.get_by_test_id("receipt").inner_text()
    assert "Overvecht" in narrow_page.get_by_test_id("receipt").inner_text()
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    screenshot(narrow_page, "initiatives-applied-320")

    # The social broker of Overvecht, at 1280 px: the application in the menu's count, talk, grant.
    page.goto(live_server.url + "/")
    page.locator("form:has(input[value='social_broker']) button").click()
    page.wait_for_url("**/account/start/")
    axe_check(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Initiatieven").click()
    page.get_by_role("link", name="Soep op woensdag Zamenhof", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="We hebben gesproken: in gesprek").click()
    assert "in gesprek" in page.get_by_test_id("status").inner_text()
    page.get_by_test_id("grant").get_by_label("Toegekend bedrag (euro)").fill("400")
    page.get_by_test_id("grant").get_by_label("Voorwaarden").fill(
        "Open voor alle buren; bewaar de bonnetjes."
    )
    page.get_by_role("button", name="Toekennen en de brief versturen").click()
    assert "toegekend" in page.get_by_test_id("status").inner_text()
    page.get_by_test_id("letter-link").click()
    assert "400" in page.get_by_test_id("decision").inner_text()
    assert "zes weken" in page.get_by_test_id("objection").inner_text()
    axe_check(page)
    screenshot(page.page, "initiatives-letter-1280")
    page.get_by_role("link", name="Terug naar het initiatief").click()

    # The initiative meets every Wednesday in a community centre of its wijk: published in the sociale kaart.
    centre = Centre.objects.filter(district__name="Overvecht").order_by("name").first()
    assert centre is not None
    publish = page.get_by_test_id("publish")
    publish.get_by_label("Wanneer het samenkomt").fill("wo 17:30-19:30")
    publish.get_by_label("Plaatsen (het grootste aantal deelnemers)").fill("20")
    publish.get_by_label("Buurthuis").select_option(label=centre.name)
    page.get_by_role("button", name="Publiceren", exact=True).click()
    assert "Gepubliceerd in de sociale kaart" in page.content()
    assert page.get_by_test_id("published").is_visible()
    axe_check(page)

    # A resident finds it through the public activity search, on the phone.
    narrow_page.goto(live_server.url + "/activiteiten/?q=Soep+op+woensdag+Zamenhof")
    narrow_page.get_by_role("link", name="Soep op woensdag Zamenhof").first.click()
    assert centre.name in narrow_page.content()
    assert "20" in narrow_page.content()
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)

    # The broker books a room for it from its page, every week for four weeks, and sees it in the week's table.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Initiatieven").click()
    page.get_by_role("link", name="Toegekend", exact=True).click()
    page.get_by_role("link", name="Soep op woensdag Zamenhof", exact=True).click()
    page.get_by_role("link", name=centre.name).click()
    day = timezone.localdate() + timedelta(days=7)
    day += timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
    form = page.get_by_test_id("booking")
    assert (
        "Soep op woensdag Zamenhof"
        in form.get_by_label("Voor een bewonersinitiatief").locator("option:checked").inner_text()
    )
    form.get_by_label("Ruimte", exact=True).select_option(index=1)
    form.get_by_label("Datum").fill(day.isoformat())
    form.get_by_label("Van").fill("17:00")
    form.get_by_label("Tot en met").fill("16:00")
    form.get_by_label("Wat", exact=True).fill("Soep op woensdag")
    form.get_by_label("Voor (groep of organisatie)").fill("Soep op woensdag Zamenhof")
    form.get_by_label("Verwachte bezoekers").fill("18")
    form.get_by_label("Wekelijks herhalen, hoe vaak nog").fill("3")
    page.get_by_role("button", name="Boeken", exact=True).click()
    assert "De eindtijd moet na de begintijd liggen." in page.content()
    axe_check(page)
    page.get_by_test_id("booking").get_by_label("Tot en met").fill("20:00")
    page.get_by_role("button", name="Boeken", exact=True).click()
    if "al geboekt" in page.content():  # the demo's bookings may hold that room: take a free evening slot
        page.get_by_test_id("booking").get_by_label("Van").fill("21:00")
        page.get_by_test_id("booking").get_by_label("Tot en met").fill("21:45")
        page.get_by_role("button", name="Boeken", exact=True).click()
    assert "Geboekt: 4 keer." in page.content()
    assert page.get_by_test_id("bookings").get_by_text("Soep op woensdag Zamenhof").is_visible()
    assert Booking.objects.filter(initiative=initiative, cancelled_at__isnull=True).count() == 4
    axe_check(page)
    screenshot(page.page, "initiatives-calendar-1280")
    narrow_page.context.add_cookies(page.context.cookies())
    narrow_page.goto(page.url)
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    assert Initiative.objects.get(pk=initiative.pk).status == Status.GRANTED

    # The same public form in English, still axe-clean at 320 px.
    narrow_page.goto(live_server.url + "/bewonersinitiatief/")
    narrow_page.get_by_role("button", name="English").click()
    narrow_page.wait_for_selector("text=Start your own initiative")
    assert narrow_page.get_by_label("Name of your initiative").is_visible()
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)


# What a page of the room must hold at 320 px: nothing wider than the screen, every table caption wholly
# inside its (scrolling) region, and no cell whose text runs out of it.
_FIT = """() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth) problems.push('page ' + document.documentElement.scrollWidth);
  for (const caption of document.querySelectorAll('main caption')) {
    const region = caption.closest('.omzien-table-wrap') || caption.closest('table');
    const c = caption.getBoundingClientRect(), r = region.getBoundingClientRect();
    if (c.left < r.left - 1 || c.right > r.right + 1 || c.right > window.innerWidth) problems.push('caption ' + caption.textContent.trim().slice(0, 40));
  }
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push('cell ' + cell.textContent.trim().slice(0, 40));
  }
  return problems;
}"""
_ENGLISH_ON_DUTCH = ("This field", "Ensure this", "Enter a valid", "Select a valid", "Dec ", "Mar ", "Oct ", "May ",
                     "afgeslagen")  # fmt: skip


def _login_as(context: Any, base: str, role: str) -> Any:
    page = context.new_page()
    page.goto(base + "/")
    page.locator(f"form:has(input[value='{role}']) button").first.click()
    page.wait_for_url("**/account/start/")
    return page


def test_every_page_of_the_room_fits_a_phone_in_dutch_and_english_and_a_series_is_cancelled_after_confirming(
    live_server: Any, browser: Any, settings: Any
) -> None:
    from django.utils import timezone

    from omzien.geo.models import District
    from omzien.initiatives.models import Booking, BrokerArea, Centre, Initiative, KeyFigure, Status
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    # The demo's broker serves every wijk here, so the pages show the demo's published and settled initiatives.
    broker = BrokerArea.objects.get(user__username="demo-makelaar").user
    BrokerArea.objects.bulk_create([BrokerArea(user=broker, district_id=pk) for pk in District.objects.values_list("pk", flat=True)],
                                   ignore_conflicts=True)  # fmt: skip
    overvecht = list(District.objects.values_list("pk", flat=True))
    running = Initiative.objects.filter(
        district_id__in=overvecht, status=Status.RUNNING, activity__isnull=False
    ).first()
    settled = Initiative.objects.filter(district_id__in=overvecht, settled_at__isnull=False).first()
    centre = (
        Centre.objects.filter(district_id__in=overvecht, rooms__bookings__isnull=False).distinct().first()
    )
    figure = KeyFigure.objects.filter(district_id__in=overvecht).first()
    assert running and settled and centre and figure
    day = timezone.localdate() + timedelta(days=8)
    series = Booking.objects.filter(
        room__centre=centre, series__isnull=False, starts_at__gte=timezone.now()
    ).first()
    pages = [
        "/initiatieven/?weergave=all", "/initiatieven/budget/", "/initiatieven/bereik/", f"/initiatieven/{running.public_id}/",
        f"/initiatieven/{settled.public_id}/brief/?soort=vaststelling", f"/initiatieven/{settled.public_id}/",
        "/buurthuizen/", f"/buurthuizen/{centre.public_id}/", f"/buurthuizen/{centre.public_id}/agenda/",
        f"/buurthuizen/{centre.public_id}/agenda/?weergave=dag&datum={day.isoformat()}", f"/buurthuizen/{centre.public_id}/boeken/",
        "/netwerk/", f"/netwerk/{figure.public_id}/", "/netwerk/zorg/", "/bewonersinitiatief/",
    ]  # fmt: skip
    if series:
        pages.append(f"/boekingen/{series.public_id}/annuleren/")
    for language in ("nl", "en"):
        context = browser.new_context(
            locale="nl-NL", viewport={"width": 320, "height": 800}, has_touch=True, is_mobile=True
        )
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page = _login_as(context, live_server.url, "social_broker")
        for path in pages:
            page.goto(live_server.url + path)
            assert page.title() and "Server Error" not in page.title(), path
            assert page.evaluate(_FIT) == [], (language, path)
            if language == "nl":  # axe-core once per page (the English page is the same markup, other words)
                axe_check(page)
                main = page.locator("main").inner_text()
                assert not [word for word in _ENGLISH_ON_DUTCH if word in main], (path, main[:300])
        screenshot(page, f"initiatives-calendar-320-{language}")
        officer = _login_as(context, live_server.url, "policy_officer")
        officer.goto(live_server.url + "/initiatieven/bereik/")
        assert officer.evaluate(_FIT) == []
        axe_check(officer)
        screenshot(officer, f"initiatives-reach-320-{language}")
        context.close()

    # The broker cancels a weekly booking from the calendar's table: a page asks which ones, nothing before.
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = _login_as(context, live_server.url, "social_broker")
    page.goto(f"{live_server.url}/buurthuizen/{centre.public_id}/boeken/")
    monday = timezone.localdate() + timedelta(days=7 + (0 - timezone.localdate().weekday()) % 7)
    form = page.get_by_test_id("booking")
    form.get_by_label("Ruimte", exact=True).select_option(index=1)
    form.get_by_label("Datum").fill(monday.isoformat())
    form.get_by_label("Van").fill("21:00")
    form.get_by_label("Tot en met").fill("21:45")
    form.get_by_label("Wat", exact=True).fill("Breiclub laat")
    form.get_by_label("Voor (groep of organisatie)").fill("Breiclub")
    form.get_by_label("Verwachte bezoekers").fill("5")
    form.get_by_label("Wekelijks herhalen, hoe vaak nog").fill("3")
    page.get_by_role("button", name="Boeken", exact=True).click()
    assert "Geboekt: 4 keer." in page.content(), page.locator("main").inner_text()[:500]
    page.get_by_role("link", name=re.compile(r"^Breiclub laat op .* annuleren$")).first.click()
    assert page.get_by_role("group", name="Welke boekingen annuleert u?").is_visible()
    assert Booking.objects.filter(title="Breiclub laat", cancelled_at__isnull=True).count() == 4
    page.get_by_role("button", name="Ja, annuleren").click()  # no choice yet: asked again
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page)
    page.get_by_label("Deze en de latere (4 boekingen)").check()
    screenshot(page, "initiatives-cancel-series-1280")
    page.get_by_role("button", name="Ja, annuleren").click()
    assert "Geannuleerd: 4 boekingen." in page.content()
    assert Booking.objects.filter(title="Breiclub laat", cancelled_at__isnull=True).count() == 0
    context.close()
