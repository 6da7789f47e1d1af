# SPDX-License-Identifier: EUPL-1.2
"""Reads of casework: the team queue and its counts, likely duplicates, partners' own signals, call figures.

Reads that show a person's data are logged by the access functions in ``permissions.py``; the
duplicate check logs itself (it looks beyond the team).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import Role, user_role
from omzien.audit import events
from omzien.audit.models import Action
from omzien.casework.models import Outcome, PhoneCall, Signal, Source, Status
from omzien.residents.models import Resident, ResidentLink
from omzien.residents.permissions import residents_visible_to

QUEUE_VIEWS = ("open", "new", "overdue", "mine", "decided")


def team_of(user: Any) -> Organisation | None:
    """Return the buurtteam whose signals the user triages (None for anyone else)."""
    organisation = getattr(user, "organisation", None)
    if (
        user_role(user) != Role.NEIGHBOURHOOD_PROFESSIONAL
        or organisation is None
        or organisation.kind != Organisation.Kind.NEIGHBOURHOOD_TEAM
        or not user.has_perm("casework.triage_signal")
    ):
        return None
    return organisation


def team_signals(user: Any) -> QuerySet[Signal]:
    """Every signal of the user's team (none for anyone who does not triage)."""
    team = team_of(user)
    if team is None:
        return Signal.objects.none()
    return Signal.objects.filter(team=team)


def _view_filter(view: str, user: Any, today: date) -> Q:
    # "Open" as the two open states (not "not decided"), so the (team, status, deadline) index serves it.
    open_ = Q(status__in=(Status.NEW, Status.ASSIGNED))
    return {
        "open": open_,
        "new": Q(status=Status.NEW),
        "overdue": open_ & Q(deadline__lt=today),
        "mine": open_ & Q(assigned_to=user),
        "decided": Q(status=Status.DECIDED),
    }[view]


def queue(user: Any, view: str = "open", today: date | None = None) -> QuerySet[Signal]:
    """The team's queue in one view (open, new, overdue, assigned to me, decided), deadline first."""
    today = today or timezone.localdate()
    # The resident's pseudonymous id (for the access log) as a subquery, not a join: PostgreSQL would
    # hash every resident to join them to a team's few thousand signals; a subquery in the select list
    # is evaluated for the page's rows only.
    pseudo = Resident.objects.filter(pk=OuterRef("resident_id")).values("pseudo_id")[:1]
    signals = (
        team_signals(user)
        .filter(_view_filter(view, user, today))
        .select_related("assigned_to")
        .only(
            "public_id", "reference", "source", "urgency", "first_name", "last_name", "postcode", "house_number",
            "received_at", "deadline", "status", "outcome", "team_id", "resident_id", "assigned_to__first_name",
            "assigned_to__last_name", "assigned_to__username",
        )
        .annotate(resident_pseudo=Subquery(pseudo))
    )  # fmt: skip
    if view == "decided":
        return signals.order_by("-decided_at", "-pk")
    return signals.order_by("deadline", "received_at", "pk")


def queue_counts(user: Any, today: date | None = None) -> dict[str, int]:
    """The number of signals in each queue view, in one query."""
    today = today or timezone.localdate()
    counts = team_signals(user).aggregate(
        **{view: Count("pk", filter=_view_filter(view, user, today)) for view in QUEUE_VIEWS if view != "decided"}
    )
    return {view: counts.get(view) or 0 for view in QUEUE_VIEWS if view != "decided"}


def worklist_count(user: Any) -> int:
    """The menu's number: open signals of the team that nobody took yet, or that are assigned to the user."""
    return (
        team_signals(user)
        .filter(Q(status=Status.NEW) | Q(status=Status.ASSIGNED, assigned_to=user))
        .count()
    )


def team_members(team: Organisation) -> QuerySet[User]:
    """The colleagues a team's signal can be assigned to."""
    return User.objects.filter(
        organisation=team, is_active=True, groups__name=Role.NEIGHBOURHOOD_PROFESSIONAL.value
    ).order_by("first_name", "last_name", "username")


def other_teams(team: Organisation) -> QuerySet[Organisation]:
    """The buurtteams a signal can be forwarded to."""
    return Organisation.objects.filter(kind=Organisation.Kind.NEIGHBOURHOOD_TEAM).exclude(pk=team.pk)


@dataclass
class Duplicates:
    """Likely duplicates of a signal: what the team may see, and where else the person may be known."""

    signals: list[Signal] = field(default_factory=list)
    clients: list[Resident] = field(default_factory=list)
    # Other teams that may know the person: only their name and phone, never what they know.
    elsewhere: list[Organisation] = field(default_factory=list)


def _same_person(signal: Signal, prefix: str = "") -> Q:
    """Same last name and date of birth, or same postcode and house number."""
    conditions = Q()
    if signal.date_of_birth and signal.last_name:
        conditions |= Q(**{f"{prefix}last_name__iexact": signal.last_name, f"{prefix}date_of_birth": signal.date_of_birth})
    if signal.postcode and signal.house_number and len(signal.postcode) == 6:
        conditions |= Q(**{f"{prefix}postcode": signal.postcode, f"{prefix}house_number__iexact": signal.house_number})
    return conditions


def _same_resident(signal: Signal) -> Q:
    from omzien.residents.selectors import same_resident_q

    return same_resident_q(last_name=signal.last_name, date_of_birth=signal.date_of_birth,
                           postcode=signal.postcode or "", house_number=signal.house_number or "")  # fmt: skip


def duplicates_check(signal: Signal, user: Any, actor: events.Actor) -> Duplicates:
    """Return the likely duplicates the user's team may see, and the other teams that may know the person.

    Inside the team: its other signals and the clients the user sees. Elsewhere only the team's name
    is given. The check itself is logged, with the pseudonymous id of each resident found elsewhere,
    so a resident can see that someone looked.
    """
    found = Duplicates()
    signal_match, resident_match = _same_person(signal), _same_resident(signal)
    if not signal_match:
        return found
    others = Signal.objects.filter(signal_match).exclude(pk=signal.pk)
    found.signals = list(others.filter(team_id=signal.team_id).order_by("-received_at")[:10])
    visible = residents_visible_to(user)
    matches = Resident.objects.filter(resident_match) if resident_match else Resident.objects.none()
    found.clients = list(
        visible.filter(pk__in=matches.values("pk")).filter(
            links__kind=ResidentLink.Kind.CASE, links__organisation_id=signal.team_id, links__ended_at__isnull=True
        ).distinct()[:10]
    )  # fmt: skip
    hidden = list(matches.exclude(pk__in=visible.values("pk")).values_list("pk", "pseudo_id")[:50])
    team_ids = set(others.exclude(team_id=signal.team_id).values_list("team_id", flat=True)[:50])
    team_ids |= set(
        ResidentLink.objects.filter(
            resident_id__in=[pk for pk, _pseudo in hidden], kind=ResidentLink.Kind.CASE, ended_at__isnull=True
        ).exclude(organisation_id=signal.team_id).values_list("organisation_id", flat=True)
    )  # fmt: skip
    found.elsewhere = list(Organisation.objects.filter(pk__in=team_ids).order_by("name"))
    subjects = [
        events.Subject(object_type="signal", object_id=str(signal.public_id), fields=("duplicate_check",)),
        *(events.Subject(resident_pseudo_id=pseudo, object_type="duplicate_check", object_id=str(signal.public_id))
          for _pk, pseudo in hidden),
    ]  # fmt: skip
    events.record(action=Action.SEARCH, actor=actor, subjects=subjects, purpose="signal_duplicate_check")
    return found


def reported_signals(user: Any) -> QuerySet[Signal]:
    """The signals a reporter may follow: a partner professional those of their organisation, others their own."""
    role = user_role(user)
    if role is None or not user.has_perm("casework.report_signal"):
        return Signal.objects.none()
    if role == "partner_professional" and user.organisation_id:
        mine = Q(reporter_organisation_id=user.organisation_id) & ~Q(source="forwarded")
    else:
        mine = Q(reported_by=user)
    return Signal.objects.filter(mine).select_related("resident").order_by("-received_at", "-pk")


@dataclass(frozen=True)
class CallMonth:
    month: date
    calls: int
    loneliness: int
    signals: int
    minutes: int


def call_figures(organisation_id: int) -> list[CallMonth]:
    """Calls per month for the phone line: how many, how many mentioned loneliness, how many became a signal."""
    rows = (
        PhoneCall.objects.filter(organisation_id=organisation_id)
        .annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(
            calls=Count("pk"), loneliness=Count("pk", filter=Q(loneliness_mentioned=True)),
            signals=Count("signal"), minutes=Sum("duration_minutes"),
        )
        .order_by("-month")
    )  # fmt: skip
    return [
        CallMonth(
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"], calls=row["calls"],
            loneliness=row["loneliness"], signals=row["signals"], minutes=row["minutes"] or 0,
        )
        for row in rows
    ]  # fmt: skip


def recent_calls(user: Any, limit: int = 20) -> QuerySet[PhoneCall]:
    """The volunteer's own latest calls (anonymous records)."""
    return PhoneCall.objects.filter(volunteer=user).order_by("-started_at", "-pk")[:limit]


def signals_by_source_and_outcome() -> list[dict[str, Any]]:
    """Signals per source and outcome, for the council's figures (counts only)."""
    sources, outcomes = dict(Source.choices), dict(Outcome.choices)
    rows = Signal.objects.values("source", "outcome").annotate(n=Count("pk")).order_by("source", "outcome")
    return [{"source": row["source"], "outcome": row["outcome"], "n": row["n"],
             "source_label": str(sources.get(row["source"], row["source"])),
             "outcome_label": str(outcomes.get(row["outcome"], row["outcome"])) if row["outcome"] else str(_("not decided yet"))}
            for row in rows]  # fmt: skip


def signals_of_resident_export(resident: Resident) -> list[dict[str, Any]]:
    """The signals about a resident for their data export (AVG art. 15): what was noticed and decided,
    the kind of source but never the reporter (art. 15(4): the rights of others)."""
    return [
        {"received": signal.received_at.isoformat(), "source": signal.get_source_display(),
         "what_was_noticed": signal.concern, "status": signal.get_status_display(),
         "outcome": signal.get_outcome_display() if signal.outcome else "",
         "decided": signal.decided_at.isoformat() if signal.decided_at else None}
        for signal in Signal.objects.filter(resident=resident).order_by("received_at", "pk")
    ]  # fmt: skip
