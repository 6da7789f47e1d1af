# SPDX-License-Identifier: EUPL-1.2
"""Working days for response deadlines: weekends and the closed days of the policy's calendar.

A pure core (no Django): the calendar comes in as plain data, read from the policy store by the
services. The movable feasts are computed by the ``holidays`` package; which of its Dutch holidays
count is the policy's choice, because the package's NL calendar is not the Algemene termijnenwet's:
it has Good Friday (not a general holiday under art. 3) and Liberation Day only in lustrum years
(the Act closes 5 May every year). Counting working days is NumPy's ``busday_offset``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

# Algemene termijnenwet art. 3(1): the generally recognised holidays, named as the holidays package
# calls them in English; plus 5 May every year (art. 3(3)). Sundays are weekend days anyway.
DEFAULT_CALENDAR: dict[str, Any] = {
    "package_holidays": [
        "New Year's Day", "Easter Monday", "King's Day", "Ascension Day", "Pentecost Monday", "Christmas Day",
        "Second Day of Christmas",
    ],
    "every_year": ["05-05"],
    "local_closing_days": [],
}  # fmt: skip


def _names(calendar: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(str(name) for name in calendar.get("package_holidays", ())))


@lru_cache(maxsize=256)
def _package_days(year: int, names: tuple[str, ...]) -> tuple[date, ...]:
    import holidays

    found = holidays.country_holidays("NL", years=year, language="en_US")
    return tuple(sorted(day for day, name in found.items() if any(part in names for part in name.split("; "))))


def closed_days(calendar: Mapping[str, Any], years: Iterable[int]) -> list[date]:
    """Return the closed weekdays and holidays of the calendar in the given years, sorted."""
    names = _names(calendar)
    days: set[date] = set()
    for year in years:
        days.update(_package_days(year, names))
        for month_day in calendar.get("every_year", ()):
            month, day = (int(part) for part in str(month_day).split("-"))
            days.add(date(year, month, day))
    wanted = set(years)
    for text in calendar.get("local_closing_days", ()):
        closed = date.fromisoformat(str(text))
        if closed.year in wanted:
            days.add(closed)
    return sorted(days)


def add_working_days(received: date, count: int, calendar: Mapping[str, Any]) -> date:
    """Return the ``count``-th working day after the day of receipt.

    A signal that arrives on a closed day counts from that day as if from the working day before it,
    so one working day after a Saturday is the Monday (the day of receipt itself never counts).
    """
    import numpy as np

    if count < 1:
        raise ValueError("a deadline is at least one working day away")
    # Enough years to hold count working days even over Christmas and New Year.
    years = range(received.year - 1, received.year + 2 + count // 200)
    holidays = np.array(closed_days(calendar, years), dtype="datetime64[D]")
    result = np.busday_offset(np.datetime64(received, "D"), count, roll="backward", holidays=holidays)
    return date.fromisoformat(str(result))


def is_working_day(day: date, calendar: Mapping[str, Any]) -> bool:
    """Whether the day is a working day: a weekday that the calendar does not close."""
    import numpy as np

    holidays = np.array(closed_days(calendar, [day.year]), dtype="datetime64[D]")
    return bool(np.is_busday(np.datetime64(day, "D"), holidays=holidays))


def working_days_between(start: date, end: date, calendar: Mapping[str, Any]) -> int:
    """Return the number of working days after ``start`` up to and including ``end``."""
    import numpy as np

    years = range(min(start.year, end.year), max(start.year, end.year) + 1)
    holidays = np.array(closed_days(calendar, years), dtype="datetime64[D]")
    # busday_count counts [begin, end): shift both by one day to count (start, end].
    one = np.timedelta64(1, "D")
    return int(np.busday_count(np.datetime64(start, "D") + one, np.datetime64(end, "D") + one, holidays=holidays))
