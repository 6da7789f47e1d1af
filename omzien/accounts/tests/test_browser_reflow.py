# SPDX-License-Identifier: EUPL-1.2
"""Reflow (WCAG 2.1 AA 1.4.10): every page of every demo role fits 320 CSS px without scrolling sideways.

The pages are found by walking the demo city as each role (``omzien.lib.testing.walk``) in Chromium
320 px wide, and each is checked as it is opened. The public pages (the 21 kinds an anonymous visitor
reaches) are checked once, in the anonymous visitor's walk, and in the resident's, whose pages they are;
the other roles' walks open them with a test client only to follow their links (they were more than half
of the 465 pages those walks opened, each the same page under another header; a role's header is checked
on its own pages). Nothing may stick out beyond the screen, except a
table inside its own scroll region, and such a region must be named and reachable by keyboard, with
its caption wrapped to the region's width.
"""

from __future__ import annotations

import functools
import html
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from omzien.accounts.demo import demo_usernames
from omzien.accounts.roles import Role
from omzien.lib.testing.walk import Fetched, client_fetch, page_kind, walk, walk_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Elements that stick out of the viewport, not inside a box that scrolls or clips them; and the
# table regions that scroll, with what makes them usable.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const contained = element => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !contained(element)) {
      out.push(element.tagName.toLowerCase() + '.' + String(element.className).trim().replace(/\\s+/g, '.'));
    }
  }
  const regions = [...document.querySelectorAll('.omzien-table-wrap')]
    .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)
    .map(wrap => ({role: wrap.getAttribute('role'), tabindex: wrap.getAttribute('tabindex'),
                   named: Boolean(wrap.getAttribute('aria-label') ||
                                  document.getElementById(wrap.getAttribute('aria-labelledby') || '-'))}));
  // A caption is as wide as its table: inside a scrolling region it must still wrap to what the region
  // shows, or its end is read by scrolling sideways line by line.
  const textRight = element => { const range = document.createRange(); range.selectNodeContents(element);
                                 return range.getBoundingClientRect().right; };
  const captions = [...document.querySelectorAll('.omzien-table-wrap caption')]
    .filter(caption => textRight(caption) > caption.closest('.omzien-table-wrap').getBoundingClientRect().right + 1)
    .map(caption => caption.textContent.trim().slice(0, 40));
  // A region sized by its container (for the caption above) must not shrink to nothing in a box sized by
  // its content.
  const collapsed = [...document.querySelectorAll('.omzien-table-wrap')].filter(wrap => wrap.clientWidth < 100).length;
  // The page's links, for the walk (one round trip: the whole page's HTML is not needed for them).
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5), regions, captions, collapsed,
          links};
}"""


@pytest.fixture
def demo_city(settings: Any) -> None:
    from omzien.lib.testing.demo import demo_city_for_tests

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()


@functools.cache
def _public_kinds() -> frozenset[str]:
    """The page kinds an anonymous visitor reaches, the home page left out (every role's walk starts there);
    once per test process (every walk is on the same demo city)."""
    from django.test import Client

    return frozenset(walk(Client(), html_only=True)) - {"home"}


def _every_page_fits_320_pixels(role: Any, live_server: Any, browser: Any) -> None:
    # The walk opens each page once, in the browser, and checks it there (a test client walking the
    # site first rendered every page twice).
    from django.test import Client

    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    found_on: dict[str, Any] = {}
    public = _public_kinds() if role not in (None, Role.RESIDENT) else frozenset()
    client = Client()
    if public:
        client.get("/")
        client.post("/account/demo/", {"role": role.value})
    followed = client_fetch(client)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        if role is not None:
            page.locator(f"form:has(input[value='{role}']) button").first.click()
            page.wait_for_load_state()

        def fetch(url: str) -> Fetched:
            if page_kind(url) in public:
                return followed(url)  # for its links: checked in the anonymous and the resident's walk
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as error:
                if "Download is starting" in str(error) or "ERR_ABORTED" in str(error):
                    return Fetched(200)  # a download (CSV, PDF): not a page to check
                raise
            assert response is not None, url
            final = urlsplit(page.url)
            if response.request.redirected_from is not None:
                return Fetched(302, final.path + (f"?{final.query}" if final.query else ""))
            is_html = "html" in response.headers.get("content-type", "")
            if response.status != 200 or not is_html:
                return Fetched(response.status, is_html=is_html)
            found_on[url] = page.evaluate(OVERFLOW)
            hrefs = "".join(f'<a href="{html.escape(href)}">' for href in found_on[url]["links"])
            return Fetched(response.status, is_html=True, body=hrefs)

        pages = walk_with(fetch, html_only=True)
    finally:
        context.close()
    assert len(pages) > 3, (role, pages)
    assert len(found_on) > 3, (role, found_on)
    failures = []
    usable = {"role": "region", "tabindex": "0", "named": True}
    for kind, url in sorted(pages.items()):
        if url not in found_on:
            continue  # a public page, followed for its links
        found = found_on[url]
        if found["scroll"] > found["width"] or found["out"]:
            failures.append(f"{role} {kind} {url}: {found['scroll']} px wide; {found['out']}")
        failures.extend(f"{role} {kind} {url}: a scrolling table region {region}"
                        for region in found["regions"] if region != usable)  # fmt: skip
        failures.extend(f"{role} {kind} {url}: a caption wider than its table's region: {caption!r}"
                        for caption in found["captions"])  # fmt: skip
        if found["collapsed"]:
            failures.append(f"{role} {kind} {url}: {found['collapsed']} table region(s) narrower than 100 px")
    assert failures == [], "\n".join(failures)


def _reflow_tests_for(role: Any) -> type:
    # One class per role: the test command distributes test classes over its workers (xdist
    # loadscope), so the roles' walks run side by side instead of one after another.
    class ReflowOfOneRole:
        def test_every_page_of_the_role_fits_320_pixels(
            self, live_server: Any, browser: Any, demo_city: None
        ) -> None:
            _every_page_fits_320_pixels(role, live_server, browser)

    ReflowOfOneRole.__name__ = ReflowOfOneRole.__qualname__ = f"TestReflow_{role.value}"
    return ReflowOfOneRole


for _role in demo_usernames():
    globals()[f"TestReflow_{_role.value}"] = _reflow_tests_for(_role)


class TestReflow_anonymous:  # noqa: N801 - named like the roles' classes
    def test_every_public_page_fits_320_pixels(self, live_server: Any, browser: Any, demo_city: None) -> None:
        _every_page_fits_320_pixels(None, live_server, browser)


def test_every_demo_role_has_its_reflow_walk() -> None:
    # A role added to the demo gets its walk by itself; guards the loop above.
    walked = {name.removeprefix("TestReflow_") for name in globals() if name.startswith("TestReflow_")}
    assert walked == {role.value for role in demo_usernames()} | {"anonymous"} and len(walked) >= 10, walked


def test_the_reflow_check_fails_on_a_page_that_scrolls_sideways(live_server: Any, browser: Any) -> None:
    # Guards the check above: a 400 px wide block at 320 px must be found.
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.set_content(
            '<html><body><main><div class="wide" style="width:400px">x</div></main></body></html>'
        )
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] > found["width"] and found["out"] == ["div.wide"]
    finally:
        context.close()
