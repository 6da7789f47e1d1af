# SPDX-License-Identifier: EUPL-1.2
"""The policy officer's monitor pages: editions, a map, bar and trend charts, differences, uploads, CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.lib.access import requires_permission
from omzien.reports import charts, opendata, selectors, services
from omzien.reports.forms import FigureChoiceForm, UploadForm
from omzien.reports.models import INDICATOR_LABELS, Edition
from omzien.reports.permissions import get_edition_for_user, get_run_for_user
from omzien.reports.policy import wide_interval


@never_cache
@require_GET
@requires_permission("reports.view_edition")
def index(request: HttpRequest) -> HttpResponse:
    """The editions, the city's trend over them, and the user's runs in progress."""
    editions = list(selectors.editions_list())
    indicator = request.GET.get("indicator", "lonely")
    if indicator not in INDICATOR_LABELS:
        indicator = "lonely"
    points = [p for p in selectors.trend(indicator) if p.figure is not None]
    marks, line, ticks = charts.trend_chart([
        (p.edition.fieldwork_date.strftime("%Y"), p.figure.estimate, p.figure.ci_low or 0.0, p.figure.ci_high or 0.0)
        for p in points if p.figure is not None and p.figure.estimate is not None
    ])  # fmt: skip
    return render(request, "reports/index.html", {
        "editions": editions, "runs": selectors.runs_in_progress_for(request.user), "points": points,
        "marks": marks, "line": line, "ticks": ticks, "indicator": indicator, "indicator_label": INDICATOR_LABELS[indicator],
        "indicators": INDICATOR_LABELS,
    })  # fmt: skip


def _figure_choices(request: HttpRequest, edition: Edition) -> tuple[str, str, str]:
    form = FigureChoiceForm(request.GET, edition=edition)
    level = form.choice("niveau", "wijk")
    indicator = form.choice("indicator", "lonely")
    wave = request.GET.get("golf", "")
    return level, indicator, wave if wave in edition.waves else selectors.default_wave(edition)


@never_cache
@require_GET
@requires_permission("reports.view_edition")
def edition(request: HttpRequest, pk: int) -> HttpResponse:
    """One edition: city figures, the map, bars with error bars, and the table that says the same."""
    found = get_edition_for_user(request.user, pk)
    level, indicator, wave = _figure_choices(request, found)
    view = selectors.edition_view(found, level=level, indicator=indicator, wave=wave)
    threshold = wide_interval()
    map_areas, map_height = selectors.map_areas(view, wide=threshold)
    shown = [a for a in view.areas if a.shown is not None and a.shown.estimate is not None]
    estimates = [a.shown.estimate for a in shown if a.shown is not None and a.shown.estimate is not None]
    bar_areas = shown if level == "wijk" else [a for a in shown if a.wijk_code == request.GET.get("wijk", "")]
    bars, bars_height, bar_ticks = charts.bars([
        (a.name, a.shown.estimate, a.shown.ci_low, a.shown.ci_high, a.model is not None)
        for a in bar_areas if a.shown is not None and a.shown.estimate is not None
    ])  # fmt: skip
    return render(request, "reports/edition.html", {
        "edition": found, "view": view, "form": FigureChoiceForm(request.GET, edition=found),
        "indicator_label": INDICATOR_LABELS[indicator], "indicators": INDICATOR_LABELS, "map_areas": map_areas,
        "map_height": map_height, "legend": charts.legend(estimates),
        "bars": bars, "bars_height": bars_height, "bar_ticks": bar_ticks, "threshold_points": round(threshold * 100),
        "wijken": selectors.area_names("wijk") if level == "buurt" else {}, "chosen_wijk": request.GET.get("wijk", ""),
        "other_editions": [e for e in selectors.editions_list() if e.pk != found.pk],
        "can_publish": request.user.has_perm("reports.publish_edition"),
    })  # fmt: skip


@never_cache
@require_GET
@requires_permission("reports.view_edition")
def compare(request: HttpRequest) -> HttpResponse:
    """The difference between two editions per area, with its 95 % interval (direct estimates only)."""
    editions = list(selectors.editions_list())
    by_pk = {str(e.pk): e for e in editions}
    first, second = by_pk.get(request.GET.get("van", "")), by_pk.get(request.GET.get("naar", ""))
    if first is None and len(editions) >= 2:
        first, second = editions[1], editions[0]
    level = request.GET.get("niveau", "wijk") if request.GET.get("niveau") in ("wijk", "buurt") else "wijk"
    indicator = request.GET.get("indicator", "lonely")
    if indicator not in INDICATOR_LABELS:
        indicator = "lonely"
    rows = city = None
    if first is not None and second is not None:
        rows = selectors.editions_difference(first, second, level=level, indicator=indicator)
        city = next(
            iter(selectors.editions_difference(first, second, level="city", indicator=indicator)), None
        )
    return render(request, "reports/compare.html", {
        "editions": editions, "first": first, "second": second, "level": level, "indicator": indicator,
        "indicators": INDICATOR_LABELS, "rows": rows, "city": city,
    })  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("reports.run_estimation")
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a survey and its margins; the estimation runs in the background."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = services.estimation_run_create(
            survey=data["survey"], margins=data["margins"], title=data["title"], fieldwork_date=data["fieldwork_date"],
            levels=["wijk", "buurt"] if data["buurten"] else ["wijk"], codes=data["codes"], rename=data["rename"],
            acting_user=request.user,
        )  # fmt: skip
        return redirect("reports:run", pk=run.pk)
    return render(request, "reports/upload.html", {"form": form, "demo": settings.OMZIEN_DEMO},
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
@requires_permission("reports.run_estimation")
def demo_run(request: HttpRequest) -> HttpResponse:
    """Estimate the demo's synthetic survey in the background, as an upload would be (demo mode only)."""
    if not settings.OMZIEN_DEMO:
        raise Http404
    found = services.demo_estimation_run_create(fieldwork_date=timezone.localdate(), acting_user=request.user)
    return redirect("reports:run", pk=found.pk)


@never_cache
@require_GET
@requires_permission("reports.run_estimation")
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress (the page polls its own fragment while the task works)."""
    found = get_run_for_user(request.user, pk)
    template = "reports/_run_progress.html" if request.headers.get("HX-Request") else "reports/run.html"
    return render(request, template, {"run": found})


@require_POST
@requires_permission("reports.publish_edition")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an edition open data."""
    found = get_edition_for_user(request.user, pk)
    services.edition_publish(edition=found, acting_user=request.user)
    messages.success(request, _("The edition is open data now: the API and the CSV are public."))
    return redirect("reports:edition", pk=found.pk)


@require_GET
def edition_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The edition's aggregate, suppressed figures as CSV: public once published, else for policy officers."""
    found = get_edition_for_user(request.user, pk)
    if not hasattr(found, "publication") and not request.user.has_perm("reports.view_edition"):
        raise Http404
    return opendata.csv_response(found)


# --- The council's view ----------------------------------------------------------------------------------


def _chosen_edition(request: HttpRequest) -> Edition | None:
    editions = selectors.editions_list()
    chosen = request.GET.get("editie", "") or request.POST.get("editie", "")
    found = editions.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 12 else None
    return found or editions.first()


@never_cache
@require_GET
@requires_permission("reports.view_councilreport")
def council(request: HttpRequest) -> HttpResponse:
    """The council's view today: the monitor, outcomes per route, reach; and the council reports made so far."""
    from omzien.reports.council import presentation

    edition_found = _chosen_edition(request)
    figures = selectors.council_figures_today(edition_found) if edition_found else None
    return render(request, "reports/council.html", {
        "figures": figures, **(presentation(figures) if figures else {}), "edition": edition_found,
        "made_at": datetime.fromisoformat(figures["made_at"]) if figures else None,
        "editions": selectors.editions_list(), "reports": selectors.council_reports_list()[:20],
        "can_make": request.user.has_perm("reports.make_councilreport"),
    })  # fmt: skip


@require_POST
@requires_permission("reports.make_councilreport")
def council_report_make(request: HttpRequest) -> HttpResponse:
    """Queue a council report on the chosen edition (made in the background)."""
    edition_found = _chosen_edition(request)
    if edition_found is None:
        messages.error(request, _("A council report needs a monitor edition; make or upload one first."))
        return redirect("reports:council")
    report = services.council_report_create(edition=edition_found, acting_user=request.user)
    return redirect("reports:council_report", pk=report.pk)


@never_cache
@require_GET
@requires_permission("reports.view_councilreport")
def council_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One council report: its progress while it is made, then its figures and the HTML and PDF downloads."""
    from omzien.reports.council import presentation
    from omzien.reports.permissions import get_council_report_for_user

    found = get_council_report_for_user(request.user, pk)
    if request.headers.get("HX-Request"):
        response = render(request, "reports/_council_report_status.html", {"report": found})
        if found.finished:
            response["HX-Refresh"] = "true"  # the whole page, now with the report's figures
        return response
    extra = presentation(found.figures) if found.status == found.Status.DONE else {}
    return render(
        request, "reports/council_report.html", {"report": found, "figures": found.figures, **extra}
    )


@require_GET
@requires_permission("reports.view_councilreport")
def council_report_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The stored report as PDF or as HTML (a download; the same document)."""
    from omzien.reports.permissions import get_council_report_for_user

    found = get_council_report_for_user(request.user, pk)
    if found.status != found.Status.DONE:
        raise Http404
    if kind == "pdf":
        response = HttpResponse(bytes(found.pdf or b""), content_type="application/pdf")
    else:
        response = HttpResponse(found.html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="raadsinformatiebrief-{found.pk}.{kind}"'
    return response


# --- What-if ------------------------------------------------------------------------------------------------


def _wijken() -> list[tuple[str, str]]:
    return sorted(
        ((code, name) for code, (name, _wijk) in selectors.area_names("wijk").items()), key=lambda p: p[1]
    )


def _whatif_form(data: Any = None) -> Any:
    from omzien.activities.selectors import activity_kinds
    from omzien.reports.forms import WhatIfForm

    return WhatIfForm(data, kinds=activity_kinds(), wijken=_wijken())


def _volunteers_form(data: Any = None) -> Any:
    from omzien.casework.selectors import routes
    from omzien.reports.forms import VolunteersWhatIfForm
    from omzien.volunteers.models import KIND_FOR_ROUTE

    person_routes = [
        (route.code, route.label) for route in routes(active_only=True) if route.code in KIND_FOR_ROUTE
    ]
    return VolunteersWhatIfForm(data, routes=person_routes, wijken=_wijken())


def _plan_places(request: HttpRequest, form: Any) -> Any:
    from omzien.reports.whatif import PlacesChange, WhatIfError

    data = form.cleaned_data
    kinds, wijken = dict(form.fields["interest"].choices), dict(form.fields["wijk"].choices)
    change = PlacesChange(interest=data["interest"], interest_label=str(kinds[data["interest"]]), wijk=data["wijk"],
                          wijk_name=str(wijken[data["wijk"]]), places=data["places"])  # fmt: skip
    name = data["name"] or _("%(places)+d places %(kind)s in %(wijk)s") % {
        "places": change.places,
        "kind": change.interest_label,
        "wijk": change.wijk_name,
    }
    try:
        return services.whatif_scenario_create(change=change, name=name, acting_user=request.user)
    except WhatIfError as error:
        form.add_error(None, _("There is no active activity of this kind in this wijk: choose another kind or wijk.")
                       if "no activity" in str(error) else
                       _("There are fewer places at these activities than you want to take away."))  # fmt: skip
    return None


def _plan_volunteers(request: HttpRequest, form: Any) -> Any:
    from omzien.reports.whatif import VolunteersChange, WhatIfError

    data = form.cleaned_data
    routes, wijken = dict(form.fields["route"].choices), dict(form.fields["district"].choices)
    change = VolunteersChange(route=data["route"], route_label=str(routes[data["route"]]), wijk=data["district"] or "",
                              wijk_name=str(wijken[data["district"]]) if data["district"] else str(_("the whole city")),
                              volunteers=data["volunteers"])  # fmt: skip
    name = data["label"] or _("%(volunteers)+d volunteers %(route)s in %(wijk)s") % {
        "volunteers": change.volunteers,
        "route": change.route_label,
        "wijk": change.wijk_name,
    }
    try:
        return services.whatif_volunteers_scenario_create(change=change, name=name, acting_user=request.user)
    except WhatIfError:
        form.add_error(
            None,
            _("Nobody is waiting for a volunteer of this route there today: choose another route or wijk."),
        )
    return None


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("reports.make_councilreport")
def whatif(request: HttpRequest) -> HttpResponse:
    """Plan a change in supply — places of a kind in a wijk, or volunteers for a person route in a wijk —;
    every plan is saved as a scenario to compare."""
    plan = (
        (request.POST.get("plan") or ("places" if "places" in request.POST else None))
        if request.method == "POST"
        else None
    )
    form = _whatif_form(request.POST if plan == "places" else None)
    volunteers_form = _volunteers_form(request.POST if plan == "volunteers" else None)
    if plan in ("places", "volunteers"):
        chosen = form if plan == "places" else volunteers_form
        if chosen.is_valid():
            scenario = (
                _plan_places(request, chosen) if plan == "places" else _plan_volunteers(request, chosen)
            )
            if scenario is not None:
                return redirect("reports:whatif_scenario", pk=scenario.pk)
    errors = bool(form.errors or volunteers_form.errors)
    return render(request, "reports/whatif.html", {"form": form, "volunteers_form": volunteers_form,
                                                    "scenarios": selectors.whatif_scenarios_list()[:50]},
                  status=400 if errors else 200)  # fmt: skip


@never_cache
@require_GET
@requires_permission("reports.make_councilreport")
def whatif_scenario(request: HttpRequest, pk: int) -> HttpResponse:
    """One saved scenario next to today's round."""
    from omzien.reports.permissions import get_whatif_scenario_for_user

    found = get_whatif_scenario_for_user(request.user, pk)
    return render(request, "reports/whatif_compare.html", {"scenarios": [found], "single": True})


@never_cache
@require_GET
@requires_permission("reports.make_councilreport")
def whatif_compare(request: HttpRequest) -> HttpResponse:
    """Saved scenarios side by side (the ones ticked in the list)."""
    chosen = [int(v) for v in request.GET.getlist("s") if v.isdigit() and len(v) < 12][:6]
    found = list(selectors.whatif_scenarios_list().filter(pk__in=chosen))
    if not found:
        messages.error(request, _("Tick one or more saved scenarios to compare them."))
        return redirect("reports:whatif")
    return render(request, "reports/whatif_compare.html", {"scenarios": found, "single": False})
