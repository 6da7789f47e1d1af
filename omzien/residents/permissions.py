# SPDX-License-Identifier: EUPL-1.2
"""Who sees which residents, and which of their fields. The only way to a resident's record.

``residents_visible_to(user)`` is the one definition of "whom may this user see"; the list, the
search and ``get_resident_for_user`` all use it, so a list can never show more than a detail page
would. Each condition is on its own line so that coverage shows every branch.
"""

from __future__ import annotations

import operator
import uuid
from functools import reduce
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from omzien.accounts.roles import Role, user_role
from omzien.audit import events
from omzien.audit.models import Action
from omzien.lib.rooms import LinkKindDecl, collector
from omzien.residents.models import ConsentEvent, ConsentPurpose, Resident, ResidentLink, link_kinds

# The buurt and wijk outlines (GeoJSON, kilobytes each) are never shown with a resident: left out of
# the rows so a list does not decode them once per resident (issue #16).
RESIDENT_AREAS_LIGHT = ("neighbourhood__boundary", "neighbourhood__district__boundary")

# What a resident sees of their own record: all of it. What staff see comes from the link kinds.
OWN_RECORD_FIELDS: tuple[str, ...] = (
    "first_name", "last_name", "date_of_birth", "street", "postcode", "city", "neighbourhood", "phone",
    "email", "languages", "preferred_contact",
)  # fmt: skip


def link_kinds_for_role(role: str) -> list[LinkKindDecl]:
    """The link kinds through which a role sees residents (those that name fields for it)."""
    return [decl for decl in link_kinds().values() if role in decl.fields]


@collector
def visible_fields_by_role() -> dict[str, tuple[str, ...]]:
    """The fields each role may see of a resident it has access to (data minimisation, AVG art. 5):
    the resident's own, else every field a link kind shows that role."""
    table: dict[str, list[str]] = {Role.RESIDENT.value: list(OWN_RECORD_FIELDS)}
    for decl in link_kinds().values():
        for role, fields in decl.fields.items():
            shown = table.setdefault(str(role), [])
            shown.extend(name for name in fields if name not in shown)
    return {role: tuple(fields) for role, fields in table.items()}


def __getattr__(name: str) -> Any:
    # Constants before the link kinds were declared by the rooms.
    if name == "VISIBLE_FIELDS":
        return visible_fields_by_role()
    if name == "PARTNER_LINK_KINDS":
        return {
            role: tuple(decl.value for decl in link_kinds_for_role(role) if not decl.personal)
            for role in visible_fields_by_role()
            if role != Role.RESIDENT
        }
    raise AttributeError(name)


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
    """Return the residents the user may see at all (no fields decided here).

    A resident sees themselves. Staff need the view permission and an active link of a kind that
    shows their role something: a personal link naming them (a match), or a link to their
    organisation — for kinds that need it, only while the resident's latest consent to share with
    that organisation stands.
    """
    role = user_role(user)
    none = Resident.objects.none()
    if role is None:
        return none
    if role == Role.RESIDENT:
        return Resident.objects.filter(user=user)
    if not user.has_perm("residents.view_resident"):
        return none
    kinds = link_kinds_for_role(role)
    # Each reason is a set of resident ids read from the links (``pk IN (…)``), not a correlated
    # EXISTS per resident: the planners then read the organisation's links once through their index
    # instead of scanning them again for every resident (issue #16: 5.7 s for 2,295 residents).
    active = ResidentLink.objects.filter(ended_at__isnull=True)
    personal = [decl.value for decl in kinds if decl.personal]
    organisation_wide = [decl.value for decl in kinds if not decl.personal and not decl.needs_sharing_consent]
    with_consent = [decl.value for decl in kinds if not decl.personal and decl.needs_sharing_consent]
    reasons: list[Q] = []
    if personal:
        reasons.append(Q(pk__in=active.filter(kind__in=personal, user=user).values("resident_id")))
    if organisation_wide:
        reasons.append(Q(pk__in=active.filter(kind__in=organisation_wide, organisation_id=user.organisation_id)
                         .values("resident_id")))  # fmt: skip
    if with_consent:
        links = active.filter(kind__in=with_consent, organisation_id=user.organisation_id)
        consented = links.annotate(sharing=_latest_sharing_consent(user.organisation_id)).filter(sharing=True)
        reasons.append(Q(pk__in=consented.values("resident_id")))
    if not reasons:
        return none
    visible = Resident.objects.filter(reduce(operator.or_, reasons))
    # A restricted record (AVG art. 18) is only stored: the responsible team's case link still shows it (to
    # handle the restriction and legal claims), no partner, volunteer or host sees it.
    if ResidentLink.Kind.CASE.value in organisation_wide:
        case_of_team = active.filter(kind=ResidentLink.Kind.CASE, organisation_id=user.organisation_id)
        return visible.filter(Q(restricted_since__isnull=True) | Q(pk__in=case_of_team.values("resident_id")))
    return visible.filter(restricted_since__isnull=True)


def visible_fields(user: Any) -> tuple[str, ...]:
    """Return the names of the resident fields the user's role may see."""
    role = user_role(user)
    return visible_fields_by_role().get(str(role), ()) if role else ()


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
        .defer(*RESIDENT_AREAS_LIGHT)
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


def get_own_resident_for_user(
    request: Any,
    *,
    purpose: str = "own_record",
    action: str = Action.READ,
    fields: tuple[str, ...] = OWN_RECORD_FIELDS,
    object_type: str = "resident",
) -> Resident:
    """Return the resident the request's user is; 404 for an account that is no resident or has no record.

    The one way to "the resident this user is" (issue #14). Writes the access-log entry: the
    fields (or, with ``object_type``, the part of the record) shown on success, a denied entry otherwise.
    """
    actor = events.actor_for_request(request)
    resident = None
    if user_role(request.user) == Role.RESIDENT:
        resident = (
            Resident.objects.select_related("neighbourhood__district")
            .defer(*RESIDENT_AREAS_LIGHT)
            .filter(user_id=request.user.pk)
            .first()
        )
    if resident is None:
        events.record_denied(
            action=action, actor=actor, subject=events.Subject(object_type=object_type), purpose=purpose
        )
        raise Http404("No record of your own.")
    events.record(
        action=action,
        actor=actor,
        subjects=[events.resident_subject(resident, object_type, resident.public_id, fields)],
        purpose=purpose,
    )
    return resident
