# SPDX-License-Identifier: EUPL-1.2
"""Amounts and dates as the page's language writes them: "€ 1.250,50" and "2 dec 2026" in Dutch,
"€ 1,250.50" and "2 Dec 2026" in English. Django's own formats do the work (``number_format`` with the
active locale's separators, ``date_format`` with the short date formats of ``omzien/conf/formats``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format

# A day in a list, a moment (history); a day with its weekday (calendar columns) is put together below.
_SHORT = {"day": "SHORT_DATE_FORMAT", "moment": "SHORT_DATETIME_FORMAT"}


def amount(value: Decimal | int | float | None) -> str:
    """An amount with cents and thousands grouped in the active language ("1.250,50"); "—" for none."""
    if value is None:
        return "—"
    return number_format(Decimal(value), 2, force_grouping=True)


def euro(value: Decimal | int | float | None) -> str:
    """An amount in euro: "€ 1.250,50" (Dutch), "€ 1,250.50" (English); "—" for none."""
    return "—" if value is None else "€\u00a0" + amount(value)


def short_date(value: date | datetime | None, kind: str = "day") -> str:
    """A date in a table or a list: "2 dec 2026" (Dutch) or "2 Dec 2026" (English); local time for moments."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if kind == "weekday":
        return f"{date_format(value, 'D')} {date_format(value, 'MONTH_DAY_FORMAT')}"
    return date_format(value, _SHORT[kind])


def long_date(value: date | datetime | None) -> str:
    """A date in a letter or a sentence, the month written out: "2 december 2026", "2 December 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")
