# SPDX-License-Identifier: EUPL-1.2
"""One paging convention for our own pages: ?pagina=N (the HSDS API keeps the spec's page/per_page)."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase

import omzien
from omzien.lib.paging import page_number, query_without_page

ROOT = Path(omzien.__file__).parent
# A page parameter other than ours, in a link (?page= / &page=) or read from the query (GET.get("page")).
OTHER_PARAMETER = re.compile(r"""[?&;]page=|GET(?:\.get)?\(\s*["']page["']|GET\[\s*["']page["']""")


class PagingTests(SimpleTestCase):
    def test_the_page_number_is_read_one_way(self) -> None:
        get = RequestFactory().get
        self.assertEqual(page_number(get("/", {"pagina": "3"})), 3)
        for nonsense in ("", "x", "0", "-2", "1.5"):
            with self.subTest(nonsense=nonsense):
                self.assertEqual(page_number(get("/", {"pagina": nonsense})), 1)
        self.assertEqual(page_number(get("/", {"page": "3"})), 1)  # not our parameter
        self.assertEqual(query_without_page(get("/", {"q": "jan", "pagina": "2"})), "q=jan")

    def test_the_shared_links_use_pagina_and_keep_the_query(self) -> None:
        page = Paginator(list(range(60)), 25).get_page(2)
        html = render_to_string("includes/pagination.html", {"page": page, "query": "q=jan"})
        self.assertIn("?q=jan&amp;pagina=1", html)
        self.assertIn("?q=jan&amp;pagina=3", html)

    def test_no_page_of_ours_uses_another_parameter(self) -> None:
        offenders = [
            str(path.relative_to(ROOT))
            for path in [*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]
            if "tests" not in path.parts and "hsds" not in path.parts and "static" not in path.parts
            and OTHER_PARAMETER.search(path.read_text())
        ]  # fmt: skip
        self.assertEqual(offenders, [], "Page with omzien.lib.paging (?pagina=N).")
        self.assertTrue(OTHER_PARAMETER.search('request.GET.get("page", 1)'))  # the check can fail
