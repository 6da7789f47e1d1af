# SPDX-License-Identifier: EUPL-1.2
"""Reads of cases: the route table's routes, worklists with counts, the client list, referrals to an
organisation, and the plain records the reports room computes outcomes from.

Pages that show people log them through ``events.record_listed`` here or through the access functions
in ``permissions.py``; ``outcome_records`` and ``reach_counts`` return no names (pseudonymous numbers
and counts) and only for statistics-allowed residents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from omzien import policy
from omzien.accounts.models import Organisation
from omzien.audit import events
from omzien.casework.models import (
    Case,
    FollowUp,
    Intake,
    NetworkMap,
    Referral,
    ReferralStatus,
    Route,
    Signal,
    Stage,
    Status,
)
from omzien.casework.policies import STATISTICS_WITHOUT_CONSENT
from omzien.casework.selectors.signals import team_of
from omzien.residents.models import ConsentEvent, ConsentPurpose, Resident

__all__ = [
    "CLIENT_FIELDS", "CLIENT_FILTERS", "CasePage", "activity_by_public_id", "intake_of", "organisation_by_public_id",
    "recent_measurement", "RouteInfo", "case_page", "referral_activities",
    "referral_organisations", "OutcomeRecord", "ReachCount", "Worklist", "WorklistCounts",
    "COUNTED", "add_months", "case_list", "cases_in_order", "cases_of_resident_export", "client_list_shown", "network_rings", "outcome_records", "reach_counts",
    "referrals_received", "route_label", "route_waits", "RouteWait", "routes", "statistics_allowed", "worklist", "worklist_counts",
    "worklist_menu_count", "wmo_term_end",
]  # fmt: skip

# The fields of the resident a client list row shows (what its access-log entry names).
CLIENT_FIELDS = ("first_name", "last_name", "stage", "last_score", "next_due")
CLIENT_FILTERS = ("open", "intake", "referred", "follow_up", "due", "closed")
# A follow-up moment counts as lost for the figures only when it is this long past its due date without
# an answer (there is time to reach the resident).
FOLLOW_UP_GRACE = timedelta(days=30)
WMO_TERM = timedelta(weeks=6)


def add_months(day: date, months: int) -> date:
    from omzien.casework.services.cases import add_months as _add

    return _add(day, months)


def wmo_term_end(melding_on: date | None) -> date | None:
    """The end of the six-week term for investigating a Wmo request (Wmo 2015 art. 2.3.2(1))."""
    return melding_on + WMO_TERM if melding_on else None


# The route rule table.


@dataclass(frozen=True)
class RouteInfo:
    code: str
    label: str
    kind: str
    active: bool


def routes(*, active_only: bool = False) -> list[RouteInfo]:
    """Return the routes of the route rule table (code, label in the current language, kind), in order."""
    rows = Route.objects.all() if not active_only else Route.objects.filter(active=True)
    return [RouteInfo(row.code, row.display_label, row.kind, row.active) for row in rows.order_by("order", "code")]


def route_label(code: str) -> str:
    """The label of a route code in the current language (the code itself when unknown)."""
    route = Route.objects.filter(code=code).first()
    return route.display_label if route else code


# Worklists.


@dataclass
class WorklistCounts:
    new_signals: int = 0
    overdue_signals: int = 0
    intakes_due: int = 0
    referrals_stuck: int = 0
    follow_ups_due: int = 0
    # The signals on the list, each once: a new (or assigned) signal past its deadline is both of the above.
    signals: int = 0

    @property
    def total(self) -> int:
        """Everything on the list, each item once: the number on the page's tab and in the menu."""
        return self.signals + self.intakes_due + self.referrals_stuck + self.follow_ups_due


@dataclass
class Worklist:
    scope: str
    counts: WorklistCounts
    signals: list[Signal] = field(default_factory=list)
    intakes: list[Case] = field(default_factory=list)
    stuck: list[Referral] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


def _team_cases(user: Any, scope: str) -> QuerySet[Case]:
    team = team_of(user)
    if team is None:
        return Case.objects.none()
    cases = Case.objects.filter(team=team, closed_at__isnull=True)
    return cases.filter(professional=user) if scope == "own" else cases


def _signal_filter(user: Any, scope: str, today: date) -> tuple[Q, Q]:
    open_ = Q(status__in=(Status.NEW, Status.ASSIGNED))
    if scope == "own":
        return Q(status=Status.ASSIGNED, assigned_to=user), open_ & Q(assigned_to=user, deadline__lt=today)
    return Q(status=Status.NEW), open_ & Q(deadline__lt=today)


def worklist_counts(user: Any, scope: str = "own", today: date | None = None) -> WorklistCounts:
    """The numbers of the worklist (own or team) in four queries, whatever their size."""
    today = today or timezone.localdate()
    team = team_of(user)
    if team is None:
        return WorklistCounts()
    new, overdue = _signal_filter(user, scope, today)
    signal_counts = Signal.objects.filter(team=team).aggregate(
        new=Count("pk", filter=new), overdue=Count("pk", filter=overdue), listed=Count("pk", filter=new | overdue)
    )
    cases = _team_cases(user, scope)
    intakes = cases.filter(stage=Stage.INTAKE).count()
    stuck = Referral.objects.filter(case__in=cases, status=ReferralStatus.SENT, stuck_on__lte=today).count()
    follow_ups = FollowUp.objects.filter(case__in=cases, status=FollowUp.Status.OPEN).count()
    return WorklistCounts(new_signals=signal_counts["new"] or 0, overdue_signals=signal_counts["overdue"] or 0,
                          intakes_due=intakes, referrals_stuck=stuck, follow_ups_due=follow_ups,
                          signals=signal_counts["listed"] or 0)  # fmt: skip


# The worklist page counts both lists for its tabs; it leaves them on the request's user for the menu's number,
# which would otherwise count the own list a second time in the same request (four queries).
COUNTED = "_omzien_worklist_counts"


def worklist_menu_count(user: Any) -> int:
    """The menu's number: everything on the user's own worklist, each item once — the number on its "Mine" tab
    (signals assigned to the user, also those overdue, intakes due, stuck referrals and follow-ups due)."""
    counts = getattr(user, COUNTED, {}).get("own") or worklist_counts(user, "own")
    return counts.total


def worklist(request: Any, scope: str = "own", *, limit: int = 25, today: date | None = None) -> Worklist:
    """The worklist (own or team): each part's first rows and every part's count; the residents shown logged.

    A fixed number of queries (counts, four lists, one log insert), whatever the number of rows.
    """
    user = request.user
    today = today or timezone.localdate()
    counts = worklist_counts(user, scope, today)
    result = Worklist(scope=scope, counts=counts)
    team = team_of(user)
    if team is None:
        return result
    new, overdue = _signal_filter(user, scope, today)
    pseudo = Resident.objects.filter(pk=OuterRef("resident_id")).values("pseudo_id")[:1]
    result.signals = list(
        Signal.objects.filter(team=team).filter(new | overdue)
        .only("public_id", "reference", "urgency", "first_name", "last_name", "deadline", "status", "resident_id", "team_id")
        .annotate(resident_pseudo=Subquery(pseudo)).order_by("deadline", "pk")[:limit]
    )  # fmt: skip
    cases = _team_cases(user, scope)
    result.intakes = list(
        cases.filter(stage=Stage.INTAKE).select_related("resident", "professional")
        .only("public_id", "intake_due", "opened_at", "stage", "resident__public_id", "resident__pseudo_id",
              "resident__first_name", "resident__last_name", "professional__first_name", "professional__last_name",
              "professional__username")
        .order_by("intake_due", "pk")[:limit]
    )  # fmt: skip
    result.stuck = list(
        Referral.objects.filter(case__in=cases, status=ReferralStatus.SENT, stuck_on__lte=today)
        .select_related("resident", "case", "target_organisation", "activity")
        .only("public_id", "route", "sent_at", "stuck_on", "status", "target_name", "resident__public_id",
              "resident__pseudo_id", "resident__first_name", "resident__last_name", "case__public_id",
              "target_organisation__name", "activity__title")
        .order_by("stuck_on", "pk")[:limit]
    )  # fmt: skip
    result.follow_ups = list(
        FollowUp.objects.filter(case__in=cases, status=FollowUp.Status.OPEN)
        .select_related("resident", "case")
        .only("public_id", "months", "basis", "due_on", "status", "resident__public_id", "resident__pseudo_id",
              "resident__first_name", "resident__last_name", "case__public_id")
        .order_by("due_on", "pk")[:limit]
    )  # fmt: skip
    shown: list[events.Subject] = [
        events.Subject(resident_pseudo_id=getattr(signal, "resident_pseudo", None), object_type="signal",
                       object_id=str(signal.public_id), fields=("first_name", "last_name"))
        for signal in result.signals
    ]  # fmt: skip
    items: list[Any] = [*result.intakes, *result.stuck, *result.follow_ups]
    shown.extend(
        events.resident_subject(item.resident, type(item).__name__.lower(), item.public_id, ("first_name", "last_name"))
        for item in items
    )
    events.record_listed(actor=events.actor_for_request(request), shown=shown, fields=("first_name", "last_name"),
                         purpose="case_worklist")  # fmt: skip
    return result


# The client list.


def case_list(user: Any, *, scope: str = "team", view: str = "open", query: str = "",
              today: date | None = None) -> QuerySet[Case]:  # fmt: skip
    """The team's (or the user's own) cases in one view, what is due first; for the client list."""
    today = today or timezone.localdate()
    team = team_of(user)
    if team is None:
        return Case.objects.none()
    cases = Case.objects.filter(team=team)
    if scope == "own":
        cases = cases.filter(professional=user)
    if view == "closed":
        cases = cases.filter(closed_at__isnull=False)
    else:
        cases = cases.filter(closed_at__isnull=True)
        if view in (Stage.INTAKE, Stage.REFERRED, Stage.FOLLOW_UP):
            cases = cases.filter(stage=view) if view != Stage.REFERRED else cases.filter(stage__in=(Stage.ADVICE, Stage.REFERRED))
        elif view == "due":
            cases = cases.filter(next_due__lte=today)
    for word in query.split()[:3]:
        cases = cases.filter(Q(resident__last_name__icontains=word) | Q(resident__first_name__icontains=word))
    # What is due first, first, and a case with nothing due last — on SQLite too, which sorts an empty date first
    # (PostgreSQL puts it last by itself, so its index on (team, next_due, id) still serves the order).
    order = ("-closed_at", "-pk") if view == "closed" else (F("next_due").asc(nulls_last=True), "pk")
    return (
        cases.select_related("resident", "professional")
        .only("public_id", "stage", "opened_at", "next_due", "last_score", "last_category", "last_measured_at",
              "wmo_melding_on", "closed_at", "close_reason", "resident__public_id", "resident__pseudo_id",
              "resident__first_name", "resident__last_name", "resident__date_of_birth", "professional__first_name",
              "professional__last_name", "professional__username")
        .order_by(*order)
    )  # fmt: skip


def cases_in_order(listed: QuerySet[Case], ids: list[int]) -> list[Case]:
    """The cases of ``case_list`` with these ids, in the order of the ids (one query, with resident and
    professional)."""
    if not ids:
        return []
    found = {case.pk: case for case in listed.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def client_list_shown(request: Any, cases: list[Case]) -> None:
    """Log the residents a page of the client list shows (one insert for the page)."""
    events.record_listed(
        actor=events.actor_for_request(request), fields=CLIENT_FIELDS, purpose="case_support",
        shown=[events.resident_subject(case.resident, "case", case.public_id, CLIENT_FIELDS) for case in cases],
    )  # fmt: skip


def referrals_received(user: Any) -> QuerySet[Referral]:
    """The referrals to the user's organisation that it answers, while the resident's consent to share with
    it stands: those waiting for its answer first (stuck ones first), then those accepted and not started, then
    the running ones — so a new referral is never behind an organisation's hundred running routes."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None or not user.has_perm("casework.answer_referral"):
        return Referral.objects.none()
    sharing = (
        ConsentEvent.objects.filter(resident=OuterRef("resident_id"), purpose=ConsentPurpose.SHARING,
                                    organisation_id=organisation_id)
        .order_by("-recorded_at", "-pk").values("given")[:1]
    )  # fmt: skip
    return (
        Referral.objects.filter(target_organisation_id=organisation_id)
        .annotate(sharing=Subquery(sharing))
        .filter(Q(consent__isnull=True) | Q(sharing=True))
        .exclude(route="buurtteam_support")
        .select_related("resident", "activity", "case__team")
        .annotate(answer_order=CaseWhen(When(status=ReferralStatus.SENT, then=0),
                                        When(status=ReferralStatus.ACCEPTED, then=1), default=2,
                                        output_field=IntegerField()))
        .order_by("answer_order", "stuck_on", "-sent_at", "-pk")
    )  # fmt: skip


# The network map as rings.


@dataclass(frozen=True)
class RingPerson:
    name: str
    relation: str
    relation_label: str
    frequency: str
    frequency_label: str
    wish: str
    wish_label: str
    x: float
    y: float


RING_OF = {"daily": 1, "weekly": 2, "monthly": 3, "rarely": 4}


def network_rings(network: NetworkMap | None, *, size: int = 320) -> list[RingPerson]:
    """Place each person of a network map on the ring of how often they meet (inner: daily), spread evenly."""
    import math

    if network is None:
        return []
    ties = list(network.ties.all())
    centre, step = size / 2, size / 2 / 4.6
    by_ring: dict[int, list[Any]] = defaultdict(list)
    for tie in ties:
        by_ring[RING_OF.get(tie.frequency, 4)].append(tie)
    placed: list[RingPerson] = []
    for ring, members in sorted(by_ring.items()):
        radius = step * (ring + 0.1)
        for index, tie in enumerate(members):
            angle = 2 * math.pi * index / len(members) - math.pi / 2 + ring * 0.35
            placed.append(RingPerson(
                name=tie.name, relation=tie.relation, relation_label=str(tie.get_relation_display()),
                frequency=tie.frequency, frequency_label=str(tie.get_frequency_display()), wish=tie.wish,
                wish_label=str(tie.get_wish_display()), x=round(centre + radius * math.cos(angle), 1),
                y=round(centre + radius * math.sin(angle), 1),
            ))  # fmt: skip
    return placed


# Figures for the reports room: pseudonymous records and counts, statistics-allowed residents only.


def statistics_allowed() -> QuerySet[Resident]:
    """The residents whose case data may be used for statistics: their latest statistics consent is given,
    or — when the municipality's policy says outcome statistics are part of its public task — everyone;
    never a resident whose processing is restricted (AVG art. 18) or who objected to statistics (art. 21)."""
    from omzien.residents.selectors import processing_limited

    limited = processing_limited("statistics").values("pk")
    if int(policy.get(STATISTICS_WITHOUT_CONSENT.key) or 0) == 1:
        return Resident.objects.exclude(pk__in=limited)
    latest = (
        ConsentEvent.objects.filter(resident=OuterRef("pk"), purpose=ConsentPurpose.STATISTICS)
        .order_by("-recorded_at", "-pk")
        .values("given")[:1]
    )
    return Resident.objects.annotate(statistics=Subquery(latest)).filter(statistics=True).exclude(pk__in=limited)


@dataclass(frozen=True)
class OutcomeRecord:
    """One resident's route (or wait for it): the intake score and the follow-up scores by month.

    ``resident`` is a number derived from the pseudonymous id (never the record's key, never shown);
    ``followups`` holds the moments that are due (a score, or None when not obtained); moments not yet
    due are absent; ``lost_to_follow_up`` names the due moments without a score.
    """

    resident: int
    route: str
    route_label: str
    wijk: str
    organisation: int | None
    waiting: bool
    intake_score: int | None
    intake_at: datetime | None
    followups: Mapping[int, int | None] = field(default_factory=dict)
    lost_to_follow_up: frozenset[int] = frozenset()


def outcome_records(*, since: date | None = None, until: date | None = None,
                    today: date | None = None) -> list[OutcomeRecord]:  # fmt: skip
    """Return one record per resident and route started, and one per resident who waited, statistics-allowed
    residents only (cases in the window by the date of their referrals).

    A started route: ``waiting`` False, its follow-ups counted from the first start in the case (a declined
    or not yet started route of such a case is left out: the resident did not get it). Waiting: ``waiting``
    True, route the first one referred to, follow-ups counted from the first referral — for a resident who
    still waits, and for one whose route started later, the moments that came due while they waited (the
    waiting-list comparison "over the same time"); a resident whose route started before the first
    moment is no waiting record. A due moment without a score is lost once ``FOLLOW_UP_GRACE`` has passed
    (for a later start: when it had passed before the start).
    """
    from omzien.casework.policies import FOLLOW_UP_MONTHS

    today = today or timezone.localdate()
    months = sorted(int(m) for m in policy.get(FOLLOW_UP_MONTHS.key))
    referrals = Referral.objects.filter(resident__in=statistics_allowed().values("pk"))
    if since:
        referrals = referrals.filter(sent_at__date__gte=since)
    if until:
        referrals = referrals.filter(sent_at__date__lte=until)
    rows = list(
        referrals.values("case_id", "route", "status", "sent_at", "started_at", "target_organisation_id",
                         "resident__pseudo_id", "resident__neighbourhood__district__code")
        .order_by("case_id", "sent_at", "pk")
    )  # fmt: skip
    case_ids = {row["case_id"] for row in rows}
    # The case's anchors over all its referrals (a route started after the window still ends the wait).
    anchors: dict[int, tuple[datetime | None, datetime | None]] = {}
    for row in Referral.objects.filter(case_id__in=case_ids).values("case_id", "started_at", "sent_at"):
        started, sent = anchors.get(row["case_id"], (None, None))
        if row["started_at"] and (started is None or row["started_at"] < started):
            started = row["started_at"]
        if sent is None or row["sent_at"] < sent:
            sent = row["sent_at"]
        anchors[row["case_id"]] = (started, sent)
    intakes = {
        row["case_id"]: (row["measurement__total"], row["measurement__recorded_at"] or row["recorded_at"])
        for row in Intake.objects.filter(case_id__in=case_ids).values(
            "case_id", "measurement__total", "measurement__recorded_at", "recorded_at")
    }  # fmt: skip
    scores: dict[tuple[int, str, int], int | None] = {}
    done = FollowUp.objects.filter(case_id__in=case_ids, status=FollowUp.Status.DONE)
    for case_id, basis_done, month_done, total in done.values_list("case_id", "basis", "months", "measurement__total"):
        scores[(case_id, basis_done, month_done)] = total
    labels = {route.code: route.label for route in routes()}

    def moments(case_id: int, basis: str, anchor: date, end: date) -> dict[int, int | None]:
        """The moments due by ``end`` (today, or the day a waiting resident's route started)."""
        found: dict[int, int | None] = {}
        for month in months:
            if (case_id, basis, month) in scores:
                found[month] = scores[(case_id, basis, month)]
            elif add_months(anchor, month) + FOLLOW_UP_GRACE <= end:
                found[month] = None
        return found

    records: dict[tuple[int, str, bool], OutcomeRecord] = {}
    waited: set[int] = set()
    for row in rows:
        case_id = row["case_id"]
        started, sent = anchors[case_id]
        intake_score, intake_at = intakes.get(case_id, (None, None))
        resident: int = row["resident__pseudo_id"].int >> 65
        wijk: str = row["resident__neighbourhood__district__code"] or ""
        if row["started_at"] is not None and started is not None:
            followups = moments(case_id, FollowUp.Basis.ROUTE_STARTED, timezone.localdate(started), today)
            record = OutcomeRecord(route=row["route"], route_label=labels.get(row["route"], row["route"]),
                                   organisation=row["target_organisation_id"], waiting=False, followups=followups,
                                   lost_to_follow_up=frozenset(m for m, score in followups.items() if score is None),
                                   resident=resident, wijk=wijk, intake_score=intake_score, intake_at=intake_at)  # fmt: skip
            records.setdefault((record.resident, record.route, False), record)
        first_sent = timezone.localdate(sent)  # type: ignore[arg-type]
        start_day = timezone.localdate(started) if started is not None else None
        if not months or (start_day is not None and start_day < add_months(first_sent, months[0])):
            continue  # the route started before the first moment: never a waiting resident's follow-up
        if resident in waited:
            continue  # one waiting record per resident: the first route they were referred to
        waited.add(resident)
        followups = moments(case_id, FollowUp.Basis.WAITING, first_sent, min(start_day or today, today))
        record = OutcomeRecord(route=row["route"], route_label=labels.get(row["route"], row["route"]),
                               organisation=row["target_organisation_id"], waiting=True, followups=followups,
                               lost_to_follow_up=frozenset(m for m, score in followups.items() if score is None),
                               resident=resident, wijk=wijk, intake_score=intake_score, intake_at=intake_at)  # fmt: skip
        records[(record.resident, record.route, True)] = record
    return list(records.values())


@dataclass(frozen=True)
class ReachCount:
    """How many residents reached each step in one month, wijk and route (route "" for signals and intakes,
    which come before a route): signals, intakes, referrals sent, of those started, of those still active
    three months after starting."""

    month: date
    wijk: str
    route: str
    signals: int = 0
    intakes: int = 0
    referrals: int = 0
    started: int = 0
    active_at_3_months: int = 0


def _month(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def reach_counts(*, since: date | None = None, until: date | None = None, today: date | None = None) -> list[ReachCount]:
    """Return the counts of the reach funnel per month, wijk and route (aggregates only, never a person).

    Signals by the month received (wijk of the signal's buurt); intakes by the month recorded; referrals
    by the month sent, with how many of those started and how many were still running three months after
    their start (counted once three months have passed). Statistics-allowed residents only, except
    signals (counted before anyone is a client; no person in a count).
    """
    today = today or timezone.localdate()
    window = Q()
    table: dict[tuple[date, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    signals = Signal.objects.all()
    if since:
        signals, window = signals.filter(received_at__date__gte=since), window & Q(sent_at__date__gte=since)
    if until:
        signals, window = signals.filter(received_at__date__lte=until), window & Q(sent_at__date__lte=until)
    for row in signals.annotate(month=TruncMonth("received_at")).values("month", "neighbourhood__district__code").annotate(n=Count("pk")):
        table[(_month(row["month"]), row["neighbourhood__district__code"] or "", "")]["signals"] += row["n"]
    allowed = statistics_allowed().values("pk")
    intakes = Intake.objects.filter(case__resident__in=allowed)
    if since:
        intakes = intakes.filter(recorded_at__date__gte=since)
    if until:
        intakes = intakes.filter(recorded_at__date__lte=until)
    by_month = intakes.annotate(month=TruncMonth("recorded_at")).values_list("month", "case__resident__neighbourhood__district__code")
    for month, wijk_code, n in by_month.annotate(n=Count("pk")):
        table[(_month(month), wijk_code or "", "")]["intakes"] += n
    referrals = Referral.objects.filter(window, resident__in=allowed)
    rows = referrals.values_list("sent_at", "resident__neighbourhood__district__code", "route", "started_at", "ended_at")
    for sent_at, wijk, route, started_at, ended_at in rows.iterator(chunk_size=5000):
        month = timezone.localdate(sent_at).replace(day=1)
        counts = table[(month, wijk or "", route)]
        counts["referrals"] += 1
        if started_at is None:
            continue
        counts["started"] += 1
        three_months = add_months(timezone.localdate(started_at), 3)
        if three_months <= today and (ended_at is None or timezone.localdate(ended_at) >= three_months):
            counts["active_at_3_months"] += 1
    return [ReachCount(month=month, wijk=wijk, route=route, **values) for (month, wijk, route), values in sorted(table.items())]


@dataclass(frozen=True)
class RouteWait:
    """How long residents waited for one route, in days, without a person: from sending the referral to
    the start for those that started, and so far (to today) for those still waiting (sent or accepted)."""

    route: str
    started_days: tuple[int, ...]
    waiting_days: tuple[int, ...]


def route_waits(*, today: date | None = None) -> list[RouteWait]:
    """The waiting times per route of the route table's order, statistics-allowed residents only (as
    ``reach_counts``: the same referrals, so the same counts of started ones)."""
    today = today or timezone.localdate()
    started: dict[str, list[int]] = defaultdict(list)
    waiting: dict[str, list[int]] = defaultdict(list)
    rows = Referral.objects.filter(resident__in=statistics_allowed().values("pk")).values_list(
        "route", "status", "sent_at", "started_at")  # fmt: skip
    for route, status, sent_at, started_at in rows.iterator(chunk_size=5000):
        sent = timezone.localdate(sent_at)
        if started_at is not None:
            started[route].append((timezone.localdate(started_at) - sent).days)
        elif status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
            waiting[route].append((today - sent).days)
    order = [route.code for route in routes()]
    found = [code for code in order if code in started or code in waiting]
    return [RouteWait(code, tuple(sorted(started[code])), tuple(sorted(waiting[code]))) for code in found]


# The case page and the choices of its forms.


@dataclass
class CasePage:
    case: Case
    intake: Intake | None
    network_intake: NetworkMap | None
    network_latest: NetworkMap | None
    advices: list[Any]
    referrals: list[Referral]
    follow_ups: list[FollowUp]
    history: list[Any]
    events: list[Any]
    wmo_term_end: date | None


def case_page(case: Case) -> CasePage:
    """Everything the case page shows, read with a fixed number of queries."""
    from omzien.wellbeing.selectors import measurement_history

    intake = Intake.objects.filter(case=case).select_related("measurement").first()
    maps = list(case.network_maps.prefetch_related("ties").order_by("recorded_at", "pk"))
    intake_map = next((m for m in maps if m.context == NetworkMap.Context.INTAKE), None)
    latest = maps[-1] if maps and maps[-1] is not intake_map else None
    return CasePage(
        case=case, intake=intake, network_intake=intake_map, network_latest=latest,
        advices=list(case.advices.select_related("table", "decided_by").order_by("-decided_at", "-pk")),
        referrals=list(case.referrals.select_related("activity", "target_organisation").prefetch_related("events")
                       .order_by("-sent_at", "-pk")),
        follow_ups=list(case.follow_ups.select_related("measurement").order_by("due_on", "pk")),
        history=measurement_history(case.resident), events=list(case.events.select_related("actor").order_by("-at", "-pk")[:30]),
        wmo_term_end=wmo_term_end(case.wmo_melding_on),
    )  # fmt: skip


PERSON_ORGANISATION_KINDS = ("vrijwilligersorganisatie", "eet-mee-coordinatie", "welzijnsorganisatie")


def referral_organisations(kind: str) -> list[tuple[str, str]]:
    """The organisations a referral of this route kind can go to (public id, name)."""
    organisations = Organisation.objects.exclude(kind__in=("gemeente", "buurtteam"))
    if kind == Route.Kind.PERSON:
        organisations = organisations.filter(kind__in=PERSON_ORGANISATION_KINDS)
    return [(str(public_id), name) for public_id, name in organisations.order_by("name").values_list("public_id", "name")]


def referral_activities(resident: Resident, *, limit: int = 300) -> list[tuple[str, str]]:
    """Active activities and services, those in the resident's wijk first (public id, description)."""
    from django.db.models import Case as When_
    from django.db.models import IntegerField, Value, When

    from omzien.activities.models import Activity

    district_id = resident.neighbourhood.district_id if resident.neighbourhood_id and resident.neighbourhood else None
    rows = (
        Activity.objects.filter(is_active=True)
        .annotate(near=When_(When(location__neighbourhood__district_id=district_id, then=Value(0)), default=Value(1),
                             output_field=IntegerField()))
        .order_by("near", "title", "pk")
        .values_list("public_id", "title", "organisation__name", "location__neighbourhood__name", "capacity", "places_taken")[:limit]
    )  # fmt: skip
    choices = []
    for public_id, title, organisation, buurt, capacity, taken in rows:
        free = max(capacity - taken, 0)
        place = f" ({buurt})" if buurt else ""
        choices.append((str(public_id), f"{title} — {organisation}{place} · {free}/{capacity}"))
    return choices


def _uuid_or_none(text: str) -> Any:
    import uuid

    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def activity_by_public_id(public_id: str) -> Any:
    """The active activity with this public id (None for none or nonsense)."""
    from omzien.activities.models import Activity

    key = _uuid_or_none(public_id)
    return Activity.objects.select_related("organisation").filter(public_id=key, is_active=True).first() if key else None


def organisation_by_public_id(public_id: str) -> Organisation | None:
    """The organisation with this public id (None for none or nonsense)."""
    key = _uuid_or_none(public_id)
    return Organisation.objects.filter(public_id=key).first() if key else None


def intake_of(case_id: int) -> Intake | None:
    """The intake of a case, if recorded."""
    return Intake.objects.filter(case_id=case_id).first()


def recent_measurement(resident: Resident, since: datetime) -> Any:
    """The resident's latest scored DJG-11 measurement since a moment (None when there is none)."""
    from omzien.wellbeing.models import Measurement

    return (
        Measurement.objects.filter(resident=resident, instrument="djg11", superseded_by__isnull=True,
                                   total__isnull=False, recorded_at__gte=since)
        .order_by("-recorded_at", "-pk").first()
    )  # fmt: skip


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def cases_of_resident_export(resident: Resident) -> list[dict[str, Any]]:
    """The resident's cases for their data export (AVG art. 15 and 20): the intake, every network map, the
    route advice with its reasons, the referrals with what was shared and their answers, the follow-ups and
    the case's history. Teams and organisations are named, their staff never (art. 15(4)); the network map
    holds the people as the resident named them. Scores are in the wellbeing room's section as well."""
    labels = {route.code: route.label for route in routes()}
    result: list[dict[str, Any]] = []
    cases = (
        Case.objects.filter(resident=resident).select_related("team", "intake")
        .prefetch_related("network_maps__ties", "advices__table", "referrals__events", "referrals__target_organisation",
                          "referrals__activity", "follow_ups__measurement", "events")
        .order_by("opened_at", "pk")
    )  # fmt: skip
    for case in cases:
        intake = getattr(case, "intake", None)
        result.append({
            "team": case.team.name, "opened": _iso(case.opened_at), "status": str(case.get_stage_display()),
            "closed": _iso(case.closed_at), "close_reason": str(case.get_close_reason_display()) if case.close_reason else "",
            "wmo_request_on": _iso(case.wmo_melding_on),
            "intake": None if intake is None else {
                "recorded": _iso(intake.recorded_at), "goals": intake.goals, "interests": intake.interests,
                "can_offer": intake.can_offer, "barriers": [str(label) for label in intake.barrier_labels],
                "about_the_barriers": intake.barrier_note, "informal_carer": intake.is_carer,
                "other_problems": intake.other_problems,
            },
            "network_maps": [
                {"recorded": _iso(network.recorded_at), "moment": str(network.get_context_display()),
                 "people": [{"who": tie.name, "relation": str(tie.get_relation_display()),
                             "how_often": str(tie.get_frequency_display()), "wish": str(tie.get_wish_display())}
                            for tie in network.ties.all()]}
                for network in sorted(case.network_maps.all(), key=lambda m: (m.recorded_at, m.pk))
            ],
            "route_advice": [
                {"decided": _iso(advice.decided_at), "rule_table_version": advice.table.version,
                 "proposed": [{"route": str(labels.get(item.get("route"), item.get("route"))),
                               "reasons": [gettext(str(r)) for r in item.get("reasons", [])]} for item in advice.proposed],
                 "chosen": [str(labels.get(code, code)) for code in advice.chosen], "note": advice.note}
                for advice in sorted(case.advices.all(), key=lambda a: (a.decided_at, a.pk))
            ],
            "referrals": [
                {"route": str(labels.get(ref.route, ref.route)),
                 "to": ref.target_organisation.name if ref.target_organisation else ref.target_name,
                 "activity": ref.activity.title if ref.activity else "", "status": str(ref.get_status_display()),
                 "sent": _iso(ref.sent_at), "answered": _iso(ref.answered_at), "started": _iso(ref.started_at),
                 "ended": _iso(ref.ended_at), "reason": ref.reason, "shared": list(ref.shared), "message": ref.message,
                 "history": [{"at": _iso(event.at), "status": str(ReferralStatus(event.status).label)}
                             for event in sorted(ref.events.all(), key=lambda e: (e.at, e.pk))]}
                for ref in sorted(case.referrals.all(), key=lambda r: (r.sent_at, r.pk))
            ],
            "follow_ups": [
                {"months": item.months, "counted_from": str(item.get_basis_display()), "due": _iso(item.due_on),
                 "status": str(item.get_status_display()), "done": _iso(item.done_at),
                 "score": item.measurement.total if item.measurement else None}
                for item in sorted(case.follow_ups.all(), key=lambda f: (f.due_on, f.pk))
            ],
            "history": [{"at": _iso(event.at), "what": event.label}
                        for event in sorted(case.events.all(), key=lambda e: (e.at, e.pk))],
        })  # fmt: skip
    return result
