# SPDX-License-Identifier: EUPL-1.2
"""Pages of casework: the public report form, reporters' own signals, the team queue and triage, the phone line."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien import policy
from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role, user_role
from omzien.audit import events
from omzien.casework import selectors, services
from omzien.casework.forms import (
    AssignForm,
    CallForm,
    DecisionForm,
    DuplicateForm,
    NoteForm,
    PublicSignalForm,
    SignalForm,
)
from omzien.casework.models import MELDCODE_STEPS, ReporterRelation, Signal, Source
from omzien.casework.permissions import get_signal_for_user, reported_signals_for_user, signals_shown_to_user
from omzien.casework.policies import DEADLINES, RETENTION, policy_value
from omzien.lib.access import requires_permission
from omzien.lib.paging import page_number
from omzien.lib.throttle import public_form_throttled

MELDCODE_LABELS = (*MELDCODE_STEPS, ("acute", _lazy("Acute danger: reported at once")))
RECEIPT_SALT = "omzien.casework.receipt"
PER_PAGE = 25


@never_cache
@require_http_methods(["GET", "POST"])
@public_form_throttled("casework-signal")
def public_report(request: HttpRequest) -> HttpResponse:
    """The public form: anyone worried about someone in the municipality reports it, without an account."""
    form = PublicSignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_create(
                data=form.signal_data(**form.reporter()), source=Source.PUBLIC_FORM,
                actor=events.actor_for_request(request),
            )  # fmt: skip
        except services.SignalError as error:
            form.add_error("postcode", str(error))
        else:
            receipt = signing.dumps({"reference": signal.reference, "email": bool(signal.reporter_email)}, salt=RECEIPT_SALT)
            return redirect(f"{reverse('casework:public_report_done')}?ontvangst={receipt}")
    return render(request, "casework/public_report.html", {"form": form, "days": policy_value(DEADLINES)})


@never_cache
@require_GET
def public_report_done(request: HttpRequest) -> HttpResponse:
    """The acknowledgement: the reference number, and what happens next (no personal data on it)."""
    try:
        receipt = signing.loads(request.GET.get("ontvangst", ""), salt=RECEIPT_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        receipt = None
    return render(request, "casework/public_report_done.html", {"receipt": receipt, "days": policy_value(DEADLINES)})


def _reporter_source(user: Any) -> str:
    role = user_role(user)
    if role == "partner_professional":
        return Source.PARTNER
    if role == Role.SOCIAL_BROKER:
        return Source.SOCIAL_BROKER
    return Source.VOLUNTEER


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.report_signal")
def report(request: HttpRequest) -> HttpResponse:
    """A logged-in partner, social broker or volunteer reports a worry; their details come from the account."""
    form = SignalForm(request.POST or None)
    user: Any = request.user
    if request.method == "POST" and form.is_valid():
        source = _reporter_source(user)
        organisation = user.organisation
        data = form.signal_data(
            reporter_relation=ReporterRelation.PROFESSIONAL if source == Source.PARTNER else ReporterRelation.OTHER,
            reporter_name=user.get_full_name() or user.username, reporter_email=user.email or "",
            wants_closing_message=bool(request.POST.get("wants_closing_message")),
        )  # fmt: skip
        try:
            signal = services.signal_create(
                data=data, source=source, actor=events.actor_for_request(request), reported_by=user,
                reporter_organisation=organisation,
            )  # fmt: skip
        except services.SignalError as error:
            form.add_error("postcode", str(error))
        else:
            messages.success(request, _("Thank you. Your report %(reference)s is with the neighbourhood team.") % {"reference": signal.reference})
            return redirect("casework:reported")
    return render(request, "casework/report.html", {"form": form, "radios": ("resident_knows", "resident_agrees", "urgency")})


@never_cache
@require_GET
@requires_permission("casework.report_signal")
def reported(request: HttpRequest) -> HttpResponse:
    """The reporter's own signals (a partner: their organisation's) and whether they were looked at."""
    return render(request, "casework/reported.html", {"signals": reported_signals_for_user(request)})


# The team queue.


@never_cache
@require_GET
@requires_permission("casework.triage_signal")
def queue(request: HttpRequest) -> HttpResponse:
    """The team's queue: open, new, overdue, assigned to me, decided, deadline first."""
    view = request.GET.get("weergave", "open")
    if view not in selectors.QUEUE_VIEWS:
        view = "open"
    today = timezone.localdate()
    page = Paginator(selectors.queue(request.user, view, today), PER_PAGE).get_page(page_number(request))
    signals = list(page.object_list)
    signals_shown_to_user(request, signals)
    return render(request, "casework/queue.html", {
        "page": page, "signals": signals, "view": view, "counts": selectors.queue_counts(request.user, today),
        "today": today, "team": selectors.team_of(request.user), "query": f"weergave={view}",
    })  # fmt: skip


def _detail(request: HttpRequest, signal: Signal, status: int = 200, **forms: Any) -> HttpResponse:
    team = signal.team
    duplicates = selectors.duplicates_check(signal, request.user, events.actor_for_request(request)) if signal.is_open else None
    clients = duplicates.clients if duplicates else []
    context = {
        "signal": signal, "today": timezone.localdate(), "duplicates": duplicates,
        "notes": signal.notes.select_related("author"), "history": signal.events.select_related("actor"),
        "assign_form": forms.get("assign_form") or AssignForm(members=selectors.team_members(team),
                                                              initial={"assignee": signal.assigned_to_id or request.user.pk}),
        "note_form": forms.get("note_form") or NoteForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(clients=clients, teams=selectors.other_teams(team)),
        "reporter_shown": signal.source != Source.SELF_TEST,
        "meldcode_done": [label for key, label in MELDCODE_LABELS if signal.meldcode.get(key)],
    }  # fmt: skip
    return render(request, "casework/signal.html", context, status=status)


@never_cache
@require_GET
@requires_permission("casework.triage_signal")
def signal_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One signal with its reporter, likely duplicates, notes, history and the triage forms."""
    return _detail(request, get_signal_for_user(request, public_id))


@never_cache
@require_POST
@requires_permission("casework.triage_signal")
def signal_assign(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    signal = get_signal_for_user(request, public_id, action="update", fields=("assigned_to",))
    form = AssignForm(request.POST, members=selectors.team_members(signal.team))
    if form.is_valid():
        try:
            services.signal_assign(signal=signal, assignee=form.cleaned_data["assignee"], acting_user=request.user,
                                   actor=events.actor_for_request(request))  # fmt: skip
        except services.SignalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The signal has been assigned."))
            return redirect("casework:signal", public_id=signal.public_id)
    return _detail(request, signal, assign_form=form)


@never_cache
@require_POST
@requires_permission("casework.triage_signal")
def signal_note(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    signal = get_signal_for_user(request, public_id, action="update", fields=("notes",))
    form = NoteForm(request.POST)
    if form.is_valid():
        services.signal_note_add(signal=signal, text=form.cleaned_data["text"], acting_user=request.user,
                                 actor=events.actor_for_request(request))  # fmt: skip
        messages.success(request, _("The note has been added."))
        return redirect("casework:signal", public_id=signal.public_id)
    return _detail(request, signal, note_form=form)


@never_cache
@require_POST
@requires_permission("casework.triage_signal")
def signal_duplicate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    signal = get_signal_for_user(request, public_id, action="update", fields=("duplicate_of",))
    form = DuplicateForm(request.POST)
    original = (
        selectors.team_signals(request.user).filter(public_id=form.cleaned_data["original"]).first()
        if form.is_valid() else None
    )  # fmt: skip
    if original is None:
        messages.error(request, _("That signal is not in your team's queue."))
    else:
        try:
            services.signal_link_duplicate(signal=signal, original=original, acting_user=request.user,
                                           actor=events.actor_for_request(request))  # fmt: skip
            messages.success(request, _("Linked to %(reference)s.") % {"reference": original.reference})
        except services.SignalError as error:
            messages.error(request, str(error))
    return redirect("casework:signal", public_id=signal.public_id)


@never_cache
@require_POST
@requires_permission("casework.triage_signal")
def signal_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    signal = get_signal_for_user(request, public_id, action="update", fields=("outcome",))
    actor = events.actor_for_request(request)
    duplicates = selectors.duplicates_check(signal, request.user, actor) if signal.is_open else None
    clients = duplicates.clients if duplicates else []
    teams = selectors.other_teams(signal.team)
    form = DecisionForm(request.POST, clients=clients, teams=teams)
    if form.is_valid():
        data = form.cleaned_data
        resident = next((c for c in clients if str(c.public_id) == data["resident"]), None)
        team = teams.filter(public_id=data["forward_team"]).first() if data["forward_team"] else None
        try:
            services.signal_decide(
                signal=signal, outcome=data["outcome"], acting_user=request.user, actor=actor, reason=data["reason"],
                consent_method=data["consent_method"], resident=resident, forward_team=team, meldcode=form.meldcode(),
            )  # fmt: skip
        except services.SignalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision has been saved."))
            return redirect("casework:signal", public_id=signal.public_id)
    return _detail(request, signal, decision_form=form)


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.triage_signal")
def signal_notice(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The AVG art. 14 notice for the professional to hand to the resident: never the reporter's name."""
    signal = get_signal_for_user(request, public_id, fields=("first_name", "last_name", "concern"))
    if request.method == "POST":
        services.notice_given(signal=signal, acting_user=request.user, actor=events.actor_for_request(request))
        messages.success(request, _("Recorded that the resident received this information."))
        return redirect("casework:signal", public_id=signal.public_id)
    retention = policy_value(RETENTION)
    return render(request, "casework/notice.html", {
        "signal": signal, "retention_days": retention.days, "helplines": policy.get("helplines"),
        "source_kind": _source_kind(signal),
    })  # fmt: skip


def _source_kind(signal: Signal) -> str:
    """What kind of source the resident is told (AVG art. 14(2)(f)): a category, never a person."""
    if signal.source in (Source.PARTNER, Source.PARTNER_API):
        return _("a professional who works with you or near you (for example a GP practice, housing corporation, police or pharmacy)")
    if signal.source == Source.PHONE_LINE:
        return _("the phone line, with your consent")
    if signal.source == Source.SELF_TEST:
        return _("your own request after the self-test")
    if signal.source == Source.FORWARDED:
        return _("another neighbourhood team")
    return _("someone from your surroundings, for example a neighbour or family member")


# The phone line.


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.log_call")
def calls(request: HttpRequest) -> HttpResponse:
    """The phone line volunteer logs a call (anonymous unless the caller consents) and sees the line's figures."""
    user: Any = request.user
    organisation: Organisation | None = user.organisation
    if organisation is None or organisation.kind != Organisation.Kind.HELPLINE:
        raise Http404("Not a phone line volunteer.")
    initial = {"started_at": timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")}
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = services.call_log(
                volunteer=user, started_at=data["started_at"], duration_minutes=data["duration_minutes"],
                topic=data["topic"], loneliness_mentioned=data["loneliness_mentioned"], advice=data["advice"],
                actor=events.actor_for_request(request), signal_data=form.signal_data(),
            )  # fmt: skip
        except services.SignalError as error:
            form.add_error(None, str(error))
        else:
            if call.signal_id:
                messages.success(request, _("The call has been logged, and the neighbourhood team will contact the caller."))
            else:
                messages.success(request, _("The call has been logged anonymously."))
            return redirect("casework:calls")
    return render(request, "casework/calls.html", {
        "form": form, "recent": selectors.recent_calls(user), "figures": selectors.call_figures(organisation.pk),
        "line": policy.get("helplines").get("talk", {}),
    })  # fmt: skip
