# SPDX-License-Identifier: EUPL-1.2
"""Reads of the initiatives room: a broker's initiatives and network, budgets, room calendars, reach per wijk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from omzien.activities.schedules import Slot
from omzien.geo.models import District
from omzien.initiatives.models import (
    Booking,
    BrokerArea,
    Budget,
    Centre,
    Initiative,
    KeyFigure,
    Status,
    VisitorCount,
)

OPEN = (Status.RECEIVED, Status.IN_CONVERSATION)
LIST_VIEWS = ("open", "granted", "running", "done", "all")


def broker_district_ids(user: Any) -> list[int]:
    """The wijken the user serves as social broker (none for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_omzien_broker_districts", None)
    if cached is None:
        cached = list(BrokerArea.objects.filter(user=user).values_list("district_id", flat=True))
        user._omzien_broker_districts = cached
    return list(cached)


def initiatives_of(user: Any) -> QuerySet[Initiative]:
    """The initiatives of the wijken the user serves."""
    return Initiative.objects.filter(district_id__in=broker_district_ids(user))


def initiative_list(user: Any, view: str = "open", query: str = "") -> QuerySet[Initiative]:
    """The broker's initiatives in one view: open applications (oldest decision term first) or a stage;
    each of the first four words of ``query`` in the name, the reference, the group or the contact person."""
    found = initiatives_of(user).select_related("district", "neighbourhood")
    for word in query.split()[:4]:
        found = found.filter(Q(title__icontains=word) | Q(reference__icontains=word) | Q(group_name__icontains=word)
                             | Q(contact_name__icontains=word))  # fmt: skip
    if view == "open":
        return found.filter(status__in=OPEN).order_by("decision_due", "pk")
    if view == "granted":
        return found.filter(status=Status.GRANTED)
    if view == "running":
        return found.filter(status=Status.RUNNING)
    if view == "done":
        return found.filter(status__in=(Status.EVALUATED, Status.DECLINED))
    return found


def bookable_initiatives(user: Any) -> QuerySet[Initiative]:
    """The initiatives the broker books rooms for: granted or running, in their wijken."""
    return initiatives_of(user).filter(status__in=(Status.GRANTED, Status.RUNNING)).order_by("title")


def open_count(user: Any) -> int:
    """How many applications of the broker's wijken wait for a decision (the menu's count)."""
    return initiatives_of(user).filter(status__in=OPEN).count()


@dataclass(frozen=True)
class BudgetRow:
    district: str
    year: int
    budget: Decimal | None
    granted: Decimal
    settled: Decimal
    committed: Decimal

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed


def budget_overview(district_ids: list[int], year: int) -> list[BudgetRow]:
    """Per wijk: the fund's budget for the year, what was granted, what was settled (spent), what is left."""
    budgets = {b.district_id: b.amount for b in Budget.objects.filter(district_id__in=district_ids, year=year)}
    sums: dict[int, dict[str, Any]] = {
        row["district_id"]: dict(row)
        for row in Initiative.objects.filter(district_id__in=district_ids, decided_at__year=year,
                                             status__in=(Status.GRANTED, Status.RUNNING, Status.EVALUATED))
        .values("district_id")
        .annotate(granted=Sum("amount_granted"), settled=Sum("settled_amount"),
                  committed=Sum(Coalesce("settled_amount", "amount_granted")))
    }  # fmt: skip
    rows = []
    for district in District.objects.filter(pk__in=district_ids).order_by("name"):
        found: dict[str, Any] = sums.get(district.pk, {})
        rows.append(BudgetRow(district.name, year, budgets.get(district.pk), found.get("granted") or Decimal(0),
                              found.get("settled") or Decimal(0), found.get("committed") or Decimal(0)))  # fmt: skip
    return rows


def budget_left(district_id: int, year: int) -> Decimal | None:
    """What is left in the wijk's fund for the year (None: no budget set)."""
    amount = Budget.objects.filter(district_id=district_id, year=year).values_list("amount", flat=True).first()
    if amount is None:
        return None
    committed = Initiative.objects.filter(
        district_id=district_id, decided_at__year=year, status__in=(Status.GRANTED, Status.RUNNING, Status.EVALUATED)
    ).aggregate(total=Sum(Coalesce("settled_amount", "amount_granted")))["total"]
    return amount - (committed or Decimal(0))


def network_of(user: Any) -> QuerySet[KeyFigure]:
    """The key figures and organisations of the wijken the user serves."""
    return KeyFigure.objects.filter(district_id__in=broker_district_ids(user)).select_related("district")


# --- Centres and their calendars ------------------------------------------------------------------------


def centre_list(district_id: int | None = None) -> QuerySet[Centre]:
    centres = Centre.objects.select_related("district").prefetch_related("rooms", "opening_hours")
    return centres.filter(district_id=district_id) if district_id else centres


def activities_at(centre: Centre) -> list[Any]:
    """The published activities of initiatives that meet in this centre (public: title and link only)."""
    published = Initiative.objects.filter(
        activity__is_active=True, activity__location__name=centre.name, activity__location__postcode=centre.postcode
    ).select_related("activity")
    return [item.activity for item in published.order_by("activity__title")]


def publish_initial(initiative: Initiative) -> dict[str, Any]:
    """What the "publish in the sociale kaart" form starts with: the published activity as it is now (title,
    description, meeting times, places, centre, contact), so that sending it unchanged changes nothing;
    before the first publication, the application's name, idea and expected number of people."""
    activity = initiative.activity
    if activity is None:
        return {"title": initiative.title, "description": initiative.idea, "capacity": initiative.expected_participants}
    schedule = "\n".join(
        Slot(item.weekday, item.starts_at, item.ends_at, item.interval_weeks).text() for item in activity.schedules.all()
    )
    location = activity.location
    centre = (
        Centre.objects.filter(district_id=initiative.district_id, name=location.name, postcode=location.postcode).first()
        if location is not None else None
    )  # fmt: skip
    return {
        "title": activity.title, "description": activity.description, "schedule": schedule,
        "capacity": activity.capacity, "centre": centre.pk if centre else None,
        "contact_phone": activity.contact_phone, "contact_email": activity.contact_email,
    }  # fmt: skip


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class DayColumn:
    day: date
    bookings: list[Booking] = field(default_factory=list)


def bookings_between(centre: Centre, first: date, days: int) -> list[DayColumn]:
    """The centre's bookings per day from ``first`` on, for ``days`` days (the week and day views)."""
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(first + timedelta(days=days), datetime.min.time()))
    columns = [DayColumn(first + timedelta(days=offset)) for offset in range(days)]
    for booking in (
        Booking.objects.filter(room__centre=centre, cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start)
        .select_related("room", "initiative")
        .order_by("starts_at", "room__name")
    ):
        index = (timezone.localdate(booking.starts_at) - first).days
        if 0 <= index < days:
            columns[index].bookings.append(booking)
    return columns


def visitors_by_part(centre: Centre, first: date, last: date) -> list[dict[str, Any]]:
    """The centre's visitor counts per day and part of the day, between two days (inclusive)."""
    rows: dict[date, dict[str, Any]] = {}
    for count in VisitorCount.objects.filter(centre=centre, day__range=(first, last)).order_by("day"):
        rows.setdefault(count.day, {"day": count.day})[count.part] = count.visitors
    return [rows[day] for day in sorted(rows, reverse=True)]


# --- Reach ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReachRow:
    code: str
    district: str
    applications: int
    granted: int
    running: int
    evaluated: int
    participants: int
    booked_hours: int
    visitors: int


def reach_per_district(year: int, district_ids: list[int] | None = None) -> list[ReachRow]:
    """Per wijk in a year: applications, grants, running and evaluated initiatives, participants reached,
    hours booked in community centres and visitors counted (aggregates only, never a person)."""
    districts = District.objects.order_by("name")
    if district_ids is not None:
        districts = districts.filter(pk__in=district_ids)
    initiatives: dict[int, dict[str, Any]] = {
        row["district_id"]: dict(row)
        for row in Initiative.objects.filter(received_at__year=year).values("district_id").annotate(
            applications=Count("pk"),
            granted=Count("pk", filter=Q(status__in=(Status.GRANTED, Status.RUNNING, Status.EVALUATED))),
            running=Count("pk", filter=Q(status=Status.RUNNING)),
            evaluated=Count("pk", filter=Q(status=Status.EVALUATED)),
            participants=Coalesce(Sum("participants_reached"), 0),
        )
    }
    duration = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    booked = {
        row["room__centre__district_id"]: row["hours"]
        for row in Booking.objects.filter(cancelled_at__isnull=True, starts_at__year=year)
        .values("room__centre__district_id").annotate(hours=Sum(duration))
    }  # fmt: skip
    visitors = {
        row["centre__district_id"]: row["total"]
        for row in VisitorCount.objects.filter(day__year=year).values("centre__district_id").annotate(total=Sum("visitors"))
    }
    rows = []
    for district in districts:
        found: dict[str, Any] = initiatives.get(district.pk, {})
        hours = booked.get(district.pk)
        rows.append(ReachRow(
            district.code, district.name, found.get("applications", 0), found.get("granted", 0),
            found.get("running", 0), found.get("evaluated", 0), found.get("participants", 0),
            int(hours.total_seconds() // 3600) if hours else 0, visitors.get(district.pk, 0) or 0,
        ))  # fmt: skip
    return rows


def reach_report(year: int | None = None) -> dict[str, Any]:
    """The council's section: reach per wijk in a year, and the city's totals (counts only, never a person)."""
    year = year or timezone.localdate().year
    rows = reach_per_district(year)
    totals = {name: sum(getattr(row, name) for row in rows)
              for name in ("applications", "granted", "running", "evaluated", "participants", "booked_hours", "visitors")}  # fmt: skip
    return {"year": year, "per_wijk": [row.__dict__ for row in rows], "city": totals}


def _applications_of(resident: Any) -> QuerySet[Initiative]:
    # An application has no account: it is the resident's when it was sent from their e-mail address.
    email = (getattr(resident, "email", "") or "").strip()
    return Initiative.objects.filter(contact_email__iexact=email) if email else Initiative.objects.none()


def applications_of_resident_export(resident: Any) -> list[dict[str, Any]]:
    """The resident's applications for the data export (what they sent and what was decided)."""
    return [
        {"reference": item.reference, "title": item.title, "idea": item.idea, "received": item.received_at.isoformat(),
         "status": item.status, "amount_granted": str(item.amount_granted) if item.amount_granted is not None else None,
         "contact_name": item.contact_name, "contact_email": item.contact_email, "contact_phone": item.contact_phone}
        for item in _applications_of(resident)
    ]  # fmt: skip
