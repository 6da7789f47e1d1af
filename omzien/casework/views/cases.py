# SPDX-License-Identifier: EUPL-1.2
"""Pages of cases: worklists, the client list, the case page, intake, route advice, referrals and their
answers, follow-ups and the resident's personal follow-up link."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.audit import events
from omzien.audit.models import Action
from omzien.casework import selectors, services
from omzien.casework.forms import (
    SHARE_LABELS,
    AdviceForm,
    AnswerForm,
    AssignCaseForm,
    CaseOpenForm,
    CloseForm,
    FollowUpAnswerForm,
    IntakeForm,
    ReferralForm,
    TieFormSet,
    WmoForm,
    djg11_answers,
)
from omzien.casework.models import FollowUp, NetworkMap, ReferralStatus, Route
from omzien.casework.permissions import (
    get_case_for_user,
    get_follow_up_for_user,
    get_referral_for_user,
    referrals_received_for_user,
)
from omzien.casework.services import CaseError, IntakeData, LinkError, ReferralOpenError, TieData
from omzien.lib.access import requires_permission
from omzien.lib.paging import page_number
from omzien.lib.throttle import public_form_throttled

__all__ = [
    "case_assign", "case_close", "case_detail", "case_new", "case_wmo", "clients", "follow_up", "follow_up_answer",
    "follow_up_link", "intake", "referral_answer", "referral_detail", "referral_new", "referrals_received",
    "route_advice", "worklist",
]  # fmt: skip

PER_PAGE = 25
SCOPES = {"eigen": "own", "team": "team"}
RECENT_MEASUREMENT = timedelta(days=60)


def _scope(request: HttpRequest, key: str = "lijst", default: str = "eigen") -> tuple[str, str]:
    word = request.GET.get(key, default)
    word = word if word in SCOPES else default
    return word, SCOPES[word]


@never_cache
@require_GET
@requires_permission("casework.handle_case")
def worklist(request: HttpRequest) -> HttpResponse:
    """The professional's worklist, or the team's: new signals, overdue triage, intakes due, stuck referrals,
    follow-ups due — each with its count and its first rows."""
    word, scope = _scope(request)
    work = selectors.worklist(request, scope)
    other_scope = "team" if scope == "own" else "own"
    other = selectors.worklist_counts(request.user, other_scope)
    setattr(request.user, selectors.COUNTED, {scope: work.counts, other_scope: other})  # the menu's number, counted
    return render(request, "casework/worklist.html", {
        "work": work, "word": word, "other_counts": other, "today": timezone.localdate(),
        "team": selectors.team_of(request.user),
    })  # fmt: skip


@never_cache
@require_GET
@requires_permission("casework.handle_case")
def clients(request: HttpRequest) -> HttpResponse:
    """The client list: each case's stage, last score and next due date; filters and search by name."""
    word, scope = _scope(request, "wie", "team")
    view = request.GET.get("weergave", "open")
    view = view if view in selectors.CLIENT_FILTERS else "open"
    query = request.GET.get("zoek", "").strip()[:100]
    today = timezone.localdate()
    listed = selectors.case_list(request.user, scope=scope, view=view, query=query, today=today)
    # The page's ids first (from the index alone), then those rows with their resident: a page far down the list
    # does not join every case before it to its resident.
    page = Paginator(listed.values_list("pk", flat=True), PER_PAGE).get_page(page_number(request))
    cases = selectors.cases_in_order(listed, list(page.object_list))
    selectors.client_list_shown(request, cases)
    params = urlencode({"wie": word, "weergave": view, **({"zoek": query} if query else {})})
    return render(request, "casework/clients.html", {
        "page": page, "cases": cases, "word": word, "view": view, "search": query, "today": today, "query": params,
        "filters": [("open", _("All open")), ("intake", _("Intake")), ("referred", _("Advice and referral")),
                    ("follow_up", _("Follow-up")), ("due", _("Due")), ("closed", _("Closed"))],
    })  # fmt: skip


def _case_context(request: HttpRequest, case: Any, **forms: Any) -> dict[str, Any]:
    from omzien.casework.selectors.signals import team_members

    page = selectors.case_page(case)
    return {
        "page": page, "case": case, "resident": case.resident, "today": timezone.localdate(),
        "rings_intake": selectors.network_rings(page.network_intake),
        "rings_latest": selectors.network_rings(page.network_latest),
        "wmo_form": forms.get("wmo_form") or WmoForm(initial={"melding_on": case.wmo_melding_on}),
        "close_form": forms.get("close_form") or CloseForm(),
        "assign_form": forms.get("assign_form") or AssignCaseForm(members=team_members(case.team),
                                                                  initial={"professional": case.professional_id}),
        "route_labels": {route.code: route.label for route in selectors.routes()},
    }  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.handle_case")
def case_new(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Open a case for a resident the professional may see, without a signal (they came by, phoned, were
    brought by a colleague); a resident with an open case at the team goes to that case."""
    from omzien.casework.selectors.signals import team_members
    from omzien.residents.permissions import get_resident_for_user

    team = selectors.team_of(request.user)
    action = Action.CREATE if request.method == "POST" else Action.READ
    resident = get_resident_for_user(request, public_id, purpose=services.CASE_PURPOSE, action=action,
                                     fields=("first_name", "last_name"))  # fmt: skip
    if team is None:
        raise Http404("No neighbourhood team.")
    existing = services.case_for_resident(resident, team)
    if existing is not None:
        messages.info(request, _("This resident already has an open case at your team."))
        return redirect("casework:case", public_id=existing.public_id)
    consent = services.support_consent_given(resident)
    members = team_members(team)
    form = CaseOpenForm(request.POST or None, members=members, consent_needed=consent is None,
                        initial={"professional": str(request.user.pk)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open_for_resident(
                resident=resident, team=team, acting_user=request.user, reason=data["reason"],
                professional=members.filter(pk=data["professional"]).first(),
                consent_method=data.get("consent_method", ""),
            )  # fmt: skip
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case has been opened. Record the intake when you have spoken with the resident."))
            return redirect("casework:case", public_id=case.public_id)
    return render(request, "casework/case_new.html", {"resident": resident, "form": form, "consent": consent, "team": team})


@never_cache
@require_GET
@requires_permission("casework.handle_case")
def case_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The case page: the resident, intake and network map, measurements, advice, referrals, follow-ups."""
    case = get_case_for_user(request, public_id)
    return render(request, "casework/case.html", _case_context(request, case))


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.handle_case")
def intake(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The intake: goals, interests, offer, barriers, the network map and (without a recent one) a DJG-11."""
    from omzien.wellbeing.services import measurement_record

    case = get_case_for_user(request, public_id, fields=("first_name", "last_name", "intake", "measurements"))
    if hasattr(case, "intake"):
        messages.info(request, _("The intake of this case has already been recorded."))
        return redirect("casework:case", public_id=case.public_id)
    recent = selectors.recent_measurement(case.resident, timezone.now() - RECENT_MEASUREMENT)
    form = IntakeForm(request.POST or None, measurement_needed=recent is None)
    ties = TieFormSet(request.POST or None, prefix="tie")
    if request.method == "POST" and form.is_valid() and ties.is_valid():
        data = form.cleaned_data
        answers = djg11_answers(form)
        try:
            # One step: an intake the service refuses (a restricted resident, an intake recorded meanwhile) leaves
            # no measurement behind either.
            with transaction.atomic():
                measurement = recent
                if answers is not None:
                    measurement = measurement_record(
                        actor=events.actor_for_request(request), acting_user=request.user, resident=case.resident,
                        instrument_code="djg11", answers=answers, context="intake", mode="conversation",
                    )  # fmt: skip
                services.intake_record(
                    case=case, acting_user=request.user, measurement=measurement,
                    data=IntakeData(goals=data["goals"], interests=data["interests"], can_offer=data["can_offer"],
                                    barriers=data["barriers"], barrier_note=data["barrier_note"], is_carer=data["is_carer"],
                                    other_problems=data["other_problems"]),
                    ties=[TieData(t["name"], t["relation"], t["frequency"], t.get("wish") or "same")
                          for t in ties.cleaned_data if t.get("name", "").strip()],
                )  # fmt: skip
        except (CaseError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The intake has been saved. Now look at the route advice."))
            return redirect("casework:advice", public_id=case.public_id)
    return render(request, "casework/intake.html", {"case": case, "form": form, "ties": ties, "recent": recent})


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.handle_case")
def route_advice(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Omzien's proposal (routes with reasons, from the rule table in force); the professional decides."""
    case = get_case_for_user(request, public_id, fields=("intake", "measurements"))
    if not hasattr(case, "intake"):
        messages.info(request, _("Record the intake first."))
        return redirect("casework:intake", public_id=case.public_id)
    try:
        table, facts, proposals, measurement = services.route_advice_propose(case)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("casework:case", public_id=case.public_id)
    options = selectors.routes(active_only=True)
    labels = {route.code: route.label for route in options}
    form = AdviceForm(request.POST or None, routes=[(route.code, route.label) for route in options],
                      initial={"chosen": [p.route for p in proposals]})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            advice = services.route_advice_decide(case=case, chosen=form.cleaned_data["chosen"],
                                                  note=form.cleaned_data["note"], acting_user=request.user)  # fmt: skip
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision has been saved. Send the referrals from the case page."))
            return redirect(f"{reverse('casework:case', kwargs={'public_id': case.public_id})}#verwijzen-{advice.pk}")
    return render(request, "casework/advice.html", {
        "case": case, "table": table, "facts": facts, "measurement": measurement, "form": form, "labels": labels,
        "proposals": [(labels.get(p.route, p.route), p) for p in proposals],
    })  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.handle_case")
def referral_new(request: HttpRequest, public_id: uuid.UUID, route: str) -> HttpResponse:
    """Refer the resident to one route: the activity or organisation, what is shared, and how they agreed."""
    case = get_case_for_user(request, public_id, fields=("first_name", "last_name", "referrals"))
    route_row = Route.objects.filter(code=route, active=True).first()
    if route_row is None or not case.is_open:
        raise Http404("No such route.")
    activities = selectors.referral_activities(case.resident) if route_row.kind in ("day_activity", "directory") else []
    organisations = selectors.referral_organisations(route_row.kind)
    form = ReferralForm(request.POST or None, kind=route_row.kind, activities=activities, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = selectors.activity_by_public_id(data.get("activity") or "")
        organisation = selectors.organisation_by_public_id(data.get("organisation") or "")
        advice = case.advices.order_by("-decided_at", "-pk").first()
        try:
            referral = services.referral_send(
                case=case, route=route, acting_user=request.user, consent_method=data["consent_method"],
                target_organisation=organisation, target_name=data.get("target_name", ""), activity=activity,
                shared=data.get("shared", []), message=data.get("message", ""), advice=advice,
            )  # fmt: skip
        except ReferralOpenError as error:  # sent twice: the first one stands
            messages.info(request, str(error))
            return redirect("casework:case", public_id=case.public_id)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            if referral.waiting_entry_id:
                messages.success(request, _("The activity is full: the resident is on its waiting list. The referral stays open until a place is given."))
            else:
                messages.success(request, _("The referral has been sent."))
            return redirect("casework:case", public_id=case.public_id)
    return render(request, "casework/referral_new.html", {"case": case, "route": route_row, "form": form})


def _statuses_after(status: str) -> list[tuple[str, str]]:
    following = {
        ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.STARTED),
        ReferralStatus.ACCEPTED: (ReferralStatus.STARTED, ReferralStatus.DECLINED, ReferralStatus.ENDED),
        ReferralStatus.STARTED: (ReferralStatus.ENDED,),
    }.get(ReferralStatus(status), ())
    return [(value, str(ReferralStatus(value).label)) for value in following]


def _referral_page(request: HttpRequest, referral: Any, as_receiver: bool, form: AnswerForm | None = None,
                   status: int = 200) -> HttpResponse:  # fmt: skip
    shared = set(referral.shared) if as_receiver else set(SHARE_LABELS)
    intake = selectors.intake_of(referral.case_id) if shared & {"interests", "barriers", "goals"} else None
    statuses = _statuses_after(referral.status)
    return render(request, "casework/referral.html", {
        "referral": referral, "as_receiver": as_receiver, "shared": shared, "intake": intake,
        "resident": referral.resident, "share_labels": SHARE_LABELS, "route_label": selectors.route_label(referral.route),
        "form": form or (AnswerForm(statuses=statuses) if statuses else None),
        "history": referral.events.select_related("actor").order_by("at", "pk"),
    }, status=status)  # fmt: skip


@never_cache
@require_GET
@requires_permission("casework.view_referral")
def referral_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One referral: the team sees all of it; the receiving organisation only what the resident agreed to share."""
    referral, as_receiver = get_referral_for_user(request, public_id)
    return _referral_page(request, referral, as_receiver)


@never_cache
@require_POST
@requires_permission("casework.view_referral")
def referral_answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The receiving organisation's answer (or the team's record of an outside organisation's answer)."""
    referral, as_receiver = get_referral_for_user(request, public_id, action=Action.UPDATE)
    form = AnswerForm(request.POST, statuses=_statuses_after(referral.status))
    if form.is_valid():
        try:
            services.referral_status_set(referral=referral, status=form.cleaned_data["status"],
                                         reason=form.cleaned_data["reason"], acting_user=request.user)  # fmt: skip
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer has been saved."))
            if as_receiver and form.cleaned_data["status"] in (ReferralStatus.DECLINED, ReferralStatus.ENDED):
                return redirect("casework:referrals_received")
            return redirect("casework:referral", public_id=referral.public_id)
    return _referral_page(request, referral, as_receiver, form, status=200)


@never_cache
@require_GET
@requires_permission("casework.answer_referral")
def referrals_received(request: HttpRequest) -> HttpResponse:
    """The open referrals to the user's organisation: those waiting for an answer first, filtered by status."""
    from omzien.casework.permissions import referrals_received_counts

    status = request.GET.get("status", "")
    status = status if status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED) else ""
    page, referrals = referrals_received_for_user(request, status)
    counts = referrals_received_counts(request.user)
    return render(request, "casework/referrals_received.html", {
        "referrals": referrals, "page": page, "status": status, "query": urlencode({"status": status} if status else {}),
        "filters": [("", _("All open"), sum(counts.values())), (ReferralStatus.SENT, _("Waiting for your answer"),
                    counts[ReferralStatus.SENT]), (ReferralStatus.ACCEPTED, _("Accepted, not started"),
                    counts[ReferralStatus.ACCEPTED]), (ReferralStatus.STARTED, _("Running"), counts[ReferralStatus.STARTED])],
        "today": timezone.localdate(), "route_labels": {route.code: route.label for route in selectors.routes()},
    })  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("casework.handle_case")
def follow_up(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A follow-up: measure it in a conversation (with the network map again), or send the personal link."""
    from omzien.wellbeing.services import measurement_record

    item = get_follow_up_for_user(request, public_id)
    form = FollowUpAnswerForm(request.POST or None)
    ties = TieFormSet(request.POST or None, prefix="tie")
    if request.method == "POST" and item.status == FollowUp.Status.OPEN and form.is_valid() and ties.is_valid():
        try:
            # One step: a follow-up the service refuses (a restricted resident, answered meanwhile by the personal
            # link) leaves no measurement or network map behind.
            with transaction.atomic():
                measurement = measurement_record(
                    actor=events.actor_for_request(request), acting_user=request.user, resident=item.resident,
                    instrument_code="djg11", answers=djg11_answers(form) or [], context="follow_up",
                    mode="phone" if request.POST.get("mode") == "phone" else "conversation",
                )  # fmt: skip
                services.follow_up_record(follow_up=item, measurement=measurement, acting_user=request.user)
                people = [TieData(t["name"], t["relation"], t["frequency"], t.get("wish") or "same")
                          for t in ties.cleaned_data if t.get("name", "").strip()]  # fmt: skip
                if people:
                    services.network_map_record(case=item.case, ties=people, context=NetworkMap.Context.FOLLOW_UP,
                                                follow_up=item, acting_user=request.user)  # fmt: skip
        except (CaseError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The follow-up has been saved."))
            return redirect("casework:case", public_id=item.case.public_id)
    return render(request, "casework/follow_up.html", {"item": item, "form": form, "ties": ties})


@never_cache
@require_POST
@requires_permission("casework.handle_case")
def follow_up_link(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Make the resident's personal link and show it once (for a letter, text message or e-mail)."""
    item = get_follow_up_for_user(request, public_id, action=Action.UPDATE)
    try:
        token = services.follow_up_link_create(follow_up=item, acting_user=request.user)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("casework:case", public_id=item.case.public_id)
    url = request.build_absolute_uri(reverse("casework:answer", kwargs={"token": token}))
    return render(request, "casework/follow_up_link.html", {"item": item, "url": url,
                                                             "expires": item.links.order_by("-pk").first()})  # fmt: skip


# Lazy: the messages are made when the module is imported, and must speak the resident's language when shown.
LINK_MESSAGES = {
    "invalid": _lazy("This link is not valid. Check that you copied all of it, or ask your contact at the neighbourhood team for a new one."),
    "used": _lazy("This link has already been used: your answers have been received. Thank you. A link works only once."),
    "replaced": _lazy("This link has been replaced by a newer one. Use the most recent link you received."),
    "expired": _lazy("This link has expired. Ask your contact at the neighbourhood team for a new one."),
    "done": _lazy("These questions have already been answered. Thank you."),
}


@never_cache
@require_http_methods(["GET", "POST"])
@public_form_throttled("casework-follow-up")
def follow_up_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The resident answers the follow-up questions through their personal link, without an account."""
    try:
        services.follow_up_link_check(token)
    except LinkError as problem:
        return render(request, "casework/answer_refused.html", {"message": LINK_MESSAGES[problem.kind]}, status=410 if problem.kind != "invalid" else 404)
    form = FollowUpAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_answer(token=token, answers=djg11_answers(form) or [], client_ip=events.client_ip_for(request))
        except LinkError as problem:
            return render(request, "casework/answer_refused.html", {"message": LINK_MESSAGES[problem.kind]}, status=410)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "casework/answer_done.html")
    return render(request, "casework/answer.html", {"form": form})


@never_cache
@require_POST
@requires_permission("casework.handle_case")
def case_wmo(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Record the date of the resident's Wmo request (its six-week term is shown from it)."""
    case = get_case_for_user(request, public_id, action=Action.UPDATE, fields=("wmo_melding_on",))
    form = WmoForm(request.POST)
    if form.is_valid():
        try:
            services.wmo_melding_record(case=case, on=form.cleaned_data["melding_on"], acting_user=request.user)
        except CaseError as error:
            form.add_error("melding_on", str(error))
        else:
            messages.success(request, _("The date of the Wmo request has been saved."))
            return redirect("casework:case", public_id=case.public_id)
    return render(request, "casework/case.html", _case_context(request, case, wmo_form=form))


@never_cache
@require_POST
@requires_permission("casework.handle_case")
def case_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Close the case with a reason."""
    case = get_case_for_user(request, public_id, action=Action.UPDATE, fields=("closed_at", "close_reason"))
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(case=case, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                                acting_user=request.user)  # fmt: skip
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case has been closed."))
            return redirect("casework:case", public_id=case.public_id)
    return render(request, "casework/case.html", _case_context(request, case, close_form=form))


@never_cache
@require_POST
@requires_permission("casework.handle_case")
def case_assign(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Give the case to a colleague of the team."""
    from omzien.casework.selectors.signals import team_members

    case = get_case_for_user(request, public_id, action=Action.UPDATE, fields=("professional",))
    members = team_members(case.team)
    form = AssignCaseForm(request.POST, members=members)
    if form.is_valid():
        professional = members.filter(pk=form.cleaned_data["professional"]).first()
        try:
            if professional is None:
                raise CaseError(_("Choose a colleague of your team."))
            services.case_assign(case=case, professional=professional, acting_user=request.user)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case has been assigned."))
            return redirect("casework:case", public_id=case.public_id)
    return render(request, "casework/case.html", _case_context(request, case, assign_form=form))

