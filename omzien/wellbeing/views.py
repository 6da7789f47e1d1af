# SPDX-License-Identifier: EUPL-1.2
"""The public self-test and the professional's measurements."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.audit import events
from omzien.lib.access import requires_permission
from omzien.lib.page_cache import cached_public_page
from omzien.lib.throttle import public_form_throttled
from omzien.residents.permissions import get_resident_for_user
from omzien.wellbeing import permissions, selectors, services
from omzien.wellbeing.forms import CONSENT_TEXT, ContactForm, MeasurementForm, SelfTestForm, answers_from
from omzien.wellbeing.instruments import DJG11, INSTRUMENTS, ONS_CODE

RESULT_SALT = "omzien.wellbeing.self_test_result"
RESULT_MAX_AGE = 2 * 60 * 60  # the result page may stay open a while before someone asks for contact


@never_cache
@require_http_methods(["GET", "POST"])
@public_form_throttled("wellbeing-contact", when=lambda request: "wants_contact" in request.POST or "uitslag" in request.POST)
@cached_public_page("self-test")  # the empty form (GET); answers are POSTed and never cached
def self_test(request: HttpRequest) -> HttpResponse:
    """The eleven statements; the answers travel in this one submission and are not stored.

    The result page can ask for contact afterwards: the result (not the answers) comes back signed,
    so nobody has to do the test again and nobody can forge a category.
    """
    if request.method == "POST" and "uitslag" in request.POST:
        return _contact_after_result(request)
    form = SelfTestForm(request.POST or None, instrument=DJG11)
    if request.method == "POST" and form.is_valid():
        result = services.answers_score(DJG11.code, [answers_from(form, DJG11)])
        outcome = {"category": result.category[0] or "", "total": int(result.total[0]),
                   "social_lonely": result.social_lonely[0], "emotional_lonely": result.emotional_lonely[0]}  # fmt: skip
        contact = None
        if form.cleaned_data["wants_contact"]:
            contact = _contact_create(request, form.cleaned_data, outcome)
        return _result(request, outcome, form.cleaned_data["postcode"], contact,
                       ContactForm(initial={"postcode": form.cleaned_data["postcode"]}))  # fmt: skip
    return render(request, "wellbeing/self_test.html", {"form": form})


def _contact_create(request: HttpRequest, data: dict[str, Any], outcome: dict[str, Any]) -> Any:
    return services.contact_request_create(
        name=data["name"], phone=data["phone"], email=data["email"], postcode=data["postcode"],
        preferred_contact=data["preferred_contact"], consent_text=str(CONSENT_TEXT), category=outcome["category"],
        social_lonely=outcome["social_lonely"], emotional_lonely=outcome["emotional_lonely"],
        client_ip=events.client_ip_for(request),
    )  # fmt: skip


def _result(request: HttpRequest, outcome: dict[str, Any], postcode: str, contact: Any, contact_form: ContactForm) -> HttpResponse:
    return render(request, "wellbeing/self_test_result.html", outcome | {
        "contact": contact, "postcode": postcode, "nearby": _activities_near(postcode),
        "contact_form": contact_form, "signed_result": signing.dumps(outcome, salt=RESULT_SALT),
    })  # fmt: skip


def _contact_after_result(request: HttpRequest) -> HttpResponse:
    try:
        outcome = signing.loads(request.POST["uitslag"], salt=RESULT_SALT, max_age=RESULT_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("This result is too old to ask for contact from. Please do the test again."))
        return redirect("wellbeing:self_test")
    form = ContactForm(request.POST)
    contact = _contact_create(request, form.cleaned_data, outcome) if form.is_valid() else None
    return _result(request, outcome, form.cleaned_data.get("postcode", ""), contact, form)


def _activities_near(postcode: str) -> list[Any]:
    """Three activities with a free place within 3 km of the postcode (read only: the test stores nothing)."""
    from omzien.activities.selectors import SearchQuery, activity_search
    from omzien.geo.selectors import postcode_get

    place = postcode_get(postcode) if postcode else None
    if place is None or place.lat is None or place.lon is None:
        return []
    query = SearchQuery(point=(place.lat, place.lon), radius_km=3.0, free_only=True)
    return activity_search(query, per_page=3, max_markers=0).hits


@never_cache
@require_GET
@requires_permission("residents.view_resident", "wellbeing.view_measurement")
def measurement_list(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    resident = get_resident_for_user(
        request, public_id, purpose="measurement", fields=("first_name", "last_name", "measurements")
    )
    rows = selectors.measurement_history(resident)
    return render(request, "wellbeing/measurements.html", {
        "resident": resident, "rows": rows, "charts": selectors.measurement_charts(rows), "instruments": INSTRUMENTS,
        "ons_code": ONS_CODE,
    })  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("residents.view_resident", "wellbeing.add_measurement")
def measurement_create(request: HttpRequest, public_id: uuid.UUID, instrument: str) -> HttpResponse:
    if instrument not in INSTRUMENTS and instrument != ONS_CODE:
        raise Http404("No such instrument.")
    scale = INSTRUMENTS.get(instrument)
    resident = get_resident_for_user(
        request, public_id, purpose="measurement", fields=("first_name", "last_name")
    )
    initial = (
        {"supersedes": request.GET["corrigeert"]} if request.GET.get("corrigeert", "").isdigit() else None
    )
    form = MeasurementForm(request.POST or None, instrument=scale, initial=initial)
    if request.method == "POST" and form.is_valid():
        corrected = None
        if form.cleaned_data.get("supersedes"):
            # Only a measurement of this (already authorised) resident can be corrected.
            corrected = permissions.get_measurement_for_user(request, resident, form.cleaned_data["supersedes"])
        answers = answers_from(form, scale) if scale else [int(form.cleaned_data["item_1"])]
        try:
            services.measurement_record(
                actor=events.actor_for_request(request), acting_user=request.user, resident=resident,
                instrument_code=instrument, answers=answers, context=form.cleaned_data["context"],
                mode=form.cleaned_data["mode"], supersedes=corrected,
                incomplete=bool(form.cleaned_data.get("incomplete")),
            )  # fmt: skip
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The measurement has been saved."))
            return redirect("wellbeing:measurements", public_id=resident.public_id)
    return render(request, "wellbeing/measurement_form.html", {
        "form": form, "resident": resident, "instrument": scale, "instrument_code": instrument,
        "title": scale.name if scale else _("Direct question"),
    })  # fmt: skip


@never_cache
@require_GET
@requires_permission("wellbeing.view_contactrequest")
def contact_requests(request: HttpRequest) -> HttpResponse:
    """The buurtteam's contact requests from the self-test: who asked to be contacted, and how."""
    return render(request, "wellbeing/contact_requests.html", {"items": selectors.contact_requests_shown(request)})


@never_cache
@require_POST
@requires_permission("wellbeing.change_contactrequest")
def contact_request_handled(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_contact_request_for_user(request, pk)
    services.contact_request_mark_handled(contact_request=item, actor=events.actor_for_request(request))
    messages.success(request, _("Marked as handled."))
    return redirect("wellbeing:contact_requests")
