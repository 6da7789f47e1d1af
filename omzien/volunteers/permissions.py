# SPDX-License-Identifier: EUPL-1.2
"""Whose volunteer, carer, training and vacancy records a user may reach.

A coordinator sees the volunteers who have an intake at their own organisation and no others; the
carers registered with their own organisation; the trainings and vacancies their organisation runs.
A volunteer sees their own profile. Every access function answers 404 alike for "missing" and "not
yours", logs the refusal, and logs every read of a person's record (``events.record_viewed``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from omzien.audit import events
from omzien.audit.models import Action
from omzien.volunteers.models import (
    Carer,
    Training,
    TrainingRegistration,
    TrainingSession,
    Vacancy,
    Volunteer,
)

PURPOSE_VOLUNTEERS = "volunteer_coordination"
PURPOSE_CARERS = "carer_support"
# The fields a coordinator's volunteer page shows (names only go into the log).
VOLUNTEER_FIELDS = (
    "first_name", "last_name", "email", "phone", "date_of_birth", "postcode", "work_kinds", "availability",
    "languages", "interests", "max_travel_km", "gender", "gender_preference", "guests_per_meal", "diets",
    "motivation", "intakes", "references", "vogs", "extra_support_note",
)  # fmt: skip
CARER_FIELDS = (
    "first_name", "last_name", "email", "phone", "postcode", "cares_for", "care_description", "hours_per_week",
    "burden", "respite_requests",
)  # fmt: skip


def _organisation_id(user: Any, permission: str) -> int | None:
    """The user's organisation, when they hold the permission and work at one."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not user.has_perm(permission):
        return None
    return user.organisation_id  # type: ignore[no-any-return]


def volunteer_subject(volunteer: Volunteer, fields: Sequence[str] = ()) -> events.Subject:
    """The log's subject for a volunteer: their pseudonymous id, never their name."""
    return events.Subject(
        resident_pseudo_id=volunteer.pseudo_id, object_type="volunteer", object_id=str(volunteer.public_id),
        fields=fields,
    )  # fmt: skip


def carer_subject(carer: Carer, fields: Sequence[str] = ()) -> events.Subject:
    return events.Subject(
        resident_pseudo_id=carer.pseudo_id, object_type="carer", object_id=str(carer.public_id), fields=fields
    )


def volunteers_visible_to(user: Any) -> QuerySet[Volunteer]:
    """The volunteers the user may see: for a coordinator, those with an intake at their organisation."""
    organisation_id = _organisation_id(user, "volunteers.hold_intake")
    if organisation_id is None:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(intakes__organisation_id=organisation_id).distinct()


def get_volunteer_for_user(
    user: Any, public_id: uuid.UUID, *, actor: events.Actor, fields: Sequence[str] = VOLUNTEER_FIELDS
) -> Volunteer:
    """Return the volunteer if the user may see them, logging the read; 404 (logged) otherwise."""
    volunteer = volunteers_visible_to(user).filter(public_id=public_id).first()
    if volunteer is None:
        known = Volunteer.objects.filter(public_id=public_id).first()
        events.record_denied(
            action=Action.READ, actor=actor, purpose=PURPOSE_VOLUNTEERS,
            subject=volunteer_subject(known) if known else events.Subject(object_type="volunteer", object_id=str(public_id)),
        )  # fmt: skip
        raise Http404("No such volunteer.")
    events.record_viewed(actor=actor, subject=volunteer_subject(volunteer, fields), purpose=PURPOSE_VOLUNTEERS)
    return volunteer


def get_own_volunteer_for_user(user: Any, *, actor: events.Actor) -> Volunteer:
    """Return the logged-in person's own volunteer profile (404 without one); the read is logged."""
    volunteer = Volunteer.objects.filter(user_id=getattr(user, "pk", None) or 0).first() if user.is_authenticated else None
    if volunteer is None:
        raise Http404("No volunteer profile.")
    events.record_viewed(actor=actor, subject=volunteer_subject(volunteer, VOLUNTEER_FIELDS[:-1]), purpose="own_record")
    return volunteer


def carers_visible_to(user: Any) -> QuerySet[Carer]:
    """The carers the user may see: for carer-support staff, those registered with their organisation."""
    organisation_id = _organisation_id(user, "volunteers.view_carer")
    if organisation_id is None:
        return Carer.objects.none()
    return Carer.objects.filter(organisation_id=organisation_id)


def get_carer_for_user(user: Any, public_id: uuid.UUID, *, actor: events.Actor) -> Carer:
    """Return the carer if the user may see them, logging the read; 404 (logged) otherwise."""
    carer = carers_visible_to(user).filter(public_id=public_id).first()
    if carer is None:
        known = Carer.objects.filter(public_id=public_id).first()
        events.record_denied(
            action=Action.READ, actor=actor, purpose=PURPOSE_CARERS,
            subject=carer_subject(known) if known else events.Subject(object_type="carer", object_id=str(public_id)),
        )  # fmt: skip
        raise Http404("No such carer.")
    events.record_viewed(actor=actor, subject=carer_subject(carer, CARER_FIELDS), purpose=PURPOSE_CARERS)
    return carer


def vacancies_managed_by(user: Any) -> QuerySet[Vacancy]:
    organisation_id = _organisation_id(user, "volunteers.hold_intake")
    if organisation_id is None:
        return Vacancy.objects.none()
    return Vacancy.objects.filter(organisation_id=organisation_id)


def get_vacancy_for_user(user: Any, public_id: uuid.UUID) -> Vacancy:
    """Return a vacancy of the user's organisation (404 otherwise)."""
    vacancy = vacancies_managed_by(user).filter(public_id=public_id).first()
    if vacancy is None:
        raise Http404("No such vacancy.")
    return vacancy


def trainings_managed_by(user: Any) -> QuerySet[Training]:
    organisation_id = _organisation_id(user, "volunteers.manage_trainings")
    if organisation_id is None:
        return Training.objects.none()
    return Training.objects.filter(organisation_id=organisation_id)


def get_session_for_user(user: Any, public_id: uuid.UUID) -> TrainingSession:
    """Return a training session of the user's organisation (404 otherwise)."""
    session = (
        TrainingSession.objects.select_related("training")
        .filter(public_id=public_id, training__in=trainings_managed_by(user))
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def get_training_registration_for_user(volunteer: Volunteer, public_id: uuid.UUID, *, actor: events.Actor) -> TrainingRegistration:
    """Return one of the volunteer's own training registrations (404, logged, for anyone else's)."""
    registration = (
        TrainingRegistration.objects.select_related("session__training__organisation", "volunteer")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None or registration.volunteer_id != volunteer.pk:
        events.record_denied(
            action=Action.READ, actor=actor, purpose="training",
            subject=events.Subject(object_type="trainingregistration", object_id=str(public_id)),
        )  # fmt: skip
        raise Http404("No such registration.")
    return registration


def volunteers_listed(*, actor: events.Actor, volunteers: Sequence[Volunteer], fields: Sequence[str], purpose: str = PURPOSE_VOLUNTEERS) -> None:
    """Log that these volunteers' fields were shown in a list (one entry each)."""
    events.record_listed(actor=actor, shown=volunteers, fields=fields, purpose=purpose, object_type="volunteer")


def carers_listed(*, actor: events.Actor, carers: Sequence[Carer], fields: Sequence[str]) -> None:
    """Log that these carers' fields were shown in a list (one entry each)."""
    events.record_listed(actor=actor, shown=carers, fields=fields, purpose=PURPOSE_CARERS, object_type="carer")


def volunteer_page_for_user(user: Any, *, actor: events.Actor, stage: str = "", text: str = "", vacancy_id: int | None = None,
                            page: int = 1) -> Any:  # fmt: skip
    """One page of the coordinator's own organisation's volunteers; every name shown is logged."""
    from omzien.volunteers.selectors import volunteer_list

    organisation_id = _organisation_id(user, "volunteers.hold_intake")
    if organisation_id is None:
        raise Http404("No organisation.")
    result = volunteer_list(volunteers_visible_to(user), organisation_id=organisation_id, stage=stage, text=text,
                            vacancy_id=vacancy_id, page=page)  # fmt: skip
    volunteers_listed(actor=actor, volunteers=[intake.volunteer for intake in result], fields=("first_name", "last_name", "email"))
    return result


def carer_page_for_user(user: Any, *, actor: events.Actor, page: int = 1) -> Any:
    """One page of the carers registered with the user's organisation; every carer shown is logged."""
    from django.core.paginator import Paginator

    result = Paginator(carers_visible_to(user).select_related("neighbourhood"), 25).get_page(page)
    carers_listed(actor=actor, carers=list(result), fields=("first_name", "last_name", "cares_for", "hours_per_week", "burden"))
    return result


def session_registrations_for_user(user: Any, session: TrainingSession, *, actor: events.Actor) -> list[TrainingRegistration]:
    """The active registrations of a session the user's organisation runs, names logged (purpose: training)."""
    get_session_for_user(user, session.public_id)
    registrations = list(
        session.registrations.filter(status=TrainingRegistration.Status.ACTIVE).select_related("volunteer").order_by(
            "volunteer__last_name", "volunteer__first_name", "pk")
    )  # fmt: skip
    volunteers_listed(actor=actor, volunteers=[r.volunteer for r in registrations], fields=("first_name", "last_name"),
                      purpose="training")  # fmt: skip
    return registrations


# --- Matches between people (issue #21) ----------------------------------------------------------------

PURPOSE_PAIRS = "volunteer_matching"
# What a coordinator's request and pair pages show of the person asked for.
REQUEST_FIELDS = ("first_name", "last_name", "phone", "postcode", "languages", "interests", "keep_in_mind")
# What a match shares with the volunteer or host, once both said yes; before, only where and what.
MATCH_SHARED = ("first_name", "neighbourhood", "phone", "languages", "keep_in_mind")
MATCH_ASKED = ("neighbourhood", "languages", "keep_in_mind")


def _request_subject(request: Any, fields: Sequence[str]) -> events.Subject:
    from omzien.volunteers.services.pairs import request_subject

    return request_subject(request, tuple(fields))


def match_requests_visible_to(user: Any) -> QuerySet[Any]:
    """The requests for a person the user may see: a coordinator's own organisation's."""
    from omzien.volunteers.models import MatchRequest

    organisation_id = _organisation_id(user, "volunteers.hold_intake")
    if organisation_id is None:
        return MatchRequest.objects.none()
    return MatchRequest.objects.filter(organisation_id=organisation_id)


def get_match_request_for_user(user: Any, public_id: uuid.UUID, *, actor: events.Actor) -> Any:
    """Return the request if it is at the coordinator's organisation, logging the read; 404 (logged) otherwise."""
    from omzien.volunteers.models import MatchRequest

    request = (
        match_requests_visible_to(user).select_related("resident", "respite_request__carer", "neighbourhood", "organisation")
        .filter(public_id=public_id).first()
    )  # fmt: skip
    if request is None:
        known = MatchRequest.objects.select_related("resident", "respite_request__carer").filter(public_id=public_id).first()
        events.record_denied(
            action=Action.READ, actor=actor, purpose=PURPOSE_PAIRS,
            subject=_request_subject(known, ()) if known else events.Subject(object_type="matchrequest", object_id=str(public_id)),
        )  # fmt: skip
        raise Http404("No such request.")
    events.record_viewed(actor=actor, subject=_request_subject(request, REQUEST_FIELDS), purpose=PURPOSE_PAIRS)
    return request


def get_proposal_for_user(user: Any, public_id: uuid.UUID, *, actor: events.Actor) -> Any:
    """Return a proposal for one of the coordinator's organisation's requests (404, logged, otherwise)."""
    from omzien.volunteers.models import Proposal

    proposal = (
        Proposal.objects.select_related("request__resident", "request__respite_request__carer", "volunteer")
        .filter(public_id=public_id, request__in=match_requests_visible_to(user)).first()
    )  # fmt: skip
    if proposal is None:
        events.record_denied(action=Action.READ, actor=actor, purpose=PURPOSE_PAIRS,
                             subject=events.Subject(object_type="proposal", object_id=str(public_id)))  # fmt: skip
        raise Http404("No such proposal.")
    events.record_viewed(actor=actor, subject=_request_subject(proposal.request, ("first_name", "last_name")), purpose=PURPOSE_PAIRS)
    return proposal


def _pair_query() -> QuerySet[Any]:
    from omzien.volunteers.models import Pair

    return Pair.objects.select_related(
        "request__resident__neighbourhood", "request__respite_request__carer", "request__neighbourhood", "volunteer", "organisation"
    )  # fmt: skip


def get_pair_for_user(user: Any, public_id: uuid.UUID, *, actor: events.Actor) -> Any:
    """Return a pair of the coordinator's organisation, logging the read; 404 (logged) otherwise."""
    organisation_id = _organisation_id(user, "volunteers.hold_intake")
    pair = _pair_query().filter(public_id=public_id, organisation_id=organisation_id or 0).first()
    if pair is None:
        events.record_denied(action=Action.READ, actor=actor, purpose=PURPOSE_PAIRS,
                             subject=events.Subject(object_type="pair", object_id=str(public_id)))  # fmt: skip
        raise Http404("No such pair.")
    events.record_viewed(actor=actor, subject=_request_subject(pair.request, REQUEST_FIELDS), purpose=PURPOSE_PAIRS)
    return pair


def match_fields(pair: Any) -> tuple[str, ...]:
    """What the volunteer of this pair may see of the person: everything a match shares once both said
    yes and while the pair lasts; before that only where and what; nothing after it ended."""
    from omzien.volunteers.models import Pair

    if pair.stage in (Pair.Stage.INTRODUCTION, Pair.Stage.ACTIVE):
        return MATCH_SHARED
    if pair.stage == Pair.Stage.ASKED:
        return MATCH_ASKED
    return ()


def get_own_pair_for_user(user: Any, public_id: uuid.UUID, *, actor: events.Actor) -> Any:
    """Return one of the logged-in volunteer's (or host's) own pairs, logging what it shows; 404 (logged) otherwise.

    A volunteer never reaches another volunteer's pair: the pair must name their own profile."""
    pair = _pair_query().filter(public_id=public_id, volunteer__user_id=getattr(user, "pk", None) or 0).first()
    if pair is None:
        events.record_denied(action=Action.READ, actor=actor, purpose=PURPOSE_PAIRS,
                             subject=events.Subject(object_type="pair", object_id=str(public_id)))  # fmt: skip
        raise Http404("No such pair.")
    fields = match_fields(pair)
    if fields:
        events.record_viewed(actor=actor, subject=_request_subject(pair.request, fields), purpose=PURPOSE_PAIRS)
    return pair


def get_check_in_for_user(user: Any, public_id: uuid.UUID, *, actor: events.Actor) -> Any:
    """Return a check-in of the coordinator's organisation's pairs, logging the read; 404 (logged) otherwise."""
    from omzien.volunteers.models import CheckIn

    organisation_id = _organisation_id(user, "volunteers.hold_intake")
    check_in = (
        CheckIn.objects.select_related("pair__request__resident", "pair__request__respite_request__carer", "pair__volunteer")
        .filter(public_id=public_id, pair__organisation_id=organisation_id or 0).first()
    )  # fmt: skip
    if check_in is None:
        events.record_denied(action=Action.READ, actor=actor, purpose=PURPOSE_PAIRS,
                             subject=events.Subject(object_type="checkin", object_id=str(public_id)))  # fmt: skip
        raise Http404("No such check-in.")
    events.record_viewed(actor=actor, subject=_request_subject(check_in.pair.request, ("first_name", "last_name")),
                         purpose=PURPOSE_PAIRS)  # fmt: skip
    return check_in


def requests_listed(*, actor: events.Actor, requests: Sequence[Any], fields: Sequence[str]) -> None:
    """Log that these requests' people were shown in a list (one entry each)."""
    events.record_listed(actor=actor, shown=[_request_subject(r, fields) for r in requests], fields=fields,
                         purpose=PURPOSE_PAIRS, object_type="matchrequest")  # fmt: skip


def pairs_overview_for_user(user: Any, *, actor: events.Actor) -> Any:
    """The coordinator's matching overview for their own organisation; every person named is logged."""
    from omzien.volunteers.selectors import pairs_overview

    organisation = getattr(user, "organisation", None)
    if _organisation_id(user, "volunteers.hold_intake") is None or organisation is None:
        raise Http404("No organisation.")
    data = pairs_overview(organisation)
    shown = [*data.waiting, *(p.request for p in data.proposals), *(c.pair.request for c in data.check_ins_due)]
    requests_listed(actor=actor, requests=shown, fields=("first_name", "last_name"))
    volunteers_listed(actor=actor, volunteers=[p.volunteer for p in data.proposals] + [c.pair.volunteer for c in data.check_ins_due],
                      fields=("first_name", "last_name"), purpose=PURPOSE_PAIRS)  # fmt: skip
    return data


def own_pairs_for_user(volunteer: Volunteer, *, actor: events.Actor) -> list[Any]:
    """The volunteer's own pairs for their portal; what each shows of the person is logged."""
    from omzien.volunteers.selectors import volunteer_pairs

    pairs = volunteer_pairs(volunteer)
    for pair in pairs:
        fields = match_fields(pair)
        if fields:
            events.record_viewed(actor=actor, subject=_request_subject(pair.request, fields), purpose=PURPOSE_PAIRS)
    return pairs
