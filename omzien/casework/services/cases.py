# SPDX-License-Identifier: EUPL-1.2
"""Writes of cases: opening, intake with a network map, route advice, referrals and their closed loop,
follow-ups (created by ``omzien tick``, answered through a personal link), the Wmo request, closing.

Every service is atomic, takes an explicit time (``at``; the demo lays down a year of history with it),
appends its history row and writes the access log. Other rooms use ``referral_sent`` (a Django signal
sent on commit for every new referral) and ``referral_status_set`` (what the receiving room calls).
"""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.dispatch import Signal as DjangoSignal
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation
from omzien.activities.models import Activity
from omzien.audit import events
from omzien.audit.models import Action
from omzien.casework import workdays
from omzien.casework.advice import AdviceInput, Proposal, Rule, advise
from omzien.casework.models import (
    Barrier,
    Case,
    CaseEvent,
    CloseReason,
    FollowUp,
    FollowUpLink,
    Intake,
    NetworkMap,
    NetworkTie,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Route,
    RouteAdvice,
    RouteRule,
    RouteTable,
    Signal,
    Stage,
)
from omzien.casework.policies import (
    CALENDAR,
    CASE_RETENTION,
    FOLLOW_UP_LEAD_DAYS,
    FOLLOW_UP_MONTHS,
    INTAKE_DAYS,
    LINK_DAYS,
    STUCK_DAYS,
    policy_value,
)
from omzien.lib.mail import send_email
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose, Resident, ResidentLink
from omzien.residents.services import consent_record, link_end, link_open
from omzien.wellbeing.models import Measurement

__all__ = [
    "CASE_PURPOSE", "REFERRAL_PURPOSE", "SHAREABLE", "CaseError", "IntakeData", "LinkError", "ReferralOpenError", "TieData",
    "add_months", "case_assign", "case_close", "case_for_resident", "case_open", "case_open_for_resident", "case_refresh",
    "case_steps_batched", "cases_expire", "follow_up_answer",
    "follow_up_link_check", "follow_up_link_create", "follow_up_missed", "follow_up_record", "follow_ups_create", "intake_record",
    "network_map_record", "referral_send", "referral_sent", "referral_status_changed", "referral_status_set", "referrals_sync_waiting",
    "route_advice_decide", "route_advice_propose", "route_defaults_ensure", "route_table_copy", "route_table_current", "route_table_next_version",
    "route_table_publish", "support_consent_given", "wmo_melding_record",
]  # fmt: skip

CASE_PURPOSE = "case_support"
REFERRAL_PURPOSE = "referral"
# What a referral can carry, if the resident agrees: resident fields and parts of the intake.
SHAREABLE: tuple[str, ...] = (
    "first_name", "last_name", "phone", "street", "postcode", "date_of_birth", "languages", "interests", "barriers",
    "goals",
)  # fmt: skip
LINK_SALT = "omzien.casework.follow_up_link"

# Sent (on commit) with ``referral=<Referral>`` for every new referral. The volunteers room connects to
# it and opens a request for the person routes; casework never imports that room.
referral_sent = DjangoSignal()
# Sent (on commit) with ``referral=<Referral>``, ``status`` and ``reason`` whenever a referral's status moves
# on (accepted, declined, started, ended), whoever moved it: a room that keeps its own record of the
# referral (the volunteers room's request) can follow an answer recorded in casework. A receiver must
# ignore a status it reported itself.
referral_status_changed = DjangoSignal()


class CaseError(ValueError):
    """A case cannot be changed this way; the message says why, for the person acting."""


class ReferralOpenError(CaseError):
    """The resident already has an open referral on this route to the same activity or organisation (a form sent
    twice, or a second click): ``referral`` is that one, and nothing new was made."""

    def __init__(self, message: str, referral: Referral) -> None:
        super().__init__(message)
        self.referral = referral


def _actor(acting_user: Any) -> events.Actor:
    return events.actor_for_user(acting_user) if acting_user is not None else events.actor_for_current_request()


def _case_subject(case: Case, fields: Sequence[str], object_type: str = "case", object_id: Any = None) -> events.Subject:
    return events.resident_subject(case.resident, object_type, object_id or case.public_id, tuple(fields))


@dataclass
class _Batch:
    cases: set[int] = field(default_factory=set)
    events: list[CaseEvent] = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("casework_batch", default=None)


@contextmanager
def case_steps_batched() -> Iterator[None]:
    """Within the block, the case summaries (``case_refresh``) and history rows of the steps wait for its
    end: one refresh per case instead of one per step, and the history rows in one insert. For laying
    down many steps at once (the demo's eighteen months of a case); a nested block joins the outer one.
    Nothing inside may read a case's next due date or last score before the block ends.
    """
    if _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    except CaseError:
        _batch.reset(token)
        _batch_flush(batch)  # the step that failed rolled back on its own; the ones before it stand
        raise
    except BaseException:
        _batch.reset(token)
        raise
    _batch.reset(token)
    _batch_flush(batch)


def _batch_flush(batch: _Batch) -> None:
    CaseEvent.objects.bulk_create(batch.events)
    for case in Case.objects.filter(pk__in=batch.cases).select_related("resident"):
        case_refresh(case)


def _not_restricted(case: Case) -> None:
    """A case whose resident restricted the processing of their data (AVG art. 18, granted) is read-only:
    it is kept and shown to the team, but no step is added until the restriction is lifted."""
    if Resident.objects.filter(pk=case.resident_id, restricted_since__isnull=False).exists():
        raise CaseError(_("The resident has restricted the processing of their data: this case is read-only until "
                          "the privacy officer lifts the restriction."))


def _event(case: Case, kind: str, at: datetime, actor: Any = None, detail: str = "") -> None:
    event = CaseEvent(case=case, kind=kind, at=at, actor=actor, detail=detail[:300])
    batch = _batch.get()
    if batch is not None:
        batch.events.append(event)
    else:
        event.save()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _working_days_after(at: datetime, days: int) -> date:
    return workdays.add_working_days(timezone.localdate(at), days, policy_value(CALENDAR))


# Opening and the next due date.


def case_for_resident(resident: Resident, team: Organisation) -> Case | None:
    """The resident's open case at the team, if any."""
    return Case.objects.filter(resident=resident, team=team, closed_at__isnull=True).order_by("-opened_at").first()


def case_open(
    *, resident: Resident, team: Organisation, acting_user: Any, professional: Any = None, signal: Signal | None = None,
    at: datetime | None = None, note: str = "",
) -> Case:  # fmt: skip
    """Open a case at the team (or return the open one, with the signal added); the intake is then due.

    ``note``: how the question reached the team when no signal did (kept in the case's history)."""
    at = at or timezone.now()
    with transaction.atomic():
        existing = Case.objects.select_for_update().filter(resident=resident, team=team, closed_at__isnull=True).first()
        if existing is not None:
            if signal is not None and existing.signal_id is None:
                existing.signal = signal
                existing.save(update_fields=["signal"])
            _event(existing, "signal_added", at, acting_user, detail=signal.reference if signal else "")
            return existing
        link = (
            ResidentLink.objects.filter(
                resident=resident, kind=ResidentLink.Kind.CASE, organisation=team, ended_at__isnull=True
            ).first()
            or link_open(resident=resident, kind=ResidentLink.Kind.CASE, organisation=team, source="casework.Case")
        )  # fmt: skip
        intake_due = _working_days_after(at, int(policy_value(INTAKE_DAYS)))
        case = Case.objects.create(
            resident=resident, team=team, professional=professional or acting_user, signal=signal, link=link,
            opened_at=at, intake_due=intake_due, next_due=intake_due,
        )  # fmt: skip
        _event(case, "opened", at, acting_user, detail=signal.reference if signal else note)
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(case, ("team", "professional"))])  # fmt: skip
    return case


def support_consent_given(resident: Resident) -> ConsentEvent | None:
    """The resident's consent for support if their latest word on it is yes (None: not given, or withdrawn)."""
    latest = ConsentEvent.objects.filter(resident=resident, purpose=ConsentPurpose.SUPPORT).order_by("-recorded_at", "-pk").first()
    return latest if latest is not None and latest.given else None


def case_open_for_resident(
    *, resident: Resident, team: Organisation, acting_user: Any, reason: str, professional: Any = None,
    consent_method: str = "", at: datetime | None = None,
) -> Case:  # fmt: skip
    """Open a case for a resident the team already knows, without a signal (they came by, phoned, were
    brought by a colleague): the reason is kept in the case's history; without a standing consent for
    support, how the resident gave it now is recorded first. One open case per resident and team."""
    at = at or timezone.now()
    reason = reason.strip()
    if not reason:
        raise CaseError(_("Say how the question for support reached the team."))
    if professional is not None and professional.organisation_id != team.pk:
        raise CaseError(_("Choose a colleague of your team."))
    with transaction.atomic():
        Resident.objects.select_for_update().filter(pk=resident.pk).first()  # two clicks make one case
        if case_for_resident(resident, team) is not None:
            raise CaseError(_("This resident already has an open case at your team."))
        if support_consent_given(resident) is None:
            if consent_method not in ConsentMethod.values:
                raise CaseError(_("The resident has not consented to support: say how they gave their consent."))
            consent_record(actor=_actor(acting_user), acting_user=acting_user, resident=resident,
                           purpose=ConsentPurpose.SUPPORT, given=True, method=consent_method)  # fmt: skip
        return case_open(resident=resident, team=team, acting_user=acting_user, professional=professional, at=at,
                         note=reason)  # fmt: skip


def _next_due(made: Sequence[tuple[str, int, str, date]], started: datetime | None, sent: datetime | None,
              months: Sequence[int]) -> date | None:  # fmt: skip
    """The first open follow-up's due date, or the due date of the first one of the schedule not yet made."""
    dues = [due for _basis, _months, status, due in made if status == FollowUp.Status.OPEN]
    basis, anchor = (FollowUp.Basis.ROUTE_STARTED, started) if started else (FollowUp.Basis.WAITING, sent)
    if anchor is not None:
        done = {m for b, m, _status, _due in made if b == basis}
        left = [m for m in sorted(months) if m not in done]
        if left:
            dues.append(add_months(timezone.localdate(anchor), left[0]))
    return min(dues, default=None)


def case_refresh(case: Case, *, score: bool = True) -> Case:
    """Recompute the case's summary for the lists: the next due date and (``score``) the last score.

    Three or four queries (the case's facts in one, its follow-ups, the latest measurement, the update): it
    runs after every step of a case, so it stays small.
    """
    batch = _batch.get()
    if batch is not None:
        batch.cases.add(case.pk)
        return case
    values: dict[str, Any] = {}
    if not case.is_open:
        next_due = None
    else:
        referrals = Referral.objects.filter(case_id=OuterRef("pk"))
        facts = (
            Case.objects.filter(pk=case.pk)
            .annotate(has_intake=Exists(Intake.objects.filter(case_id=OuterRef("pk"))),
                      started=Subquery(referrals.filter(started_at__isnull=False).order_by("started_at")
                                       .values("started_at")[:1]),
                      sent=Subquery(referrals.order_by("sent_at").values("sent_at")[:1]))
            .values("has_intake", "started", "sent", "intake_due").first()
        )  # fmt: skip
        if facts is None:
            return case
        if not facts["has_intake"]:
            next_due = facts["intake_due"]
        else:
            made = list(FollowUp.objects.filter(case_id=case.pk).values_list("basis", "months", "status", "due_on"))
            next_due = _next_due(made, facts["started"], facts["sent"], [int(m) for m in policy_value(FOLLOW_UP_MONTHS)])
    case.next_due = next_due
    values["next_due"] = next_due
    latest = (
        Measurement.objects.filter(resident_id=case.resident_id, superseded_by__isnull=True, total__isnull=False)
        .order_by("-recorded_at", "-pk").values("total", "category", "recorded_at").first()
        if score else None
    )  # fmt: skip
    if latest:
        case.last_score, case.last_category, case.last_measured_at = latest["total"], latest["category"], latest["recorded_at"]
        values.update(last_score=case.last_score, last_category=case.last_category, last_measured_at=case.last_measured_at)
    Case.objects.filter(pk=case.pk).update(**values)
    return case


def case_assign(*, case: Case, professional: Any, acting_user: Any, at: datetime | None = None) -> Case:
    """Give the case to a professional of the same team."""
    if professional.organisation_id != case.team_id:
        raise CaseError(_("Choose a colleague of your team."))
    at = at or timezone.now()
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(professional=professional)
        case.professional = professional
        FollowUp.objects.filter(case=case, status=FollowUp.Status.OPEN).update(assigned_to=professional)
        _event(case, "assigned", at, acting_user, detail=professional.get_username())
        events.record(action=Action.UPDATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(case, ("professional",))])  # fmt: skip
    return case


# Intake.


@dataclass
class TieData:
    name: str
    relation: str
    frequency: str
    wish: str = NetworkTie.Wish.SAME


@dataclass
class IntakeData:
    goals: str
    interests: str = ""
    can_offer: str = ""
    barriers: list[str] = field(default_factory=list)
    barrier_note: str = ""
    is_carer: bool = False
    other_problems: bool = False


def network_map_record(
    *, case: Case, ties: Iterable[TieData], context: str, acting_user: Any, follow_up: FollowUp | None = None,
    at: datetime | None = None,
) -> NetworkMap:  # fmt: skip
    """Append a network map (the people around the resident now); an earlier one stays for comparison."""
    at = at or timezone.now()
    ties = [tie for tie in ties if tie.name.strip()]
    for tie in ties:
        if tie.relation not in NetworkTie.Relation.values or tie.frequency not in NetworkTie.Frequency.values \
                or tie.wish not in NetworkTie.Wish.values:  # fmt: skip
            raise CaseError(_("Give each person in the network a relation, how often they meet and the wish."))
    _not_restricted(case)
    with transaction.atomic():
        network = NetworkMap.objects.create(case=case, context=context, follow_up=follow_up, recorded_at=at,
                                            recorded_by=acting_user)  # fmt: skip
        NetworkTie.objects.bulk_create(
            NetworkTie(network_map=network, name=tie.name.strip()[:100], relation=tie.relation,
                       frequency=tie.frequency, wish=tie.wish)
            for tie in ties
        )  # fmt: skip
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(case, ("network",), "network_map", network.pk)])  # fmt: skip
    return network


def intake_record(
    *, case: Case, data: IntakeData, ties: Iterable[TieData], acting_user: Any, measurement: Measurement | None = None,
    at: datetime | None = None,
) -> Intake:  # fmt: skip
    """Record the intake (once per case): goals, interests, offer, barriers, the network map; advice is next."""
    at = at or timezone.now()
    if not data.goals.strip():
        raise CaseError(_("Write down the resident's goals, in their own words."))
    unknown = set(data.barriers) - set(Barrier.values)
    if unknown:
        raise CaseError(_("Unknown barrier: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    if measurement is not None and measurement.resident_id != case.resident_id:
        raise CaseError(_("The measurement must be the resident's own."))
    _not_restricted(case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise CaseError(_("This case is closed."))
        if Intake.objects.filter(case=locked).exists():
            raise CaseError(_("The intake of this case has already been recorded."))
        intake = Intake.objects.create(
            case=locked, measurement=measurement, goals=data.goals.strip(), interests=data.interests.strip(),
            can_offer=data.can_offer.strip(), barriers=sorted(set(data.barriers)), barrier_note=data.barrier_note.strip(),
            is_carer=data.is_carer, other_problems=data.other_problems, recorded_at=at, recorded_by=acting_user,
        )  # fmt: skip
        network_map_record(case=locked, ties=ties, context=NetworkMap.Context.INTAKE, acting_user=acting_user, at=at)
        Case.objects.filter(pk=locked.pk).update(stage=Stage.ADVICE)
        locked.stage = Stage.ADVICE
        _event(locked, "intake", at, acting_user)
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(locked, ("goals", "interests", "can_offer", "barriers"), "intake", intake.pk)])  # fmt: skip
        case_refresh(locked)
    return intake


# Route advice.


def route_defaults_ensure(**kwargs: Any) -> None:
    """The default routes and a published version 1 of the rule table when no table exists at all.

    Migration 0003 loads them once; this puts them back after a database flush (a test's, as Django's
    post_migrate does for the role groups), so advice never finds an empty table. Idempotent.
    """
    from django.db import connection

    from omzien.casework.routes import DEFAULT_ROUTES, DEFAULT_RULES

    if RouteTable._meta.db_table not in connection.introspection.table_names() or RouteTable.objects.exists():
        return  # casework's tables not migrated (yet), or the table is there
    with transaction.atomic():
        routes = {
            code: Route.objects.get_or_create(code=code, defaults={"label": label, "kind": kind, "order": order})[0]
            for code, label, kind, order in DEFAULT_ROUTES
        }
        table = RouteTable.objects.create(version=1, note="Defaults (issue #19).", published_at=timezone.now())
        RouteRule.objects.bulk_create(
            RouteRule(table=table, route=routes[code], when=when, reason=reason, order=order)
            for code, when, reason, order in DEFAULT_RULES
        )


def route_table_current() -> RouteTable:
    """The published route rule table in force (the highest published version)."""
    table = RouteTable.objects.filter(published_at__isnull=False).order_by("-version").first()
    if table is None:
        raise CaseError(_("No route rule table has been published; ask an administrator."))
    return table


def route_table_next_version() -> int:
    """The version number a new rule table gets."""
    latest = RouteTable.objects.order_by("-version").values_list("version", flat=True).first()
    return (latest or 0) + 1


def route_table_copy(*, table: RouteTable) -> RouteTable:
    """A new draft version with the rules of ``table`` (to change in the admin, then publish)."""
    with transaction.atomic():
        draft = RouteTable.objects.create(version=route_table_next_version(),
                                          note=_("Copy of version %(version)s") % {"version": table.version})  # fmt: skip
        RouteRule.objects.bulk_create(
            RouteRule(table=draft, route_id=rule.route_id, when=rule.when, reason=rule.reason, order=rule.order)
            for rule in table.rules.all()
        )
    return draft


def route_table_publish(*, table: RouteTable, acting_user: Any, at: datetime | None = None) -> RouteTable:
    """Publish a draft: from now on the advice applies its rules (an empty table is refused)."""
    with transaction.atomic():
        locked = RouteTable.objects.select_for_update().get(pk=table.pk)
        if locked.is_published:
            raise CaseError(_("This version has already been published."))
        if not locked.rules.exists():
            raise CaseError(_("A table without rules cannot be published."))
        if RouteTable.objects.filter(published_at__isnull=False, version__gt=locked.version).exists():
            raise CaseError(_("A later version is already in force; make a new draft from it."))
        locked.published_at = at or timezone.now()
        locked.save(update_fields=["published_at"])
        events.record(action=Action.UPDATE, actor=_actor(acting_user), purpose="route_table",
                      subjects=[events.Subject(object_type="route_table", object_id=str(locked.version))])  # fmt: skip
    return locked


def _latest_measurement(resident: Resident) -> Measurement | None:
    return (
        Measurement.objects.filter(resident=resident, superseded_by__isnull=True, total__isnull=False)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def _facts(case: Case, measurement: Measurement | None) -> AdviceInput:
    intake = Intake.objects.filter(case=case).first()
    lonely_from = 3
    social = emotional = None
    category = ""
    if measurement is not None:
        lonely_from = int((measurement.scoring_rules or {}).get("subscale_lonely_from") or 3)
        social = measurement.social >= lonely_from if measurement.social is not None else None
        emotional = measurement.emotional >= lonely_from if measurement.emotional is not None else None
        category = measurement.category
    return AdviceInput(
        social_lonely=social, emotional_lonely=emotional, category=category,
        is_carer=bool(intake and intake.is_carer), other_problems=bool(intake and intake.other_problems),
        barriers=frozenset(intake.barriers if intake else ()),
    )  # fmt: skip


def route_advice_propose(case: Case) -> tuple[RouteTable, AdviceInput, list[Proposal], Measurement | None]:
    """Apply the rule table in force to the case: the table, the facts used, the proposals and the measurement."""
    table = route_table_current()
    measurement = _latest_measurement(case.resident)
    facts = _facts(case, measurement)
    rules = [Rule(route=rule.route.code, route_kind=rule.route.kind, when=rule.when, reason=rule.reason, order=rule.order)
             for rule in table.rules.select_related("route").filter(route__active=True)]  # fmt: skip
    return table, facts, advise(facts, rules), measurement


def route_advice_decide(
    *, case: Case, chosen: Sequence[str], acting_user: Any, note: str = "", at: datetime | None = None,
    proposal: tuple[RouteTable, AdviceInput, list[Proposal], Measurement | None] | None = None,
) -> RouteAdvice:  # fmt: skip
    """Store the proposal (recomputed now, or ``proposal`` just made by ``route_advice_propose`` in the same
    transaction) with the table version, and the professional's decision.

    Choosing a route that was not proposed asks for a note saying why.
    """
    at = at or timezone.now()
    table, facts, proposals, measurement = proposal or route_advice_propose(case)
    known = set(Route.objects.filter(active=True).values_list("code", flat=True))
    chosen = list(dict.fromkeys(chosen))
    if not chosen:
        raise CaseError(_("Choose at least one route."))
    if set(chosen) - known:
        raise CaseError(_("Choose routes from the list."))
    proposed = [proposal.route for proposal in proposals]
    if (set(chosen) - set(proposed)) and not note.strip():
        raise CaseError(_("You chose a route that was not proposed: say why in the note."))
    _not_restricted(case)
    with transaction.atomic():
        advice = RouteAdvice.objects.create(
            case=case, table=table, measurement=measurement,
            inputs={"social_lonely": facts.social_lonely, "emotional_lonely": facts.emotional_lonely,
                    "category": facts.category, "is_carer": facts.is_carer, "other_problems": facts.other_problems,
                    "barriers": sorted(facts.barriers)},
            proposed=[{"route": p.route, "reasons": p.reasons, "caveats": p.caveats} for p in proposals],
            chosen=chosen, note=note.strip(), decided_at=at, decided_by=acting_user,
        )  # fmt: skip
        _event(case, "advice", at, acting_user, detail=",".join(chosen))
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(case, ("route_advice",), "route_advice", advice.pk)])  # fmt: skip
    return advice


# Referrals.


def _consent_sharing(resident: Resident, organisation: Organisation, method: str, by: Any) -> ConsentEvent:
    return ConsentEvent.objects.create(resident=resident, purpose=ConsentPurpose.SHARING, organisation=organisation,
                                       given=True, method=method, recorded_by=by)  # fmt: skip


def _referral_event(referral: Referral, status: str, at: datetime, actor: Any, reason: str = "") -> None:
    ReferralEvent.objects.create(referral=referral, status=status, at=at, actor=actor, reason=reason)


def referral_send(
    *,
    case: Case,
    route: str,
    acting_user: Any,
    consent_method: str,
    target_organisation: Organisation | None = None,
    target_name: str = "",
    activity: Activity | None = None,
    shared: Sequence[str] = ("first_name", "last_name", "phone"),
    message: str = "",
    advice: RouteAdvice | None = None,
    at: datetime | None = None,
) -> Referral:
    """Refer the resident to a route, with only what they agreed to share; ``referral_sent`` goes on commit.

    A day activity registers the resident (or puts them on the waiting list) through the activities
    room: a place given counts as accepted. Other routes go to an organisation in Omzien (the
    resident's sharing consent and a referral link let it see what is shared, and answer) or to one
    outside by name (the professional records its answer). The team's own support starts at once.
    """
    at = at or timezone.now()
    route_row = Route.objects.filter(code=route, active=True).first()
    if route_row is None:
        raise CaseError(_("Choose a route from the list."))
    if not case.is_open:
        raise CaseError(_("This case is closed."))
    if not consent_method:
        raise CaseError(_("Say how the resident agreed to the referral and to what is shared."))
    shared = [name for name in SHAREABLE if name in set(shared)]
    kind = route_row.kind
    if kind in (Route.Kind.DAY_ACTIVITY, Route.Kind.DIRECTORY):
        if activity is None:
            raise CaseError(_("Choose the activity or service."))
        target_organisation = activity.organisation
    elif kind == Route.Kind.TEAM:
        target_organisation = case.team
    elif kind == Route.Kind.PERSON and target_organisation is None:
        raise CaseError(_("Choose the organisation that finds the volunteer or host."))
    elif kind == Route.Kind.ORGANISATION and target_organisation is None and not target_name.strip():
        raise CaseError(_("Choose an organisation, or type the name of one outside Omzien."))
    if target_organisation is not None and kind != Route.Kind.TEAM and not shared:
        raise CaseError(_("The organisation needs at least the resident's name: choose what may be shared."))
    _not_restricted(case)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        # Under the case's lock: the same referral sent twice (a double click, a form posted again) is one referral,
        # so the organisation never gets two requests for one resident and the volunteers room never opens two.
        same = Referral.objects.filter(
            case=case, route=route,
            status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED),
        )  # fmt: skip
        if activity is not None:
            same = same.filter(activity=activity)
        elif target_organisation is not None:
            same = same.filter(target_organisation=target_organisation)
        else:
            same = same.filter(target_organisation__isnull=True, target_name__iexact=target_name.strip()[:200])
        existing = same.order_by("sent_at", "pk").first()
        if existing is not None:
            raise ReferralOpenError(
                _("This referral was already sent on %(day)s and is still open (%(status)s): nothing new was sent.")
                % {"day": formats.date_format(timezone.localtime(existing.sent_at), "j F Y"),
                   "status": ReferralStatus(existing.status).label},
                existing,
            )  # fmt: skip
        referral = Referral(
            resident=case.resident, case=case, route=route, advice=advice, target_organisation=target_organisation,
            target_name="" if target_organisation else target_name.strip()[:200], activity=activity,
            message=message.strip(), shared=shared, sent_by=acting_user, sent_at=at,
            stuck_on=_working_days_after(at, int(policy_value(STUCK_DAYS))),
        )  # fmt: skip
        answered = False
        if kind == Route.Kind.DAY_ACTIVITY and activity is not None:
            from omzien.activities.services import RegistrationError, register

            try:
                outcome = register(activity=activity, resident=case.resident, acting_user=acting_user,
                                   actor=_actor(acting_user), via="professional", consent_method=consent_method)  # fmt: skip
            except RegistrationError as error:
                raise CaseError(str(error)) from error
            referral.registration, referral.waiting_entry = outcome.registration, outcome.waiting
            if outcome.registration is not None:
                referral.status, referral.answered_at, answered = ReferralStatus.ACCEPTED, at, True
        elif kind == Route.Kind.TEAM:
            referral.status, referral.answered_at, referral.started_at = ReferralStatus.STARTED, at, at
        elif target_organisation is not None:
            referral.consent = _consent_sharing(case.resident, target_organisation, consent_method, acting_user)
            referral.link = link_open(resident=case.resident, kind=ResidentLink.Kind.REFERRAL,
                                      organisation=target_organisation, source="casework.Referral")  # fmt: skip
        referral.save()
        _referral_event(referral, ReferralStatus.SENT, at, acting_user)
        if answered or referral.status == ReferralStatus.STARTED:
            _referral_event(referral, referral.status, at, acting_user)
        Case.objects.filter(pk=case.pk, stage__in=(Stage.INTAKE, Stage.ADVICE)).update(stage=Stage.REFERRED)
        if referral.status == ReferralStatus.STARTED:
            Case.objects.filter(pk=case.pk).update(stage=Stage.FOLLOW_UP)
        _event(case, "referral", at, acting_user, detail=route)
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=REFERRAL_PURPOSE,
                      subjects=[_case_subject(case, tuple(shared), "referral", referral.public_id)],
                      legal_basis=f"consent:{referral.consent_id}" if referral.consent_id else "")  # fmt: skip
        case_refresh(case, score=False)
        transaction.on_commit(lambda: referral_sent.send(sender=Referral, referral=referral))
    return referral


# Which status may follow which; declining and ending need a reason.
_NEXT: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.STARTED),
    ReferralStatus.ACCEPTED: (ReferralStatus.STARTED, ReferralStatus.DECLINED, ReferralStatus.ENDED),
    ReferralStatus.STARTED: (ReferralStatus.ENDED,),
    ReferralStatus.DECLINED: (),
    ReferralStatus.ENDED: (),
}


def referral_status_set(
    *, referral: Referral, status: str, reason: str = "", at: datetime | None = None, acting_user: Any = None
) -> Referral:
    """Move a referral on (accepted, declined with a reason, started, ended with a reason), as the receiving
    organisation answers. Declining or ending closes the organisation's link; starting makes the case's
    follow-ups count from the route's start (``omzien tick`` creates them when due)."""
    at = at or timezone.now()
    reason = reason.strip()
    if status not in ReferralStatus.values:
        raise CaseError(_("Unknown status."))
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status == status:
            return locked  # answering twice (two coordinators, a retried request) changes nothing
        if status not in _NEXT[locked.status]:
            raise CaseError(_("A referral that is %(now)s cannot become %(next)s.") % {
                "now": ReferralStatus(locked.status).label, "next": ReferralStatus(status).label})  # fmt: skip
        if status in (ReferralStatus.DECLINED, ReferralStatus.ENDED) and not reason:
            raise CaseError(_("Give the reason."))
        if locked.answered_at is None:
            locked.answered_at = at
        if status == ReferralStatus.STARTED:
            locked.started_at = at
        if status in (ReferralStatus.DECLINED, ReferralStatus.ENDED):
            locked.ended_at = at
            locked.reason = reason
            if locked.link_id:
                link_end(link=locked.link)  # type: ignore[arg-type]
        locked.status = status
        locked.save(update_fields=["status", "answered_at", "started_at", "ended_at", "reason"])
        _referral_event(locked, status, at, acting_user, reason)
        transaction.on_commit(lambda: referral_status_changed.send(sender=Referral, referral=locked, status=status,
                                                                   reason=reason))  # fmt: skip
        case = Case.objects.select_related("resident").get(pk=locked.case_id)
        if status == ReferralStatus.STARTED and case.stage != Stage.CLOSED:
            Case.objects.filter(pk=case.pk).update(stage=Stage.FOLLOW_UP)
        _event(case, f"referral_{status}", at, acting_user, detail=locked.route)
        events.record(action=Action.UPDATE, actor=_actor(acting_user), purpose=REFERRAL_PURPOSE,
                      subjects=[_case_subject(case, ("status",), "referral", locked.public_id)])  # fmt: skip
        if status in (ReferralStatus.STARTED, ReferralStatus.DECLINED):  # the schedule's anchor may move
            case_refresh(case, score=False)
    return locked


def referrals_sync_waiting(*, now: datetime | None = None) -> int:
    """Day-activity referrals whose waiting-list place was given: accepted (a job of ``omzien tick``)."""
    now = now or timezone.now()
    moved = 0
    waiting = Referral.objects.filter(status=ReferralStatus.SENT, waiting_entry__status="accepted").select_related("waiting_entry")
    for referral in waiting:
        referral_status_set(referral=referral, status=ReferralStatus.ACCEPTED, at=now)
        moved += 1
    return moved


# Follow-ups.


def follow_ups_create(*, now: datetime | None = None, case: Case | None = None) -> int:
    """Create the follow-ups that come due (a job of ``omzien tick``; safe to run again), and remind.

    Per open case one schedule: months after the first route started, or — while no route has started —
    after the first referral (residents still waiting are measured at the same intervals). A follow-up
    appears a number of days before it is due (policy) in the professional's worklist. ``case``: only
    that case's (the demo lays down history case by case).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = sorted(int(m) for m in policy_value(FOLLOW_UP_MONTHS))
    lead = timedelta(days=int(policy_value(FOLLOW_UP_LEAD_DAYS)))
    cases = (
        Case.objects.filter(closed_at__isnull=True, referrals__isnull=False, **({"pk": case.pk} if case else {}))
        # Only routes started by ``now`` count: a start recorded later (the demo lays history down with
        # explicit times) must not turn the waiting resident's earlier follow-ups into a route's.
        .annotate(first_start=Min("referrals__started_at", filter=Q(referrals__started_at__lte=now)),
                  first_sent=Min("referrals__sent_at"))
        .values("pk", "resident_id", "professional_id", "first_start", "first_sent")
    )
    existing = set(
        FollowUp.objects.filter(case__closed_at__isnull=True, **({"case_id": case.pk} if case else {}))
        .values_list("case_id", "basis", "months")
    )  # fmt: skip
    new: list[FollowUp] = []
    for row in cases:
        started = row["first_start"]
        basis, anchor = (FollowUp.Basis.ROUTE_STARTED, started) if started else (FollowUp.Basis.WAITING, row["first_sent"])
        anchor_day = timezone.localdate(anchor)
        for month in months:
            due = add_months(anchor_day, month)
            if due - lead > today or (row["pk"], basis, month) in existing:
                continue
            new.append(FollowUp(case_id=row["pk"], resident_id=row["resident_id"], basis=basis, months=month, due_on=due,
                                assigned_to_id=row["professional_id"], created_at=now))  # fmt: skip
    with transaction.atomic():
        FollowUp.objects.bulk_create(new, ignore_conflicts=True)
        for case_id in {follow_up.case_id for follow_up in new}:
            case_refresh(Case.objects.get(pk=case_id), score=False)
    if case is None:
        _remind(today, now)
    return len(new)


def _remind(today: date, now: datetime) -> None:
    """One e-mail per professional with follow-ups due and not yet reminded: a count, nothing personal."""
    due = FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_on__lte=today, reminded_at__isnull=True,
                                  assigned_to__isnull=False).select_related("assigned_to")  # fmt: skip
    by_user: dict[int, tuple[Any, int]] = {}
    for follow_up in due:
        user, count = by_user.get(follow_up.assigned_to_id, (follow_up.assigned_to, 0))  # type: ignore[arg-type]
        by_user[follow_up.assigned_to_id] = (user, count + 1)  # type: ignore[index]
    for user, count in by_user.values():
        if user.email:
            subject = _("Follow-ups due in Omzien")
            body = _("You have %(count)s follow-up measurement(s) due. See your worklist in Omzien.") % {"count": count}
            transaction.on_commit(partial(send_email.enqueue, to=[user.email], subject=subject, body=body))
    due.update(reminded_at=now)


def _follow_up_done(follow_up: FollowUp, measurement: Measurement, at: datetime) -> None:
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUp.Status.DONE, measurement=measurement, done_at=at)
    follow_up.status, follow_up.measurement, follow_up.done_at = FollowUp.Status.DONE, measurement, at
    case = Case.objects.select_related("resident").get(pk=follow_up.case_id)
    _event(case, "follow_up", at, None, detail=f"{follow_up.months}")
    case_refresh(case)


def follow_up_record(
    *, follow_up: FollowUp, measurement: Measurement, acting_user: Any, at: datetime | None = None
) -> FollowUp:
    """Mark a follow-up as measured with a measurement the professional took (in a conversation or by phone)."""
    at = at or timezone.now()
    if measurement.resident_id != follow_up.resident_id:
        raise CaseError(_("The measurement must be the resident's own."))
    _not_restricted(follow_up.case)
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status != FollowUp.Status.OPEN:
            raise CaseError(_("This follow-up has already been done."))
        FollowUpLink.objects.filter(follow_up=locked, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=at)
        _follow_up_done(locked, measurement, at)
    return locked


def follow_up_missed(*, follow_up: FollowUp, acting_user: Any, reason: str = "", at: datetime | None = None) -> FollowUp:
    """Mark a follow-up as not measured (the resident could not be reached or did not want to answer)."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status != FollowUp.Status.OPEN:
            raise CaseError(_("This follow-up has already been done."))
        FollowUp.objects.filter(pk=locked.pk).update(status=FollowUp.Status.MISSED, done_at=at)
        FollowUpLink.objects.filter(follow_up=locked, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=at)
        locked.status, locked.done_at = FollowUp.Status.MISSED, at
        case = Case.objects.select_related("resident").get(pk=locked.case_id)
        _event(case, "follow_up_missed", at, acting_user, detail=reason[:200])
        case_refresh(case, score=False)
    return locked


def follow_up_link_create(*, follow_up: FollowUp, acting_user: Any, at: datetime | None = None) -> str:
    """Make a personal link for the resident to answer this follow-up without an account; return its token.

    The token is a random nonce signed with the site's key (Django's signer): single use, expiring after
    the policy's days; a new link replaces the earlier ones.
    """
    at = at or timezone.now()
    if follow_up.status != FollowUp.Status.OPEN:
        raise CaseError(_("This follow-up has already been done."))
    _not_restricted(follow_up.case)
    nonce = secrets.token_urlsafe(24)
    with transaction.atomic():
        FollowUpLink.objects.filter(follow_up=follow_up, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=at)
        FollowUpLink.objects.create(follow_up=follow_up, nonce=nonce, created_at=at,
                                    expires_at=at + timedelta(days=int(policy_value(LINK_DAYS))))  # fmt: skip
        case = Case.objects.select_related("resident").get(pk=follow_up.case_id)
        _event(case, "follow_up_link", at, acting_user)
        events.record(action=Action.CREATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(case, ("follow_up_link",), "follow_up", follow_up.public_id)])  # fmt: skip
    return signing.Signer(salt=LINK_SALT).sign(nonce)


class LinkError(Exception):
    """Why a personal link cannot be used: ``kind`` is "invalid", "used", "replaced", "expired" or "done"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def follow_up_link_check(token: str, *, now: datetime | None = None, for_update: bool = False) -> FollowUpLink:
    """Return the link a token names if it can still be used; raise ``LinkError`` saying why not."""
    now = now or timezone.now()
    try:
        nonce = signing.Signer(salt=LINK_SALT).unsign(token)
    except signing.BadSignature as error:
        raise LinkError("invalid") from error
    links = FollowUpLink.objects.select_related("follow_up")
    link = (links.select_for_update(of=("self",)) if for_update else links).filter(nonce=nonce).first()
    if link is None:
        raise LinkError("invalid")
    state = link.state(now)
    if state != "valid":
        raise LinkError(state)
    if link.follow_up.status != FollowUp.Status.OPEN:
        raise LinkError("done")
    return link


def follow_up_answer(
    *, token: str, answers: list[int], client_ip: str | None = None, now: datetime | None = None
) -> FollowUp:
    """The resident's answers through their personal link: a follow-up measurement in their history.

    The link is used up in the same transaction (a second submit finds it used). Recorded as filled in by
    the resident, administered on behalf of the professional who owns the follow-up.
    """
    from omzien.wellbeing.services import measurement_record

    now = now or timezone.now()
    with transaction.atomic():
        link = follow_up_link_check(token, now=now, for_update=True)
        follow_up = FollowUp.objects.select_related("case__resident", "case__professional", "assigned_to").get(
            pk=link.follow_up_id
        )
        owner = follow_up.assigned_to or follow_up.case.professional
        if owner is None:
            raise LinkError("invalid")
        actor = events.Actor(display="resident-link", role="resident", client_ip=client_ip, channel="link")
        measurement = measurement_record(
            actor=actor, acting_user=owner, resident=follow_up.case.resident, instrument_code="djg11", answers=answers,
            context=Measurement.Context.FOLLOW_UP, mode=Measurement.Mode.SELF,
        )  # fmt: skip
        FollowUpLink.objects.filter(pk=link.pk).update(used_at=now)
        _follow_up_done(follow_up, measurement, now)
    return follow_up


# The Wmo request and closing.


def wmo_melding_record(*, case: Case, on: date, acting_user: Any, at: datetime | None = None) -> Case:
    """Record the date of the resident's request for a Wmo provision (its six-week term runs from it)."""
    at = at or timezone.now()
    if on > timezone.localdate(at):
        raise CaseError(_("The date of the request cannot be in the future."))
    _not_restricted(case)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(wmo_melding_on=on)
        case.wmo_melding_on = on
        _event(case, "wmo_melding", at, acting_user, detail=on.isoformat())
        events.record(action=Action.UPDATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(case, ("wmo_melding_on",))])  # fmt: skip
    return case


def case_close(*, case: Case, reason: str, acting_user: Any, note: str = "", at: datetime | None = None) -> Case:
    """Close the case with a reason: its case link ends, open follow-ups are marked as not measured.

    Referrals keep running at their organisations (a route that runs well is a reason to close).
    """
    at = at or timezone.now()
    if reason not in CloseReason.values:
        raise CaseError(_("Choose the reason for closing."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("resident").get(pk=case.pk)
        if not locked.is_open:
            raise CaseError(_("This case is already closed."))
        locked.closed_at, locked.close_reason, locked.close_note = at, reason, note.strip()
        locked.stage, locked.next_due = Stage.CLOSED, None
        locked.save(update_fields=["closed_at", "close_reason", "close_note", "stage", "next_due"])
        FollowUp.objects.filter(case=locked, status=FollowUp.Status.OPEN).update(status=FollowUp.Status.MISSED)
        if locked.link_id and not Case.objects.filter(link_id=locked.link_id, closed_at__isnull=True).exists():
            link_end(link=locked.link)  # type: ignore[arg-type]
        _event(locked, "closed", at, acting_user, detail=reason)
        events.record(action=Action.UPDATE, actor=_actor(acting_user), purpose=CASE_PURPOSE,
                      subjects=[_case_subject(locked, ("closed_at", "close_reason"))])  # fmt: skip
    return locked



# Retention.


def cases_expire(now: datetime, dry_run: bool) -> int:
    """Remove closed cases once the retention period (policy) has passed since closing and since the end of
    every referral of the case — a route that still runs keeps its case. The case goes with everything
    that hangs on it (intake, network maps, advice, referrals with their history, follow-ups and their
    links) and the signals that led to it. Returns how many cases expire (``dry_run``: counted only)."""
    from omzien.casework.models import Outcome, Signal

    cutoff = now - policy_value(CASE_RETENTION)
    running = Referral.objects.filter(case_id=OuterRef("pk")).filter(
        Q(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED)) | Q(ended_at__gte=cutoff)
    )  # fmt: skip
    expired = Case.objects.filter(closed_at__lt=cutoff).exclude(Exists(running))
    count = expired.count()
    if dry_run or not count:
        return count
    with transaction.atomic():
        for case in expired.only("pk", "resident_id", "team_id", "closed_at", "signal_id"):
            signals = Signal.objects.filter(Q(pk=case.signal_id) | Q(
                resident_id=case.resident_id, team_id=case.team_id, outcome__in=(Outcome.NEW_CASE, Outcome.ADDED_TO_CASE),
                decided_at__lte=case.closed_at,
            ))  # fmt: skip
            case.delete()
            signals.filter(cases__isnull=True).delete()  # not while another case of the resident points at it
    return count
