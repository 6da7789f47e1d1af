# SPDX-License-Identifier: EUPL-1.2
"""Writes about residents: creating a record, consents, and the links other rooms open and end."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation
from omzien.audit import events
from omzien.audit.models import Action
from omzien.geo.selectors import neighbourhood_for_postcode, normalize_postcode
from omzien.residents.models import ConsentEvent, ConsentPurpose, Resident, ResidentLink, link_kinds

RESIDENT_FIELDS = (
    "first_name", "last_name", "date_of_birth", "street", "postcode", "city", "phone", "email", "languages",
    "preferred_contact",
)  # fmt: skip


def resident_create(
    *,
    actor: events.Actor,
    acting_user: Any,
    data: dict[str, Any],
    consent_method: str,
    purpose: str = "intake",
) -> Resident:
    """Create a resident with a case at the acting professional's team and their consent for support.

    The buurt follows from the postcode (PC6, else PC4). Returns the new resident.
    """
    with transaction.atomic():
        values = {name: data[name] for name in RESIDENT_FIELDS if name in data}
        postcode = normalize_postcode(values.get("postcode") or "")
        values["postcode"] = postcode or ""
        values["neighbourhood"] = neighbourhood_for_postcode(postcode) if postcode else None
        resident = Resident.objects.create(**values)
        ResidentLink.objects.create(
            resident=resident, kind=ResidentLink.Kind.CASE, organisation_id=acting_user.organisation_id,
            source="residents.intake",
        )  # fmt: skip
        consent = ConsentEvent.objects.create(
            resident=resident, purpose=ConsentPurpose.SUPPORT, given=True, method=consent_method,
            recorded_by=acting_user,
        )  # fmt: skip
        events.record(
            action=Action.CREATE,
            actor=actor,
            subjects=[events.resident_subject(resident, "resident", resident.public_id, tuple(values))],
            purpose=purpose,
            legal_basis=f"consent:{consent.pk}",
        )
    return resident


def consent_record(
    *,
    actor: events.Actor,
    acting_user: Any,
    resident: Resident,
    purpose: str,
    given: bool,
    method: str,
    organisation: Organisation | None = None,
) -> ConsentEvent:
    """Append a consent given or withdrawn; a withdrawn sharing consent ends the partner's access at once."""
    if purpose == ConsentPurpose.SHARING and organisation is None:
        raise ValueError("A sharing consent names the partner organisation.")
    with transaction.atomic():
        consent = ConsentEvent.objects.create(
            resident=resident,
            purpose=purpose,
            organisation=organisation if purpose == ConsentPurpose.SHARING else None,
            given=given,
            method=method,
            recorded_by=acting_user,
        )
        events.record(
            action=Action.UPDATE,
            actor=actor,
            subjects=[
                events.resident_subject(
                    resident, "consent", consent.pk, ("purpose", "given", "method", "organisation")
                )
            ],
            purpose="consent",
            legal_basis=f"consent:{consent.pk}",
        )
    return consent


class ProcessingRestricted(PermissionDenied):
    """The resident's processing is restricted (AVG art. 18): no new referral, registration or match.

    A ``PermissionDenied``: a view that meets it answers 403 with Omzien's page, nothing is half-written.
    """

    def __init__(self, resident: Resident) -> None:
        super().__init__(
            _("The use of this resident's data is restricted at their request (AVG art. 18): nothing new can be started for them.")
        )


def processing_restrict(*, resident: Resident, actor: events.Actor, at: Any = None) -> None:
    """Restrict the resident's processing (a granted AVG art. 18 request): stored only, no new links."""
    Resident.objects.filter(pk=resident.pk).update(restricted_since=at or timezone.now())
    events.record(action=Action.UPDATE, actor=actor, purpose="privacy_request",
                  subjects=[events.resident_subject(resident, "resident", resident.public_id, ("restricted_since",))])  # fmt: skip


def processing_restriction_lift(*, resident: Resident, actor: events.Actor) -> None:
    """Lift a restriction (AVG art. 18(3): the resident is told first, by the caller)."""
    Resident.objects.filter(pk=resident.pk).update(restricted_since=None)
    events.record(action=Action.UPDATE, actor=actor, purpose="privacy_request",
                  subjects=[events.resident_subject(resident, "resident", resident.public_id, ("restricted_since",))])  # fmt: skip


def objection_grant(*, resident: Resident, processings: list[str], actor: events.Actor) -> None:
    """Record granted objections (AVG art. 21): the named processings stop for this resident."""
    with transaction.atomic():
        current = Resident.objects.select_for_update().get(pk=resident.pk)
        current.objections = sorted(set(current.objections or []) | set(processings))
        current.save(update_fields=["objections"])
        events.record(action=Action.UPDATE, actor=actor, purpose="privacy_request",
                      subjects=[events.resident_subject(resident, "resident", resident.public_id, ("objections",))])  # fmt: skip


def link_open(
    *, resident: Resident, kind: str, organisation: Organisation, source: str, user: Any | None = None
) -> ResidentLink:
    """Open a link that lets an organisation (or, for a match, one volunteer) see the resident.

    ``kind`` must be declared by an installed room (``LinkKindDecl``); a personal kind names the user.
    """
    decl = link_kinds().get(str(kind))
    if decl is None:
        raise ValueError(f"No installed room declares the link kind {kind!r}.")
    if Resident.objects.filter(pk=resident.pk, restricted_since__isnull=False).exists():
        raise ProcessingRestricted(resident)
    if decl.personal and user is None:
        raise ValueError(f"A {kind!r} link names the one user who may see the resident.")
    return ResidentLink.objects.create(
        resident=resident, kind=kind, organisation=organisation, user=user, source=source
    )


def link_end(*, link: ResidentLink) -> None:
    """End a link: its organisation's access through it stops on the next request."""
    ResidentLink.objects.filter(pk=link.pk, ended_at__isnull=True).update(ended_at=timezone.now())
