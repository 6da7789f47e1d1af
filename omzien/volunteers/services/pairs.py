# SPDX-License-Identifier: EUPL-1.2
"""Writes of matches between people: requests for a person, the engine's proposal rounds, and the
life of a pair (asked → introduction → active → ended), check-ins, and the visits and meals logged.

Every write is one transaction. Accepting a proposal locks the volunteer's row first and counts the
volunteer's current pairs under that lock, so two coordinators accepting proposals that share a
volunteer with one free place make exactly one pair (``tests/test_pair_race.py`` on PostgreSQL).
A request opened from a casework referral keeps the referral's id and reports its changes back
through ``casework.services.referral_status_set`` (casework never imports this room).
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import numpy as np

from omzien.audit import events
from omzien.audit.models import Action
from omzien.volunteers.models import (
    KIND_FOR_ROUTE,
    CheckIn,
    Contact,
    MatchKind,
    MatchRequest,
    Pair,
    PairStep,
    Proposal,
    RespiteRequest,
    Volunteer,
)
from omzien.volunteers.services.centre import VolunteerError, _mail_on_commit, _place

PURPOSE_PAIRS = "volunteer_matching"
# When a check-in is due, counted from the day the pair became active.
CHECK_IN_OFFSETS = {"6w": (0, 42), "3m": (3, 0), "6m": (6, 0), "12m": (12, 0)}
# Ends after which nobody is proposed again for the same request.
FINAL_ENDS = ("moved", "passed_away", "goal_reached")
ALTERNATIVES = 3


class PairError(VolunteerError):
    """A step in a pair's life that cannot be taken; ``message`` is for the person."""


def _actor(acting_user: Any) -> events.Actor:
    return events.actor_for_user(acting_user) if acting_user is not None else events.actor_for_current_request()


def request_subject(request: MatchRequest, fields: tuple[str, ...] = ()) -> events.Subject:
    """The access log's subject for a request: the resident's (or carer's) pseudonymous id, never a name."""
    person: Any = request.resident if request.resident_id else request.respite_request.carer  # type: ignore[union-attr]
    return events.Subject(
        resident_pseudo_id=person.pseudo_id, object_type="matchrequest", object_id=str(request.public_id), fields=fields
    )


def _referral_report(request: MatchRequest, status: str, *, reason: str = "", acting_user: Any = None) -> None:
    """Tell casework how its referral is doing (on commit, so a rolled-back step reports nothing)."""
    if request.referral_id is None:
        return
    referral_id = request.referral_id

    def report() -> None:
        from omzien.casework.models import Referral
        from omzien.casework.services import CaseError, referral_status_set

        referral = Referral.objects.filter(pk=referral_id).first()
        if referral is None:
            return
        # The referral may have moved on in casework already (e.g. ended there): nothing to report then.
        with contextlib.suppress(CaseError):
            referral_status_set(referral=referral, status=status, reason=reason, acting_user=acting_user)

    transaction.on_commit(report)


# --- Requests ----------------------------------------------------------------------------------------


@dataclass
class RequestData:
    """What matching needs to know about the person asked for (the engine reads nothing else)."""

    kind: str
    postcode: str
    languages: list[str] = field(default_factory=lambda: ["nl"])
    interests: list[int] = field(default_factory=list)  # activities.Term ids (interests)
    availability: int = 0
    gender: str = ""
    gender_preference: str = ""
    diets: list[str] = field(default_factory=list)
    max_km: int = 3
    need: int = 2
    keep_in_mind: str = ""


def request_open(
    *, organisation: Any, data: RequestData, source: str, acting_user: Any, resident: Any = None,
    respite_request: Any = None, referral_id: int | None = None, now: datetime | None = None,
) -> MatchRequest:  # fmt: skip
    """Open a request for a person at the organisation; a resident's own or coordinator's request opens the
    organisation's link to the resident (a referral has its own link already)."""
    from omzien.residents.services import link_open

    if data.kind not in MatchKind.values:
        raise PairError(_("Choose what is asked for."))
    postcode, neighbourhood, lat, lon = _place(data.postcode)
    if lat is None:
        raise PairError(_("We do not know this postcode. Please check it."))
    now = now or timezone.now()
    with transaction.atomic():
        if referral_id is not None and MatchRequest.objects.filter(referral_id=referral_id).exists():
            return MatchRequest.objects.get(referral_id=referral_id)  # the signal came twice: one request
        if resident is not None and source in (MatchRequest.Source.RESIDENT, MatchRequest.Source.COORDINATOR):
            # One open request per person, kind and organisation: a second one (a resident's double click,
            # a coordinator who did not know of the first) would be matched twice. The resident's row is
            # locked first, so two at once queue up and the second sees the first.
            type(resident).objects.select_for_update().filter(pk=resident.pk).first()
            if MatchRequest.objects.filter(resident=resident, organisation=organisation, kind=data.kind,
                                           status=MatchRequest.Status.OPEN).exists():  # fmt: skip
                raise PairError(_("You already asked this organisation for this; your request is still open.")
                                if source == MatchRequest.Source.RESIDENT else
                                _("This person already has an open request for this at your organisation."))  # fmt: skip
        request = MatchRequest.objects.create(
            organisation=organisation, resident=resident, respite_request=respite_request, kind=data.kind,
            source=source, referral_id=referral_id, need=min(max(int(data.need), 1), 3), postcode=postcode,
            neighbourhood=neighbourhood, lat=lat, lon=lon, languages=list(data.languages) or ["nl"],
            interests=[int(i) for i in data.interests], availability=data.availability, gender=data.gender,
            gender_preference=data.gender_preference, diets=list(data.diets), max_km=data.max_km,
            keep_in_mind=data.keep_in_mind.strip(), created_at=now, created_by=acting_user,
        )  # fmt: skip
        if resident is not None and source in (MatchRequest.Source.RESIDENT, MatchRequest.Source.COORDINATOR):
            link_open(resident=resident, kind="request", organisation=organisation, source=f"volunteers.MatchRequest:{request.pk}")
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=PURPOSE_PAIRS,
                      subjects=[request_subject(request, ("kind", "postcode", "languages", "keep_in_mind"))])  # fmt: skip
    return request


def request_for_new_person(*, organisation: Any, resident: Any, data: RequestData, acting_user: Any) -> MatchRequest:
    """A coordinator's request for someone who called the organisation: their record (name, phone,
    postcode, languages) and the request, in one transaction; the organisation's link opens with it."""
    postcode, neighbourhood, lat, _lon = _place(data.postcode)
    if lat is None:
        raise PairError(_("We do not know this postcode. Please check it."))
    with transaction.atomic():
        resident.postcode, resident.neighbourhood = postcode, neighbourhood
        resident.save()
        return request_open(organisation=organisation, data=data, source=MatchRequest.Source.COORDINATOR,
                            acting_user=acting_user, resident=resident)  # fmt: skip


def request_from_referral(referral: Any) -> MatchRequest | None:
    """Open a request for a casework referral on a person route (the receiver of ``referral_sent``)."""
    kind = KIND_FOR_ROUTE.get(referral.route)
    if kind is None or referral.target_organisation_id is None:
        return None
    resident = referral.resident
    languages = [code for code in (resident.languages or []) if isinstance(code, str)] or ["nl"]
    data = RequestData(kind=kind, postcode=resident.postcode, languages=languages,
                       keep_in_mind=referral.message if "goals" in (referral.shared or []) else "")  # fmt: skip
    try:
        # The request exists from the moment the referral was sent: its waiting time counts from then
        # (the same moment when the signal comes at once; a referral sent earlier keeps its date).
        return request_open(organisation=referral.target_organisation, data=data, source=MatchRequest.Source.REFERRAL,
                            acting_user=referral.sent_by, resident=resident, referral_id=referral.pk,
                            now=min(referral.sent_at or timezone.now(), timezone.now()))  # fmt: skip
    except PairError:
        # No usable postcode: the coordinator still sees the referral in casework's list and can enter it.
        return None


def request_close(*, request: MatchRequest, reason: str, acting_user: Any, now: datetime | None = None) -> MatchRequest:
    """Close a request that no longer needs a match (reason kept); its referral is declined or ended."""
    reason = reason.strip()
    if not reason:
        raise PairError(_("Say why the request is closed."))
    with transaction.atomic():
        locked = MatchRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == MatchRequest.Status.CLOSED:
            return locked
        if locked.pairs.filter(stage__in=Pair.CURRENT).exists():
            raise PairError(_("End the current pair first."))
        had_pair = locked.pairs.filter(stage=Pair.Stage.ENDED).exists()
        locked.status, locked.closed_at, locked.closed_reason = MatchRequest.Status.CLOSED, now or timezone.now(), reason
        locked.save(update_fields=["status", "closed_at", "closed_reason"])
        locked.proposals.filter(status=Proposal.Status.PROPOSED).update(status=Proposal.Status.SUPERSEDED)
        _referral_report(locked, "ended" if had_pair else "declined", reason=reason, acting_user=acting_user)
    return locked


def request_close_for_referral(referral: Any, *, status: str, reason: str = "") -> MatchRequest | None:
    """Close the open request a casework referral opened, once that referral is declined or ended on the
    team's side (the receiver of casework's ``referral_status_changed``): nobody waits for a match any more.
    A request with a current pair stays open: its coordinator ends the pair. Nothing is reported back (the
    referral already has its status), so a close that started here does not come round again."""
    if status not in ("declined", "ended"):
        return None
    with transaction.atomic():
        locked = (
            MatchRequest.objects.select_for_update()
            .filter(referral_id=referral.pk, status=MatchRequest.Status.OPEN)
            .first()
        )
        if locked is None or locked.pairs.filter(stage__in=Pair.CURRENT).exists():
            return None
        locked.status, locked.closed_at = MatchRequest.Status.CLOSED, timezone.now()
        locked.closed_reason = reason or str(_("The neighbourhood team closed the referral."))
        locked.save(update_fields=["status", "closed_at", "closed_reason"])
        locked.proposals.filter(status=Proposal.Status.PROPOSED).update(status=Proposal.Status.SUPERSEDED)
    return locked


# --- Proposal rounds -------------------------------------------------------------------------------


class Stopwatch:
    """Wall and CPU time of a round's phases (``lap`` closes the phase that ran since the last lap)."""

    def __init__(self) -> None:
        self.laps: dict[str, dict[str, float]] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> float:
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps[name] = {"wall_s": wall - self._wall, "cpu_s": cpu - self._cpu}
        self._wall, self._cpu = wall, cpu
        return wall


@dataclass
class RoundResult:
    """What a proposal round did, and where its time went (database, candidates, solve)."""

    round: uuid.UUID
    requests: int
    volunteers: int
    proposals: int
    unmatched: dict[str, int]
    read_s: float = 0.0
    candidates_s: float = 0.0
    solve_s: float = 0.0
    write_s: float = 0.0
    pairs: int = 0  # feasible pairs the engine found
    solver: dict[str, Any] = field(default_factory=dict)  # how it solved: pricing rounds, pairs it worked on
    # Per phase wall and CPU seconds: read_database, read_records, candidates, solve, describe, write_database.
    phases: dict[str, dict[str, float]] = field(default_factory=dict)


def proposal_round(
    *, organisation: Any, acting_user: Any, requests: list[MatchRequest] | None = None, now: datetime | None = None
) -> RoundResult:
    """Run the engine over the organisation's open requests (or the given ones among them) and its free
    volunteers; store one proposal per matched request with its reasons and alternatives (older open ones
    are replaced). One access-log entry names the round (the proposals carry its id), not one per person."""
    from omzien.matching.engine import candidates_build, solve
    from omzien.matching.engine.solve import best_pairs_per_request
    from omzien.volunteers.engine_input import engine_input

    now = now or timezone.now()
    clock = Stopwatch()
    started = clock._wall
    chosen = engine_input(organisation, now=now, request_ids=None if requests is None else [r.pk for r in requests],
                          clock=clock)  # fmt: skip
    instance = chosen.instance
    read = clock.lap("read_records")
    pairs = candidates_build(instance)
    built = clock.lap("candidates")
    solution = solve(instance, pairs)
    solved = clock.lap("solve")
    round_id = uuid.uuid4()
    n = len(chosen.request_ids)
    # Each request's best pairs (only those are sorted), for the alternatives next to the proposal; the
    # weights, distances and parts of the few pairs shown are then worked out at once.
    best, first, last = best_pairs_per_request(pairs, n, ALTERNATIVES + 1, solution)
    picks = solution.chosen.tolist()
    has_pairs = (last > first).tolist()
    unmatched = {"no_feasible_offer": 0, "outranked": 0}
    shown: list[tuple[int, int, list[int]]] = []
    best_list, first_list, last_list = best.tolist(), first.tolist(), last.tolist()
    for r in range(n):
        pick = picks[r]
        if pick < 0:
            unmatched["outranked" if has_pairs[r] else "no_feasible_offer"] += 1
            continue
        others = [i for i in best_list[first_list[r] : last_list[r]] if i != pick]
        shown.append((r, pick, others[:ALTERNATIVES]))
    wanted = np.unique(np.fromiter((i for _r, pick, others in shown for i in (pick, *others)), dtype=np.int64))
    parts = pairs.parts_of(wanted) if len(wanted) else {}
    # Rounded as arrays (what is stored and shown), then one dict per pair shown.
    weight = np.round(sum(parts.values()), 3).tolist() if len(wanted) else []
    km = np.round(pairs.km_of(wanted), 2).tolist() if len(wanted) else []
    volunteer_of = [chosen.volunteer_ids[o] for o in pairs.offer[wanted].tolist()]
    names = list(parts)
    columns = [np.round(values, 3).tolist() for values in parts.values()]
    described = {
        index: {"volunteer": volunteer, "weight": w, "km": distance, "parts": dict(zip(names, split, strict=True))}
        for index, volunteer, w, distance, *split in zip(wanted.tolist(), volunteer_of, weight, km, *columns, strict=True)
    }
    rows = [
        (chosen.request_ids[r], described[pick], [described[i] for i in others]) for r, pick, others in shown
    ]
    clock.lap("describe")
    with transaction.atomic():
        superseded = Proposal.objects.filter(status=Proposal.Status.PROPOSED)
        if requests is None:
            # The same open requests the round read (a subquery: no list of ten thousand ids to send).
            superseded = superseded.filter(request__in=_open_requests_for(organisation))
        else:
            superseded = superseded.filter(request_id__in=chosen.request_ids)
        superseded.update(status=Proposal.Status.SUPERSEDED)
        _proposals_store(rows, round_id=round_id, now=now)
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=PURPOSE_PAIRS, subjects=[
            events.Subject(object_type="proposalround", object_id=str(round_id), fields=("proposals",))
        ])  # fmt: skip
    written = clock.lap("write_database")
    return RoundResult(
        round=round_id, requests=n, volunteers=len(chosen.volunteer_ids), proposals=len(rows), unmatched=unmatched,
        read_s=read - started, candidates_s=built - read, solve_s=solved - built, write_s=written - solved,
        pairs=len(pairs), solver=dict(solution.extra), phases=clock.laps,
    )  # fmt: skip


def _open_requests_for(organisation: Any) -> Any:
    from omzien.volunteers.engine_input import _open_requests_query

    return _open_requests_query(organisation).values("pk")


# The fields COPY fills, in the order of the rows written (the others stay empty: decided_at, decided_by).
PROPOSAL_FIELDS = ("public_id", "request", "volunteer", "round", "weight", "km", "parts", "alternatives", "status",
                   "reason", "created_at")  # fmt: skip


def _column(name: str) -> str:
    field = Proposal._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - a concrete field, not a relation's other side
    return str(field.column)


def _proposals_store(rows: list[tuple[int, dict[str, Any], list[dict[str, Any]]]], *, round_id: uuid.UUID, now: datetime) -> None:
    """Insert a round's proposals: on PostgreSQL with one COPY (10,000 rows in well under a second, where
    ``bulk_create`` spent seconds turning JSON into arrays of parameters), elsewhere with ``bulk_create``.
    Proposal has no signals or save() of its own, so both store the same rows."""
    from django.db import connection

    status = Proposal.Status.PROPOSED
    if connection.vendor != "postgresql":
        Proposal.objects.bulk_create([
            Proposal(request_id=request_id, volunteer_id=best["volunteer"], round=round_id, weight=best["weight"], km=best["km"],
                     parts=best["parts"], alternatives=alternatives, status=status, created_at=now)
            for request_id, best, alternatives in rows
        ], batch_size=2000)  # fmt: skip
        return
    table = connection.ops.quote_name(Proposal._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(name)) for name in PROPOSAL_FIELDS)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names from the model
        for request_id, best, alternatives in rows:
            copy.write_row((uuid.uuid4(), request_id, best["volunteer"], round_id, best["weight"], best["km"],
                            json.dumps(best["parts"]), json.dumps(alternatives), status, "", now))  # fmt: skip


def rematch_propose(*, request: MatchRequest, acting_user: Any) -> Proposal | None:
    """Propose a volunteer for one request again (after a pair ended or a proposal was rejected)."""
    if request.status != MatchRequest.Status.OPEN:
        raise PairError(_("This request is not waiting for a match."))
    proposal_round(organisation=request.organisation, acting_user=acting_user, requests=[request])
    return request.proposals.filter(status=Proposal.Status.PROPOSED).first()


def proposal_reject(*, proposal: Proposal, reason: str, acting_user: Any, now: datetime | None = None) -> Proposal:
    """Reject a proposal; the reason is kept (the request stays open for the next round)."""
    reason = reason.strip()
    if not reason:
        raise PairError(_("Say why the proposal is rejected."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Proposal.Status.PROPOSED:
            raise PairError(_("This proposal has been decided already."))
        locked.status, locked.reason = Proposal.Status.REJECTED, reason
        locked.decided_at, locked.decided_by = now or timezone.now(), acting_user
        locked.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    return locked


def current_pairs(volunteer_id: int) -> int:
    return Pair.objects.filter(volunteer_id=volunteer_id, stage__in=Pair.CURRENT).count()


def proposal_accept(
    *, proposal: Proposal, acting_user: Any, volunteer: Volunteer | None = None, reason: str = "",
    now: datetime | None = None,
) -> Pair:  # fmt: skip
    """Accept a proposal (or, edited, one of its alternatives): the volunteer is asked in their portal.

    The volunteer's row is locked before their current pairs are counted, so two coordinators can
    never give one volunteer more people than they have places for.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Proposal.Status.PROPOSED:
            raise PairError(_("This proposal has been decided already."))
        chosen_id = volunteer.pk if volunteer is not None else locked.volunteer_id
        if chosen_id != locked.volunteer_id and chosen_id not in {a["volunteer"] for a in locked.alternatives}:
            raise PairError(_("Choose the proposed volunteer or one of the alternatives."))
        request = MatchRequest.objects.select_for_update().get(pk=locked.request_id)
        if request.status != MatchRequest.Status.OPEN or request.pairs.filter(stage__in=Pair.CURRENT).exists():
            raise PairError(_("This request has a pair already or is closed."))
        person = Volunteer.objects.select_for_update().get(pk=chosen_id)
        if current_pairs(person.pk) >= person.places_for(request.kind):
            raise PairError(_("%(name)s has no free place any more. Run a new round or choose an alternative.")
                            % {"name": person.first_name})  # fmt: skip
        pair = Pair.objects.create(
            request=request, volunteer=person, organisation=request.organisation, kind=request.kind, proposal=locked,
            stage=Pair.Stage.ASKED, asked_at=now,
        )  # fmt: skip
        PairStep.objects.create(pair=pair, stage=pair.stage, what="proposal accepted" + (" (edited)" if chosen_id != locked.volunteer_id else ""),
                                at=now, by=acting_user)  # fmt: skip
        locked.status, locked.decided_at, locked.decided_by = Proposal.Status.ACCEPTED, now, acting_user
        locked.reason = reason.strip()[:300]
        locked.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        request.status = MatchRequest.Status.MATCHED
        request.save(update_fields=["status"])
        # Other open proposals naming this volunteer may no longer fit: they stay, and are refused
        # at acceptance when the places are gone (the message says so).
        _referral_report(request, "accepted", acting_user=acting_user)
        if person.email:
            _mail_on_commit([person.email], _("Someone would like to meet you"),
                            _("Your coordinator has proposed a match for you. Please answer in 'My volunteering'."))  # fmt: skip
        _tell_the_person_asked(request)
    return pair


def mail_language(languages: list[str] | None) -> str:
    """The language of a mail to a resident or carer: Dutch, or English for someone who reads English and
    no Dutch (the only two languages Omzien is translated into)."""
    spoken = [code for code in (languages or []) if isinstance(code, str)]
    return "en" if spoken and "nl" not in spoken and "en" in spoken else "nl"


def _tell_the_person_asked(request: MatchRequest) -> None:
    """Tell the resident (or carer) that someone may have been found and how to answer — on commit, in their
    language, with nothing about the volunteer (who it is they hear from the coordinator or in Omzien)."""
    from django.template.loader import render_to_string

    person: Any = request.resident if request.resident_id else getattr(request.respite_request, "carer", None)
    email = getattr(person, "email", "") if person is not None else ""
    if not email:
        return
    online = request.resident_id is not None and getattr(person, "user_id", None) is not None
    with translation.override(mail_language(getattr(person, "languages", None))):
        context = {"organisation": request.organisation.name, "kind": request.get_kind_display(), "online": online}
        subject = render_to_string("volunteers/mail/asked_subject.txt", context).strip()
        body = render_to_string("volunteers/mail/asked_body.txt", context).strip() + "\n"
    _mail_on_commit([email], subject, body)


# --- A pair's life ----------------------------------------------------------------------------------


def _step(pair: Pair, what: str, by: Any, at: datetime | None = None) -> None:
    PairStep.objects.create(pair=pair, stage=pair.stage, what=what, at=at or timezone.now(), by=by)


def _both_said_yes(pair: Pair, acting_user: Any) -> None:
    """Both said yes: the introduction can be planned, and the volunteer now sees what a match shares."""
    from omzien.residents.services import link_open

    pair.stage = Pair.Stage.INTRODUCTION
    resident = pair.request.resident
    if resident is not None and pair.link_id is None and pair.volunteer.user_id:
        pair.link = link_open(resident=resident, kind="match", organisation=pair.organisation,
                              source=f"volunteers.Pair:{pair.pk}", user=pair.volunteer.user)  # fmt: skip


def _declined(pair: Pair, who: str, acting_user: Any) -> None:
    pair.stage = Pair.Stage.DECLINED
    request = pair.request
    request.status = MatchRequest.Status.OPEN
    request.save(update_fields=["status"])
    _step(pair, f"declined by the {who}", acting_user)


def pair_answer(*, pair: Pair, who: str, answer: str, acting_user: Any) -> Pair:
    """Record the volunteer's or the resident's answer to the question; both yes → introduction, a no → declined."""
    if answer not in (Pair.Answer.YES, Pair.Answer.NO) or who not in ("volunteer", "resident"):
        raise PairError(_("Answer yes or no."))
    with transaction.atomic():
        locked = Pair.objects.select_for_update().select_related("request", "volunteer").get(pk=pair.pk)
        if locked.stage != Pair.Stage.ASKED:
            raise PairError(_("This question has been answered already."))
        setattr(locked, f"{who}_answer", answer)
        if answer == Pair.Answer.NO:
            _declined(locked, who, acting_user)
        else:
            _step(locked, f"{who} said yes", acting_user)
            if locked.volunteer_answer == Pair.Answer.YES and locked.resident_answer == Pair.Answer.YES:
                _both_said_yes(locked, acting_user)
                _step(locked, "both said yes", acting_user)
        locked.save()
    return locked


def introduction_record(
    *, pair: Pair, on: date, goes_ahead: bool, acting_user: Any, meal_rhythm: str = "", meal_day: int | None = None
) -> Pair:
    """Record the introduction meeting: the pair goes ahead (active from that day) or ends as a mismatch."""
    if on > timezone.localdate():
        raise PairError(_("The introduction cannot be recorded before it took place."))
    with transaction.atomic():
        locked = Pair.objects.select_for_update().select_related("request", "volunteer").get(pk=pair.pk)
        if locked.stage != Pair.Stage.INTRODUCTION:
            raise PairError(_("Both must say yes before the introduction."))
        if on < timezone.localdate(locked.asked_at):
            raise PairError(_("The introduction cannot be before the question was asked."))
        locked.introduction_on = on
        if not goes_ahead:
            locked.save(update_fields=["introduction_on"])
            return pair_end(pair=locked, reason=Pair.EndReason.MISMATCH, on=on, acting_user=acting_user,
                            note="after the introduction")  # fmt: skip
        locked.stage, locked.started_on = Pair.Stage.ACTIVE, on
        if locked.kind == MatchKind.EET_MEE:
            locked.meal_rhythm, locked.meal_day = meal_rhythm or "weekly", meal_day
        locked.save()
        _step(locked, "introduction held; active", acting_user)
        _referral_report(locked.request, "started", acting_user=acting_user)
        _respite_status(locked.request, RespiteRequest.Status.MATCHED)
    return locked


def pair_end(*, pair: Pair, reason: str, on: date, acting_user: Any, note: str = "") -> Pair:
    """End a pair with a reason; the volunteer's view of the resident ends. Unless the reason is final
    (moved, passed away, goal reached) the request is open again for a re-match."""
    from omzien.residents.models import ResidentLink
    from omzien.residents.services import link_end

    if reason not in Pair.EndReason.values:
        raise PairError(_("Choose why the pair ended."))
    with transaction.atomic():
        locked = Pair.objects.select_for_update().select_related("request").get(pk=pair.pk)
        if locked.stage not in Pair.CURRENT:
            raise PairError(_("This pair has ended already."))
        if on < timezone.localdate(locked.asked_at) or on > timezone.localdate():
            raise PairError(_("The end date must lie between the question and today."))
        locked.stage, locked.ended_on, locked.end_reason, locked.end_note = Pair.Stage.ENDED, on, reason, note.strip()[:300]
        locked.save()
        _step(locked, f"ended: {reason}", acting_user)
        if locked.link_id:
            link_end(link=ResidentLink.objects.get(pk=locked.link_id))
        request = locked.request
        if reason in FINAL_ENDS:
            request.status, request.closed_at, request.closed_reason = MatchRequest.Status.CLOSED, timezone.now(), reason
            _referral_report(request, "ended", reason=reason, acting_user=acting_user)
        else:
            request.status = MatchRequest.Status.OPEN
        request.save(update_fields=["status", "closed_at", "closed_reason"])
        _respite_status(request, RespiteRequest.Status.OPEN if request.status == MatchRequest.Status.OPEN else RespiteRequest.Status.WITHDRAWN)
    return locked


def _respite_status(request: MatchRequest, status: str) -> None:
    """Keep the carer's request for respite in step with its match (the carer support staff's page shows it)."""
    if request.respite_request_id is not None:
        RespiteRequest.objects.filter(pk=request.respite_request_id).update(status=status)


def _due(started: date, moment: str) -> date:
    from omzien.volunteers.selectors import add_months

    months, days = CHECK_IN_OFFSETS[moment]
    return add_months(started, months) + timedelta(days=days)


def check_ins_create(*, today: date | None = None) -> int:
    """Create the check-ins that have come due for active pairs (``omzien tick``; idempotent)."""
    today = today or timezone.localdate()
    earliest = today - timedelta(days=42)
    new: list[CheckIn] = []
    done = set(CheckIn.objects.filter(pair__stage=Pair.Stage.ACTIVE).values_list("pair_id", "moment"))
    active = Pair.objects.filter(stage=Pair.Stage.ACTIVE, started_on__lte=earliest).values_list("pk", "started_on")
    for pair_id, started in active:
        if started is None:
            continue
        for moment in CHECK_IN_OFFSETS:
            due = _due(started, moment)
            if due <= today and (pair_id, moment) not in done:
                new.append(CheckIn(pair_id=pair_id, moment=moment, due_on=due))
    CheckIn.objects.bulk_create(new, ignore_conflicts=True)  # a second tick at the same time adds nothing
    return len(new)


@dataclass
class CheckInData:
    still_meeting: bool
    times_a_month: int | None
    resident_going: int
    volunteer_going: int
    note: str = ""


def check_in_fill(*, check_in: CheckIn, data: CheckInData, acting_user: Any, now: datetime | None = None) -> CheckIn:
    """Fill in a check-in (once); the note is for the coordinators."""
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        if locked.done_at is not None:
            raise PairError(_("This check-in has been filled in already."))
        locked.still_meeting, locked.times_a_month = data.still_meeting, data.times_a_month
        locked.resident_going, locked.volunteer_going, locked.note = data.resident_going, data.volunteer_going, data.note.strip()
        locked.done_at, locked.done_by = now or timezone.now(), acting_user
        locked.save()
    return locked


def contact_log(
    *, pair: Pair, on: date, minutes: int, note: str, worried: bool, concern: str, acting_user: Any,
    now: datetime | None = None,
) -> Contact:  # fmt: skip
    """Log a visit or meal. "I am worried" files a casework signal about the resident (their buurtteam
    answers for the postcode); the note itself stays with the coordinator."""
    now = now or timezone.now()
    if pair.stage not in (Pair.Stage.INTRODUCTION, Pair.Stage.ACTIVE):
        raise PairError(_("Visits can be logged for a current pair only."))
    if on > timezone.localdate(now) or (pair.introduction_on and on < pair.introduction_on) or on < timezone.localdate(pair.asked_at):
        raise PairError(_("The date must lie between the question and today."))
    if worried and not concern.strip():
        raise PairError(_("Tell us what worries you."))
    with transaction.atomic():
        contact = Contact.objects.create(pair=pair, on=on, minutes=minutes, note=note.strip(), worried=worried,
                                         logged_by=acting_user, logged_at=now)  # fmt: skip
        if worried:
            contact.signal_reference = _worry_signal(pair, concern.strip(), acting_user)
            contact.save(update_fields=["signal_reference"])
    return contact


def _worry_signal(pair: Pair, concern: str, acting_user: Any) -> str:
    """File a signal with the resident's buurtteam through casework; return its reference."""
    from omzien.casework.models import Source
    from omzien.casework.services import SignalData, SignalError, signal_create

    request = pair.request
    person: Any = request.resident if request.resident_id else request.respite_request.carer  # type: ignore[union-attr]
    volunteer = pair.volunteer
    data = SignalData(
        last_name=person.last_name, first_name=person.first_name, postcode=request.postcode, concern=concern,
        phone=getattr(person, "phone", ""), street=getattr(person, "street", ""),
        reporter_name=volunteer.full_name, reporter_phone=volunteer.phone, reporter_email=volunteer.email,
        reporter_organisation_name=pair.organisation.name,
    )  # fmt: skip
    try:
        signal = signal_create(data=data, source=Source.VOLUNTEER, actor=_actor(acting_user), reported_by=acting_user,
                               reporter_organisation=pair.organisation)  # fmt: skip
    except SignalError as error:
        raise PairError(str(error)) from error
    return str(signal.reference)
