# SPDX-License-Identifier: EUPL-1.2
"""Access functions of the rights room: 404 alike for missing and not-yours, every view logged."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from omzien.audit import events
from omzien.audit.models import Action
from omzien.rights.models import PrivacyRequest


def get_privacy_request_for_user(
    request: Any, public_id: uuid.UUID, *, action: str = Action.READ
) -> PrivacyRequest:
    """Return the AVG request for the privacy officer handling it; 404 (logged) for anyone else.

    The officer sees the request and the requester's name and contact, nothing of the case file
    (data minimisation: the request is what they need).
    """
    actor = events.actor_for_request(request)
    found = PrivacyRequest.objects.select_related("resident").filter(public_id=public_id).first()
    allowed = request.user.has_perm("rights.handle_privacy_request")
    if found is None or not allowed:
        events.record_denied(
            action=action, actor=actor, subject=events.Subject(object_type="privacy_request", object_id=str(public_id)),
            purpose="privacy_request",
        )  # fmt: skip
        raise Http404
    events.record(
        action=action, actor=actor,
        subjects=[events.Subject(resident_pseudo_id=found.resident_pseudo_id, object_type="privacy_request",
                                 object_id=str(found.public_id), fields=["kind", "explanation", "name", "email"])],
        purpose="privacy_request",
    )  # fmt: skip
    return found
