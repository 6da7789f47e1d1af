# SPDX-License-Identifier: EUPL-1.2
"""Reads: the public search, an activity's page, a resident's activities, occupancy figures."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from omzien import policy
from omzien.activities import search_index
from omzien.activities.models import WEEKDAYS, Activity, Attendance, Registration, Term, WaitingListEntry
from omzien.audit import events
from omzien.geo.distance import bounding_box, km_between
from omzien.geo.models import District
from omzien.residents.permissions import residents_visible_to

_Row = TypeVar("_Row")

def directory_version() -> str:
    """What changes whenever the public directory's activities change (a new one, an edit, a place taken or freed,
    a confirmation): the key of the cached public pages (``omzien.lib.page_cache``). One small aggregate."""
    row = Activity.objects.aggregate(n=Count("pk"), changed=Max("updated_at"), confirmed=Max("last_confirmed_at"))
    return "-".join(str(int(value.timestamp() * 1_000_000)) if isinstance(value, datetime) else str(value)
                    for value in (row["n"], row["changed"], row["confirmed"]))  # fmt: skip


def search_version() -> str:
    """The activity search's cache key (``omzien.lib.page_cache``): the active activities' number, so a new or ended
    activity shows at once; free places and edits show within the cache's lifetime."""
    return str(Activity.objects.filter(is_active=True).count())


def activity_version(public_id: Any) -> str:
    """An activity page's cache key: its own last change (a place taken, an edit, a confirmation)."""
    row = (
        Activity.objects.filter(public_id=public_id).values_list("updated_at", "last_confirmed_at", "is_active").first()
    )
    return "-".join(str(value) for value in row) if row else "none"


def directory_filter(
    activities: QuerySet[Activity], *, text: str = "", near: tuple[float, float] | None = None,
    radius_km: float | None = None,
) -> QuerySet[Activity]:  # fmt: skip
    """Narrow activities by the directory's shared criteria: words, and the box around a place.

    The one search filter behind the public activity search and the HSDS API (issue #14): each of
    the first six words must occur in the title, the description or the provider's name; with a
    place and a radius, only activities in the box around the circle remain (the exact cut and the
    order by distance are ``nearest_first``).
    """
    for word in text.split()[:6]:
        activities = activities.filter(Q(title__icontains=word) | Q(description__icontains=word)
                                       | Q(organisation__name__icontains=word))  # fmt: skip
    if near is not None and radius_km is not None:
        lat_min, lat_max, lon_min, lon_max = bounding_box(near[0], near[1], radius_km)
        activities = activities.filter(lat__range=(lat_min, lat_max), lon__range=(lon_min, lon_max))
    return activities


def nearest_first(
    rows: Iterable[_Row], near: tuple[float, float], radius_km: float | None, *,
    place: Callable[[_Row], tuple[float | None, float | None]], tie: Callable[[_Row], Any],
) -> list[tuple[float | None, _Row]]:  # fmt: skip
    """Return (km, row) for the rows within ``radius_km`` of the place, nearest first (ties by ``tie``).

    Without a radius every row stays, those without a place last (km None); with one, a row without
    a place is out.
    """
    measured = []
    for row in rows:
        lat, lon = place(row)
        km = km_between(near[0], near[1], lat, lon) if lat is not None and lon is not None else None
        if radius_km is not None and (km is None or km > radius_km):
            continue
        measured.append((km, row))
    measured.sort(key=lambda pair: (pair[0] is None, pair[0] or 0.0, tie(pair[1])))
    return measured


def stale_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - policy.get("activities.confirm_after")


@dataclass
class SearchQuery:
    point: tuple[float, float] | None = None
    radius_km: float | None = None
    district_code: str = ""
    weekday: int | None = None
    part_of_day: str = ""
    interest: str = ""
    language: str = ""
    target_group: str = ""
    free_only: bool = False
    text: str = ""


@dataclass
class SearchHit:
    """One activity in the results, as plain values (the search reads no model objects)."""

    pk: int
    public_id: Any
    title: str
    organisation: str
    location: str
    district: str
    places_free: int
    access: str
    km: float | None
    stale: bool
    sessions: list[str] = field(default_factory=list)

    # Display texts, made here in Python: a page shows twenty hits, and the same in template tags
    # (plural blocks, floatformat, loops) cost most of the page's rendering time.
    @property
    def km_text(self) -> str:
        return f"{number_format(self.km, 1)} km" if self.km is not None else ""

    @property
    def sessions_text(self) -> str:
        return ", ".join(self.sessions) if self.sessions else gettext("Times by appointment")

    @property
    def places_text(self) -> str:
        return ngettext("%(free)s place free", "%(free)s places free", self.places_free) % {
            "free": self.places_free
        }


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    markers: list[dict[str, Any]] = field(default_factory=list)


def _filtered(query: SearchQuery) -> QuerySet[Activity]:
    activities = directory_filter(Activity.objects.filter(is_active=True), text=query.text, near=query.point,
                                  radius_km=query.radius_km)  # fmt: skip
    if query.district_code:
        activities = activities.filter(location__neighbourhood__district__code=query.district_code)
    mask = search_index.mask_for(query.weekday, query.part_of_day)
    if mask:
        activities = activities.annotate(sessions_wanted=F("session_mask").bitand(mask)).filter(
            sessions_wanted__gt=0
        )
    if query.interest:
        activities = activities.filter(
            Exists(Term.activities_by_interest.through.objects.filter(activity_id=OuterRef("pk"), term__code=query.interest,
                                                                       term__vocabulary=Term.Vocabulary.INTEREST))
        )  # fmt: skip
    if query.target_group:
        activities = activities.filter(
            Exists(Term.activities_by_target_group.through.objects.filter(
                activity_id=OuterRef("pk"), term__code=query.target_group, term__vocabulary=Term.Vocabulary.TARGET_GROUP))
        )  # fmt: skip
    if query.language:
        activities = (
            activities.filter(languages__contains=[query.language])
            if _json_contains()
            else activities.filter(languages__icontains=f'"{query.language}"')
        )
    if query.free_only:
        activities = activities.filter(places_taken__lt=F("capacity"))
    return activities


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


MATCH_FIELDS = ("pk", "title", "lat", "lon", "capacity", "places_taken", "public_id")
PAGE_FIELDS = ("pk", "organisation__name", "location__name", "location__neighbourhood__district__name", "access",
               "last_confirmed_at", "sessions")  # fmt: skip


def activity_search(
    query: SearchQuery, *, page: int = 1, per_page: int = 20, max_markers: int = 500
) -> SearchResult:
    """Return one page of active activities matching the query: nearest first with a place, else by title.

    Two light queries: the matching rows (for distance, order and map), then the page's display fields
    (the sessions come from the search index, so no schedule rows are read).
    """
    rows = list(_filtered(query).values_list(*MATCH_FIELDS))
    distance: dict[int, float | None] = {}
    if query.point is not None:
        measured = nearest_first(rows, query.point, query.radius_km, place=lambda r: (r[2], r[3]),
                                 tie=lambda r: r[1].lower())  # fmt: skip
        distance = {row[0]: km for km, row in measured}
        rows = [row for _km, row in measured]
    else:
        rows.sort(key=lambda r: r[1].lower())
    total = len(rows)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    on_page = rows[(page - 1) * per_page : page * per_page]
    details = {
        row[0]: row
        for row in Activity.objects.filter(pk__in=[r[0] for r in on_page]).values_list(*PAGE_FIELDS)
    }
    stale = stale_before()
    day_names = [str(label) for _number, label in WEEKDAYS]
    hits = []
    for row in on_page:
        _pk, organisation, location, district, access, confirmed, sessions = details[row[0]]
        hits.append(SearchHit(pk=row[0], public_id=row[6], title=row[1], organisation=organisation, location=location or "",
                              district=district or "", places_free=max(row[4] - row[5], 0), access=access,
                              km=distance.get(row[0]), stale=confirmed < stale,
                              sessions=[_session_text(day_names, *session) for session in sessions]))  # fmt: skip
    markers = [
        {"id": str(row[6]), "title": row[1], "lat": row[2], "lon": row[3], "free": max(row[4] - row[5], 0),
         "label": _marker_label(row[1], max(row[4] - row[5], 0))}
        for row in rows[:max_markers]
        if row[2] is not None
    ]  # fmt: skip
    return SearchResult(hits=hits, total=total, page=page, pages=pages, markers=markers)


# Searches for what is not an activity in this list: say where to go instead (issue #16). The words
# are matched without case and accents, anywhere in the search text.
SEARCH_HINTS: tuple[tuple[tuple[str, ...], Any], ...] = (
    (("eet mee", "eetmee", "samen eten", "maaltijd", "mee-eten", "mee eten", "gastgezin", "gastheer"),
     gettext_lazy("Eating with a host family nearby (Eet Mee) is not an activity in this list: Eet Mee arranges "
                  "it with you. Ask your buurtteam, or do the test below and ask for contact; they put you in touch.")),
    (("maatje", "buddy", "bezoekvrijwilliger", "bezoekdienst", "vriendschappelijk", "huisbezoek"),
     gettext_lazy("A buddy or a volunteer who visits you is not an activity in this list: a volunteer "
                  "organisation such as Humanitas arranges one with you. Ask your buurtteam, or do the test "
                  "below and ask for contact; they put you in touch.")),
)  # fmt: skip


def search_hints(text: str) -> list[str]:
    """Where to go for what the search text asks and this list does not hold (a meal, a buddy)."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return [str(hint) for words, hint in SEARCH_HINTS if any(word in folded for word in words)]


def _marker_label(title: str, free: int) -> str:
    """What a screen reader says for a marker on the map: the activity and its free places."""
    if free <= 0:
        return gettext("%(title)s: full, waiting list") % {"title": title}
    return ngettext("%(title)s: %(free)s place free", "%(title)s: %(free)s places free", free) % {
        "title": title, "free": free
    }


def _session_text(day_names: list[str], weekday: int, start: str, end: str, weeks: int) -> str:
    text = f"{day_names[weekday]} {start}–{end}"
    return f"{text} ({gettext('every %(n)s weeks') % {'n': weeks}})" if weeks > 1 else text


def activity_public(public_id: Any) -> Activity | None:
    return (
        Activity.objects.filter(public_id=public_id, is_active=True)
        .select_related("organisation", "location__neighbourhood__district")
        .defer("location__neighbourhood__boundary", "location__neighbourhood__district__boundary")
        .prefetch_related("schedules", "interests", "target_groups")
        .first()
    )


def district_outlines() -> dict[str, Any]:
    """The wijken as a GeoJSON FeatureCollection, for the map."""
    features = [
        {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": boundary}
        for code, name, boundary in District.objects.exclude(boundary=None).values_list(
            "code", "name", "boundary"
        )
    ]
    return {"type": "FeatureCollection", "features": features}


# --- A resident's own activities -------------------------------------------------------------------


@dataclass
class WaitingPosition:
    entry: WaitingListEntry
    position: int | None
    of: int


def resident_activities(resident: Any) -> tuple[list[Registration], list[WaitingPosition]]:
    """The resident's registrations and open waiting-list entries with their current place in the rank."""
    from omzien.activities.allocation import waiting_ranking

    registrations = list(
        Registration.objects.filter(resident=resident, status=Registration.Status.ACTIVE)
        .select_related("activity__location", "activity__organisation")
        .prefetch_related("activity__schedules")
    )
    positions = []
    for entry in (
        WaitingListEntry.objects.filter(resident=resident, status__in=WaitingListEntry.OPEN)
        .select_related("activity__location", "activity__organisation")
        .order_by("joined_at")
    ):
        if entry.status == WaitingListEntry.Status.OFFERED:
            positions.append(WaitingPosition(entry, None, 0))
            continue
        ranking = waiting_ranking(entry.activity)
        position = next((item.rank for item in ranking if item.entry.pk == entry.pk), None)
        positions.append(WaitingPosition(entry, position, len(ranking)))
    return registrations, positions


# --- Occupancy -------------------------------------------------------------------------------------


@dataclass
class OccupancyRow:
    label: str
    activities: int
    places: int
    taken: int
    waiting: int
    attendance_rate: float | None

    @property
    def occupancy(self) -> float | None:
        return self.taken / self.places if self.places else None


def _attendance_rates(since: date, key: str, activities: QuerySet[Activity] | None = None) -> dict[Any, float]:
    rows = Attendance.objects.filter(session_date__gte=since)
    if activities is not None:  # only these activities' sessions, not the whole city's
        rows = rows.filter(registration__activity__in=activities.order_by().values("pk"))
    rows = (
        rows.values(key)
        .annotate(n=Count("pk"), came=Count("pk", filter=Q(present=True)))
    )
    return {row[key]: row["came"] / row["n"] for row in rows if row["n"]}


def occupancy_by_district(*, weeks: int = 8) -> tuple[list[OccupancyRow], OccupancyRow]:
    """Places, taken, waiting and attendance rate (last ``weeks`` weeks) per wijk, and for the whole city."""
    since = timezone.localdate() - timedelta(weeks=weeks)
    base = Activity.objects.filter(is_active=True).annotate(
        district=F("location__neighbourhood__district__name")
    )
    grouped = (
        base.values("district")
        .annotate(n=Count("pk"), places=Sum("capacity"), taken=Sum("places_taken"))
        .order_by("district")
    )
    waits = dict(
        WaitingListEntry.objects.filter(status=WaitingListEntry.Status.WAITING, activity__is_active=True)
        .values("activity__location__neighbourhood__district__name")
        .annotate(n=Count("pk"))
        .values_list("activity__location__neighbourhood__district__name", "n")
    )
    rates = _attendance_rates(since, "registration__activity__location__neighbourhood__district__name")
    rows = [
        OccupancyRow(
            label=row["district"] or "—",
            activities=row["n"],
            places=row["places"] or 0,
            taken=row["taken"] or 0,
            waiting=waits.get(row["district"], 0),
            attendance_rate=rates.get(row["district"]),
        )  # fmt: skip
        for row in grouped
    ]
    city_rates = Attendance.objects.filter(session_date__gte=since).aggregate(
        n=Count("pk"), came=Count("pk", filter=Q(present=True))
    )
    city = OccupancyRow(
        label="", activities=sum(r.activities for r in rows), places=sum(r.places for r in rows),
        taken=sum(r.taken for r in rows), waiting=sum(r.waiting for r in rows),
        attendance_rate=city_rates["came"] / city_rates["n"] if city_rates["n"] else None,
    )  # fmt: skip
    return rows, city


def occupancy_by_activity(
    activities: QuerySet[Activity], *, weeks: int = 8
) -> list[tuple[Activity, int, float | None]]:
    """Each activity with its number waiting and its attendance rate over the last ``weeks`` weeks."""
    since = timezone.localdate() - timedelta(weeks=weeks)
    rates = _attendance_rates(since, "registration__activity", activities)
    listed = activities.annotate(
        waits=Count("waiting_list", filter=Q(waiting_list__status=WaitingListEntry.Status.WAITING))
    ).select_related("location")
    return [(a, a.waits, rates.get(a.pk)) for a in listed]  # type: ignore[attr-defined]


def participants(activity: Activity) -> QuerySet[Registration]:
    return activity.registrations.filter(status=Registration.Status.ACTIVE).select_related("resident")


def offers_open(activity: Activity) -> QuerySet[WaitingListEntry]:
    return activity.waiting_list.filter(status=WaitingListEntry.Status.OFFERED).select_related("resident")


def recent_attendance(activity: Activity, session_date: date) -> dict[int, bool]:
    return dict(
        Attendance.objects.filter(registration__activity=activity, session_date=session_date).values_list(
            "registration_id", "present"
        )
    )


# --- Pages that show residents: each resident shown is access-logged here, once, with the fields shown.


@dataclass
class ParticipantsPage:
    registrations: list[Registration]
    offers: list[WaitingListEntry]
    ranking: list[Any]  # allocation.RankedEntry
    visible: set[int]  # the residents whose names the user may see


def participants_shown(*, user: Any, actor: events.Actor, activity: Activity) -> ParticipantsPage:
    """Return the activity's participants, open offers and waiting-list ranking for its provider.

    Names are shown only of the residents the user may see; each of them is logged with the fields
    the page shows of their group.
    """
    from omzien.activities.allocation import waiting_ranking

    page = ParticipantsPage(
        registrations=list(participants(activity)), offers=list(offers_open(activity)),
        ranking=waiting_ranking(activity), visible=set(),
    )  # fmt: skip
    # Which of the page's residents the user may see: asked for those ids only, not for every resident the
    # organisation knows (2,300 at the load test's size, sorted by name: 30 ms of PostgreSQL on every page).
    on_page = {r.resident_id for r in page.registrations} | {e.resident_id for e in page.offers}
    on_page |= {i.entry.resident_id for i in page.ranking}
    page.visible = visible = _visible_among(user, on_page)
    events.record_listed(actor=actor, shown=[r.resident for r in page.registrations if r.resident_id in visible],
                         fields=("first_name", "last_name", "phone"), purpose="participants")  # fmt: skip
    events.record_listed(actor=actor, shown=[e.resident for e in page.offers if e.resident_id in visible],
                         fields=("first_name", "last_name"), purpose="participants")  # fmt: skip
    events.record_listed(actor=actor, shown=[i.entry.resident for i in page.ranking if i.entry.resident_id in visible],
                         fields=("first_name", "last_name", "loneliness_need", "distance_from_home"),
                         purpose="waiting_list")  # fmt: skip
    return page


def attendance_list_shown(*, user: Any, actor: events.Actor, activity: Activity) -> list[Registration]:
    """Return the activity's participants the user may see, for the attendance list; each is logged."""
    listed = list(participants(activity))
    visible = _visible_among(user, {r.resident_id for r in listed})
    registrations = [r for r in listed if r.resident_id in visible]
    events.record_listed(actor=actor, shown=[r.resident for r in registrations], fields=("first_name", "last_name"),
                         purpose="attendance")  # fmt: skip
    return registrations


def _visible_among(user: Any, resident_ids: set[int]) -> set[int]:
    if not resident_ids:
        return set()
    return set(residents_visible_to(user).filter(pk__in=resident_ids).order_by().values_list("pk", flat=True))


def residents_visible_among(user: Any, residents: list[Any], *, actor: events.Actor, purpose: str,
                            fields: tuple[str, ...]) -> set[int]:  # fmt: skip
    """Return which of these residents the user may see by name; those are logged as shown."""
    visible = set(
        residents_visible_to(user).filter(pk__in=[r.pk for r in residents]).values_list("pk", flat=True)
    )
    events.record_listed(actor=actor, shown=[r for r in residents if r.pk in visible], fields=fields, purpose=purpose)
    return visible


def term_public_id(vocabulary: str, code: str) -> Any:
    """The id a term of this taxonomy and code has in every installation (UUIDv5; the HSDS import checks it)."""
    from omzien.activities.taxonomy import term_id

    return term_id(vocabulary, code)


# --- What-if planning (the reports room): the allocation round on changed supply, nothing written ----------


@dataclass(frozen=True)
class PlannedRound:
    """The outcome of one allocation round as counts (no person): who would be placed, by need."""

    waiting: int
    placed: int
    waiting_high_need: int
    placed_high_need: int
    free_places: int


def allocation_round_planned(*, extra_places: dict[int, int] | None = None, now: datetime | None = None) -> PlannedRound:
    """Return the city-wide allocation round the engine would propose today, with places added or removed."""
    return allocation_rounds_planned(variants=[extra_places], now=now)[0]


def allocation_rounds_planned(*, variants: list[dict[int, int] | None], now: datetime | None = None) -> list[PlannedRound]:
    """Return the allocation round for each supply (activity pk → places more or fewer), read once, solved per supply.

    Runs the same engine and rules as the coordinators' allocation round (``allocation.allocation_plans``)
    but only reads: no offer is made, no place taken. High need is need 3 (urgent).
    """
    from omzien.activities.allocation import allocation_plans

    plans = allocation_plans(now=now, variants=list(variants))
    entries = WaitingListEntry.objects.filter(status=WaitingListEntry.Status.WAITING, activity__is_active=True).exclude(
        resident_id__in=WaitingListEntry.objects.filter(status=WaitingListEntry.Status.OFFERED).values("resident_id"))
    need: dict[int, int] = {}
    for resident_id, level in entries.values_list("resident_id", "need").iterator(chunk_size=5000):
        need[resident_id] = max(level, need.get(resident_id, 0))
    high = sum(1 for level in need.values() if level >= 3)
    places = list(Activity.objects.filter(is_active=True).values_list("pk", "capacity", "places_taken"))
    rounds = []
    for plan, variant in zip(plans, variants, strict=True):
        extra = variant or {}
        rounds.append(PlannedRound(
            waiting=plan.waiting_residents, placed=len(plan.proposals), waiting_high_need=high,
            placed_high_need=sum(1 for p in plan.proposals if p.need >= 3),
            free_places=sum(max(capacity + extra.get(pk, 0) - taken, 0) for pk, capacity, taken in places),
        ))  # fmt: skip
    return rounds


def activities_of_kind(*, interest: str, wijk: str) -> list[tuple[int, int, int]]:
    """(pk, places, places taken) of the active activities of one kind (an interest term) in one wijk."""
    return list(
        Activity.objects.filter(is_active=True, interests__code=interest, location__neighbourhood__district__code=wijk)
        .order_by("pk").values_list("pk", "capacity", "places_taken").distinct()
    )  # fmt: skip


def places_freed_per_week(activity_ids: Iterable[int] | None = None, *, weeks: int = 12,
                          now: datetime | None = None) -> float:  # fmt: skip
    """How many places became free per week over the last ``weeks`` weeks (registrations that ended)."""
    since = (now or timezone.now()) - timedelta(weeks=weeks)
    ended = Registration.objects.filter(ended_at__gte=since)
    if activity_ids is not None:
        ended = ended.filter(activity_id__in=list(activity_ids))
    return ended.count() / weeks


def activity_kinds() -> list[tuple[str, str]]:
    """The interest terms activities are tagged with, as (code, label): the kinds of activity to plan with."""
    used = Activity.objects.filter(is_active=True).values("interests")
    terms = Term.objects.filter(pk__in=used, vocabulary=Term.Vocabulary.INTEREST)
    return sorted(((t.code, t.display_name) for t in terms), key=lambda pair: pair[1])


def waiting_days_by_district(*, now: datetime | None = None) -> dict[str, list[int]]:
    """Days each open waiting-list entry has waited so far, per wijk name of the activity ("" without one)."""
    now = now or timezone.now()
    result: dict[str, list[int]] = {}
    rows = WaitingListEntry.objects.filter(status=WaitingListEntry.Status.WAITING, activity__is_active=True).values_list(
        "activity__location__neighbourhood__district__name", "joined_at")
    for name, joined in rows.iterator(chunk_size=5000):
        result.setdefault(name or "", []).append(max((now - joined).days, 0))
    return result


def activities_of_resident_export(resident: Any) -> dict[str, list[dict[str, Any]]]:
    """The resident's registrations, attendance and waiting-list places for their data export (AVG art. 15/20).

    The activity and its organisation, never the staff member who registered them (art. 15(4)).
    """
    registrations = Registration.objects.filter(resident=resident).select_related("activity__organisation")
    attendance = Attendance.objects.filter(registration__resident=resident).select_related("registration__activity")
    waiting = WaitingListEntry.objects.filter(resident=resident).select_related("activity__organisation")
    return {
        "registrations": [
            {"activity": item.activity.title, "organisation": item.activity.organisation.name,
             "status": item.get_status_display(), "via": item.get_via_display(),
             "registered": item.registered_at.isoformat(), "ended": item.ended_at.isoformat() if item.ended_at else None}
            for item in registrations.order_by("registered_at", "pk")
        ],
        "attendance": [
            {"activity": item.registration.activity.title, "date": item.session_date.isoformat(), "present": item.present}
            for item in attendance.order_by("session_date", "pk")
        ],
        "waiting_list": [
            {"activity": item.activity.title, "organisation": item.activity.organisation.name,
             "status": item.get_status_display(), "joined": item.joined_at.isoformat(),
             "offered": item.offered_at.isoformat() if item.offered_at else None,
             "decided": item.decided_at.isoformat() if item.decided_at else None}
            for item in waiting.order_by("joined_at", "pk")
        ],
    }  # fmt: skip
