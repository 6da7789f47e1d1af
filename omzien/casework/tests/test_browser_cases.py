# SPDX-License-Identifier: EUPL-1.2
"""A signal becomes a case: intake with a network map, route advice, referrals to a day activity and a
visiting service, the visiting service accepts, the resident answers the follow-up through a personal
link, and the change shows on the case page.

In a real browser (Debian's Chromium) on PostgreSQL, axe-clean, in Dutch; the personal link refuses
reuse, tampering and expiry with a clear page; the receiving organisation sees only what was shared;
another team gets a logged 404.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SOCIAL_ITEMS = (1, 4, 7, 8, 11)
GOALS = "Samen koffie drinken met buren."


def _answer(page: Any, *, lonely: bool) -> None:
    """Answer the eleven statements: socially lonely (total 5) or not lonely at all (total 0)."""
    for number in range(1, 12):
        social = number in SOCIAL_ITEMS
        value = "-1" if lonely or not social else "1"
        page.locator(f"input[name='item_{number}'][value='{value}']").check()


def _as_demo(page: Any, live_server: Any, role: str) -> None:
    page.goto(live_server.url + "/")
    page.locator(f"form:has(input[value='{role}']) button").click()
    page.wait_for_url("**/account/start/")


def test_signal_to_case_to_referral_to_follow_up_by_personal_link(
    live_server: Any, page: Any, narrow_page: Any, browser: Any, settings: Any
) -> None:
    from omzien.accounts.models import Organisation, User
    from omzien.audit import events
    from omzien.audit.models import AccessLogEntry
    from omzien.casework import services
    from omzien.casework.models import Case, FollowUp, Referral, Source
    from omzien.geo.models import Postcode
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.lib.testing.world import login_verified

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    professional = User.objects.get(username="demo-buurtteam")
    postcode = (
        Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$", neighbourhood__responsible_organisations=professional.organisation)
        .order_by("code").values_list("code", flat=True).first()
    )  # fmt: skip
    assert postcode
    # Part 1: a GP practice's signal in the team's queue.
    signal = services.signal_create(
        data=services.SignalData(first_name="Wim", last_name="Wachtebeke", postcode=postcode, house_number="3",
                                 phone="06-12121212", concern="Komt sinds de dood van zijn vrouw niet meer buiten."),
        source=Source.PUBLIC_FORM, actor=events.Actor(display="test"),
    )  # fmt: skip

    # The professional decides: a new case; the intake follows.
    _as_demo(page, live_server, "neighbourhood_professional")
    page.goto(f"{live_server.url}/meldingen/{signal.public_id}/")
    page.locator("input[name='outcome'][value='new_case']").check()
    page.locator("select[name='consent_method']").select_option("verbal")
    page.get_by_role("button", name="Besluit opslaan").click()
    page.get_by_test_id("to-case").click()
    case = Case.objects.get(signal=signal)
    # Sent without goals and measurement: clear messages, what was typed kept.
    page.locator("textarea[name='interests']").fill("wandelen, koffie")
    page.get_by_role("button", name="Intake opslaan").click()
    assert "Schrijf de doelen van de bewoner op" in page.content()
    assert page.locator("textarea[name='interests']").input_value() == "wandelen, koffie"
    axe_check(page)
    page.locator("textarea[name='goals']").fill(GOALS)
    page.locator("input[name='barriers'][value='mobility']").check()
    page.locator("input[name='tie-0-name']").fill("dochter Ans")
    page.locator("select[name='tie-0-relation']").select_option("family")
    page.locator("select[name='tie-0-frequency']").select_option("monthly")
    page.locator("select[name='tie-0-wish']").select_option("more")
    page.locator("input[name='tie-1-name']").fill("buurman Kees")
    page.locator("select[name='tie-1-relation']").select_option("neighbour")
    page.locator("select[name='tie-1-frequency']").select_option("weekly")
    _answer(page, lonely=True)
    page.get_by_role("button", name="Intake opslaan").click()

    # Route advice: proposals with reasons (social loneliness), the professional chooses two.
    page.wait_for_url(f"**/clienten/{case.public_id}/advies/")
    proposals = page.get_by_test_id("proposals")
    assert proposals.locator("[data-route='visiting_service']").count() == 1
    assert "Hoge sociale eenzaamheid" in proposals.inner_text()
    assert "Mobiliteit" in proposals.inner_text()  # the barrier's caveat
    axe_check(page)
    for box in page.locator("input[name='chosen']").all():
        if box.get_attribute("value") in ("day_activity", "visiting_service"):
            box.check()
        else:
            box.uncheck()
    page.get_by_role("button", name="Besluit opslaan").click()

    # The case page: network map rings with their table; refer to a day activity and a visiting service.
    assert page.get_by_test_id("network-intake").locator("svg[role='img']").count() == 1
    assert "dochter Ans" in page.get_by_test_id("network-table-intake").inner_text()
    axe_check(page)
    page.locator("[data-testid='refer-links'] a[data-route='day_activity']").click()
    page.locator("select[name='activity']").select_option(index=1)
    page.locator("input[name='consent_method'][value='verbal']").check()
    page.get_by_role("button", name="Verwijzing versturen").click()
    page.locator("[data-testid='refer-links'] a[data-route='visiting_service']").click()
    page.get_by_role("button", name="Verwijzing versturen").click()  # no organisation: refused, clearly
    assert "Kies de organisatie die de vrijwilliger of gastheer zoekt." in page.content()
    axe_check(page)
    page.locator("select[name='organisation']").select_option(label="Humanitas")
    page.locator("input[name='consent_method'][value='verbal']").check()
    page.get_by_role("button", name="Verwijzing versturen").click()
    visit = Referral.objects.get(case=case, route="visiting_service")
    day = Referral.objects.get(case=case, route="day_activity")
    assert day.status in ("accepted", "sent") and (day.registration_id or day.waiting_entry_id)
    assert visit.shared == ["first_name", "last_name", "phone"]
    screenshot(page.page, "casework-case-referred-1280")

    # The visiting service (its coordinator) sees only what the resident agreed to share, and accepts.
    coordinator_context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    coordinator = coordinator_context.new_page()
    _as_demo(coordinator, live_server, "coordinator")
    coordinator.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verwijzingen").click()
    coordinator.get_by_test_id("referrals-received").get_by_role("link", name="Wim Wachtebeke").click()
    shared = coordinator.get_by_test_id("shared").inner_text()
    assert "06-12121212" in shared
    assert GOALS not in coordinator.content() and "dochter Ans" not in coordinator.content()
    axe_check(coordinator)
    coordinator.locator("input[name='status'][value='accepted']").check()
    coordinator.get_by_role("button", name="Antwoord opslaan").click()
    coordinator.locator("input[name='status'][value='started']").check()
    coordinator.get_by_role("button", name="Antwoord opslaan").click()
    visit.refresh_from_db()
    assert visit.status == "started"
    coordinator_context.close()

    # Three months on, omzien tick puts the follow-up in the worklist; the professional makes a link.
    services.follow_ups_create(now=timezone.now() + timedelta(days=85))
    page.goto(live_server.url + "/werklijst/")
    assert page.get_by_test_id("count-follow-ups").inner_text().strip() != "0"
    axe_check(page)
    # The lists to choose from are a row of links, not bullets; the chosen one is bold and marked for a screen reader.
    scopes = page.get_by_test_id("worklist-scopes")
    # Utrecht's bullet is the item's ::marker content: only an item that is no list item loses it.
    assert scopes.locator("li").evaluate_all("items => items.map(item => getComputedStyle(item).display)") == ["block"] * 3
    chosen = scopes.locator("[aria-current='page']")
    assert chosen.count() == 1 and chosen.inner_text().startswith("Van mij")
    assert chosen.evaluate("link => getComputedStyle(link).fontWeight") == "700"
    other_scope = scopes.get_by_role("link", name="Van het team")
    assert int(other_scope.evaluate("link => getComputedStyle(link).fontWeight")) < 700
    # The menu's number is the number on the "Mine" tab.
    menu_number = page.locator("nav a[href='/werklijst/']").first.inner_text().rsplit("(", 1)[-1].rstrip(")")
    assert chosen.inner_text().endswith(f"({menu_number})")
    page.get_by_test_id("wl-follow-ups").get_by_role("link", name="Wim Wachtebeke").click()
    page.get_by_test_id("make-link").click()
    link = page.get_by_test_id("personal-link").inner_text().strip()

    # The resident answers on a phone, without an account; the link then refuses a second use.
    narrow_page.goto(link)
    axe_check(narrow_page)
    _answer(narrow_page, lonely=False)
    narrow_page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    assert narrow_page.get_by_test_id("answer-done").is_visible()
    narrow_page.goto(link)
    assert "al gebruikt" in narrow_page.get_by_test_id("link-refused").inner_text()
    axe_check(narrow_page)
    narrow_page.goto(link[:-4] + "abcd")
    assert "niet geldig" in narrow_page.get_by_test_id("link-refused").inner_text()
    # A resident who reads English gets the refusal in English.
    narrow_page.context.add_cookies([{"name": "omzien-language", "value": "en", "url": live_server.url}])
    narrow_page.goto(link)
    assert "already been used" in narrow_page.get_by_test_id("link-refused").inner_text()
    assert narrow_page.locator("html").get_attribute("lang") == "en"
    narrow_page.context.clear_cookies()
    services.follow_ups_create(now=timezone.now() + timedelta(days=175))
    six = FollowUp.objects.get(case=case, months=6)
    old = services.follow_up_link_create(
        follow_up=six, acting_user=professional, at=timezone.now() - timedelta(days=20)
    )
    narrow_page.goto(f"{live_server.url}/vervolgmeting/{old}/")
    assert "verlopen" in narrow_page.get_by_test_id("link-refused").inner_text()
    screenshot(narrow_page, "casework-link-expired-320")

    # The change shows on the case page: last score 0, a change of -5 against the intake.
    page.goto(f"{live_server.url}/clienten/{case.public_id}/")
    assert page.get_by_test_id("case-last-score").inner_text().startswith("0")
    assert "-5" in page.get_by_test_id("case-measurements").inner_text()
    axe_check(page)
    reads = AccessLogEntry.objects.filter(object_type="case", object_id=str(case.public_id), action="read",
                                          outcome="success", actor_display="demo-buurtteam")  # fmt: skip
    assert reads.exists()

    # A professional of another team: a 404 that is logged.
    other_team = (
        Organisation.objects.filter(kind="buurtteam").exclude(pk=professional.organisation_id or 0).first()
    )
    other = User.objects.filter(organisation=other_team, groups__name="neighbourhood_professional").first()
    assert other is not None
    client = Client()
    login_verified(client, other)
    other_context = browser.new_context(locale="nl-NL")
    cookie = settings.SESSION_COOKIE_NAME
    other_context.add_cookies(
        [{"name": cookie, "value": client.cookies[cookie].value, "url": live_server.url}]
    )
    other_page = other_context.new_page()
    response = other_page.goto(f"{live_server.url}/clienten/{case.public_id}/")
    assert response is not None and response.status == 404
    assert "Wachtebeke" not in other_page.content()
    assert AccessLogEntry.objects.filter(object_type="case", object_id=str(case.public_id), outcome="denied",
                                         actor_display=other.username).exists()  # fmt: skip
    other_context.close()


def test_a_professional_opens_a_case_from_the_residents_page(live_server: Any, page: Any, narrow_page: Any,
                                                             settings: Any) -> None:  # fmt: skip
    """No signal came in: the resident came by. From the resident's page the professional opens a case; an
    empty reason is refused with a clear message; the case page shows how the question came in. 320 px too."""
    from omzien.accounts.models import User
    from omzien.audit.models import AccessLogEntry
    from omzien.casework.models import Case
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.residents.models import ResidentLink

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    professional = User.objects.get(username="demo-buurtteam")
    with_case = Case.objects.filter(team=professional.organisation_id).values("resident_id")
    known = list(ResidentLink.objects.filter(kind="case", organisation=professional.organisation_id, ended_at__isnull=True)
                 .exclude(resident_id__in=with_case).select_related("resident")[:2])  # fmt: skip
    assert len(known) == 2, "the demo team knows residents without a case"
    for browser_page, link, width in ((page, known[0], 1280), (narrow_page, known[1], 320)):
        resident = link.resident
        _as_demo(browser_page, live_server, "neighbourhood_professional")
        browser_page.goto(f"{live_server.url}/bewoners/{resident.public_id}/")
        browser_page.get_by_test_id("case-new").click()
        browser_page.wait_for_url("**/clienten/nieuw/**")
        browser_page.get_by_role("button", name="Open de casus").click()
        assert "Zeg hoe de hulpvraag bij het team is gekomen." in browser_page.content()
        assert browser_page.locator("textarea[name='reason']").get_attribute("aria-invalid") == "true"
        axe_check(browser_page)
        browser_page.locator("textarea[name='reason']").fill("Kwam langs op het spreekuur.")
        if browser_page.locator("input[name='consent_method'][value='verbal']").count():
            browser_page.locator("input[name='consent_method'][value='verbal']").check()
        browser_page.get_by_role("button", name="Open de casus").click()
        case = Case.objects.get(resident=resident, team=professional.organisation_id, closed_at__isnull=True)
        browser_page.wait_for_url(f"**/clienten/{case.public_id}/")
        assert "Kwam langs op het spreekuur." in browser_page.inner_text("main")
        assert browser_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        axe_check(browser_page)
        screenshot(browser_page, f"casework-case-opened-{width}")
        assert AccessLogEntry.objects.filter(subject_resident_pseudo_id=resident.pseudo_id, object_type="case",
                                             action="create").exists()  # fmt: skip
