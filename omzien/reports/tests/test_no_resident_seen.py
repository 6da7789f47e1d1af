# SPDX-License-Identifier: EUPL-1.2
"""The policy officer never sees a resident (issue #22).

The demo city is loaded (residents, volunteers, casework, three monitor editions); the demo policy
officer crawls every page reachable from the start page, the menu and the monitor's pages — links, and
every choice of the pages' GET forms — plus the downloads and the open-data API. Every response is
searched for every demo resident's name, e-mail address and phone number: none may appear, and no read
of a person's record may be logged for the officer. The same crawler and needles, run as the
buurtteam professional, do find residents, so the test can fail.
"""

from __future__ import annotations

import html
import re
from collections import deque
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.urls import reverse

import pytest

from omzien.accounts.models import User
from omzien.audit.models import AccessLogEntry
from omzien.lib.testing.demo import DemoCityTestCase
from omzien.lib.testing.world import login_verified
from omzien.residents.models import Resident

LINK = re.compile(r"""<a\b[^>]*?\bhref="([^"#]*)(?:#[^"]*)?\"""", re.S)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
SELECT = re.compile(r"""<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>""", re.S)
OPTION = re.compile(r"""<option\b[^>]*\bvalue="([^"]*)\"""")
# Pages the crawl does not follow: leaving the session, and files that are not pages.
SKIP = ("/uitloggen/", "/static/", "/media/", "/i18n/")
MAX_PAGES = 1500


def _get_form_urls(page_url: str, body: str) -> list[str]:
    """The URLs a GET form on the page leads to when one of its selects is changed (at most two choices set).

    Two are enough to reach every view the forms offer (a level with a wijk, two editions to compare)
    without crawling every combination of every select. Outside the officer's own pages (the monitor and the
    council's view) one choice at a time: the public searches' pairs of filters were half the crawl (some 700
    of 1,350 pages) and show activities and vacancies, never a resident.
    """
    own_pages = (reverse("reports:index"), reverse("reports:council"))
    urls = []
    for attributes, content in FORM.findall(body):
        if re.search(r'method="post"', attributes, re.I):
            continue
        action = re.search(r'action="([^"#]*)', attributes)
        own = not (action and action.group(1))
        target = urlsplit(urljoin(page_url, page_url if own else html.unescape(action.group(1)))).path
        base = dict(parse_qsl(urlsplit(page_url).query)) if own else {}
        for name, options in SELECT.findall(content):
            for value in OPTION.findall(options):
                query = {**base, name: html.unescape(value)}
                if len(query) <= (2 if target.startswith(own_pages) else 1):
                    urls.append(target + "?" + urlencode(sorted(query.items())))
    return urls


def crawl(client: Any, starts: list[str], *, limit: int = MAX_PAGES) -> tuple[dict[str, str], dict[str, int]]:
    """Breadth first over the site's own GET links and forms; return url → response text, url → status."""
    seen: dict[str, str] = {}
    status: dict[str, int] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        status[url] = response.status_code
        if response.status_code in (301, 302):
            seen[url] = ""
            queue.append(urljoin(url, response["Location"]))
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        seen[url] = html.unescape(text)
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in [*LINK.findall(text), *_get_form_urls(url, text)]:
            parts = urlsplit(urljoin(url, html.unescape(href)))
            if parts.scheme not in ("http", "") or parts.hostname not in (None, "testserver"):
                continue
            if not parts.path or any(part in parts.path for part in SKIP):
                continue
            target = parts.path + ("?" + urlencode(sorted(parse_qsl(parts.query))) if parts.query else "")
            if target not in seen:
                queue.append(target)
    return seen, status


def needles() -> dict[str, str]:
    """Each demo resident's full name, e-mail and phone → the resident they belong to."""
    found: dict[str, str] = {}
    for resident in Resident.objects.all():
        for value in (f"{resident.first_name} {resident.last_name}", resident.email, resident.phone):
            if value and len(value) >= 6:
                found[value] = str(resident.pk)
    return found


def leaks(pages: dict[str, str], search: dict[str, str]) -> list[tuple[str, str]]:
    pattern = re.compile("|".join(re.escape(needle) for needle in sorted(search, key=len, reverse=True)))
    return [(url, match.group(0)) for url, text in pages.items() for match in [pattern.search(text)] if match]


@pytest.mark.whole_city
class PolicyOfficerNeverSeesAResidentTests(DemoCityTestCase):
    demo_residents = 300

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.needles = needles()

    def test_the_crawl_of_the_policy_officer_finds_no_resident(self) -> None:
        officer = User.objects.get(username="demo-beleid")
        login_verified(self.client, officer)
        pages, status = crawl(self.client, [reverse("accounts:start"), reverse("reports:index")])
        visited = set(pages)
        self.assertEqual([url for url, code in status.items() if code >= 500], [])
        # The crawl reached the room's pages: every edition, both levels, every indicator, the downloads.
        from omzien.reports.models import Edition

        for edition in Edition.objects.all():
            self.assertIn(reverse("reports:edition", args=[edition.pk]), visited)
            self.assertIn(reverse("reports:edition_csv", args=[edition.pk]), visited)
        paths = " ".join(visited)
        for fragment in ("niveau=buurt", "indicator=social", "wijk=WK", "naar=", "/monitor/nieuw/",
                         reverse("reports:api_editions")):
            self.assertIn(fragment, paths)
        self.assertGreater(len(self.needles), 600)  # 300 residents: names, e-mails, phones
        self.assertEqual(leaks(pages, self.needles), [])
        self.assertFalse(
            AccessLogEntry.objects.filter(actor_user_id=officer.public_id, subject_resident_pseudo_id__isnull=False).exists()
        )

    def test_the_same_crawl_finds_residents_for_a_buurtteam_professional(self) -> None:
        # Guards the guard: where residents are shown, the crawler and the needles find them.
        professional = User.objects.get(username="demo-buurtteam")
        login_verified(self.client, professional)
        pages, _status = crawl(self.client, [reverse("residents:list")], limit=1)
        self.assertTrue(leaks(pages, self.needles))

