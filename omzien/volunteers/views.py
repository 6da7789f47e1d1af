# SPDX-License-Identifier: EUPL-1.2
"""Pages of the volunteer centre: public sign-up, vacancies, trainings and carers' registration; the
volunteer's own page; the coordinator's overview, intake pages, vacancies, trainings and carers.

Views stay thin: they read through ``permissions`` (which log every read of a person) and
``selectors``, and write through ``services``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role, user_role
from omzien.activities import selectors as activity_selectors
from omzien.audit import events
from omzien.lib.access import requires_permission, requires_role
from omzien.lib.paging import page_number, query_without_page
from omzien.lib.throttle import public_form_throttled
from omzien.volunteers import permissions, selectors, services
from omzien.volunteers.forms import (
    CarerForm,
    CoordinatorEntryForm,
    ProfileForm,
    ReferenceForm,
    RespiteForm,
    SessionForm,
    SignupForm,
    StageForm,
    SupportNoteForm,
    TrainingForm,
    VacancyForm,
    VacancySearchForm,
    VogForm,
    VolunteerFilterForm,
    slot_rows,
)
from omzien.volunteers.models import Carer, Diet, Intake, TrainingRegistration, Vacancy, WorkKind
from omzien.volunteers.profile import language_names, slots_text

CARER_GROUP = "mantelzorgers"  # the directory's target group of carer activities (activities taxonomy)


def _organisation(request: HttpRequest) -> Organisation:
    """The coordinator's own organisation (an account without one has nothing to manage here)."""
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _carer_activities() -> list[Any]:
    """A few activities for informal carers from the directory (the sociale kaart)."""
    result = activity_selectors.activity_search(activity_selectors.SearchQuery(target_group=CARER_GROUP), page=1, per_page=5)
    return list(result.hits)


# --- Public: sign-up ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@public_form_throttled("volunteers-signup")
def signup(request: HttpRequest) -> HttpResponse:
    vacancy = None
    wanted = request.POST.get("vacancy") or request.GET.get("vacature") or ""
    if wanted:
        try:
            vacancy = selectors.vacancy_public(uuid.UUID(wanted))
        except ValueError:
            vacancy = None
        if vacancy is None:
            messages.error(request, _("This vacancy is no longer open. You can still sign up below."))
    initial: dict[str, Any] = {}
    if vacancy is not None:
        initial.update(organisation=vacancy.organisation_id, work_kinds=[vacancy.work_kind])
    if request.user.is_authenticated:
        user: Any = request.user
        own = selectors.own_volunteer(user)
        # Someone who volunteers already (or a resident with an account) need not type it all again.
        initial.update(ProfileForm.initial_from(own) if own else
                       {"first_name": user.first_name, "last_name": user.last_name, "email": user.email})  # fmt: skip
        initial.update({"work_kinds": [vacancy.work_kind]} if vacancy else {})
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and vacancy is not None:
        data["organisation"] = str(vacancy.organisation_id)  # a response goes to the vacancy's organisation
    form = SignupForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = selectors.volunteer_organisations().get(pk=form.cleaned_data["organisation"])
        try:
            services.volunteer_signup(
                data=form.profile_data(), organisation=organisation, vacancy=vacancy,
                user=request.user if request.user.is_authenticated else None, actor=events.actor_for_request(request),
            )  # fmt: skip
        except services.VolunteerError as error:
            form.add_error(None, error.message)
        else:
            request.session["volunteers_signed_up_with"] = organisation.name
            return redirect("volunteers:signup_done")
    return render(request, "volunteers/signup.html", {
        "form": form, "vacancy": vacancy, "slot_rows": slot_rows(form["availability"]),
    })  # fmt: skip


@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/signup_done.html",
                  {"organisation": request.session.get("volunteers_signed_up_with", "")})  # fmt: skip


# --- Public: vacancies and trainings ------------------------------------------------------------------


@require_GET
def vacancies(request: HttpRequest) -> HttpResponse:
    form = VacancySearchForm(request.GET or None)
    result = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        point = None
        if data.get("where"):
            point = selectors.postcode_point(data["where"])
            if point is None:
                form.add_error("where", _("We do not know this postcode. Enter a postcode in the municipality, like 3561 AB."))
        if not form.errors:
            query = selectors.VacancyQuery(
                text=data.get("q", ""), work_kind=data.get("work_kind", ""), district_code=data.get("wijk", ""),
                language=data.get("language", ""), point=point, radius_km=float(data.get("radius") or 5) if point else None,
            )  # fmt: skip
            result = selectors.vacancy_search(query, page=page_number(request))
    return render(request, "volunteers/vacancies.html",
                  {"form": form, "result": result, "query_string": query_without_page(request)})  # fmt: skip


@require_GET
def vacancy(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.vacancy_public(public_id)
    if found is None:
        raise Http404("No such vacancy.")
    return render(request, "volunteers/vacancy.html", {"vacancy": found, "when": slots_text(found.availability),
                                                       "language_text": language_names(found.languages)})  # fmt: skip


@require_GET
def trainings(request: HttpRequest) -> HttpResponse:
    role = user_role(request.user)
    registered: set[int] = set()
    if role == Role.VOLUNTEER:
        own = selectors.own_volunteer(request.user)
        if own is not None:
            registered = set(
                own.training_registrations.filter(status=TrainingRegistration.Status.ACTIVE).values_list("session_id", flat=True)
            )
    return render(request, "volunteers/trainings.html", {
        "trainings": selectors.trainings_with_sessions(), "is_volunteer": role == Role.VOLUNTEER, "registered": registered,
    })  # fmt: skip


# --- Public: informal carers --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@public_form_throttled("volunteers-carer-signup")
def carer_signup(request: HttpRequest) -> HttpResponse:
    point = selectors.carer_support_point()
    form = CarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and point is not None:
        data = form.cleaned_data
        respite = (
            services.RespiteData(availability=data["respite_availability"], hours_per_week=data["respite_hours"],
                                 note=data["respite_note"].strip())
            if data["wants_respite"] else None
        )  # fmt: skip
        services.carer_register(
            data=services.CarerData(
                first_name=data["first_name"].strip(), last_name=data["last_name"].strip(), postcode=data["postcode"],
                cares_for=data["cares_for"], hours_per_week=data["hours_per_week"], burden=data["burden"],
                email=data["email"], phone=data["phone"].strip(), care_description=data["care_description"].strip(),
            ),
            organisation=point, consent_text=str(form.fields["consent"].label), actor=events.actor_for_request(request),
            user=request.user, respite=respite,
        )  # fmt: skip
        request.session["volunteers_carer_respite"] = respite is not None
        return redirect("volunteers:carer_signup_done")
    return render(request, "volunteers/carer_signup.html", {
        "form": form, "point": point, "slot_rows": slot_rows(form["respite_availability"]),
    })  # fmt: skip


@require_GET
def carer_signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/carer_signup_done.html", {
        "respite": request.session.get("volunteers_carer_respite", False), "activities": _carer_activities(),
        "group": CARER_GROUP,
    })  # fmt: skip


# --- The volunteer's own pages --------------------------------------------------------------------------


@never_cache
@require_GET
@requires_role(Role.VOLUNTEER)
def mine(request: HttpRequest) -> HttpResponse:
    actor = events.actor_for_request(request)
    volunteer = permissions.get_own_volunteer_for_user(request.user, actor=actor)
    intakes = list(volunteer.intakes.filter(stage__in=Intake.CURRENT).select_related("organisation"))
    pairs = permissions.own_pairs_for_user(volunteer, actor=actor)
    vogs = [(intake.organisation, selectors.vog_status(volunteer, intake.organisation_id)) for intake in intakes]
    return render(request, "volunteers/mine.html", {
        "volunteer": volunteer, "intakes": intakes, "vogs": vogs, "registrations": selectors.volunteer_trainings(volunteer),
        "when": slots_text(volunteer.availability), "now": timezone.now(), "language_text": language_names(volunteer.languages),
        "pairs": pairs, "hours": selectors.volunteer_hours(volunteer),
    })  # fmt: skip


@never_cache
@require_POST
@requires_role(Role.VOLUNTEER)
def training_register(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    volunteer = permissions.get_own_volunteer_for_user(request.user, actor=actor)
    session = selectors.sessions_open().filter(public_id=public_id).first()
    if session is None:
        raise Http404("No such session.")
    try:
        services.training_register(session=session, volunteer=volunteer, actor=actor)
    except services.VolunteerError as error:
        messages.error(request, error.message)
        return redirect("volunteers:trainings")
    messages.success(request, _("You are registered for %(title)s.") % {"title": session.training.title})
    return redirect("volunteers:mine")


@never_cache
@require_POST
@requires_role(Role.VOLUNTEER)
def training_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    volunteer = permissions.get_own_volunteer_for_user(request.user, actor=actor)
    registration = permissions.get_training_registration_for_user(volunteer, public_id, actor=actor)
    try:
        services.training_cancel(registration=registration, actor=actor)
    except services.VolunteerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled; the place is free for someone else."))
    return redirect("volunteers:mine")


@never_cache
@require_GET
@requires_role(Role.VOLUNTEER)
def certificate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    volunteer = permissions.get_own_volunteer_for_user(request.user, actor=actor)
    registration = permissions.get_training_registration_for_user(volunteer, public_id, actor=actor)
    try:
        pdf = services.certificate_pdf(registration, actor=actor, language=request.LANGUAGE_CODE)
    except services.VolunteerError as error:
        messages.error(request, error.message)
        return redirect("volunteers:mine")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{_('certificate')} {registration.session.training.title}") or "certificate"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# --- Coordinators: overview, volunteers, intake ---------------------------------------------------------


@never_cache
@require_GET
@requires_permission("volunteers.hold_intake")
def overview(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    data = selectors.overview(organisation)
    permissions.volunteers_listed(actor=events.actor_for_request(request), volunteers=[d.vog.volunteer for d in data.vogs_due],
                                  fields=("first_name", "last_name", "vogs"))  # fmt: skip
    return render(request, "volunteers/overview.html", {"organisation": organisation, "data": data, "section": "overview"})


@never_cache
@require_GET
@requires_permission("volunteers.hold_intake")
def volunteer_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = VolunteerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    vacancy_filter = None
    if request.GET.get("vacature"):
        try:
            vacancy_filter = permissions.get_vacancy_for_user(request.user, uuid.UUID(request.GET["vacature"]))
        except ValueError as error:
            raise Http404("No such vacancy.") from error
    page = permissions.volunteer_page_for_user(
        request.user, actor=events.actor_for_request(request), stage=data.get("stage", ""), text=data.get("q", ""),
        vacancy_id=vacancy_filter.pk if vacancy_filter else None, page=page_number(request),
    )  # fmt: skip
    return render(request, "volunteers/list.html", {
        "organisation": organisation, "form": form, "page": page, "vacancy": vacancy_filter, "section": "list",
        "query_string": query_without_page(request),
    })  # fmt: skip


def _detail_context(request: HttpRequest, public_id: uuid.UUID, forms: dict[str, Any] | None = None) -> dict[str, Any]:
    organisation = _organisation(request)
    volunteer = permissions.get_volunteer_for_user(request.user, public_id, actor=events.actor_for_request(request))
    intake = services.intake_for(volunteer, organisation.pk)
    forms = forms or {}
    today = timezone.localdate()
    return {
        "organisation": organisation, "volunteer": volunteer, "intake": intake, "section": "list",
        "steps": intake.steps.select_related("by"), "references": intake.references.select_related("recorded_by"),
        "vog": selectors.vog_status(volunteer, organisation.pk),
        "vogs": volunteer.vogs.filter(organisation=organisation).select_related("checked_by"),
        "registrations": selectors.volunteer_trainings(volunteer), "when": slots_text(volunteer.availability),
        "work_kinds": ", ".join(str(WorkKind(k).label) for k in volunteer.work_kinds if k in WorkKind.values),
        "language_text": language_names(volunteer.languages), "diets": ", ".join(str(Diet(d).label) for d in volunteer.diets if d in Diet.values),
        "stage_form": forms.get("stage") or StageForm(initial={"stage": intake.stage}),
        "note_form": forms.get("note") or SupportNoteForm(initial={"note": intake.extra_support_note}, prefix="support"),
        "reference_form": forms.get("reference") or ReferenceForm(prefix="ref"),
        "vog_form": forms.get("vog") or VogForm(initial={"requested_on": today}, prefix="vog"),
        "has_role": volunteer.user is not None and volunteer.user.groups.filter(name=Role.VOLUNTEER.value).exists(),
    }


@never_cache
@require_GET
@requires_permission("volunteers.hold_intake")
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return render(request, "volunteers/detail.html", _detail_context(request, public_id))


@never_cache
@require_POST
@requires_permission("volunteers.hold_intake")
def intake_action(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One change to the intake at the coordinator's organisation: stage, note, reference, VOG or account."""
    organisation = _organisation(request)
    actor = events.actor_for_request(request)
    volunteer = permissions.get_volunteer_for_user(request.user, public_id, actor=actor, fields=("intakes",))
    intake = services.intake_for(volunteer, organisation.pk)
    action = request.POST.get("action", "")
    invalid: dict[str, Any] = {}
    try:
        if action == "stage":
            form = StageForm(request.POST)
            if form.is_valid():
                services.intake_stage_set(intake=intake, stage=form.cleaned_data["stage"], acting_user=request.user, actor=actor)
                messages.success(request, _("Stage saved: %(stage)s.") % {"stage": Intake.Stage(form.cleaned_data["stage"]).label})
            else:
                invalid["stage"] = form
        elif action == "note":
            note_form = SupportNoteForm(request.POST, prefix="support")
            if note_form.is_valid():
                services.support_note_set(intake=intake, note=note_form.cleaned_data["note"], actor=actor)
                messages.success(request, _("Note saved."))
            else:
                invalid["note"] = note_form
        elif action == "reference":
            reference_form = ReferenceForm(request.POST, prefix="ref")
            if reference_form.is_valid():
                services.reference_add(intake=intake, acting_user=request.user, actor=actor, **reference_form.cleaned_data)
                messages.success(request, _("Reference saved."))
            else:
                invalid["reference"] = reference_form
        elif action == "vog":
            vog_form = VogForm(request.POST, prefix="vog")
            if vog_form.is_valid():
                vog = services.vog_record(volunteer=volunteer, organisation=organisation, acting_user=request.user,
                                          actor=actor, **vog_form.cleaned_data)  # fmt: skip
                messages.success(request, _("VOG checked and saved.") if vog.issued_on else _("VOG request saved."))
            else:
                invalid["vog"] = vog_form
        elif action == "account":
            services.volunteer_account_create(volunteer=volunteer, acting_user=request.user, actor=actor,
                                              site=request.build_absolute_uri("/").rstrip("/"))  # fmt: skip
            messages.success(request, _("The volunteer can now log in as a volunteer; an e-mail is on its way."))
        else:
            raise Http404("Unknown action.")
    except services.VolunteerError as error:
        messages.error(request, error.message)
    if invalid:
        response = render(request, "volunteers/detail.html", _detail_context(request, public_id, invalid))
        response.status_code = 400
        return response
    return redirect("volunteers:detail", public_id)


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("volunteers.hold_intake")
def volunteer_create(request: HttpRequest) -> HttpResponse:
    """The coordinator enters a volunteer who called or came by; the intake starts at their organisation."""
    organisation = _organisation(request)
    form = CoordinatorEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.volunteer_signup(data=form.profile_data(), organisation=organisation, actor=events.actor_for_request(request),
                                               entered_by=request.user)  # fmt: skip
        except services.VolunteerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Volunteer entered; the intake has started."))
            return redirect("volunteers:detail", intake.volunteer.public_id)
    return render(request, "volunteers/profile_form.html", {
        "form": form, "volunteer": None, "slot_rows": slot_rows(form["availability"]), "section": "list",
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("volunteers.hold_intake")
def profile_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The coordinator corrects or completes a volunteer's profile (after the introduction, say)."""
    actor = events.actor_for_request(request)
    volunteer = permissions.get_volunteer_for_user(request.user, public_id, actor=actor)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from(volunteer))
    if request.method == "POST" and form.is_valid():
        services.profile_update(volunteer=volunteer, data=form.profile_data(), actor=actor)
        messages.success(request, _("Details saved."))
        return redirect("volunteers:detail", public_id)
    return render(request, "volunteers/profile_form.html", {
        "form": form, "volunteer": volunteer, "slot_rows": slot_rows(form["availability"]), "section": "list",
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


# --- Coordinators: vacancies ------------------------------------------------------------------------------


@never_cache
@require_GET
@requires_permission("volunteers.hold_intake")
def vacancy_manage(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    rows = selectors.vacancies_with_responses(permissions.vacancies_managed_by(request.user))
    return render(request, "volunteers/vacancy_manage.html", {"organisation": organisation, "rows": rows, "section": "vacancies"})


def _vacancy_form(request: HttpRequest, instance: Vacancy | None) -> HttpResponse:
    organisation = _organisation(request)
    form = VacancyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = services.vacancy_save(organisation=organisation, values=form.values(), vacancy=instance)
        messages.success(request, _("Vacancy saved."))
        return redirect("volunteers:vacancy_edit", saved.public_id)
    return render(request, "volunteers/vacancy_form.html", {
        "form": form, "vacancy": instance, "section": "vacancies", "slot_rows": slot_rows(form["availability"]),
    })  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("volunteers.hold_intake")
def vacancy_create(request: HttpRequest) -> HttpResponse:
    return _vacancy_form(request, None)


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("volunteers.hold_intake")
def vacancy_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _vacancy_form(request, permissions.get_vacancy_for_user(request.user, public_id))


# --- Coordinators: trainings ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("volunteers.manage_trainings")
def training_manage(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    own = permissions.trainings_managed_by(request.user).order_by("title")
    choices = list(own.values_list("pk", "title"))
    action = request.POST.get("action", "")
    training_form = TrainingForm(request.POST if action == "training" else None, prefix="training")
    session_form = SessionForm(request.POST if action == "session" else None, trainings=choices, prefix="session")
    if action == "training" and training_form.is_valid():
        services.training_create(organisation=organisation, **training_form.cleaned_data)
        messages.success(request, _("Training added. Now add its sessions."))
        return redirect("volunteers:training_manage")
    if action == "session" and session_form.is_valid():
        data = session_form.cleaned_data
        training = own.get(pk=data["training"])
        services.session_save(training=training, values={
            "starts_at": data["starts_at"], "ends_at": data["starts_at"] + timedelta(hours=float(data["hours"])),
            "location": data["location"], "capacity": data["capacity"],
        })  # fmt: skip
        messages.success(request, _("Session added."))
        return redirect("volunteers:training_manage")
    return render(request, "volunteers/training_manage.html", {
        "trainings": selectors.trainings_for_organisation(organisation), "training_form": training_form,
        "session_form": session_form, "section": "trainings", "now": timezone.now(),
    }, status=400 if action else 200)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("volunteers.manage_trainings")
def session_attendance(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    session = permissions.get_session_for_user(request.user, public_id)
    if request.method == "POST":
        present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        try:
            came = services.attendance_record(session=session, present=present, acting_user=request.user, actor=actor)
        except services.VolunteerError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Attendance saved: %(n)s present.") % {"n": came})
        return redirect("volunteers:session_attendance", public_id)
    registrations = permissions.session_registrations_for_user(request.user, session, actor=actor)
    return render(request, "volunteers/attendance.html", {
        "session": session, "registrations": registrations, "started": session.starts_at <= timezone.now(),
        "section": "trainings",
    })  # fmt: skip


# --- Carer support point ---------------------------------------------------------------------------------


@never_cache
@require_GET
@requires_permission("volunteers.view_carer")
def carers(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    page = permissions.carer_page_for_user(request.user, actor=events.actor_for_request(request), page=page_number(request))
    return render(request, "volunteers/carers.html", {"organisation": organisation, "page": page,
                                                      "open": selectors.open_respite_by_carer([c.pk for c in page])})  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("volunteers.view_carer")
def carer_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = events.actor_for_request(request)
    carer: Carer = permissions.get_carer_for_user(request.user, public_id, actor=actor)
    form = RespiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.respite_request(carer=carer, data=services.RespiteData(
                availability=data["availability"], hours_per_week=data["hours_per_week"],
                languages=list(data["languages"]), note=data["note"].strip(),
            ), acting_user=request.user, actor=actor)  # fmt: skip
        except services.VolunteerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Request for respite saved; it is open for matching."))
            return redirect("volunteers:carer_detail", public_id)
    requests = [(r, slots_text(r.availability)) for r in carer.respite_requests.all()]
    return render(request, "volunteers/carer_detail.html", {
        "carer": carer, "requests": requests, "form": form, "slot_rows": slot_rows(form["availability"]),
        "activities": _carer_activities(), "group": CARER_GROUP,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip
