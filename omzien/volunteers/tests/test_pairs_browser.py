# SPDX-License-Identifier: EUPL-1.2
"""In a real browser at 320 px, on the demo city: the coordinator runs a proposal round and accepts the
proposal, the volunteer says yes in their portal, the resident's yes and the introduction are recorded,
the 6-week check-in (made by ``omzien tick``'s job) is filled in, the pair ends and a re-match is
proposed. axe-core on every page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

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


def test_round_accept_answer_introduction_check_in_end_and_re_match(live_server: Any, browser: Any, settings: Any) -> None:
    from omzien.accounts.models import User
    from omzien.geo.models import Postcode
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.residents.models import Resident
    from omzien.volunteers import services
    from omzien.volunteers.models import CheckIn, MatchRequest, Pair, Volunteer

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    own = Volunteer.objects.get(user__username="demo-vrijwilliger")
    humanitas = own.intakes.get().organisation
    spot = Postcode.objects.filter(lat__isnull=False, code__regex=r"^\d{4}[A-Z]{2}$").order_by("code")[0]
    # The demo volunteer lives at that postcode and has room; the other volunteers of Humanitas are out
    # of reach in this story (no location), so the round's proposal for the new request is hers.
    Volunteer.objects.filter(pk=own.pk).update(lat=spot.lat, lon=spot.lon, postcode=spot.code, max_pairs=5)
    Volunteer.objects.filter(intakes__organisation=humanitas).exclude(pk=own.pk).update(lat=None, lon=None)
    resident = Resident.objects.create(first_name="Truus", last_name="Teststraat", postcode=spot.code, phone="06-11112222")
    coordinator = User.objects.filter(organisation=humanitas, groups__name="coordinator").order_by("pk").first()
    services.request_open(organisation=humanitas, resident=resident, source=MatchRequest.Source.COORDINATOR, acting_user=coordinator,
                          data=services.RequestData(kind="visit", postcode=spot.code, languages=["nl"], max_km=2,
                                                    keep_in_mind="Houdt van kaarten."))  # fmt: skip
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, has_touch=True, locale="nl-NL")
    page, base = context.new_page(), live_server.url

    def fits() -> None:
        axe_check(page)
        wide = page.evaluate(
            "width => [...document.querySelectorAll('main *')]"
            ".filter(e => !e.closest('.omzien-table-wrap') && e.getBoundingClientRect().right > width + 1)"
            ".map(e => e.tagName + '.' + e.className + ':' + e.textContent.trim().slice(0, 30)).slice(0, 5)",
            WIDTH,
        )
        assert wide == [], f"sideways scrolling at {WIDTH} px: {wide}"

    # The coordinator finds "Koppelingen" in the menu (with its count) and runs a proposal round.
    demo_login(page, base, "coordinator")
    page.goto(base + "/vrijwilligers/koppelingen/")
    fits()
    page.get_by_test_id("run-round").click()
    page.wait_for_load_state()
    page.get_by_test_id("waiting").get_by_role("link", name="Truus Teststraat").click()
    page.wait_for_url(re.compile(r".*/koppelingen/verzoek/[0-9a-f-]{36}/$"))
    fits()
    assert own.first_name in page.get_by_test_id("proposal").inner_text()
    page.get_by_test_id("accept").click()
    page.wait_for_url(re.compile(r".*/koppelingen/koppel/[0-9a-f-]{36}/$"))
    pair_url = page.url
    assert page.get_by_test_id("stage").inner_text().strip() == "gevraagd"
    fits()
    screenshot(page, "volunteers-pair-asked-320")

    # The volunteer answers in their portal; before that they see where and what, not who.
    demo_login(page, base, "volunteer")
    page.goto(base + "/mijn/vrijwilligerswerk/")
    fits()
    page.get_by_test_id("my-pairs").get_by_role("link").filter(has_text="bezoeker").first.click()
    fits()
    assert "Truus" not in page.get_by_test_id("shared").inner_text()
    page.get_by_test_id("volunteer-yes").click()
    page.wait_for_load_state()

    # The coordinator records the resident's yes and the introduction (the question was asked 60 days ago).
    pair = Pair.objects.get(request__resident=resident)
    Pair.objects.filter(pk=pair.pk).update(asked_at=timezone.now() - timedelta(days=60))
    demo_login(page, base, "coordinator")
    page.goto(pair_url)
    page.get_by_test_id("resident-yes").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("stage").inner_text().strip() == "kennismaking gepland"
    fits()
    page.locator("#id_intro-on").fill((timezone.localdate() - timedelta(days=50)).isoformat())
    page.locator("label[for=id_intro-goes_ahead_0]").click()
    page.get_by_test_id("record-introduction").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("stage").inner_text().strip() == "actief"

    # The volunteer now sees what the match shares: the first name and phone.
    demo_login(page, base, "volunteer")
    page.goto(base + "/mijn/koppelingen/" + str(pair.public_id) + "/")
    shared = page.get_by_test_id("shared").inner_text()
    assert "06-11112222" in shared and "Teststraat" not in page.content()
    fits()

    # omzien tick makes the 6-week check-in; the coordinator fills it in.
    assert services.check_ins_create() == 1
    assert CheckIn.objects.filter(pair=pair, moment="6w").exists()
    demo_login(page, base, "coordinator")
    page.goto(pair_url)
    page.get_by_test_id("pair-check-ins").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/contactmoment/[0-9a-f-]{36}/$"))
    fits()
    # Each radio button stands before its label, and an untouched required one is not drawn as an error.
    radio, label = page.locator("#id_still_meeting_0"), page.locator("label[for=id_still_meeting_0]")
    assert radio.bounding_box()["x"] < label.bounding_box()["x"]
    untouched = radio.evaluate("e => getComputedStyle(e).borderTopColor")
    flagged = page.locator("#id_still_meeting_1").evaluate(
        "e => { e.setAttribute('aria-invalid', 'true'); const c = getComputedStyle(e).borderTopColor; e.removeAttribute('aria-invalid'); return c; }"
    )
    assert untouched != flagged, (untouched, flagged)
    page.locator("label[for=id_still_meeting_0]").click()
    page.locator("#id_times_a_month").fill("4")
    page.locator("label[for=id_resident_going_3]").click()
    page.locator("label[for=id_volunteer_going_4]").click()
    page.get_by_test_id("save-check-in").click()
    page.wait_for_url(pair_url)
    assert "4 keer per maand" in page.get_by_test_id("pair-check-ins").inner_text()

    # The pair ends (the volunteer stopped); a re-match is offered and proposed.
    page.locator("#id_end-reason").select_option("volunteer_stopped")
    page.locator("#id_end-on").fill(timezone.localdate().isoformat())
    page.get_by_test_id("end-pair").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("stage").inner_text().strip() == "gestopt" or "beëindigd" in page.content()
    fits()
    page.get_by_test_id("offer-rematch").click()
    page.get_by_test_id("rematch").click()
    page.wait_for_load_state()
    assert own.first_name in page.get_by_test_id("proposal").inner_text()
    fits()
    screenshot(page, "volunteers-rematch-320")
    context.close()
