# SPDX-License-Identifier: EUPL-1.2
"""Weekly schedules as text ("ma 10:00-12:00", one per line or separated by ';'), for forms and uploads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils.translation import gettext as _

DAY_NAMES = {
    "ma": 0, "maandag": 0, "mon": 0, "monday": 0, "di": 1, "dinsdag": 1, "tue": 1, "tuesday": 1,
    "wo": 2, "woensdag": 2, "wed": 2, "wednesday": 2, "do": 3, "donderdag": 3, "thu": 3, "thursday": 3,
    "vr": 4, "vrijdag": 4, "fri": 4, "friday": 4, "za": 5, "zaterdag": 5, "sat": 5, "saturday": 5,
    "zo": 6, "zondag": 6, "sun": 6, "sunday": 6,
}  # fmt: skip
SHORT_DAY = ["ma", "di", "wo", "do", "vr", "za", "zo"]
RRULE_DAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
LINE = re.compile(
    r"^(?P<day>[a-z]+)\s+(?P<start>\d{1,2}[:.]\d{2})\s*[-–]\s*(?P<end>\d{1,2}[:.]\d{2})"
    r"(?:\s+(?:om\s+de|every)\s+(?P<weeks>\d)\s+(?:weken|weeks))?$"
)
# Parts of the day for search: a session belongs to the part in which it starts.
PARTS_OF_DAY = {"morning": (time(0, 0), time(12, 0)), "afternoon": (time(12, 0), time(17, 0)),
                "evening": (time(17, 0), time(23, 59, 59))}  # fmt: skip


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Slot:
    weekday: int
    starts_at: time
    ends_at: time
    interval_weeks: int = 1

    def text(self) -> str:
        every = f" om de {self.interval_weeks} weken" if self.interval_weeks > 1 else ""
        return f"{SHORT_DAY[self.weekday]} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}{every}"


def _time(text: str) -> time:
    hours, minutes = (int(part) for part in re.split(r"[:.]", text))
    if hours > 23 or minutes > 59:
        raise ScheduleError(_("'%(time)s' is not a time of day.") % {"time": text})
    return time(hours, minutes)


def parse_schedule(text: str) -> list[Slot]:
    """Return the slots in ``text``; raise ScheduleError naming the first part it cannot read."""
    slots: list[Slot] = []
    for raw in re.split(r"[;\n]", text or ""):
        part = " ".join(raw.strip().lower().split())
        if not part:
            continue
        match = LINE.match(part)
        if not match or match["day"] not in DAY_NAMES:
            raise ScheduleError(
                _("'%(part)s' is not a session like 'ma 10:00-12:00' (day, start, end).")
                % {"part": raw.strip()}
            )
        start, end = _time(match["start"]), _time(match["end"])
        if end <= start:
            raise ScheduleError(_("In '%(part)s' the end is not after the start.") % {"part": raw.strip()})
        slots.append(Slot(DAY_NAMES[match["day"]], start, end, int(match["weeks"] or 1)))
    return slots


def sessions_between(slots: list[Slot], first: date, last: date) -> list[date]:
    """The dates from ``first`` to ``last`` on which a weekly slot falls (every-n-weeks counted from ``first``)."""
    found: set[date] = set()
    for slot in slots:
        day = first + timedelta(days=(slot.weekday - first.weekday()) % 7)
        while day <= last:
            found.add(day)
            day += timedelta(weeks=slot.interval_weeks)
    return sorted(found)
