# SPDX-License-Identifier: EUPL-1.2
"""Reads of matches between people: the coordinator's overview part 2, a volunteer's pairs, check-ins
due, the menu's count, and the durability of pairs (Kaplan–Meier with confidence bands).

``pair_durability`` is what the reports room reads (it never recomputes the curves): per
organisation and kind of match, plain values — days, survival, lower, upper, at risk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from omzien.volunteers.models import (
    CheckIn,
    Contact,
    Intake,
    MatchKind,
    MatchRequest,
    Pair,
    Proposal,
    Volunteer,
)
from omzien.volunteers.selectors.centre import vogs_due


@dataclass
class PairsOverview:
    """Part 2 of the coordinator's overview: requests, proposals, pairs, check-ins, free volunteers."""

    waiting: list[Any]
    proposals: list[Proposal]
    stages: list[tuple[str, Any, int]]
    check_ins_due: list[CheckIn]
    without_pair: int
    active_volunteers: int
    waiting_median_days: float | None = None
    kinds: dict[str, int] = field(default_factory=dict)
    vogs_due: int = 0  # current volunteers' VOGs within the reminder period or too old (names: part 1)
    waiting_count: int = 0  # all waiting requests; ``waiting`` holds the 200 that wait longest


def _waiting_requests(organisation_id: int) -> QuerySet[MatchRequest]:
    current = Pair.objects.filter(request=OuterRef("pk"), stage__in=Pair.CURRENT)
    return MatchRequest.objects.filter(organisation_id=organisation_id, status=MatchRequest.Status.OPEN).exclude(Exists(current))


def _waiting_since(organisation_id: int) -> dict[int, date]:
    """Since when each waiting request waits: since it was made, or since its last pair ended (a request
    that waits for a re-match has not waited the years its first pair lasted)."""
    rows = _waiting_requests(organisation_id).annotate(last_end=Max("pairs__ended_on")).values_list("pk", "created_at", "last_end")
    since = {}
    for pk, created, last_end in rows:
        made = timezone.localdate(created)
        since[pk] = max(made, last_end) if last_end else made
    return since


def request_waiting_since(request: MatchRequest) -> date | None:
    """Since when the request waits for a match (as the overview counts it), or None when it does not wait."""
    waiting = _waiting_requests(request.organisation_id).filter(pk=request.pk)
    row = waiting.annotate(last_end=Max("pairs__ended_on")).values_list("created_at", "last_end").first()
    if row is None:
        return None
    made = timezone.localdate(row[0])
    return max(made, row[1]) if row[1] else made


def pairs_overview(organisation: Any, *, now: datetime | None = None) -> PairsOverview:
    """What the coordinator's matching page shows, for their own organisation only."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = _waiting_since(organisation.pk)
    longest = sorted(since, key=lambda pk: (since[pk], pk))[:200]
    rank = {pk: index for index, pk in enumerate(longest)}
    waiting = sorted(
        MatchRequest.objects.filter(pk__in=longest)
        .select_related("resident", "respite_request__carer")
        .annotate(open_proposals=Count("proposals", filter=Q(proposals__status=Proposal.Status.PROPOSED))),
        key=lambda request: rank[request.pk],
    )
    # The kind's label from one dict, not get_kind_display per row (it hashes the choices on every call:
    # a tenth of the matching page's time with 200 rows, issue #16).
    kind_labels = dict(MatchKind.choices)
    for request in waiting:
        request.waiting_days = (today - since[request.pk]).days  # type: ignore[attr-defined]
        request.kind_label = kind_labels.get(request.kind, request.kind)  # type: ignore[attr-defined]
    proposals = list(
        Proposal.objects.filter(request__organisation=organisation, status=Proposal.Status.PROPOSED)
        .select_related("request__resident", "request__respite_request__carer", "volunteer")
        .order_by("request__created_at", "pk")[:200]
    )
    counts = dict(Pair.objects.filter(organisation=organisation).values_list("stage").annotate(n=Count("pk")).order_by())
    due = list(
        check_ins_due(organisation.pk, now=now)
        .select_related("pair__volunteer", "pair__request__resident", "pair__request__respite_request__carer")
        .order_by("due_on", "pk")[:100]
    )
    moment_labels = dict(CheckIn._meta.get_field("moment").flatchoices)
    for check_in in due:
        check_in.moment_label = moment_labels.get(check_in.moment, check_in.moment)  # type: ignore[attr-defined]
    active = Volunteer.objects.filter(intakes__organisation=organisation, intakes__stage=Intake.Stage.ACTIVE)
    current = Pair.objects.filter(volunteer=OuterRef("pk"), stage__in=Pair.CURRENT)
    days = [(today - day).days for day in since.values()]
    kinds = dict(_waiting_requests(organisation.pk).values_list("kind").annotate(n=Count("pk")).order_by())
    return PairsOverview(
        waiting=waiting, proposals=proposals,
        stages=[(value, label, counts.get(value, 0)) for value, label in Pair.Stage.choices],
        check_ins_due=due, without_pair=active.exclude(Exists(current)).distinct().count(),
        active_volunteers=active.distinct().count(), waiting_median_days=float(median(days)) if days else None,
        kinds=kinds, vogs_due=len(vogs_due(on=today, organisation_id=organisation.pk)), waiting_count=len(since),
    )  # fmt: skip


def pairs_menu_count(user: Any) -> int:
    """The menu's count: requests waiting for a match and check-ins due at the coordinator's organisation."""
    if not user.has_perm("volunteers.hold_intake") or user.organisation_id is None:
        return 0
    return _waiting_requests(user.organisation_id).count() + check_ins_due(user.organisation_id).count()


def check_ins_due(organisation_id: int, *, now: datetime | None = None) -> QuerySet[CheckIn]:
    """The organisation's check-ins that are due: not done, of a running pair (an ended pair's are no longer due)."""
    return CheckIn.objects.filter(pair__organisation_id=organisation_id, pair__stage=Pair.Stage.ACTIVE,
                                  done_at__isnull=True, due_on__lte=timezone.localdate(now))  # fmt: skip


@dataclass(frozen=True)
class KnownPerson:
    resident: Any
    open_kinds: list[str]  # the kinds of their requests at the organisation still open (labels)


def known_people(user: Any, *, last_name: str, postcode: str, actor: Any, limit: int = 10) -> list[KnownPerson]:
    """The people the coordinator's organisation already knows (residents they may see) who are likely the
    person on the phone: the residents room's duplicate rule, the one casework's signals use, by last
    name and postcode. The look-up is logged with each person shown, as a list of residents is."""
    from omzien.audit import events
    from omzien.audit.models import Action
    from omzien.residents.permissions import residents_visible_to
    from omzien.residents.selectors import same_resident_q

    rule = same_resident_q(last_name=last_name, postcode=postcode, name_and_postcode=True)
    if not rule:
        return []
    found = list(residents_visible_to(user).filter(rule).order_by("last_name", "first_name", "pk")[:limit])
    if not found:
        return []
    open_kinds: dict[int, list[str]] = {}
    for resident_id, kind in (
        MatchRequest.objects.filter(resident__in=found, organisation_id=user.organisation_id, status=MatchRequest.Status.OPEN)
        .order_by("created_at").values_list("resident_id", "kind")
    ):  # fmt: skip
        open_kinds.setdefault(resident_id, []).append(str(MatchKind(kind).label))
    events.record(action=Action.SEARCH, actor=actor, purpose="volunteer_matching", subjects=[
        events.Subject(resident_pseudo_id=person.pseudo_id, object_type="resident", object_id=str(person.public_id),
                       fields=("first_name", "last_name", "postcode", "phone"))
        for person in found
    ])  # fmt: skip
    return [KnownPerson(resident=person, open_kinds=open_kinds.get(person.pk, [])) for person in found]


def request_history(request: MatchRequest) -> dict[str, Any]:
    """A request's proposals (open first) and pairs, for the coordinator's request page."""
    proposals = list(request.proposals.select_related("volunteer", "decided_by").order_by("-created_at", "-pk")[:20])
    ids = {a["volunteer"] for p in proposals for a in p.alternatives}
    names = {v.pk: v for v in Volunteer.objects.filter(pk__in=ids).only("pk", "first_name", "last_name", "public_id")}
    for proposal in proposals:
        proposal.alternative_rows = [  # type: ignore[attr-defined]
            {**a, "person": names.get(a["volunteer"])} for a in proposal.alternatives if a["volunteer"] in names
        ]
    pairs = list(request.pairs.select_related("volunteer").order_by("-asked_at"))
    return {"proposals": proposals, "open": next((p for p in proposals if p.status == Proposal.Status.PROPOSED), None),
            "earlier": [p for p in proposals if p.status != Proposal.Status.PROPOSED], "pairs": pairs}  # fmt: skip


def pair_detail(pair: Pair) -> dict[str, Any]:
    """A pair's steps, check-ins and logged contacts, for the coordinator's pair page."""
    return {
        "steps": list(pair.steps.select_related("by").order_by("at", "pk")),
        "check_ins": list(pair.check_ins.order_by("due_on")),
        "contacts": list(pair.contacts.order_by("-on", "-pk")[:50]),
        "minutes": sum(pair.contacts.values_list("minutes", flat=True)),
    }


def volunteer_pairs(volunteer: Volunteer) -> list[Pair]:
    """The volunteer's pairs, current first (the portal shows only what a match shares)."""
    pairs = list(
        volunteer.pairs.select_related("request__resident__neighbourhood", "request__respite_request__carer",
                                       "request__neighbourhood", "organisation")  # fmt: skip
        .order_by("-asked_at")
    )
    pairs.sort(key=lambda p: p.stage not in Pair.CURRENT)
    return pairs


def volunteer_hours(volunteer: Volunteer, *, year: int | None = None) -> float:
    """The hours the volunteer logged in visits and meals (this year unless given)."""
    year = year or timezone.localdate().year
    minutes = Contact.objects.filter(pair__volunteer=volunteer, on__year=year).values_list("minutes", flat=True)
    return round(sum(minutes) / 60, 1)


def resident_requests(resident: Any) -> list[MatchRequest]:
    """The resident's own requests with their current pair (the resident's page)."""
    return list(resident.match_requests.select_related("organisation").prefetch_related("pairs__volunteer").order_by("-created_at"))


# --- Durability (issue #21; read by the reports room) -----------------------------------------------


@dataclass(frozen=True)
class DurabilityCurve:
    """Kaplan–Meier survival of pairs (from active to ended) for one organisation and kind of match.

    ``times`` in days since the pair became active; ``survival`` the share still together just after
    each time, ``lower``/``upper`` its 95 % confidence band (exponential Greenwood, as lifelines
    computes it); ``at_risk`` the pairs still followed just before each time. A pair still active is
    censored on ``on``. Plain values only: the reports room reads, never recomputes.
    """

    organisation_id: int | None
    organisation: str
    route: str  # the kind of match in words (what a table shows); ``route_code`` is its code
    route_code: str
    pairs: int
    ended: int
    times: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    at_risk: tuple[int, ...]
    days_to_first_meeting_median: float | None


Curve = tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], tuple[float, ...], tuple[int, ...]]


def _curve(durations: list[float], ended: list[bool]) -> Curve:
    from lifelines import KaplanMeierFitter  # heavy (pandas, autograd): loaded only when asked

    fitter = KaplanMeierFitter(alpha=0.05).fit(durations, event_observed=ended)
    table = fitter.event_table
    band = fitter.confidence_interval_survival_function_
    return (
        tuple(float(t) for t in fitter.survival_function_.index),
        tuple(float(s) for s in fitter.survival_function_.iloc[:, 0]),
        tuple(float(x) for x in band.iloc[:, 0]),
        tuple(float(x) for x in band.iloc[:, 1]),
        tuple(int(n) for n in table["at_risk"]),
    )


def pair_durability(*, organisation_id: int | None = None, on: date | None = None, min_pairs: int = 1) -> list[DurabilityCurve]:
    """Survival curves of pairs per organisation and kind (all organisations, or one), plus the median
    days from request to first meeting. Curves over fewer than ``min_pairs`` pairs are left out."""
    on = on or timezone.localdate()
    rows = Pair.objects.filter(started_on__isnull=False, started_on__lte=on)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    groups: dict[tuple[int, str, str], tuple[list[float], list[bool], list[float]]] = {}
    for org_id, org_name, kind, started, ended_on, created, introduction in rows.values_list(
        "organisation_id", "organisation__name", "kind", "started_on", "ended_on", "request__created_at",
        "introduction_on",
    ).order_by("organisation__name", "kind"):  # fmt: skip
        durations, ended, waits = groups.setdefault((org_id, org_name, kind), ([], [], []))
        done = ended_on is not None and ended_on <= on
        assert started is not None  # filtered above
        durations.append(float(((ended_on if done and ended_on else on) - started).days))
        ended.append(done)
        first = introduction or started
        waits.append(float((first - timezone.localdate(created)).days))
    labels = dict(MatchKind.choices)
    curves = []
    for (org_id, org_name, kind), (durations, ended, waits) in groups.items():
        if len(durations) < min_pairs:
            continue
        times, survival, lower, upper, at_risk = _curve(durations, ended)
        curves.append(DurabilityCurve(
            organisation_id=org_id, organisation=org_name, route=str(labels.get(kind, kind)), route_code=kind,
            pairs=len(durations), ended=sum(ended), times=times, survival=survival, lower=lower, upper=upper,
            at_risk=at_risk, days_to_first_meeting_median=float(median(waits)) if waits else None,
        ))  # fmt: skip
    return curves


def survival_at(curve: DurabilityCurve, day: float) -> tuple[float, float, float] | None:
    """(survival, lower, upper) at ``day`` from the step function; None when nobody was followed that long."""
    index = max((i for i, t in enumerate(curve.times) if t <= day), default=None)
    if index is None:
        return (1.0, 1.0, 1.0)
    if curve.times[-1] < day:
        return None
    return curve.survival[index], curve.lower[index], curve.upper[index]
