# SPDX-License-Identifier: EUPL-1.2
"""The durability page's survival curves laid out for an inline SVG (no JavaScript): the Kaplan–Meier step
line, its 95 % band as one filled shape, and the axes' ticks. The table beside each chart gives the same
figures; the chart is a picture of it for those who see it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from omzien.volunteers.selectors.pairs import DurabilityCurve

DAYS_PER_MONTH = 365.25 / 12
# The moments the page's table reads off the curve, in days since the pair became active.
MOMENTS = ((3, 91), (6, 182), (12, 365))


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class SurvivalChart:
    """One curve in a 400 × 250 viewBox (as the wellbeing chart: narrow, so its text stays readable on a
    phone): ``line`` and ``band`` are SVG path data; ``marks`` are the 3, 6 and 12 month lines the table
    reads off."""

    line: str
    band: str
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    marks: list[Tick] = field(default_factory=list)
    months: int = 12
    left: float = 48
    right: float = 388
    top: float = 12
    bottom: float = 200


def _clean(value: float, fallback: float) -> float:
    """lifelines leaves the band undefined (NaN) where the curve reaches 0 or has no variance yet."""
    return fallback if math.isnan(value) else min(1.0, max(0.0, value))


def survival_chart(curve: DurabilityCurve) -> SurvivalChart:
    """The step function from (0, 100 %) to the last pair followed; the months axis runs to a whole year
    (at least 12 months, so the 12-month line is always on it)."""
    longest = max(curve.times, default=0.0)
    months = max(12, math.ceil(longest / DAYS_PER_MONTH / 6) * 6)
    chart = SurvivalChart(line="", band="", months=months)
    span_x, span_y = chart.right - chart.left, chart.bottom - chart.top

    def x(days: float) -> float:
        return chart.left + span_x * min(days / (months * DAYS_PER_MONTH), 1.0)

    def y(share: float) -> float:
        return chart.bottom - span_y * share

    times = list(curve.times) or [0.0]
    survival = [_clean(s, 1.0) for s in curve.survival] or [1.0]
    lower = [_clean(lo, s) for lo, s in zip(curve.lower, survival, strict=False)] or [1.0]
    upper = [_clean(hi, s) for hi, s in zip(curve.upper, survival, strict=False)] or [1.0]
    if times[0] > 0:  # everyone is together at the start
        times, survival, lower, upper = [0.0, *times], [1.0, *survival], [1.0, *lower], [1.0, *upper]

    def steps(values: list[float]) -> list[tuple[float, float]]:
        points = [(x(times[0]), y(values[0]))]
        for index in range(1, len(times)):
            points.append((x(times[index]), y(values[index - 1])))
            points.append((x(times[index]), y(values[index])))
        return points

    line = steps(survival)
    chart.line = "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in line)
    top, bottom = steps(upper), steps(lower)
    chart.band = "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in [*top, *reversed(bottom)]) + " Z"
    chart.y_ticks = [Tick(y(share / 100), f"{share}%") for share in (0, 25, 50, 75, 100)]
    step = 3 if months <= 12 else 6 if months <= 36 else 12
    chart.x_ticks = [Tick(x(m * DAYS_PER_MONTH), str(m)) for m in range(0, months + 1, step)]
    chart.marks = [Tick(x(days), str(m)) for m, days in MOMENTS if days <= times[-1]]
    return chart
