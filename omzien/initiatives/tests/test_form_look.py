# SPDX-License-Identifier: EUPL-1.2
"""The public application form as a resident first sees it, in a real browser: no field drawn as an error
before anything was typed or sent (a required text area was red from the start), and red once the
server says a field is wrong."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BORDER = "e => getComputedStyle(e).borderTopColor + ' ' + getComputedStyle(e).backgroundColor"


def test_an_untouched_form_shows_no_errors_and_a_refused_one_marks_its_fields(
    live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/bewonersinitiatief/")
    idea = page.locator("textarea[required]").first
    assert idea.count() == 1
    untouched = idea.evaluate(BORDER)
    flagged = idea.evaluate(
        "e => { e.setAttribute('aria-invalid', 'true'); const c = getComputedStyle(e).borderTopColor + ' ' +"
        " getComputedStyle(e).backgroundColor; e.removeAttribute('aria-invalid'); return c; }"
    )
    assert untouched != flagged, (untouched, flagged)
    # Sent empty: the server names the field, and now it is drawn as an error.
    page.get_by_test_id("application").locator("button[type=submit]").click()
    page.wait_for_load_state()
    idea = page.locator("textarea[aria-invalid=true]").first
    assert idea.count() == 1
    assert idea.evaluate(BORDER) == flagged
