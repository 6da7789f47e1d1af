# SPDX-License-Identifier: EUPL-1.2
"""Who may change which activity, and whose registrations and offers a user may act on.

404 alike for "missing" and "not yours"; every refusal about a resident's entry is access-logged.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from omzien.accounts.roles import Role, user_role
from omzien.activities.models import Activity, Registration, WaitingListEntry
from omzien.audit import events
from omzien.audit.models import Action
from omzien.residents.models import Resident


def activities_managed_by(user: Any) -> QuerySet[Activity]:
    """The activities the user may change: those of their own organisation, for provider staff."""
    if not user.has_perm("activities.change_activity") or user.organisation_id is None:
        return Activity.objects.none()
    return Activity.objects.filter(organisation_id=user.organisation_id)


def get_managed_activity(user: Any, public_id: uuid.UUID) -> Activity:
    activity = activities_managed_by(user).select_related("location").filter(public_id=public_id).first()
    if activity is None:
        raise Http404("No such activity.")
    return activity


def own_resident(user: Any) -> Resident:
    """The logged-in resident's own record (404 for an account without one)."""
    if user_role(user) != Role.RESIDENT:
        raise Http404("Not a resident.")
    resident = Resident.objects.filter(user=user).first()
    if resident is None:
        raise Http404("No record.")
    return resident


def _denied(request: Any, resident_pseudo_id: Any, object_type: str, public_id: uuid.UUID) -> None:
    events.record_denied(action=Action.UPDATE, actor=events.actor_for_request(request),
                         subject=events.Subject(resident_pseudo_id=resident_pseudo_id, object_type=object_type,
                                                object_id=str(public_id)), purpose="activity_registration")  # fmt: skip


def get_entry_of(request: Any, resident: Resident, public_id: uuid.UUID) -> WaitingListEntry:
    entry = (
        WaitingListEntry.objects.select_related("activity", "resident").filter(public_id=public_id).first()
    )
    if entry is None or entry.resident_id != resident.pk:
        _denied(request, entry.resident.pseudo_id if entry else None, "waitinglistentry", public_id)
        raise Http404("No such entry.")
    return entry


def get_registration_of(request: Any, resident: Resident, public_id: uuid.UUID) -> Registration:
    registration = (
        Registration.objects.select_related("activity", "resident").filter(public_id=public_id).first()
    )
    if registration is None or registration.resident_id != resident.pk:
        _denied(request, registration.resident.pseudo_id if registration else None, "registration", public_id)
        raise Http404("No such registration.")
    return registration
