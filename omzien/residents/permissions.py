# SPDX-License-Identifier: EUPL-1.2
"""Who sees which residents, and which of their fields. The only way to a resident's record.

``residents_visible_to(user)`` is the one definition of "whom may this user see"; the list, the
search and ``get_resident_for_user`` all use it, so a list can never show more than a detail page
would. Each condition is on its own line so that coverage shows every branch.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from omzien.accounts.roles import Role, user_role
from omzien.audit import events
from omzien.audit.models import Action
from omzien.residents.models import ConsentEvent, ConsentPurpose, Resident, ResidentLink

# The fields each role may see of a resident it has access to (data minimisation, AVG art. 5).
VISIBLE_FIELDS: dict[Role, tuple[str, ...]] = {
    Role.RESIDENT: (
        "first_name", "last_name", "date_of_birth", "street", "postcode", "city", "neighbourhood", "phone",
        "email", "languages", "preferred_contact",
    ),
    Role.NEIGHBOURHOOD_PROFESSIONAL: (
        "first_name", "last_name", "date_of_birth", "street", "postcode", "city", "neighbourhood", "phone",
        "email", "languages", "preferred_contact",
    ),
    Role.COORDINATOR: ("first_name", "last_name", "neighbourhood", "phone", "email", "languages", "preferred_contact"),
    Role.SOCIAL_BROKER: ("first_name", "last_name", "neighbourhood", "phone", "email", "languages", "preferred_contact"),
    Role.ACTIVITY_PROVIDER: ("first_name", "last_name", "phone", "email"),
    Role.VOLUNTEER: ("first_name", "neighbourhood", "languages", "phone"),
    Role.MEAL_HOST: ("first_name", "neighbourhood", "languages", "phone"),
}  # fmt: skip

# Which kinds of link let a partner organisation's staff see a resident.
PARTNER_LINK_KINDS: dict[Role, tuple[str, ...]] = {
    Role.COORDINATOR: (ResidentLink.Kind.REFERRAL, ResidentLink.Kind.REQUEST),
    Role.SOCIAL_BROKER: (ResidentLink.Kind.REFERRAL, ResidentLink.Kind.REQUEST),
    Role.ACTIVITY_PROVIDER: (ResidentLink.Kind.REGISTRATION,),
}


def _latest_sharing_consent(organisation_id: int) -> Subquery:
    """The 'given' flag of the latest sharing consent naming the organisation, for a link's resident."""
    return Subquery(
        ConsentEvent.objects.filter(
            resident=OuterRef("resident"), purpose=ConsentPurpose.SHARING, organisation_id=organisation_id
        )
        .order_by("-recorded_at", "-pk")
        .values("given")[:1]
    )


def residents_visible_to(user: Any) -> QuerySet[Resident]:
    """Return the residents the user may see at all (no fields decided here)."""
    role = user_role(user)
    none = Resident.objects.none()
    if role is None:
        return none
    if role == Role.RESIDENT:
        return Resident.objects.filter(user=user)
    if not user.has_perm("residents.view_resident"):
        return none
    active = ResidentLink.objects.filter(resident=OuterRef("pk"), ended_at__isnull=True)
    if role == Role.NEIGHBOURHOOD_PROFESSIONAL:
        return Resident.objects.filter(
            Exists(active.filter(kind=ResidentLink.Kind.CASE, organisation_id=user.organisation_id))
        )
    if role in PARTNER_LINK_KINDS:
        links = active.filter(kind__in=PARTNER_LINK_KINDS[role], organisation_id=user.organisation_id)
        # A partner sees a resident only while the resident's consent to share with it stands,
        # unless the resident came to the organisation themselves.
        own_request = links.filter(kind=ResidentLink.Kind.REQUEST)
        consented = links.annotate(sharing=_latest_sharing_consent(user.organisation_id)).filter(sharing=True)
        return Resident.objects.filter(Q(Exists(own_request)) | Q(Exists(consented)))
    if role in (Role.VOLUNTEER, Role.MEAL_HOST):
        return Resident.objects.filter(Exists(active.filter(kind=ResidentLink.Kind.MATCH, user=user)))
    return none


def visible_fields(user: Any) -> tuple[str, ...]:
    """Return the names of the resident fields the user's role may see."""
    role = user_role(user)
    return VISIBLE_FIELDS.get(role, ()) if role else ()


def get_resident_for_user(
    request: Any,
    public_id: uuid.UUID | str,
    *,
    purpose: str,
    action: str = Action.READ,
    fields: tuple[str, ...] | None = None,
) -> Resident:
    """Return the resident if the request's user may see them; 404 alike for 'missing' and 'not yours'.

    Writes the access-log entry: the fields shown on success, a denied entry otherwise.
    """
    actor = events.actor_for_request(request)
    resident = (
        residents_visible_to(request.user)
        .select_related("neighbourhood__district")
        .filter(public_id=public_id)
        .first()
    )
    if resident is None:
        # The pseudonymous id of an existing resident is logged, so the resident can see the attempt.
        pseudo_id = Resident.objects.filter(public_id=public_id).values_list("pseudo_id", flat=True).first()
        events.record_denied(
            action=action,
            actor=actor,
            subject=events.Subject(
                resident_pseudo_id=pseudo_id, object_type="resident", object_id=str(public_id)
            ),
            purpose=purpose,
        )
        raise Http404("No such resident.")
    shown = visible_fields(request.user) if fields is None else fields
    events.record(
        action=action,
        actor=actor,
        subjects=[
            events.Subject(
                resident_pseudo_id=resident.pseudo_id, object_type="resident", object_id=str(resident.public_id),
                fields=shown,
            )
        ],
        purpose=purpose,
    )  # fmt: skip
    return resident
