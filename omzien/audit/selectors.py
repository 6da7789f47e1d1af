# SPDX-License-Identifier: EUPL-1.2
"""Reads of the access log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from omzien.audit.models import AccessLogEntry, Action, Outcome
from omzien.audit.words import purpose_label, role_label

# Auth events (log-in, lock-out …) are about the account, not the resident's record.
RECORD_ACTIONS = (
    Action.CREATE,
    Action.READ,
    Action.UPDATE,
    Action.DELETE,
    Action.LIST,
    Action.SEARCH,
    Action.EXPORT,
    Action.PRINT,
)


@dataclass(frozen=True)
class ResidentAccess:
    occurred_at: datetime
    organisation: str
    role: str
    action: str
    outcome: str
    purpose: str = ""


def access_log_for_resident(
    pseudo_id: uuid.UUID, *, since: datetime | None = None, until: datetime | None = None
) -> list[ResidentAccess]:
    """Return who touched the resident's record, newest first: organisation and role, not the person."""
    entries = AccessLogEntry.objects.filter(subject_resident_pseudo_id=pseudo_id, action__in=RECORD_ACTIONS)
    if since:
        entries = entries.filter(occurred_at__gte=since)
    if until:
        entries = entries.filter(occurred_at__lte=until)
    return [
        ResidentAccess(
            occurred_at=entry.occurred_at,
            organisation=entry.actor_organisation_name
            or ("—" if entry.actor_role == "resident" else role_label(entry.actor_role)),
            role=role_label(entry.actor_role),
            action=str(Action(entry.action).label),
            outcome=str(Outcome(entry.outcome).label),
            purpose=purpose_label(entry.purpose),
        )
        for entry in entries.order_by("-sequence")[:500]
    ]


def entry_list(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    action: str = "",
    outcome: str = "",
    actor: str = "",
    subject: uuid.UUID | None = None,
) -> QuerySet[AccessLogEntry]:
    """Return access-log entries filtered for the auditor view, newest first."""
    entries = AccessLogEntry.objects.all()
    if since:
        entries = entries.filter(occurred_at__gte=since)
    if until:
        entries = entries.filter(occurred_at__lte=until)
    if action:
        entries = entries.filter(action=action)
    if outcome:
        entries = entries.filter(outcome=outcome)
    if actor:
        entries = entries.filter(actor_display__icontains=actor)
    if subject:
        entries = entries.filter(subject_resident_pseudo_id=subject)
    return entries.order_by("-sequence")


def entry_page_for_auditor(
    *, actor: Any, filters: dict[str, Any], page_number: str | int = 1, per_page: int = 50
) -> Page[AccessLogEntry]:
    """Return one page of the access log as the auditor filtered it; the look itself is logged.

    The entry names the filters used (their names, not their values: a value can be a person's id).
    """
    from omzien.audit import events

    tz = timezone.get_current_timezone()
    queryset = entry_list(
        since=datetime.combine(filters["since"], time.min, tzinfo=tz) if filters.get("since") else None,
        until=datetime.combine(filters["until"], time.max, tzinfo=tz) if filters.get("until") else None,
        action=filters.get("action", ""),
        outcome=filters.get("outcome", ""),
        actor=filters.get("actor", ""),
        subject=filters.get("subject"),
    )
    page = Paginator(queryset, per_page).get_page(page_number)
    events.record(
        action=Action.READ,
        actor=actor,
        subjects=[events.Subject(object_type="access_log", fields=sorted(k for k, v in filters.items() if v))],
        purpose="audit",
    )
    return page
