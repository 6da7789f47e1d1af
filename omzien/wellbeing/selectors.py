# SPDX-License-Identifier: EUPL-1.2
"""Reads: a resident's measurement history with the change since the first of the same instrument; contact requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from omzien.residents.models import Resident
from omzien.wellbeing.instruments import INSTRUMENTS, ONS_ANSWERS, ONS_CODE
from omzien.wellbeing.models import ContactRequest, Measurement, category_label
from omzien.wellbeing.scoring import reliable_change_index

RELIABLE = 1.96


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
                reliable = abs(rci) > RELIABLE
        label = category_label(measurement.category)
        if measurement.instrument == ONS_CODE and measurement.answers:
            dutch = (get_language() or "nl").startswith("nl")
            label = next(
                (nl if dutch else en for code, nl, en in ONS_ANSWERS if code == measurement.answers[0]), ""
            )
        rows.append(HistoryRow(measurement, change, rci, reliable, label))
    return rows


def chart_points(rows: list[HistoryRow], width: int = 600, height: int = 200) -> dict[str, str]:
    """SVG polyline points per instrument (total over time, scaled to its range); no JavaScript needed."""
    series: dict[str, list[HistoryRow]] = {}
    for row in rows:
        if row.measurement.total is not None:
            series.setdefault(row.measurement.instrument, []).append(row)
    points = {}
    for code, items in series.items():
        top = max(category.high for category in INSTRUMENTS[code].categories)
        step = width / max(1, len(items) - 1)
        points[code] = " ".join(
            f"{index * step:.0f},{height - (row.measurement.total or 0) / top * height:.0f}"
            for index, row in enumerate(items)
        )
    return points


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
