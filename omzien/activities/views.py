# SPDX-License-Identifier: EUPL-1.2
"""Pages of the sociale kaart: public search and activity pages, registration, providers' pages, occupancy."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien import policy
from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role, user_role
from omzien.activities import allocation, bulk, permissions, selectors, services
from omzien.activities.forms import ActivityForm, OnBehalfForm, SearchForm, UploadForm
from omzien.activities.models import Activity, Registration, Term, WaitingListEntry
from omzien.activities.schedules import Slot, sessions_between
from omzien.audit import events
from omzien.audit.models import Action
from omzien.lib import csv_safe
from omzien.lib.access import requires_permission, requires_role
from omzien.lib.page_cache import cached_public_page
from omzien.lib.paging import page_number, query_without_page
from omzien.residents.models import Resident
from omzien.residents.permissions import get_own_resident_for_user, get_resident_for_user
from omzien.residents.selectors import resident_choices_for_user

PER_PAGE = 20
# The round page shows (and sends) at most this many proposals at a time; the rest follow next round.
ALLOCATION_SHOWN = 200


# --- Public ----------------------------------------------------------------------------------------


@require_GET
@cached_public_page("activities-search", seconds=30, version=selectors.search_version)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        query = selectors.SearchQuery(
            point=form.point, radius_km=float(data.get("radius") or 3) if form.point else None,
            district_code=data.get("wijk", ""), weekday=int(data["day"]) if data.get("day") else None,
            part_of_day=data.get("part", ""), interest=data.get("interest", ""), language=data.get("language", ""),
            target_group=data.get("group", ""), free_only=bool(data.get("free")), text=data.get("q", ""),
        )  # fmt: skip
        result = selectors.activity_search(query, page=page_number(request), per_page=PER_PAGE)
    # Result links are built from this prefix: one reverse() instead of one per result.
    hints = selectors.search_hints(form.data.get("q", "")) if request.GET else []
    context = {"form": form, "result": result, "query_string": query_without_page(request), "hints": hints,
               "detail_base": reverse("activities:search"),
               "map_tiles": settings.OMZIEN_MAP_TILE_URL, "map_attribution": settings.OMZIEN_MAP_TILE_ATTRIBUTION}  # fmt: skip
    template = "activities/_results.html" if request.headers.get("HX-Request") else "activities/search.html"
    return render(request, template, context)


@require_GET
@cache_control(max_age=3600, public=True)
def districts_geojson(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.district_outlines())


def _organisation(request: HttpRequest) -> Organisation:
    """The provider's own organisation (an account without one may not keep activities)."""
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _activity_or_404(public_id: uuid.UUID) -> Activity:
    activity = selectors.activity_public(public_id)
    if activity is None:
        raise Http404("No such activity.")
    return activity


@require_GET
@cached_public_page("activities-detail", version=selectors.activity_version)
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = _activity_or_404(public_id)
    role = user_role(request.user)
    mine: dict[str, Any] = {}
    if role == Role.RESIDENT:
        try:
            resident: Resident | None = get_own_resident_for_user(request, fields=("activity_registrations",))
        except Http404:
            resident = None
        if resident is not None:
            mine["registration"] = activity.registrations.filter(
                resident=resident, status=Registration.Status.ACTIVE
            ).first()
            mine["waiting"] = activity.waiting_list.filter(
                resident=resident, status__in=WaitingListEntry.OPEN
            ).first()
    today = timezone.localdate()
    slots = [Slot(s.weekday, s.starts_at, s.ends_at, s.interval_weeks) for s in activity.schedules.all()]
    return render(request, "activities/detail.html", {
        "activity": activity, "role": role, "mine": mine, "stale": activity.last_confirmed_at < selectors.stale_before(),
        "next_sessions": sessions_between(slots, today, today + timedelta(days=28))[:4],
        "can_register_others": request.user.has_perm("activities.register_resident"),
        "language": request.LANGUAGE_CODE,
    })  # fmt: skip


def _outcome_message(request: HttpRequest, outcome: services.Outcome, name: str | None = None) -> None:
    """Tell what happened, to the resident themselves (name None) or to the professional about a client."""
    offered = outcome.waiting is not None and outcome.waiting.status == WaitingListEntry.Status.OFFERED
    if outcome.registration is not None:
        text = (
            _("You are registered. Welcome!")
            if name is None
            else _("%(name)s is registered.") % {"name": name}
        )
        messages.success(request, text)
    elif offered:
        messages.success(request, _("A place is offered; accept it under 'My activities'."))
    elif name is None:
        messages.info(
            request,
            _(
                "The activity is full: you are on the waiting list. Free places go to those who need them most."
            ),
        )
    else:
        messages.info(request, _("The activity is full: %(name)s is on the waiting list.") % {"name": name})


@never_cache
@require_POST
@requires_role(Role.RESIDENT)
def register(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = _activity_or_404(public_id)
    resident = get_own_resident_for_user(request, purpose="activity_registration", action=Action.UPDATE,
                                         fields=("activity_registrations",))  # fmt: skip
    if request.POST.get("consent") != "yes":
        messages.error(
            request, _("Tick the box to agree that the provider sees your name and contact details.")
        )
        return redirect("activities:detail", public_id)
    try:
        outcome = services.register(activity=activity, resident=resident, acting_user=request.user,
                                    actor=events.actor_for_request(request), via=Registration.Via.SELF)  # fmt: skip
    except services.RegistrationError as error:
        messages.error(request, error.message)
        return redirect("activities:detail", public_id)
    _outcome_message(request, outcome)
    return redirect("activities:mine")


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("activities.register_resident")
def register_on_behalf(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = _activity_or_404(public_id)
    clients = resident_choices_for_user(request, purpose="activity_registration")
    form = OnBehalfForm(request.POST or None, clients=[(str(c.public_id), c.full_name) for c in clients])
    if request.method == "POST" and form.is_valid():
        resident = get_resident_for_user(request, form.cleaned_data["resident"], purpose="activity_registration",
                                         action=Action.UPDATE, fields=("first_name", "last_name"))  # fmt: skip
        try:
            outcome = services.register(
                activity=activity, resident=resident, acting_user=request.user, actor=events.actor_for_request(request),
                via=Registration.Via.PROFESSIONAL, consent_method=form.cleaned_data["consent_method"],
                need=form.cleaned_data.get("need") or None,
            )  # fmt: skip
        except services.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            _outcome_message(request, outcome, resident.full_name)
            return redirect("activities:client", resident.public_id)
    return render(request, "activities/on_behalf.html", {"activity": activity, "form": form})


# --- A resident's own activities, and a professional's view of a client's -----------------------------


def _handle_entry_action(request: HttpRequest, resident: Resident) -> None:
    actor = events.actor_for_request(request)
    action, ident = request.POST.get("action", ""), request.POST.get("id", "")
    try:
        public_id = uuid.UUID(ident)
    except ValueError as error:
        raise Http404("No such entry.") from error
    try:
        if action == "end":
            registration = permissions.get_registration_for_user(request, resident, public_id)
            services.registration_end(registration=registration, actor=actor)
            messages.success(
                request, _("Unsubscribed from %(title)s.") % {"title": registration.activity.title}
            )
            return
        entry = permissions.get_waiting_list_entry_for_user(request, resident, public_id)
        if action == "accept":
            services.offer_accept(entry=entry, acting_user=request.user, actor=actor)
            messages.success(
                request, _("Registered for %(title)s. Welcome!") % {"title": entry.activity.title}
            )
        elif action == "decline":
            services.offer_decline(entry=entry, actor=actor)
            messages.info(request, _("Offer declined; the place goes to the next person."))
        elif action == "withdraw":
            services.waiting_withdraw(entry=entry, actor=actor)
            messages.info(request, _("Taken off the waiting list."))
        else:
            raise Http404("Unknown action.")
    except services.RegistrationError as error:
        messages.error(request, error.message)


@never_cache
@require_http_methods(["GET", "POST"])
@requires_role(Role.RESIDENT)
def mine(request: HttpRequest) -> HttpResponse:
    resident = get_own_resident_for_user(request, fields=("activity_registrations",))
    if request.method == "POST":
        _handle_entry_action(request, resident)
        return redirect("activities:mine")
    registrations, waiting = selectors.resident_activities(resident)
    return render(request, "activities/mine.html", {"registrations": registrations, "waiting": waiting,
                                                    "own": True, "action_url": reverse("activities:mine")})  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("activities.register_resident")
def client(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    resident = get_resident_for_user(request, public_id, purpose="activity_registration",
                                     fields=("first_name", "last_name", "activity_registrations"))  # fmt: skip
    if request.method == "POST":
        _handle_entry_action(request, resident)
        return redirect("activities:client", public_id)
    registrations, waiting = selectors.resident_activities(resident)
    return render(request, "activities/mine.html", {"registrations": registrations, "waiting": waiting, "resident": resident,
                                                    "own": False, "action_url": request.path})  # fmt: skip


# --- Providers -------------------------------------------------------------------------------------


@never_cache
@require_GET
@requires_permission("activities.change_activity")
def manage(request: HttpRequest) -> HttpResponse:
    rows = selectors.occupancy_by_activity(permissions.activities_managed_by(request.user).order_by("title"))
    stale = selectors.stale_before()
    return render(request, "activities/manage.html", {"rows": rows, "stale": stale})


def _activity_form_save(
    request: HttpRequest, form: ActivityForm, activity: Activity | None
) -> Activity | None:
    data = form.cleaned_data
    # An address without a name is still the activity's place: it is named by its street (or postcode).
    location = (
        services.LocationData(name=data["location_name"] or data["street"] or data["postcode"], street=data["street"],
                              postcode=data["postcode"], wheelchair_accessible=data["wheelchair_accessible"],
                              hearing_loop=data["hearing_loop"])
        if data["location_name"] or data["street"] or data["postcode"] else None
    )  # fmt: skip
    values = {name: data[name] for name in form.Meta.fields} | {"languages": data["languages"]}
    try:
        return services.activity_save(organisation=_organisation(request), values=values, location=location,
                                      slots=data["schedule"], interests=list(data["interests"]),
                                      target_groups=list(data["target_groups"]), activity=activity)  # fmt: skip
    except services.RegistrationError as error:
        form.add_error("capacity", error.message)
        return None


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("activities.add_activity")
def create(request: HttpRequest) -> HttpResponse:
    _organisation(request)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = _activity_form_save(request, form, None)
        if activity is not None:
            messages.success(request, _("Activity saved."))
            return redirect("activities:manage")
    return render(request, "activities/form.html", {"form": form, "activity": None})


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("activities.change_activity")
def edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = permissions.get_activity_for_user(request.user, public_id)
    form = ActivityForm(request.POST or None, instance=activity)
    if (
        request.method == "POST"
        and form.is_valid()
        and _activity_form_save(request, form, activity) is not None
    ):
        messages.success(request, _("Activity saved."))
        return redirect("activities:manage")
    return render(request, "activities/form.html", {"form": form, "activity": activity})


@require_POST
@requires_permission("activities.change_activity")
def confirm(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = permissions.get_activity_for_user(request.user, public_id)
    services.activity_confirm(activity=activity)
    messages.success(
        request, _("Confirmed: the information of %(title)s is current.") % {"title": activity.title}
    )
    return redirect("activities:manage")


@never_cache
@require_GET
@requires_permission("activities.change_activity")
def participants(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = permissions.get_activity_for_user(request.user, public_id)
    page = selectors.participants_shown(user=request.user, actor=events.actor_for_request(request), activity=activity)
    return render(request, "activities/participants.html", {
        "activity": activity, "registrations": page.registrations, "offers": page.offers, "ranking": page.ranking,
        "visible": page.visible,
    })  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("activities.record_attendance")
def attendance(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = permissions.get_activity_for_user(request.user, public_id)
    today = timezone.localdate()
    slots = [Slot(s.weekday, s.starts_at, s.ends_at, s.interval_weeks) for s in activity.schedules.all()]
    # Sessions of the last four weeks, within the activity's life in Omzien (the service refuses others).
    first_day = max(today - timedelta(days=27), timezone.localdate(activity.created_at))
    recent = sessions_between(slots, first_day, today)
    try:
        session_date = date.fromisoformat(request.POST.get("datum") or request.GET.get("datum") or "")
    except ValueError:
        session_date = recent[-1] if recent else today
    if session_date > today:
        messages.error(request, _("Attendance can only be recorded for a session that has taken place."))
        if request.method == "POST":  # nothing is recorded for a day still to come
            return redirect("activities:attendance", public_id)
        session_date = recent[-1] if recent else today
    if request.method == "POST":
        present = {int(pk) for pk in request.POST.getlist("present") if pk.isdigit() and len(pk) < 19}
        try:
            count = services.attendance_record(activity=activity, session_date=session_date, present_ids=present,
                                               acting_user=request.user, actor=events.actor_for_request(request))  # fmt: skip
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("activities:attendance", public_id)
        messages.success(request, _("Attendance saved for %(count)s participants.") % {"count": count})
        return redirect(
            f"{reverse('activities:attendance', args=[public_id])}?datum={session_date.isoformat()}"
        )
    registrations = selectors.attendance_list_shown(user=request.user, actor=events.actor_for_request(request),
                                                    activity=activity)  # fmt: skip
    return render(request, "activities/attendance.html", {
        "activity": activity, "registrations": registrations, "session_date": session_date, "recent": recent,
        "present_ids": {pk for pk, came in selectors.recent_attendance(activity, session_date).items() if came},
    })  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("activities.add_activity")
def upload(request: HttpRequest) -> HttpResponse:
    _organisation(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            report = bulk.activities_upload(organisation=_organisation(request), name=file.name,
                                            content=file.read())  # fmt: skip
        except bulk.UploadError as error:
            form.add_error("file", str(error))
        else:
            if report.ok:
                messages.success(request, _("%(created)s activities added and %(updated)s updated.")
                                 % {"created": report.created, "updated": report.updated})  # fmt: skip
                return redirect("activities:manage")
    return render(
        request, "activities/upload.html", {"form": form, "report": report, "columns": bulk.COLUMNS}
    )


@require_GET
@requires_permission("activities.add_activity")
def upload_example(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(bulk.example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="activiteiten-voorbeeld.csv"'
    return response


# --- Occupancy and the allocation round --------------------------------------------------------------


@never_cache
@require_GET
@requires_permission("activities.view_occupancy")
def occupancy(request: HttpRequest) -> HttpResponse:
    rows, city = selectors.occupancy_by_district()
    now_places, target = policy.get("activities.places_start"), policy.get("activities.places_target")
    return render(request, "activities/occupancy.html", {
        "rows": rows, "city": city, "places_now": now_places, "target": target,
        "to_target": max(target - city.places, 0),
        "target_share": min(city.places / target, 1.0) if target else None,
        "can_allocate": request.user.has_perm("activities.run_allocation"),
    })  # fmt: skip


@never_cache
@require_GET
@requires_permission("activities.view_occupancy")
def occupancy_export(request: HttpRequest) -> HttpResponse:
    """The occupancy table as CSV (semicolons, UTF-8 with a byte-order mark: Dutch Excel opens it as is)."""
    rows, city = selectors.occupancy_by_district()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bezetting-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv_safe.writer(response, delimiter=";")
    writer.writerow([_("District"), _("Activities"), _("Places"), _("Taken"), _("Occupancy (%)"), _("Waiting"),
                     _("Attendance (%)")])  # fmt: skip

    def percent(share: float | None) -> str:
        return "" if share is None else str(round(100 * share))

    for row in [*rows, city]:
        writer.writerow([row.label or _("City"), row.activities, row.places, row.taken, percent(row.occupancy),
                         row.waiting, percent(row.attendance_rate)])  # fmt: skip
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("activities.run_allocation")
def allocation_round(request: HttpRequest) -> HttpResponse:
    """The round's proposals with their reasons; the coordinator sends those they keep ticked."""
    if request.method == "POST":
        plan, sent = services.allocation_apply(
            actor=events.actor_for_request(request), acting_user=request.user,
            chosen=set(request.POST.getlist("proposal")),
        )  # fmt: skip
        if sent:
            messages.success(request, _("%(sent)s places offered to residents on waiting lists.") % {"sent": sent})
        else:
            messages.info(request, _("No offers sent: no proposal was ticked, or the places were taken meanwhile."))
        return redirect("activities:allocation")
    plan = allocation.allocation_plan()
    shown = plan.proposals[:ALLOCATION_SHOWN]
    people = [p.entries[0].resident for p in shown]
    visible = selectors.residents_visible_among(request.user, people, actor=events.actor_for_request(request),
                                                purpose="allocation_round",
                                                fields=("first_name", "last_name", "loneliness_need"))  # fmt: skip
    interest_names = {
        term.code: term.display_name for term in Term.objects.filter(vocabulary=Term.Vocabulary.INTEREST)
    }
    # Numbers formatted here, once per row, in the page's decimal separator: 200 rows through the
    # floatformat filter (Decimal arithmetic) were a third of the page's time (issue #16), and whole
    # numbers through the template's localisation (number_format) and a blocktranslate per row another
    # sixth; the checkbox's label is the same message as the template's was.
    comma = get_format("DECIMAL_SEPARATOR")
    figures = [
        {"km": f"{p.km:.1f}".replace(".", comma), "weight": f"{p.weight:.3f}".replace(".", comma),
         "n": str(n), "need": str(p.need), "waiting_days": str(p.waiting_days),
         "label": _("Send proposal %(n)s") % {"n": n},
         **{name: f"{value:.3f}".replace(".", comma) for name, value in p.parts.items()}}
        for n, p in enumerate(shown, start=1)
    ]  # fmt: skip
    return render(request, "activities/allocation.html", {
        "plan": plan, "shown": shown, "rows": list(zip(shown, figures, strict=True)), "visible": visible, "interest_names": interest_names,
        "more": len(plan.proposals) - len(shown),
    })  # fmt: skip
