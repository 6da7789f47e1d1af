# SPDX-License-Identifier: EUPL-1.2
"""Pages of the initiatives room: the public application, the broker's initiatives with their decisions,
community centres with their calendars, the broker's network and the reach per wijk."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.audit import events
from omzien.initiatives import selectors, services
from omzien.initiatives.forms import (
    ApplicationForm,
    BookingForm,
    ContactForm,
    DeclineForm,
    EvaluateForm,
    GrantForm,
    KeyFigureForm,
    NoteForm,
    PhotoForm,
    PublishForm,
    SettleForm,
    VacancyForm,
    VisitorCountForm,
    WorryForm,
)
from omzien.initiatives.maps import district_map
from omzien.initiatives.models import Booking, Centre, Initiative, PartOfDay, Status
from omzien.initiatives.permissions import (
    get_booking_for_user,
    get_centre_for_user,
    get_initiative_for_user,
    get_key_figure_for_user,
    get_photo_for_user,
    initiatives_shown_to_user,
    key_figures_shown_to_user,
    may_count_visitors,
)
from omzien.initiatives.policies import DECISION_WEEKS, policy_value
from omzien.lib import throttle
from omzien.lib.access import requires_permission
from omzien.lib.client import client_address
from omzien.lib.paging import page_number
from omzien.lib.throttle import public_form_rate, throttled_response
from omzien.lib.uploads import UploadRefusedError

RECEIPT_SALT = "omzien.initiatives.receipt"
PER_PAGE = 25
HANDLE = "initiatives.handle_initiative"
NETWORK = "initiatives.keep_network"
BOOK = "initiatives.book_room"
REACH = "initiatives.view_reach"


# --- Public ---------------------------------------------------------------------------------------------


APPLY_SCOPE = "initiatives-application"


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public application: residents ask the neighbourhood initiative fund for support, without an account.

    Throttled per address (the public-form rate), counting only applications taken in: someone who needs
    five tries to get the form right is not refused for it, a script that sends many applications is."""
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    address, rate = client_address(request) or "unknown", public_form_rate(APPLY_SCOPE)
    if request.method == "POST":
        usage = throttle.peek(f"form:{APPLY_SCOPE}", address, rate)
        if usage.exceeded_or_at_limit:
            return throttled_response(request, usage.retry_after())
    if request.method == "POST" and form.is_valid():
        try:
            with throttle.counted(f"form:{APPLY_SCOPE}", address, rate):
                initiative = services.initiative_apply(data=form.data_for_service(), actor=events.actor_for_request(request))
        except throttle.ThrottledError as refused:
            return throttled_response(request, refused.usage.retry_after())
        except services.InitiativeError as error:
            form.add_error("postcode", str(error))
        else:
            receipt = signing.dumps({"reference": initiative.reference, "wijk": initiative.district.name,
                                     "due": initiative.decision_due.isoformat()}, salt=RECEIPT_SALT)  # fmt: skip
            return redirect(f"{reverse('initiatives:apply_done')}?ontvangst={receipt}")
    return render(request, "initiatives/apply.html", {"form": form, "weeks": policy_value(DECISION_WEEKS)},
                  status=400 if form.errors else 200)  # fmt: skip


@never_cache
@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    """The acknowledgement: reference number, wijk and decision term (nothing personal on it)."""
    try:
        receipt = signing.loads(request.GET.get("ontvangst", ""), salt=RECEIPT_SALT, max_age=24 * 3600)
        receipt["due"] = date.fromisoformat(receipt["due"])
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        # Not a receipt this site signed in the last day: no thanks for an application we cannot name.
        receipt = None
    return render(request, "initiatives/apply_done.html", {"receipt": receipt}, status=200 if receipt else 404)


@require_GET
def centres(request: HttpRequest) -> HttpResponse:
    """Community centres: where they are, their rooms and opening hours (public)."""
    return render(request, "initiatives/centres.html", {"centres": selectors.centre_list()})


@require_GET
def centre(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One community centre: what happens there, its rooms, opening hours (public)."""
    found = get_centre_for_user(request.user, public_id)
    return render(request, "initiatives/centre.html", {
        "centre": found, "rooms": found.rooms.all(), "hours": found.opening_hours.all(),
        "may_book": request.user.has_perm(BOOK), "activities": selectors.activities_at(found),
    })  # fmt: skip


# --- The broker's initiatives ---------------------------------------------------------------------------


@never_cache
@require_GET
@requires_permission(HANDLE)
def initiative_list(request: HttpRequest) -> HttpResponse:
    """The initiatives of the broker's wijken: open applications (decision term first) and each stage."""
    view = request.GET.get("weergave", "open")
    if view not in selectors.LIST_VIEWS:
        view = "open"
    words = request.GET.get("q", "")[:100]
    page = Paginator(selectors.initiative_list(request.user, view, words), PER_PAGE).get_page(page_number(request))
    shown = list(page.object_list)
    initiatives_shown_to_user(request, shown)
    return render(request, "initiatives/list.html", {
        "page": page, "initiatives": shown, "view": view, "today": timezone.localdate(), "words": words,
        "query": urlencode({"weergave": view, "q": words}),
    })  # fmt: skip


def _detail(request: HttpRequest, initiative: Initiative, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "initiative": initiative,
        "events": initiative.events.select_related("actor"),
        "photos": initiative.photos.defer("image"),
        "bookings": initiative.bookings.filter(cancelled_at__isnull=True, starts_at__gte=timezone.now())
        .select_related("room__centre")[:10],
        "note_form": forms.get("note_form") or NoteForm(),
        "grant_form": forms.get("grant_form") or GrantForm(initial={"amount": initiative.budget_requested},
                                                           initiative=initiative),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "evaluate_form": forms.get("evaluate_form") or EvaluateForm(),
        "settle_form": forms.get("settle_form") or SettleForm(initial={"amount": initiative.amount_granted}),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "publish_form": forms.get("publish_form") or PublishForm(district_id=initiative.district_id,
                                                                 initial=selectors.publish_initial(initiative)),
        "vacancy_form": forms.get("vacancy_form") or VacancyForm(initial={
            "title": _("Volunteers for %(title)s") % {"title": initiative.title}, "hours": _("2 hours a week")}),
        "Status": Status,
        "decided": initiative.status in (Status.GRANTED, Status.DECLINED, Status.RUNNING, Status.EVALUATED),
        "can_publish": initiative.status in (Status.GRANTED, Status.RUNNING),
        "centres": selectors.centre_list(initiative.district_id),
    }  # fmt: skip
    return render(request, "initiatives/detail.html", context, status=status)


@never_cache
@require_GET
@requires_permission(HANDLE)
def initiative_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One initiative with its history, its decision, and what it published."""
    return _detail(request, get_initiative_for_user(request, public_id))


def _back(initiative: Initiative) -> HttpResponse:
    return redirect("initiatives:detail", public_id=initiative.public_id)


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_step(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The steps without a form of their own: in conversation, running."""
    initiative = get_initiative_for_user(request, public_id, fields=("status",))
    actor, step = events.actor_for_request(request), request.POST.get("stap")
    try:
        if step == "gesprek":
            services.initiative_conversation_start(initiative=initiative, acting_user=request.user, actor=actor)
        elif step == "gestart":
            services.initiative_start(initiative=initiative, acting_user=request.user, actor=actor)
        else:
            messages.error(request, _("Choose a step."))
            return _back(initiative)
    except services.InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The status has been changed."))
    return _back(initiative)


def _forms_shown(initiative: Initiative) -> set[str]:
    """The forms the initiative's page shows in its status (the template's choice, in one place)."""
    shown = {"note_form", "photo_form"}
    if initiative.status in (Status.RECEIVED, Status.IN_CONVERSATION):
        shown |= {"grant_form", "decline_form"}
    elif initiative.status == Status.RUNNING:
        shown.add("evaluate_form")
    elif initiative.status == Status.EVALUATED and initiative.settled_at is None:
        shown.add("settle_form")
    if initiative.status in (Status.GRANTED, Status.RUNNING):
        shown |= {"publish_form", "vacancy_form"}
    return shown


def _not_now(request: HttpRequest, initiative: Initiative, key: str) -> None:
    # A form sent from an older page (another tab, the back button) for a step this status does not
    # offer: its field messages would land in a form the page no longer shows, so say why at the top.
    if key not in _forms_shown(initiative):
        messages.error(request, _("This step is not possible now: the initiative is %(status)s.")
                       % {"status": initiative.get_status_display()})  # fmt: skip


def _form_step(request: HttpRequest, public_id: uuid.UUID, form_class: Any, key: str, act: Any, done: str) -> HttpResponse:
    initiative = get_initiative_for_user(request, public_id)
    if key == "photo_form":
        form = form_class(request.POST, request.FILES)
    elif key == "grant_form":
        form = form_class(request.POST, initiative=initiative)
    else:
        form = form_class(request.POST)
    if not form.is_valid():
        _not_now(request, initiative, key)
    else:
        try:
            act(initiative, form.cleaned_data, events.actor_for_request(request))
        except (services.InitiativeError, UploadRefusedError) as error:
            field = getattr(error, "field", None)
            if field in form.fields:
                form.add_error(field, str(error))  # at its field (the error summary links there)
            else:
                # At the top of the page: the form it concerns may not be on the page in this status.
                messages.error(request, str(error))
        else:
            messages.success(request, done)
            return _back(initiative)
    return _detail(request, initiative, status=400, **{key: form})


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_grant(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _form_step(request, public_id, GrantForm, "grant_form", lambda i, d, a: services.initiative_grant(
        initiative=i, amount=d["amount"], conditions=d["conditions"], acting_user=request.user, actor=a),
        _("Granted. The letter has been sent to the applicant."))  # fmt: skip


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_decline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _form_step(request, public_id, DeclineForm, "decline_form", lambda i, d, a: services.initiative_decline(
        initiative=i, reason=d["reason"], acting_user=request.user, actor=a),
        _("Refused. The letter has been sent to the applicant."))  # fmt: skip


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_evaluate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _form_step(request, public_id, EvaluateForm, "evaluate_form", lambda i, d, a: services.initiative_evaluate(
        initiative=i, participants=d["participants"], went_well=d["went_well"], could_be_better=d["could_be_better"],
        acting_user=request.user, actor=a), _("The evaluation has been saved."))  # fmt: skip


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_settle(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _form_step(request, public_id, SettleForm, "settle_form", lambda i, d, a: services.initiative_settle(
        initiative=i, amount=d["amount"], acting_user=request.user, actor=a),
        _("The grant has been settled. The letter has been sent to the applicant."))  # fmt: skip


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_note(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _form_step(request, public_id, NoteForm, "note_form", lambda i, d, a: services.initiative_note_add(
        initiative=i, text=d["text"], acting_user=request.user, actor=a), _("The note has been added."))  # fmt: skip


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_photo(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _form_step(request, public_id, PhotoForm, "photo_form", lambda i, d, a: services.photo_add(
        initiative=i, raw=d["photo"].read(), caption=d["caption"], consent=d["consent"], acting_user=request.user,
        actor=a), _("The photo has been added, without its location and camera data."))  # fmt: skip


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_publish(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    initiative = get_initiative_for_user(request, public_id)
    form = PublishForm(request.POST, district_id=initiative.district_id)
    if not form.is_valid():
        _not_now(request, initiative, "publish_form")
    else:
        data = services.PublishData(
            title=form.cleaned_data["title"], description=form.cleaned_data["description"],
            slots=form.cleaned_data["schedule"], capacity=form.cleaned_data["capacity"],
            centre=form.cleaned_data["centre"], contact_phone=form.cleaned_data["contact_phone"],
            contact_email=form.cleaned_data["contact_email"],
        )  # fmt: skip
        try:
            services.activity_publish(initiative=initiative, data=data, acting_user=request.user,
                                      actor=events.actor_for_request(request))  # fmt: skip
        except services.InitiativeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Published in the sociale kaart: residents find it in the activity search."))
            return _back(initiative)
    return _detail(request, initiative, status=400, publish_form=form)


@never_cache
@require_POST
@requires_permission(HANDLE)
def initiative_vacancy(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _form_step(request, public_id, VacancyForm, "vacancy_form", lambda i, d, a: services.volunteers_ask(
        initiative=i, title=d["title"], description=d["description"], hours=d["hours"], acting_user=request.user,
        actor=a), _("The vacancy is published in the volunteer room."))  # fmt: skip


@never_cache
@require_GET
@requires_permission(HANDLE)
def initiative_letter(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The decision letter (grant, refusal or final settlement), printable, with the objection clause."""
    initiative = get_initiative_for_user(request, public_id)
    kind = "vaststelling" if request.GET.get("soort") == "vaststelling" and initiative.settled_at else "besluit"
    if initiative.decided_at is None:
        messages.error(request, _("There is no decision yet."))
        return _back(initiative)
    return render(request, "initiatives/letter.html", _letter_context(initiative, kind))


@never_cache
@require_GET
@requires_permission(HANDLE)
def initiative_letter_pdf(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The same letter as a tagged PDF (PDF/UA-1, WeasyPrint), to send or keep in the file."""
    initiative = get_initiative_for_user(request, public_id)
    kind = "vaststelling" if request.GET.get("soort") == "vaststelling" and initiative.settled_at else "besluit"
    if initiative.decided_at is None:
        messages.error(request, _("There is no decision yet."))
        return _back(initiative)
    pdf = services.letter_pdf(render_to_string("initiatives/letter_document.html", {
        **_letter_context(initiative, kind), "language": translation.get_language() or "nl",
        "document_title": (_("Settlement letter") if kind == "vaststelling" else _("Decision letter")) + f" {initiative.reference}",
    }))  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{'vaststelling' if kind == 'vaststelling' else 'besluit'}-{initiative.reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _letter_context(initiative: Initiative, kind: str) -> dict[str, Any]:
    return {
        "initiative": initiative, "kind": kind, "objection": services.objection_clause(initiative),
        "sent_on": initiative.settled_at if kind == "vaststelling" else initiative.decided_at,
        "settlement": services.settlement_text(initiative) if kind == "vaststelling" else "",
        "contact": services.broker_contact(initiative),
    }  # fmt: skip


@never_cache
@require_GET
@requires_permission(HANDLE)
def photo(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A photo of an initiative (already without metadata), for the broker of its wijk."""
    found = get_photo_for_user(request, public_id)
    response = HttpResponse(bytes(found.image), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
@requires_permission(HANDLE)
def budget(request: HttpRequest) -> HttpResponse:
    """The fund per wijk and year: budget, granted, settled (spent) and left."""
    year = _year(request)
    return render(request, "initiatives/budget.html", {
        "rows": selectors.budget_overview(selectors.broker_district_ids(request.user), year), "year": year,
        "years": _years(),
    })  # fmt: skip


def _years() -> list[int]:
    this = timezone.localdate().year
    return [this - 2, this - 1, this]


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("jaar", ""))
    except ValueError:
        return timezone.localdate().year
    return year if year in _years() else timezone.localdate().year


@never_cache
@require_GET
@requires_permission(REACH)
def reach(request: HttpRequest) -> HttpResponse:
    """Reach per wijk: initiatives, participants, room use, on a map and as a table (aggregates only)."""
    year = _year(request)
    rows = selectors.reach_per_district(year)
    return render(request, "initiatives/reach.html", {
        "rows": rows, "year": year, "years": _years(), "map": district_map({row.code: row.granted for row in rows}),
        "mine": set(selectors.broker_district_ids(request.user)),
    })  # fmt: skip


# --- Community centres: calendar, booking, visitors ---------------------------------------------------


def _day(request: HttpRequest, key: str) -> date:
    try:
        found = date.fromisoformat(request.GET.get(key, ""))
    except ValueError:
        return timezone.localdate()
    return found if date(2000, 1, 1) <= found <= date(2100, 1, 1) else timezone.localdate()


@never_cache
@require_GET
@requires_permission(BOOK)
def centre_calendar(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A centre's bookings as a week view (or one day), with a table holding the same."""
    return _calendar(request, get_centre_for_user(request.user, public_id))


def _calendar(request: HttpRequest, found: Centre, count_form: VisitorCountForm | None = None, status: int = 200) -> HttpResponse:
    per_day = request.GET.get("weergave") == "dag"
    day = _day(request, "datum")
    first = day if per_day else selectors.week_start(day)
    length = 1 if per_day else 7
    columns = selectors.bookings_between(found, first, length)
    today = timezone.localdate()
    return render(request, "initiatives/calendar.html", {
        "centre": found, "calendar_url": reverse("initiatives:calendar", args=[found.public_id]),
        "columns": columns, "per_day": per_day, "first": first,
        "previous": first - timedelta(days=length), "next": first + timedelta(days=length),
        "rooms": found.rooms.all(),
        "visitors": selectors.visitors_by_part(found, today - timedelta(days=13), today),
        "may_count": may_count_visitors(request.user, found),
        "count_form": count_form or VisitorCountForm(initial={"day": today}), "parts": PartOfDay, "now": timezone.now(),
    }, status=status)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(BOOK)
def book(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Book a room of the centre, once or weekly; a clash names the dates and books nothing."""
    found = get_centre_for_user(request.user, public_id)
    form = BookingForm(request.POST if request.method == "POST" else None, centre=found,
                       initiatives=selectors.bookable_initiatives(request.user) if request.user.has_perm(HANDLE) else None,
                       initial={"day": _day(request, "datum"), "initiative": request.GET.get("initiatief")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.booking_make(request=services.BookingRequest(
                room=data["room"], day=data["day"], starts=data["starts"], ends=data["ends"], title=data["title"],
                booked_for=data["booked_for"], repeat_weeks=data["repeat_weeks"] or 0,
                expected_visitors=data["expected_visitors"], initiative=data.get("initiative"),
            ), acting_user=request.user)  # fmt: skip
        except services.BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, ngettext("Booked: once.", "Booked: %(count)s times.", len(made)) % {"count": len(made)})
            return redirect(f"{reverse('initiatives:calendar', args=[found.public_id])}?datum={data['day'].isoformat()}")
    return render(request, "initiatives/book.html", {"centre": found, "form": form}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(BOOK)
def booking_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Cancel a booking after a confirmation (a page of its own: it works without JavaScript); a booking of a
    weekly series asks which: this one, this one and the later ones, or the whole series."""
    booking = get_booking_for_user(request.user, public_id)
    back = f"{reverse('initiatives:calendar', args=[booking.room.centre.public_id])}?datum={timezone.localdate(booking.starts_at).isoformat()}"
    if booking.cancelled_at is not None:
        messages.info(request, _("This booking has already been cancelled."))
        return redirect(back)
    scope = request.POST.get("bereik", "" if booking.series else services.CancelScope.ONE)
    error = ""
    if request.method == "POST":
        try:
            count = services.booking_cancel(booking=booking, scope=scope)
        except services.BookingError as refused:
            error = str(refused)
        else:
            messages.success(request, ngettext("Cancelled: %(count)s booking.", "Cancelled: %(count)s bookings.", count)
                             % {"count": count})  # fmt: skip
            return redirect(back)
    series = list(Booking.objects.filter(series=booking.series, cancelled_at__isnull=True).order_by("starts_at")) if booking.series else []
    return render(request, "initiatives/booking_cancel.html", {
        "booking": booking, "back": back, "series": series, "scope": scope, "error": error, "scopes": services.CancelScope,
        "following": sum(1 for item in series if item.starts_at >= booking.starts_at),
        "to_come": sum(1 for item in series if item.ends_at > timezone.now()),
    }, status=400 if error else 200)  # fmt: skip


@never_cache
@require_POST
@requires_permission(HANDLE)
def visitors(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Record the visitors of a part of a day (the broker of the centre's wijk)."""
    found = get_centre_for_user(request.user, public_id)
    url = reverse("initiatives:calendar", args=[found.public_id])
    if not may_count_visitors(request.user, found):
        messages.error(request, _("Only the social broker of this wijk keeps its visitor counts."))
        return redirect(url)
    form = VisitorCountForm(request.POST)
    if form.is_valid():
        try:
            services.visitor_count_record(centre=found, acting_user=request.user, **form.cleaned_data)
        except services.BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The visitors have been recorded."))
            return redirect(url)
    # The calendar again with the form as it was sent: each message at its field, in the error summary.
    return _calendar(request, found, count_form=form, status=400)


# --- The broker's network ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(NETWORK)
def network(request: HttpRequest) -> HttpResponse:
    """The key figures and organisations of the broker's wijken, and a form to add one."""
    districts = selectors.broker_district_ids(request.user)
    form = KeyFigureForm(request.POST if request.method == "POST" else None, district_ids=districts)
    if request.method == "POST" and form.is_valid():
        figure = services.key_figure_add(values=form.cleaned_data, acting_user=request.user,
                                         actor=events.actor_for_request(request))  # fmt: skip
        messages.success(request, _("%(name)s has been added to your network.") % {"name": figure.name})
        return redirect("initiatives:key_figure", public_id=figure.public_id)
    page = Paginator(selectors.network_of(request.user), PER_PAGE).get_page(page_number(request))
    shown = list(page.object_list)
    key_figures_shown_to_user(request, shown)
    return render(request, "initiatives/network.html", {"page": page, "figures": shown, "form": form, "query": ""},
                  status=400 if form.errors else 200)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(NETWORK)
def key_figure(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A key figure with the contact moments (appended) and a form for the next one."""
    figure = get_key_figure_for_user(request, public_id)
    form = ContactForm(request.POST if request.method == "POST" else None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(figure=figure, acting_user=request.user, actor=events.actor_for_request(request),
                                 **form.cleaned_data)  # fmt: skip
        except services.InitiativeError as error:
            form.add_error("on", str(error))
        else:
            messages.success(request, _("The contact moment has been added."))
            return redirect("initiatives:key_figure", public_id=figure.public_id)
    return render(request, "initiatives/key_figure.html", {
        "figure": figure, "contacts": figure.contacts.select_related("by"), "form": form,
    }, status=400 if form.errors else 200)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission(NETWORK, "casework.report_signal")
def worry(request: HttpRequest) -> HttpResponse:
    """The broker worries about a resident: a signal to the neighbourhood team, through casework."""
    figure = None
    figure_id = request.GET.get("figuur") or request.POST.get("figuur")
    if figure_id:
        try:
            figure = get_key_figure_for_user(request, uuid.UUID(str(figure_id)))
        except ValueError:
            figure = None
    form = WorryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reference = services.worry_report(data=form.signal_data(), figure=figure, acting_user=request.user,
                                              actor=events.actor_for_request(request))  # fmt: skip
        except services.InitiativeError as error:
            form.add_error("postcode", str(error))
        else:
            messages.success(request, _("Thank you. Your report %(reference)s is with the neighbourhood team.") % {"reference": reference})
            return redirect("initiatives:key_figure", public_id=figure.public_id) if figure else redirect("initiatives:network")
    return render(request, "initiatives/worry.html", {"form": form, "figure": figure}, status=400 if form.errors else 200)
