# SPDX-License-Identifier: EUPL-1.2
"""Reads: a resident's measurement history with the change since the first of the same instrument; contact requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from omzien.residents.models import Resident
from omzien.wellbeing.instruments import INSTRUMENTS, ONS_ANSWERS, ONS_CODE
from omzien.wellbeing.models import ContactRequest, Measurement, category_label
from omzien.wellbeing.scoring import RELIABLE_Z, reliable_change_index


@dataclass(frozen=True)
class HistoryRow:
    measurement: Measurement
    change: int | None  # since the first valid measurement with the same instrument
    rci: float | None
    reliable: bool | None
    label: str = ""  # the category, or for the direct question its answer

    @property
    def scale_name(self) -> str:
        """The scale's name in words (never its code)."""
        return scale_name(self.measurement.instrument)

    @property
    def incomplete(self) -> bool:
        """Saved explicitly without a score: too many statements were left open."""
        return self.measurement.instrument != ONS_CODE and self.measurement.total is None


def scale_name(code: str) -> str:
    """The name of a scale (or of the direct question) for people."""
    return INSTRUMENTS[code].name if code in INSTRUMENTS else str(_("Direct question"))


def measurement_history(resident: Resident) -> list[HistoryRow]:
    """Return the resident's current (not superseded) measurements, oldest first, with change and RCI."""
    measurements = list(
        Measurement.objects.filter(resident=resident, superseded_by__isnull=True)
        .select_related("administered_by")
        .order_by("recorded_at", "pk")
    )
    first: dict[str, Measurement] = {}
    rows = []
    for measurement in measurements:
        baseline = first.get(measurement.instrument)
        change = rci = reliable = None
        if measurement.total is not None:
            if baseline is None:
                first[measurement.instrument] = measurement
            elif baseline.total is not None:
                instrument = INSTRUMENTS[measurement.instrument]
                change = measurement.total - baseline.total
                rci = reliable_change_index(baseline.total, measurement.total, sd=instrument.rci_sd,
                                            reliability=instrument.rci_reliability)  # fmt: skip
                reliable = abs(rci) > RELIABLE_Z
        label = category_label(measurement.category)
        if measurement.instrument == ONS_CODE and measurement.answers:
            dutch = (get_language() or "nl").startswith("nl")
            label = next(
                (nl if dutch else en for code, nl, en in ONS_ANSWERS if code == measurement.answers[0]), ""
            )
        rows.append(HistoryRow(measurement, change, rci, reliable, label))
    return rows


@dataclass(frozen=True)
class ChartTick:
    position: float  # in the SVG's units
    label: str


@dataclass(frozen=True)
class ChartCutOff:
    y: float
    label: str  # "from 3: moderately lonely"


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    row: HistoryRow


@dataclass(frozen=True)
class Chart:
    """One scale's totals over time, laid out for an SVG (no JavaScript): axes, ticks, cut-offs, points."""

    code: str
    name: str
    points: list[ChartPoint]
    y_ticks: list[ChartTick]
    x_ticks: list[ChartTick]
    cut_offs: list[ChartCutOff]
    left: float = 56
    right: float = 388
    top: float = 16
    bottom: float = 196

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


# The SVG is 400 × 250 units: narrow, so its text stays readable when a phone shrinks it.
CHART_WIDTH, CHART_HEIGHT = 400, 250


def _chart_y(chart: Chart, value: float, low: int, high: int) -> float:
    """The SVG y of a score: the scale's lowest score on the x axis, its highest at the top."""
    return chart.bottom - (value - low) / max(1, high - low) * (chart.bottom - chart.top)


def measurement_charts(rows: list[HistoryRow]) -> list[Chart]:
    """One chart per scale with scored measurements: the total (y, the scale's whole range) by date (x)."""
    series: dict[str, list[HistoryRow]] = {}
    for row in rows:
        if row.measurement.total is not None and row.measurement.instrument in INSTRUMENTS:
            series.setdefault(row.measurement.instrument, []).append(row)
    charts = []
    for code, items in series.items():
        instrument = INSTRUMENTS[code]
        low = min(category.low for category in instrument.categories)
        high = max(category.high for category in instrument.categories)
        chart = Chart(code, scale_name(code), [], [], [], [])
        first, last = items[0].measurement.recorded_at, items[-1].measurement.recorded_at
        seconds = max((last - first).total_seconds(), 1.0)
        step = 1 if high - low <= 12 else 5
        chart.y_ticks.extend(ChartTick(_chart_y(chart, value, low, high), str(value)) for value in range(low, high + 1, step))
        for row in items:
            share = 0.5 if len(items) == 1 else (row.measurement.recorded_at - first).total_seconds() / seconds
            x = chart.left + share * (chart.right - chart.left)
            chart.points.append(ChartPoint(x, _chart_y(chart, row.measurement.total or 0, low, high), row))
        shown = {0, len(items) - 1} | set(range(0, len(items), max(1, len(items) // 3)))
        chart.x_ticks.extend(
            ChartTick(chart.points[i].x, formats.date_format(items[i].measurement.recorded_at, "j-n-Y")) for i in sorted(shown)
        )
        for category in instrument.categories[1:]:
            chart.cut_offs.append(ChartCutOff(
                _chart_y(chart, category.low - 0.5, low, high),
                _("from %(score)s: %(category)s") % {"score": category.low, "category": category_label(category.code)},
            ))  # fmt: skip
        charts.append(chart)
    return charts


def contact_requests_for(user: Any) -> QuerySet[ContactRequest]:
    """The self-test contact requests a user may see: those routed to their own buurtteam, open ones first."""
    from omzien.accounts.models import Organisation
    from omzien.accounts.roles import Role, user_role

    organisation = getattr(user, "organisation", None)
    if (
        user_role(user) != Role.NEIGHBOURHOOD_PROFESSIONAL
        or organisation is None
        or organisation.kind != Organisation.Kind.NEIGHBOURHOOD_TEAM
    ):
        return ContactRequest.objects.none()
    return ContactRequest.objects.filter(team=organisation).order_by(
        F("handled_at").desc(nulls_first=True), "-created_at"
    )


CONTACT_FIELDS = ("name", "phone", "email", "postcode", "preferred_contact", "category")


def contact_requests_shown(request: Any, *, limit: int = 200) -> list[ContactRequest]:
    """Return the contact requests the user may see (open ones first); each one shown is access-logged."""
    from omzien.audit import events

    items = list(contact_requests_for(request.user)[:limit])
    events.record_listed(actor=events.actor_for_request(request), shown=items, fields=CONTACT_FIELDS,
                         purpose="contact_request", object_type="contact_request")  # fmt: skip
    return items


def latest_category(resident: Resident) -> str:
    """Return the loneliness category of the resident's latest valid measurement ("" without one)."""
    return (
        Measurement.objects.filter(resident=resident, superseded_by__isnull=True)
        .exclude(category="")
        .order_by("-recorded_at", "-pk")
        .values_list("category", flat=True)
        .first()
    ) or ""


def urgency_for_category(category: str) -> int:
    """Return the matching urgency (1-3) of a loneliness category, by the municipality's policy."""
    from omzien import policy

    mapping = policy.get("wellbeing.urgency_by_category")
    try:
        return max(1, min(3, int(mapping.get(category, 1))))
    except (TypeError, ValueError, AttributeError):
        return 1


def urgency_for(resident: Resident) -> int:
    """Return the resident's matching urgency (1-3) from their latest valid measurement (1 without one)."""
    return urgency_for_category(latest_category(resident))


def measurements_of_resident_export(resident: Resident) -> list[dict[str, Any]]:
    """The resident's loneliness measurements for their data export (AVG art. 15/20), without who took them."""
    return [
        {"when": row.recorded_at.isoformat(), "instrument": scale_name(row.instrument), "answers": row.answers,
         "total": row.total, "social": row.social, "emotional": row.emotional, "category": row.category,
         "context": row.get_context_display(), "how": row.get_mode_display(),
         "corrects_earlier": row.supersedes_id is not None}
        for row in Measurement.objects.filter(resident=resident).order_by("recorded_at", "pk")
    ]  # fmt: skip
