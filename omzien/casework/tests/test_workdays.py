# SPDX-License-Identifier: EUPL-1.2
"""Working-day deadlines: the Algemene termijnenwet's calendar, property-tested (issue #18)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from omzien.casework.workdays import (
    DEFAULT_CALENDAR,
    add_working_days,
    closed_days,
    is_working_day,
    working_days_between,
)

CAL = DEFAULT_CALENDAR
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
counts = st.integers(min_value=1, max_value=30)


@given(days, counts)
def test_the_deadline_is_a_working_day_exactly_n_working_days_after_receipt(received: date, count: int) -> None:
    deadline = add_working_days(received, count, CAL)
    assert deadline > received
    assert is_working_day(deadline, CAL)
    assert working_days_between(received, deadline, CAL) == count
    # No earlier day would do: the day before the deadline has one working day fewer.
    assert working_days_between(received, deadline - timedelta(days=1), CAL) == count - 1


@given(days, st.integers(min_value=1, max_value=10))
def test_more_working_days_never_give_an_earlier_deadline(received: date, count: int) -> None:
    assert add_working_days(received, count, CAL) < add_working_days(received, count + 1, CAL)


@given(st.integers(min_value=2000, max_value=2060))
def test_liberation_day_is_closed_every_year_and_good_friday_is_open(year: int) -> None:
    import holidays

    assert date(year, 5, 5) in closed_days(CAL, [year])
    good_friday = next(d for d, name in holidays.NL(years=year, language="en_US").items() if "Good Friday" in name.split("; "))
    assert good_friday not in closed_days(CAL, [year])
    # Good Friday is a Friday: one working day after the Thursday before it is that Friday.
    assert add_working_days(good_friday - timedelta(days=1), 1, CAL) == good_friday


@given(st.integers(min_value=2000, max_value=2060))
def test_a_signal_on_the_wednesday_before_ascension_day_is_due_on_friday(year: int) -> None:
    import holidays

    ascension = next(d for d, name in holidays.NL(years=year, language="en_US").items() if "Ascension Day" in name.split("; "))
    wednesday = ascension - timedelta(days=1)
    assert add_working_days(wednesday, 1, CAL) == ascension + timedelta(days=1)
    assert not is_working_day(ascension, CAL)
    # Five working days: Friday and Monday..Thursday of the next week, later still if 5 May falls in it.
    five = add_working_days(wednesday, 5, CAL)
    liberation = date(year, 5, 5)
    shift = 1 if ascension < liberation <= ascension + timedelta(days=7) and liberation.weekday() < 5 else 0
    assert five == ascension + timedelta(days=7 + shift)


@given(st.integers(min_value=2014, max_value=2060))
def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday(year: int) -> None:
    kings_day = date(year, 4, 26) if date(year, 4, 27).weekday() == 6 else date(year, 4, 27)
    assert kings_day in closed_days(CAL, [year])
    if kings_day.day == 26:
        assert date(year, 4, 27) not in closed_days(CAL, [year]) or date(year, 4, 27).weekday() == 6
        # A signal on Friday the 25th: Saturday 26th (King's Day) and Sunday 27th pass, due Monday 28th.
        assert add_working_days(date(year, 4, 25), 1, CAL) == date(year, 4, 28)
    elif kings_day.weekday() < 5:
        assert add_working_days(kings_day - timedelta(days=1), 1, CAL) > kings_day


def test_the_named_years() -> None:
    # 2025: 27 April is a Sunday, King's Day is Saturday the 26th; 2026: Monday the 27th.
    assert date(2025, 4, 26) in closed_days(CAL, [2025]) and date(2025, 4, 27).weekday() == 6
    assert add_working_days(date(2026, 4, 24), 1, CAL) == date(2026, 4, 28)  # Friday -> (Mon 27 closed) Tuesday
    # 5 May 2026 is a Tuesday (not a lustrum year, when the holidays package would leave it open).
    assert add_working_days(date(2026, 5, 4), 1, CAL) == date(2026, 5, 6)
    assert add_working_days(date(2026, 5, 5), 1, CAL) == date(2026, 5, 6)  # received on the closed day itself
    # Christmas 2026: Thursday 24th -> Friday 25, Saturday 26, Sunday 27 pass -> Monday 28th.
    assert add_working_days(date(2026, 12, 24), 1, CAL) == date(2026, 12, 28)
    # Over Christmas and New Year: 5 working days after 23 December 2026 (Wed).
    assert add_working_days(date(2026, 12, 23), 5, CAL) == date(2026, 12, 31)
    assert add_working_days(date(2026, 12, 23), 6, CAL) == date(2027, 1, 4)


@given(days)
def test_christmas_and_boxing_day_and_new_year_are_never_working_days(day: date) -> None:
    for closed in (date(day.year, 12, 25), date(day.year, 12, 26), date(day.year, 1, 1)):
        assert not is_working_day(closed, CAL)


def test_local_closing_days_of_the_policy_count() -> None:
    calendar = {**CAL, "local_closing_days": ["2026-12-31"]}
    assert add_working_days(date(2026, 12, 30), 1, calendar) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 30), 1, CAL) == date(2026, 12, 31)
