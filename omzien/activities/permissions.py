# SPDX-License-Identifier: EUPL-1.2
"""Who may change which activity, and whose registrations and offers a user may act on.

404 alike for "missing" and "not yours"; every refusal about a resident's entry is access-logged.
"The resident this user is" comes from ``residents.permissions.get_own_resident_for_user``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from omzien.activities.models import Activity, Registration, WaitingListEntry
from omzien.audit import events
from omzien.audit.models import Action
from omzien.residents.models import Resident


def activities_managed_by(user: Any) -> QuerySet[Activity]:
    """The activities the user may change: those of their own organisation, for provider staff."""
    if not user.has_perm("activities.change_activity") or user.organisation_id is None:
        return Activity.objects.none()
    return Activity.objects.filter(organisation_id=user.organisation_id)


def get_activity_for_user(user: Any, public_id: uuid.UUID) -> Activity:
    """Return an activity the user may change (their organisation's); 404 alike for missing and not yours.

    An activity is no person's record, so a refusal is not access-logged.
    """
    activity = activities_managed_by(user).select_related("location").filter(public_id=public_id).first()
    if activity is None:
        raise Http404("No such activity.")
    return activity


def _denied(request: Any, resident_pseudo_id: Any, object_type: str, public_id: uuid.UUID) -> None:
    events.record_denied(action=Action.UPDATE, actor=events.actor_for_request(request),
                         subject=events.Subject(resident_pseudo_id=resident_pseudo_id, object_type=object_type,
                                                object_id=str(public_id)), purpose="activity_registration")  # fmt: skip


def get_waiting_list_entry_for_user(request: Any, resident: Resident, public_id: uuid.UUID) -> WaitingListEntry:
    """Return the resident's waiting-list entry (or offer); 404, logged, for a missing or someone else's."""
    entry = (
        WaitingListEntry.objects.select_related("activity", "resident").filter(public_id=public_id).first()
    )
    if entry is None or entry.resident_id != resident.pk:
        _denied(request, entry.resident.pseudo_id if entry else None, "waitinglistentry", public_id)
        raise Http404("No such entry.")
    return entry


def get_registration_for_user(request: Any, resident: Resident, public_id: uuid.UUID) -> Registration:
    """Return the resident's registration; 404, logged, for a missing or someone else's."""
    registration = (
        Registration.objects.select_related("activity", "resident").filter(public_id=public_id).first()
    )
    if registration is None or registration.resident_id != resident.pk:
        _denied(request, registration.resident.pseudo_id if registration else None, "registration", public_id)
        raise Http404("No such registration.")
    return registration
