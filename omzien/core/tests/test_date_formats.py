# SPDX-License-Identifier: EUPL-1.2
"""Short dates as each language writes them, from one home (omzien/conf/formats): "3 dec 2026" in Dutch."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import timezone, translation

import omzien

ROOT = Path(omzien.__file__).parent
DATE_FILTER = re.compile(r"""\|date:(["'])(.*?)\1""")
NAMED_FORMAT = re.compile(r"[A-Z_]+")


def title_cased_month(text: str) -> bool:
    """Whether a date filter's own pattern holds Django's "M" ("Dec", "Mrt" in Dutch); a backslash escapes."""
    for _quote, pattern in DATE_FILTER.findall(text):
        if not NAMED_FORMAT.fullmatch(pattern) and "M" in re.sub(r"\\.", "", pattern):
            return True
    return False


class ShortDateTests(SimpleTestCase):
    def render(self, source: str, language: str, **context: object) -> str:
        with translation.override(language):
            return Template(source).render(Context(context)).strip()

    def test_dutch_months_are_lower_case_and_english_ones_capitalised(self) -> None:
        day, moment = date(2026, 3, 1), datetime(2026, 12, 3, 9, 30, tzinfo=timezone.get_current_timezone())
        cases = {
            ('{{ d|date:"SHORT_DATE_FORMAT" }}', "nl"): "1 mrt 2026",
            ('{{ d|date:"SHORT_DATE_FORMAT" }}', "en"): "1 Mar 2026",
            ('{{ m|date:"SHORT_DATETIME_FORMAT" }}', "nl"): "3 dec 2026 09:30",
            ('{{ m|date:"SHORT_DATETIME_FORMAT" }}', "en"): "3 Dec 2026 09:30",
            ('{{ m|date:"D" }} {{ m|date:"MONTH_DAY_FORMAT" }}', "nl"): "do 3 dec",
            ('{{ m|date:"D" }} {{ m|date:"MONTH_DAY_FORMAT" }}', "en"): "Thu 3 Dec",
        }
        for (source, language), expected in cases.items():
            with self.subTest(source=source, language=language):
                self.assertEqual(self.render(source, language, d=day, m=moment), expected)

    def test_no_template_writes_django_s_title_cased_month(self) -> None:
        offenders = [
            str(path.relative_to(ROOT))
            for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.txt")]
            if "tests" not in path.parts and title_cased_month(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(offenders, [], 'Write |date:"SHORT_DATE_FORMAT" (omzien/conf/formats).')
        self.assertTrue(title_cased_month('{{ day|date:"j M Y" }}'))  # the check can fail
        self.assertFalse(title_cased_month('{{ day|date:"SHORT_DATE_FORMAT" }} {{ day|date:"j \\M" }}'))
