# SPDX-License-Identifier: EUPL-1.2
"""Pages of matches between people: the coordinator's matching overview, requests, proposals, pairs and
check-ins, durability; the volunteer's and host's pairs in their portal; the resident's own request.

Thin: people are read through ``permissions`` (which log every read), written through ``services``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.lib.access import requires_permission, requires_role
from omzien.volunteers import permissions, selectors, services
from omzien.volunteers.charts import MOMENTS, survival_chart
from omzien.volunteers.forms import (
    AnswerForm,
    CheckInForm,
    ContactForm,
    EndForm,
    IntroductionForm,
    ProposalDecisionForm,
    RequestForm,
    ResidentRequestForm,
    slot_rows,
)
from omzien.volunteers.models import Diet, MatchKind, MatchRequest, Pair, Volunteer
from omzien.volunteers.profile import language_names, slots_text
from omzien.volunteers.views import _organisation

COORDINATOR = "volunteers.hold_intake"


def _person(request: MatchRequest) -> Any:
    """The person a request is for: the resident, or the informal carer (respite)."""
    return request.resident if request.resident_id else request.respite_request.carer  # type: ignore[union-attr]


# --- Coordinator ---------------------------------------------------------------------------------------


@never_cache
@require_GET
@requires_permission(COORDINATOR)
def matching(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    data = permissions.pairs_overview_for_user(request.user, actor=events.actor_for_request(request))
    return render(request, "volunteers/matching.html", {
        "organisation": organisation, "data": data, "section": "matching", "kinds": dict(MatchKind.choices),
    })  # fmt: skip


@never_cache
@require_POST
@requires_permission(COORDINATOR)
def proposal_round(request: HttpRequest) -> HttpResponse:
    result = services.proposal_round(organisation=_organisation(request), acting_user=request.user)
    messages.success(request, _("%(proposals)s proposals for %(requests)s waiting requests (%(volunteers)s volunteers with a free place).")
                     % {"proposals": result.proposals, "requests": result.requests, "volunteers": result.volunteers})  # fmt: skip
    return redirect("volunteers:matching")


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(COORDINATOR)
def request_create(request: HttpRequest) -> HttpResponse:
    from omzien.residents.models import Resident

    organisation = _organisation(request)
    form = RequestForm(request.POST or None)
    known: list[selectors.KnownPerson] = []
    chosen = request.POST.get("persoon", "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Someone the organisation already knows gets the request on their own record, not a second one.
        known = selectors.known_people(request.user, last_name=data["last_name"], postcode=data["postcode"],
                                       actor=events.actor_for_request(request))  # fmt: skip
        existing = next((item.resident for item in known if str(item.resident.public_id) == chosen), None)
        if known and existing is None and chosen != "nieuw":
            if chosen:
                form.add_error(None, _("Choose one of the people listed, or a new person."))
            return render(request, "volunteers/request_form.html", {
                "form": form, "slot_rows": slot_rows(form["availability"]), "section": "matching", "known": known,
            }, status=400 if chosen else 200)  # fmt: skip
        request_data = services.RequestData(
            kind=data["kind"], postcode=data["postcode"], languages=list(data["languages"]),
            interests=[t.pk for t in data["interests"]], availability=data["availability"] or 0,
            gender=data["gender"], gender_preference=data["gender_preference"], diets=list(data["diets"]),
            max_km=data["max_km"], need=data["need"], keep_in_mind=data["keep_in_mind"],
        )  # fmt: skip
        try:
            if existing is not None:
                match_request = services.request_open(organisation=organisation, data=request_data, resident=existing,
                                                      source=MatchRequest.Source.COORDINATOR, acting_user=request.user)  # fmt: skip
            else:
                resident = Resident(first_name=data["first_name"].strip(), last_name=data["last_name"].strip(),
                                    phone=data["phone"].strip(), postcode=data["postcode"], languages=list(data["languages"]))  # fmt: skip
                match_request = services.request_for_new_person(organisation=organisation, resident=resident,
                                                                acting_user=request.user, data=request_data)  # fmt: skip
        except services.VolunteerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Request saved. Run a proposal round to find a volunteer."))
            return redirect("volunteers:request_detail", match_request.public_id)
    return render(request, "volunteers/request_form.html", {
        "form": form, "slot_rows": slot_rows(form["availability"]), "section": "matching", "known": known,
        "chosen": chosen,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(COORDINATOR)
def request_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    match_request = permissions.get_match_request_for_user(request.user, public_id, actor=actor)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "rematch":
                found = services.rematch_propose(request=match_request, acting_user=request.user)
                if found is None:
                    messages.warning(request, _("No volunteer with a free place fits this request now."))
                else:
                    messages.success(request, _("A new proposal is ready."))
            elif action == "close":
                services.request_close(request=match_request, reason=request.POST.get("reason", ""), acting_user=request.user)
                messages.success(request, _("Request closed."))
            else:
                messages.error(request, _("Unknown action."))
        except services.VolunteerError as error:
            messages.error(request, error.message)
        return redirect("volunteers:request_detail", public_id)
    history = selectors.request_history(match_request)
    volunteers_shown = [p.volunteer for p in history["pairs"]] + [p.volunteer for p in history["proposals"]]
    volunteers_shown += [row["person"] for p in history["proposals"] for row in p.alternative_rows]
    permissions.volunteers_listed(actor=actor, volunteers=volunteers_shown, fields=("first_name", "last_name"),
                                  purpose=permissions.PURPOSE_PAIRS)  # fmt: skip
    return render(request, "volunteers/request_detail.html", {
        "item": match_request, "person": _person(match_request), "history": history, "section": "matching",
        "when": slots_text(match_request.availability), "language_text": language_names(match_request.languages),
        "waiting_since": (since := selectors.request_waiting_since(match_request)),
        "waiting_days": (timezone.localdate() - since).days if since else None,
        "diet_text": ", ".join(str(Diet(code).label) if code in Diet.values else code for code in match_request.diets or []),
        "closed_text": Pair.EndReason(match_request.closed_reason).label if match_request.closed_reason in Pair.EndReason.values
                       else match_request.closed_reason,
    })  # fmt: skip


@never_cache
@require_POST
@requires_permission(COORDINATOR)
def proposal_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    proposal = permissions.get_proposal_for_user(request.user, public_id, actor=events.actor_for_request(request))
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("volunteers:request_detail", proposal.request.public_id)
    data = form.cleaned_data
    try:
        if data["decision"] == "reject":
            services.proposal_reject(proposal=proposal, reason=data["reason"], acting_user=request.user)
            messages.success(request, _("Proposal rejected; the request waits for the next round."))
        else:
            chosen = Volunteer.objects.filter(pk=data["volunteer"]).first() if data.get("volunteer") else None
            pair = services.proposal_accept(proposal=proposal, volunteer=chosen, reason=data.get("reason") or "",
                                            acting_user=request.user)  # fmt: skip
            if pair.volunteer.user_id:
                messages.success(request, _("Accepted: %(name)s is asked in their portal.") % {"name": pair.volunteer.first_name})
            else:
                messages.success(request, _("Accepted. %(name)s has no account in Omzien: call them and record their answer here.")
                                 % {"name": pair.volunteer.first_name})  # fmt: skip
            return redirect("volunteers:pair_detail", pair.public_id)
    except services.VolunteerError as error:
        messages.error(request, error.message)
    return redirect("volunteers:request_detail", proposal.request.public_id)


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(COORDINATOR)
def pair_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    pair = permissions.get_pair_for_user(request.user, public_id, actor=actor)
    forms: dict[str, Any] = {"introduction": IntroductionForm(prefix="intro"), "end": EndForm(prefix="end")}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "resident_answer":
                answer = AnswerForm(request.POST)
                if not answer.is_valid():
                    raise services.PairError(_("Answer yes or no."))
                services.pair_answer(pair=pair, who="resident", answer=answer.cleaned_data["answer"], acting_user=request.user)
                messages.success(request, _("The resident's answer is recorded."))
                return redirect("volunteers:pair_detail", public_id)
            if action == "volunteer_answer":
                # A volunteer without an account answers by phone; one with an account answers in their portal.
                answer = AnswerForm(request.POST)
                if not answer.is_valid():
                    raise services.PairError(_("Answer yes or no."))
                if pair.volunteer.user_id:
                    raise services.PairError(_("This volunteer answers in their own portal."))
                services.pair_answer(pair=pair, who="volunteer", answer=answer.cleaned_data["answer"], acting_user=request.user)
                messages.success(request, _("The volunteer's answer is recorded."))
                return redirect("volunteers:pair_detail", public_id)
            if action == "introduction":
                forms["introduction"] = form = IntroductionForm(request.POST, prefix="intro")
                if form.is_valid():
                    data = form.cleaned_data
                    services.introduction_record(pair=pair, on=data["on"], goes_ahead=data["goes_ahead"], acting_user=request.user,
                                                 meal_rhythm=data["meal_rhythm"], meal_day=data["meal_day"])  # fmt: skip
                    messages.success(request, _("Introduction recorded."))
                    return redirect("volunteers:pair_detail", public_id)
            elif action == "end":
                forms["end"] = end_form = EndForm(request.POST, prefix="end")
                if end_form.is_valid():
                    data = end_form.cleaned_data
                    services.pair_end(pair=pair, reason=data["reason"], on=data["on"], note=data["note"], acting_user=request.user)
                    messages.success(request, _("The pair has ended."))
                    return redirect("volunteers:pair_detail", public_id)
            else:
                messages.error(request, _("Unknown action."))
        except services.VolunteerError as error:
            messages.error(request, error.message)
    detail = selectors.pair_detail(pair)
    return render(request, "volunteers/pair_detail.html", {
        "pair": pair, "person": _person(pair.request), "detail": detail, "forms": forms, "section": "matching",
        "hours": round(detail["minutes"] / 60, 1),
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(COORDINATOR)
def check_in(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = permissions.get_check_in_for_user(request.user, public_id, actor=events.actor_for_request(request))
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_in_fill(check_in=item, acting_user=request.user, data=services.CheckInData(
                still_meeting=data["still_meeting"], times_a_month=data["times_a_month"],
                resident_going=data["resident_going"], volunteer_going=data["volunteer_going"], note=data["note"],
            ))  # fmt: skip
        except services.VolunteerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Check-in saved."))
            return redirect("volunteers:pair_detail", item.pair.public_id)
    return render(request, "volunteers/check_in.html", {
        "item": item, "form": form, "person": _person(item.pair.request), "section": "matching",
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


@never_cache
@require_GET
@requires_permission(COORDINATOR)
def durability(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    curves = selectors.pair_durability(organisation_id=organisation.pk)
    rows = [{"curve": curve, "moments": [(months, selectors.survival_at(curve, days)) for months, days in MOMENTS],
             "chart": survival_chart(curve)} for curve in curves]  # fmt: skip
    return render(request, "volunteers/durability.html", {"organisation": organisation, "rows": rows, "section": "durability"})


# --- The volunteer's and host's pairs ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@requires_role(Role.VOLUNTEER, Role.MEAL_HOST)
def my_pair(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    pair: Pair = permissions.get_own_pair_for_user(request.user, public_id, actor=actor)
    form = ContactForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "answer":
                answer = AnswerForm(request.POST)
                if not answer.is_valid():
                    raise services.PairError(_("Answer yes or no."))
                services.pair_answer(pair=pair, who="volunteer", answer=answer.cleaned_data["answer"], acting_user=request.user)
                messages.success(request, _("Thank you, your answer is passed on to your coordinator."))
                return redirect(request.path)
            if action == "contact" and form.is_valid():
                data = form.cleaned_data
                contact = services.contact_log(pair=pair, on=data["on"], minutes=data["minutes"], note=data["note"],
                                               worried=data["worried"], concern=data["concern"], acting_user=request.user)  # fmt: skip
                messages.success(request, _("Saved.") + (" " + _("Your worry has been passed on to the neighbourhood team.")
                                                         if contact.worried else ""))  # fmt: skip
                return redirect(request.path)
        except services.VolunteerError as error:
            form.add_error(None, error.message)
    shared = permissions.match_fields(pair)
    person = _person(pair.request)
    return render(request, "volunteers/my_pair.html", {
        "pair": pair, "shared": shared, "person": person, "form": form, "language_text": language_names(pair.request.languages),
        "when": slots_text(pair.request.availability), "contacts": list(pair.contacts.order_by("-on", "-pk")[:20]),
        "back": "volunteers:my_guests" if request.resolver_match and request.resolver_match.url_name == "my_guest" else "volunteers:mine",
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


@never_cache
@require_GET
@requires_role(Role.MEAL_HOST)
def my_guests(request: HttpRequest) -> HttpResponse:
    """The Eet Mee host's page: their guests (only what a match shares), meals logged, VOG."""
    actor = events.actor_for_request(request)
    host = permissions.get_own_volunteer_for_user(request.user, actor=actor)
    intakes = list(host.intakes.filter(stage__in=("registered", "interview_planned", "interviewed", "screening", "active"))
                   .select_related("organisation"))  # fmt: skip
    return render(request, "volunteers/my_guests.html", {
        "host": host, "pairs": permissions.own_pairs_for_user(host, actor=actor), "hours": selectors.volunteer_hours(host),
        "vogs": [(i.organisation, selectors.vog_status(host, i.organisation_id)) for i in intakes],
        "when": slots_text(host.availability),
    })  # fmt: skip


# --- The resident's own request -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@requires_role(Role.RESIDENT)
def my_requests(request: HttpRequest) -> HttpResponse:
    from omzien.residents.permissions import get_own_resident_for_user

    resident = get_own_resident_for_user(request, fields=("first_name", "postcode", "languages", "match_requests"))
    form = ResidentRequestForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "answer":
        pair_id = _uuid(request.POST.get("pair"))
        pair = Pair.objects.filter(public_id=pair_id, request__resident=resident).first() if pair_id else None
        answer = AnswerForm(request.POST)
        if pair is None or not answer.is_valid():
            messages.error(request, _("Answer yes or no."))
        else:
            try:
                services.pair_answer(pair=pair, who="resident", answer=answer.cleaned_data["answer"], acting_user=request.user)
                messages.success(request, _("Thank you, your answer is passed on."))
            except services.VolunteerError as error:
                messages.error(request, error.message)
        return redirect("volunteers:my_requests")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_open(
                organisation=data["organisation"], resident=resident, source=MatchRequest.Source.RESIDENT, acting_user=request.user,
                data=services.RequestData(kind=data["kind"], postcode=resident.postcode, languages=list(resident.languages or ["nl"]),
                                          availability=data["availability"] or 0, keep_in_mind=data["keep_in_mind"], need=2),
            )  # fmt: skip
        except services.VolunteerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your request has been sent. The organisation will contact you."))
            return redirect("volunteers:my_requests")
    return render(request, "volunteers/my_requests.html", {
        "resident": resident, "requests": selectors.resident_requests(resident), "form": form,
        "slot_rows": slot_rows(form["availability"]),
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None
