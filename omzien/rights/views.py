# SPDX-License-Identifier: EUPL-1.2
"""Pages of the rights room: a resident's requests and export, the privacy queue, the public statements.

Residents reach their record only through ``residents.permissions``; requests only through
``rights.permissions``. Both write the access log.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien import policy
from omzien.accounts.roles import Role
from omzien.audit.models import Action
from omzien.lib import csv_safe
from omzien.lib.access import requires_permission, requires_role
from omzien.lib.rooms import processing_purposes
from omzien.lib.throttle import public_form_throttled
from omzien.residents.models import Resident
from omzien.residents.permissions import get_own_resident_for_user, get_resident_for_user
from omzien.rights import selectors, services
from omzien.rights.forms import DecisionForm, ExtendForm, LinkCodeForm, RequestForm
from omzien.rights.models import PrivacyRequest
from omzien.rights.permissions import get_privacy_request_for_user
from omzien.rights.policies import CONTROLLER, PRIVACY_CONTACT

HANDLE = "rights.handle_privacy_request"


def _own(
    request: HttpRequest, *, purpose: str, action: str = Action.READ, object_type: str = "privacy_rights"
) -> Resident | None:
    try:
        return get_own_resident_for_user(request, purpose=purpose, action=action, object_type=object_type)
    except Http404:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
@requires_role(Role.RESIDENT)
def mine(request: HttpRequest) -> HttpResponse:
    """The resident's privacy page: download my data, my requests, and a new request."""
    resident = _own(request, purpose="privacy_request")
    form = RequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and resident is not None:
        if form.is_valid():
            try:
                services.request_submit(resident=resident, kind=form.cleaned_data["kind"],
                                        explanation=form.cleaned_data["explanation"], acting_user=request.user)  # fmt: skip
            except services.RequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your request was received. You get an answer within one month."))
                return redirect("rights:mine")
        status = 400
    requests = selectors.requests_of_resident(resident) if resident is not None else []
    export = selectors.export_pdf_latest(resident) if resident is not None else None
    return render(
        request, "rights/mine.html",
        {"resident": resident, "form": form, "requests": requests, "export": export}, status=status,
    )  # fmt: skip


def _export_for(request: HttpRequest, action: str) -> tuple[Resident, dict[str, object]]:
    resident = get_own_resident_for_user(
        request, purpose="data_export", action=action, object_type="data_export"
    )
    return resident, selectors.export_build(resident)


@never_cache
@require_GET
@requires_role(Role.RESIDENT)
def export_json(request: HttpRequest) -> HttpResponse:
    """All my data, machine-readable (AVG art. 20)."""
    _resident, data = _export_for(request, Action.EXPORT)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-omzien.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@requires_role(Role.RESIDENT)
def export_pdf_prepare(request: HttpRequest) -> HttpResponse:
    """Ask for all my data as a readable PDF (POST: logged, made in the background), or see how it is doing
    (GET: the part of my privacy page that waits for it, which htmx asks for every few seconds)."""
    if request.method == "POST":
        resident = get_own_resident_for_user(
            request, purpose="data_export", action=Action.PRINT, object_type="data_export"
        )
        services.export_pdf_request(resident=resident, language=get_language() or settings.LANGUAGE_CODE)
        messages.info(request, _("Your PDF is being made. The download appears below when it is ready."))
        return redirect(f"{reverse('rights:mine')}#download")
    export = selectors.export_pdf_status_of_user(request.user)
    return render(request, "rights/_export_pdf_status.html", {"export": export})


@never_cache
@require_GET
@requires_role(Role.RESIDENT)
def export_pdf(request: HttpRequest) -> HttpResponse:
    """All my data, readable (AVG art. 15), as the PDF made for me; logged. None ready: back to my privacy page."""
    export = selectors.export_pdf_status_of_user(request.user)
    if export is None or export.status != export.Status.DONE:
        messages.info(request, _("Make your PDF first: the download appears when it is ready."))
        return redirect(f"{reverse('rights:mine')}#download")
    resident = get_own_resident_for_user(
        request, purpose="data_export", action=Action.PRINT, object_type="data_export"
    )
    pdf = selectors.export_pdf_file(resident, export.pk)
    if pdf is None:
        raise Http404("No such export.")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-omzien.pdf"'
    return response


# --- The privacy officer ---------------------------------------------------------------------------------


@never_cache
@require_GET
@requires_permission(HANDLE)
def queue(request: HttpRequest) -> HttpResponse:
    """The AVG requests waiting for a decision, soonest deadline first (or all, on request)."""
    show_closed = request.GET.get("alle") == "1"
    requests = selectors.privacy_queue(request, show_closed=show_closed)[:500]
    return render(
        request,
        "rights/queue.html",
        {
            "requests": requests,
            "show_closed": show_closed,
            "now": timezone.now(),
            "runs": selectors.retention_runs(),
        },
    )


@never_cache
@require_GET
@requires_permission(HANDLE)
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One request: what was asked, the deadline, and the forms to extend or decide."""
    found = get_privacy_request_for_user(request, public_id)
    return _detail(request, found, ExtendForm(), DecisionForm())


def _detail(
    request: HttpRequest, found: PrivacyRequest, extend: ExtendForm, decide: DecisionForm, status: int = 200
) -> HttpResponse:
    erased, kept = selectors.erasure_report_parts(found.erasure_report) if found.erasure_report else ([], [])
    return render(request, "rights/detail.html", {"item": found, "extend_form": extend, "decision_form": decide,
                                                  "now": timezone.now(), "erased": erased, "kept": kept},
                  status=status)  # fmt: skip


@require_POST
@requires_permission(HANDLE)
def extend(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Extend the deadline by two months, with the reason the resident is told."""
    found = get_privacy_request_for_user(request, public_id, action=Action.UPDATE)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.request_extend(
                request=found, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except services.RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The deadline is extended; the resident is told why."))
            return redirect("rights:detail", public_id=found.public_id)
    return _detail(request, found, form, DecisionForm(), status=400)


@require_POST
@requires_permission(HANDLE)
def decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Grant or refuse, with reasons; granting an erasure erases the resident in every room."""
    found = get_privacy_request_for_user(request, public_id, action=Action.UPDATE)
    form = DecisionForm(request.POST, kind=found.kind)
    if form.is_valid():
        try:
            services.request_decide(request=found, grant=form.cleaned_data["decision"] == "grant",
                                    reasons=form.cleaned_data["reasons"], acting_user=request.user,
                                    objection_to=tuple(form.cleaned_data["objection_to"]))  # fmt: skip
        except services.RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision is recorded; the resident is told."))
            return redirect("rights:detail", public_id=found.public_id)
    return _detail(request, found, ExtendForm(), form, status=400)


@require_POST
@requires_permission(HANDLE)
def lift(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Lift a granted restriction; the resident is told first (AVG art. 18(3))."""
    found = get_privacy_request_for_user(request, public_id, action=Action.UPDATE)
    try:
        services.restriction_lift(request=found, acting_user=request.user)
    except services.RequestError as error:
        messages.error(request, str(error))
        return _detail(request, found, ExtendForm(), DecisionForm(), status=400)
    messages.success(request, _("The restriction is lifted; the resident is told."))
    return redirect("rights:detail", public_id=found.public_id)


# --- Public statements and registers ------------------------------------------------------------------------


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_safe.writer(response)
    for row in rows:
        writer.writerow(row)
    return response


@require_GET
def register_csv(request: HttpRequest) -> HttpResponse:
    """The AVG art. 30 register as CSV."""
    return _csv(selectors.register_rows(), "verwerkingsregister.csv")


@require_GET
def algorithms_csv(request: HttpRequest) -> HttpResponse:
    """The algorithm register as CSV."""
    return _csv(selectors.algorithm_rows(request.build_absolute_uri("/")[:-1]), "algoritmeregister.csv")


@require_GET
def privacy_statement(request: HttpRequest) -> HttpResponse:
    """The privacy statement, generated from the register of processing."""
    purposes = [purpose for _room, purpose in processing_purposes()]
    return render(request, "rights/privacy_statement.html", {"purposes": purposes, "controller": policy.get(CONTROLLER.key),
                                                             "contact": policy.get(PRIVACY_CONTACT.key)})  # fmt: skip


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    """The cookie note: only functional cookies, named from the settings that set them."""
    rows = [
        (settings.SESSION_COOKIE_NAME, _("keeps you logged in and remembers your choices during a visit"),
         _("until you log out or close the browser") if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else _("at most two weeks")),
        (settings.CSRF_COOKIE_NAME, _("protects the forms against misuse from other websites"), _("one year")),
        (settings.LANGUAGE_COOKIE_NAME, _("remembers the language you chose"), _("one year")),
    ]  # fmt: skip
    return render(request, "rights/cookies.html", {"rows": rows})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement in the Dutch government's model, with the automated checks as support."""
    return render(request, "rights/accessibility.html", {"statement": selectors.accessibility_statement()})


@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """Who sees which field of a resident, per role and kind of link (for the DPIA)."""
    fields, rows = selectors.role_field_matrix()
    # A room may name a field the record does not hold (yet): its name then stands as the label.
    known = {
        field.name: str(getattr(field, "verbose_name", field.name)) for field in Resident._meta.get_fields()
    }
    labels = [known.get(name, name) for name in fields]
    return render(request, "rights/matrix.html", {"labels": labels, "rows": rows})


# --- Linking a first DigiD login ------------------------------------------------------------------------------


@never_cache
@require_POST
@requires_permission("residents.change_resident")
def link_code_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The professional makes a one-time link code for a client (shown once; earlier codes stop working)."""
    resident = get_resident_for_user(
        request, public_id, purpose="account_link", action=Action.CREATE, fields=()
    )
    code, shown = services.link_code_create(resident=resident, acting_user=request.user)
    return render(request, "rights/link_code.html", {"resident": resident, "code": code, "shown": shown})


@never_cache
@require_http_methods(["GET", "POST"])
@public_form_throttled("rights-link-code", rate="10/h")
def link_account(request: HttpRequest) -> HttpResponse:
    """After a first DigiD login: the resident types the link code, and from then on DigiD finds their record."""
    from django.contrib.auth import login

    from omzien.accounts.oidc import PENDING_KEY, pending_subject_hash
    from omzien.audit import events

    subject_hash = pending_subject_hash(request)
    if subject_hash is None:
        return render(
            request,
            "rights/link_account.html",
            {"expired": True},
            status=400 if request.method == "POST" else 200,
        )
    form = LinkCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_link(code=form.cleaned_data["code"], subject_hash=subject_hash,
                                         actor=events.actor_for_request(request))  # fmt: skip
        except services.RequestError as error:
            form.add_error("code", str(error))
        else:
            id_token = request.session.get("oidc_id_token")
            login(request, user, backend="omzien.accounts.oidc.ResidentOidcBackend")
            request.session.pop(PENDING_KEY, None)
            if id_token:  # kept for logging out at the broker too
                request.session["oidc_id_token"] = id_token
            messages.success(
                request, _("Your DigiD is now linked to your record. Next time, DigiD is all you need.")
            )
            return redirect("accounts:start")
    return render(request, "rights/link_account.html", {"form": form}, status=400 if form.errors else 200)


# --- The resident's own page ------------------------------------------------------------------------------


@never_cache
@require_GET
@requires_role(Role.RESIDENT)
def my_support(request: HttpRequest) -> HttpResponse:
    """My support: my plan and routes, referrals, volunteers and hosts, activities, measurements with the chart."""
    resident = _own(request, purpose="own_record", object_type="my_support")
    if resident is None:
        return render(request, "rights/my_support.html", {"resident": None})
    return render(
        request, "rights/my_support.html", {"resident": resident, "support": selectors.my_support(resident)}
    )


@never_cache
@require_http_methods(["GET", "POST"])
@requires_role(Role.RESIDENT)
def my_consents(request: HttpRequest) -> HttpResponse:
    """My consents: each standing consent with what withdrawing it does; withdraw it here."""
    from omzien.audit import events

    action = Action.UPDATE if request.method == "POST" else Action.READ
    resident = _own(request, purpose="consent", action=action, object_type="consents")
    if resident is None:
        return render(request, "rights/my_consents.html", {"resident": None})
    if request.method == "POST":
        try:
            withdrawn = services.consent_withdraw(resident=resident, key=request.POST.get("consent", ""),
                                                  acting_user=request.user, actor=events.actor_for_request(request))  # fmt: skip
        except services.RequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Your consent is withdrawn. %(effect)s") % {"effect": withdrawn.effect}
            )
        return redirect("rights:my_consents")
    return render(request, "rights/my_consents.html", {
        "resident": resident, "standing": selectors.standing_consents(resident),
        "withdrawn": selectors.withdrawn_consents(resident),
    })  # fmt: skip
