# SPDX-License-Identifier: EUPL-1.2
"""Reads of the volunteer centre: VOG ages and eligibility, the coordinator's overview, the public
vacancy search, trainings open for registration, and the counts in the menu.

``volunteers_eligible_for_home_visits`` is the one rule for who may be proposed for home visits
(the pairs room asks it): an active intake at the organisation and a checked VOG no older than the
organisation's maximum age.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.geo.distance import km_between
from omzien.volunteers.models import (
    Carer,
    Intake,
    OrganisationPolicy,
    RespiteRequest,
    Training,
    TrainingRegistration,
    TrainingSession,
    Vacancy,
    VogRecord,
    Volunteer,
)
from omzien.volunteers.policies import VOG_MAX_AGE, VOG_REMINDER, policy_value


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class VogRules:
    max_age_months: int
    reminder_days: int


def vog_rules(organisation_id: int | None) -> VogRules:
    """The organisation's VOG rules: its own where it set them, else the municipal policy."""
    own = OrganisationPolicy.objects.filter(organisation_id=organisation_id).first() if organisation_id else None
    return VogRules(
        max_age_months=own.vog_max_age_months if own and own.vog_max_age_months is not None else int(policy_value(VOG_MAX_AGE)),
        reminder_days=own.vog_reminder_days if own and own.vog_reminder_days is not None else int(policy_value(VOG_REMINDER)),
    )  # fmt: skip


def _rules_by_organisation() -> tuple[VogRules, dict[int, VogRules]]:
    default = vog_rules(None)
    own = {
        policy.organisation_id: VogRules(
            policy.vog_max_age_months if policy.vog_max_age_months is not None else default.max_age_months,
            policy.vog_reminder_days if policy.vog_reminder_days is not None else default.reminder_days,
        )
        for policy in OrganisationPolicy.objects.all()
    }
    return default, own


def _issued_since(on: date, *, with_reminder: bool = False) -> Q:
    """VOGs young enough on ``on`` (or, ``with_reminder``, still outside their reminder period then)."""
    default, own = _rules_by_organisation()

    def oldest(rules: VogRules) -> date:
        lead = timedelta(days=rules.reminder_days if with_reminder else 0)
        return add_months(on + lead, -rules.max_age_months)

    condition = ~Q(organisation_id__in=list(own)) & Q(issued_on__gt=oldest(default))
    for organisation_id, rules in own.items():
        condition |= Q(organisation_id=organisation_id, issued_on__gt=oldest(rules))
    return condition


def valid_vogs(on: date | None = None) -> QuerySet[VogRecord]:
    """Checked VOGs that are not older than their organisation's maximum age on the given day."""
    on = on or timezone.localdate()
    return VogRecord.objects.filter(issued_on__isnull=False, issued_on__lte=on).filter(_issued_since(on))


def volunteers_eligible_for_home_visits(organisation: Organisation | int, on: date | None = None) -> QuerySet[Volunteer]:
    """The volunteers the organisation may propose for home visits: active there, with a VOG young enough."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    vogs = valid_vogs(on).filter(organisation_id=organisation_id, volunteer=OuterRef("pk"))
    return Volunteer.objects.filter(
        Exists(Intake.objects.filter(volunteer=OuterRef("pk"), organisation_id=organisation_id, stage=Intake.Stage.ACTIVE)),
        Exists(vogs),
    )  # fmt: skip


@dataclass(frozen=True)
class VogStatus:
    """A volunteer's VOG at one organisation, as the coordinator and the volunteer see it."""

    vog: VogRecord | None
    due_on: date | None
    valid: bool
    pending: bool


def vog_status(volunteer: Volunteer, organisation_id: int, on: date | None = None) -> VogStatus:
    """The volunteer's newest checked VOG at the organisation, when it is due, and whether one is pending."""
    on = on or timezone.localdate()
    vogs = list(volunteer.vogs.filter(organisation_id=organisation_id).select_related("checked_by"))
    checked = max((v for v in vogs if v.issued_on), key=lambda v: v.issued_on, default=None)  # type: ignore[arg-type,return-value]
    pending = any(v.issued_on is None for v in vogs)
    if checked is None or checked.issued_on is None:
        return VogStatus(None, None, False, pending)
    due = add_months(checked.issued_on, vog_rules(organisation_id).max_age_months)
    return VogStatus(checked, due, checked.issued_on <= on < due, pending)


@dataclass(frozen=True)
class DueVog:
    vog: VogRecord
    due_on: date


def vogs_due(
    *, on: date, organisation_id: int | None = None, within_reminder: bool = True, unreminded: bool = False
) -> list[DueVog]:
    """Newest checked VOGs of current volunteers that are due within the reminder period (or overdue)."""
    newer = VogRecord.objects.filter(
        volunteer=OuterRef("volunteer"), organisation=OuterRef("organisation"), issued_on__gt=OuterRef("issued_on")
    )
    current = Intake.objects.filter(
        volunteer=OuterRef("volunteer"), organisation=OuterRef("organisation"), stage__in=Intake.CURRENT
    )
    vogs = (
        VogRecord.objects.filter(issued_on__isnull=False)
        .filter(Exists(current))
        .exclude(Exists(newer))
        .exclude(_issued_since(on, with_reminder=within_reminder))
        .select_related("volunteer", "organisation")
    )
    if organisation_id is not None:
        vogs = vogs.filter(organisation_id=organisation_id)
    if unreminded:
        vogs = vogs.filter(reminder_sent_at__isnull=True)
    default, own = _rules_by_organisation()
    due = [
        DueVog(vog, add_months(vog.issued_on, own.get(vog.organisation_id, default).max_age_months))  # type: ignore[arg-type]
        for vog in vogs
    ]
    return sorted(due, key=lambda item: (item.due_on, item.vog.pk))


# --- Coordinator's pages ---------------------------------------------------------------------------


def volunteer_list(
    visible: QuerySet[Volunteer], *, organisation_id: int, stage: str = "", text: str = "", vacancy_id: int | None = None,
    page: int = 1, per_page: int = 25,
) -> Page[Any]:
    """One page of the organisation's volunteers with their intake there, newest sign-ups first."""
    intakes = (
        Intake.objects.filter(organisation_id=organisation_id, volunteer__in=visible)
        .select_related("volunteer", "vacancy")
    )
    if vacancy_id is not None:
        intakes = intakes.filter(vacancy_id=vacancy_id)
    if stage:
        intakes = intakes.filter(stage=stage)
    for word in text.split()[:4]:
        intakes = intakes.filter(
            Q(volunteer__first_name__icontains=word) | Q(volunteer__last_name__icontains=word)
            | Q(volunteer__email__icontains=word)
        )  # fmt: skip
    return Paginator(intakes.order_by("-started_at", "-pk"), per_page).get_page(page)


@dataclass
class Overview:
    """Part 1 of the coordinator's overview: one organisation's volunteer work at a glance."""

    stages: list[tuple[str, Any, int]]
    vogs_due: list[DueVog]
    active_without_vog: int
    sessions: list[TrainingSession]
    vacancies: list[Any]
    responses_open: int
    respite_open: int
    carers: int
    vog_rules: VogRules = field(default_factory=lambda: VogRules(36, 42))


def overview(organisation: Organisation, *, now: datetime | None = None) -> Overview:
    """The counts and short lists of the coordinator's overview, for their own organisation only."""
    now = now or timezone.now()
    counts = dict(
        Intake.objects.filter(organisation=organisation).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    stages = [(value, label, counts.get(value, 0)) for value, label in Intake.Stage.choices]
    valid = valid_vogs(timezone.localdate(now)).filter(organisation=organisation, volunteer=OuterRef("volunteer"))
    active_without = Intake.objects.filter(organisation=organisation, stage=Intake.Stage.ACTIVE).exclude(Exists(valid)).count()
    sessions = list(
        TrainingSession.objects.filter(training__organisation=organisation, starts_at__gte=now)
        .select_related("training")
        .order_by("starts_at")[:8]
    )
    vacancies = list(
        Vacancy.objects.filter(organisation=organisation, is_published=True)
        .annotate(response_count=Count("responses"), open_count=Count("responses", filter=Q(responses__stage=Intake.Stage.REGISTERED)))
        .order_by("-created_at")[:10]
    )  # fmt: skip
    return Overview(
        stages=stages,
        vogs_due=vogs_due(on=timezone.localdate(now), organisation_id=organisation.pk),
        active_without_vog=active_without,
        sessions=sessions,
        vacancies=vacancies,
        responses_open=Intake.objects.filter(organisation=organisation, via=Intake.Via.VACANCY, stage=Intake.Stage.REGISTERED).count(),
        respite_open=RespiteRequest.objects.filter(carer__organisation=organisation, status=RespiteRequest.Status.OPEN).count(),
        carers=Carer.objects.filter(organisation=organisation).count(),
        vog_rules=vog_rules(organisation.pk),
    )  # fmt: skip


def new_signups_count(user: Any) -> int:
    """The menu's count: sign-ups at the coordinator's organisation waiting for a first contact."""
    if not user.has_perm("volunteers.hold_intake") or user.organisation_id is None:
        return 0
    return Intake.objects.filter(organisation_id=user.organisation_id, stage=Intake.Stage.REGISTERED).count()


def respite_open_count(user: Any) -> int:
    if not user.has_perm("volunteers.view_carer") or user.organisation_id is None:
        return 0
    return RespiteRequest.objects.filter(carer__organisation_id=user.organisation_id, status=RespiteRequest.Status.OPEN).count()


# --- Public ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyQuery:
    text: str = ""
    work_kind: str = ""
    district_code: str = ""
    language: str = ""
    point: tuple[float, float] | None = None
    radius_km: float | None = None


@dataclass
class VacancyHit:
    vacancy: Vacancy
    km: float | None


def vacancy_search(query: VacancyQuery, *, page: int = 1, per_page: int = 20) -> Page[Any]:
    """Published vacancies matching the query; nearest first when a place is given, else newest."""
    vacancies = Vacancy.objects.filter(is_published=True).select_related("organisation", "district")
    if query.work_kind:
        vacancies = vacancies.filter(work_kind=query.work_kind)
    if query.district_code:
        vacancies = vacancies.filter(Q(district__code=query.district_code) | Q(district__isnull=True))
    for word in query.text.split()[:6]:
        vacancies = vacancies.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(organisation__name__icontains=word)
        )
    hits = [VacancyHit(v, None) for v in vacancies]
    if query.language:
        hits = [h for h in hits if not h.vacancy.languages or query.language in h.vacancy.languages]
    if query.point is not None:
        lat, lon = query.point
        for hit in hits:
            if hit.vacancy.lat is not None and hit.vacancy.lon is not None:
                hit.km = km_between(lat, lon, hit.vacancy.lat, hit.vacancy.lon)
        radius = query.radius_km or 5.0
        # A vacancy for the whole city (no place) is always within reach.
        hits = [h for h in hits if h.km is None or h.km <= radius]
        hits.sort(key=lambda h: (h.km is None, h.km or 0.0))
    return Paginator(hits, per_page).get_page(page)


def vacancy_public(public_id: Any) -> Vacancy | None:
    return Vacancy.objects.select_related("organisation", "district").filter(public_id=public_id, is_published=True).first()


def volunteer_organisations() -> QuerySet[Organisation]:
    """The organisations a volunteer can sign up with."""
    kinds = (Organisation.Kind.VOLUNTEER_ORGANISATION, Organisation.Kind.WELFARE_ORGANISATION)
    return Organisation.objects.filter(kind__in=kinds).exclude(name__icontains="Mantelzorg")


def carer_support_point() -> Organisation | None:
    """The carer support point carers register with (Steunpunt Mantelzorg)."""
    return Organisation.objects.filter(name__icontains="Mantelzorg").order_by("pk").first()


def sessions_open(now: datetime | None = None) -> QuerySet[TrainingSession]:
    """Upcoming sessions of published trainings, soonest first."""
    return (
        TrainingSession.objects.filter(starts_at__gt=now or timezone.now(), training__is_published=True)
        .select_related("training__organisation")
        .order_by("starts_at", "pk")
    )


def trainings_with_sessions(now: datetime | None = None) -> list[tuple[Training, list[TrainingSession]]]:
    by_training: dict[int, tuple[Training, list[TrainingSession]]] = {}
    for session in sessions_open(now)[:200]:
        by_training.setdefault(session.training_id, (session.training, []))[1].append(session)
    return sorted(by_training.values(), key=lambda item: item[0].title)


def volunteer_trainings(volunteer: Volunteer) -> list[TrainingRegistration]:
    return list(
        volunteer.training_registrations.filter(status=TrainingRegistration.Status.ACTIVE)
        .select_related("session__training__organisation")
        .order_by("-session__starts_at")
    )


def postcode_point(code: str) -> tuple[float, float] | None:
    """Where a postcode lies (PC6, else its PC4), for the vacancy search's distance."""
    from omzien.geo.selectors import postcode_get

    known = postcode_get(code)
    if known is None or known.lat is None or known.lon is None:
        return None
    return (known.lat, known.lon)


def own_volunteer(user: Any) -> Volunteer | None:
    """The logged-in person's volunteer profile, without logging (only to know what to offer them)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user_id=user.pk).first()


def vacancies_with_responses(vacancies: QuerySet[Vacancy]) -> list[Any]:
    """The organisation's vacancies with the number of responses, and those still waiting for contact."""
    return list(
        vacancies.annotate(
            response_count=Count("responses"),
            open_count=Count("responses", filter=Q(responses__stage=Intake.Stage.REGISTERED)),
        ).order_by("-is_published", "-created_at")
    )


def trainings_for_organisation(organisation: Organisation) -> list[tuple[Training, list[TrainingSession]]]:
    """The organisation's trainings with their sessions (newest first), for the coordinator."""
    trainings = list(Training.objects.filter(organisation=organisation).order_by("title"))
    sessions: dict[int, list[TrainingSession]] = {}
    for session in (
        TrainingSession.objects.filter(training__organisation=organisation)
        .annotate(attended_count=Count("registrations", filter=Q(registrations__attended=True)))
        .order_by("-starts_at")
    ):
        sessions.setdefault(session.training_id, []).append(session)
    return [(training, sessions.get(training.pk, [])) for training in trainings]


def open_respite_by_carer(carer_ids: list[int]) -> dict[int, int]:
    """How many open requests for respite each of these carers has."""
    return dict(
        RespiteRequest.objects.filter(carer_id__in=carer_ids, status=RespiteRequest.Status.OPEN)
        .values_list("carer_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
