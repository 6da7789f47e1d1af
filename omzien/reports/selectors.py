# SPDX-License-Identifier: EUPL-1.2
"""Reads of the reports room: editions, their figures per area, differences and trends (aggregates only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from omzien.geo.models import District, Neighbourhood
from omzien.monitor.survey import INDICATORS, difference
from omzien.reports.models import Edition, EstimationRun, Figure

LEVELS = ("wijk", "buurt")


@dataclass
class AreaFigure:
    """One area's figures for one indicator: the direct estimate, the model estimate, or why nothing is shown."""

    code: str
    name: str
    wijk_code: str = ""
    respondents: int | None = None
    direct: Figure | None = None
    model: Figure | None = None
    suppressed: bool = False

    @property
    def shown(self) -> Figure | None:
        """The figure to draw: the model estimate where there is one (too few respondents), else the direct one."""
        return self.model or self.direct

    @property
    def interval_width(self) -> float | None:
        shown = self.shown
        if shown is None or shown.ci_low is None or shown.ci_high is None:
            return None
        return shown.ci_high - shown.ci_low


@dataclass
class Difference:
    code: str
    name: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float

    @property
    def significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


@dataclass
class TrendPoint:
    edition: Edition
    figure: Figure | None


@dataclass
class EditionView:
    edition: Edition
    level: str
    indicator: str
    wave: str
    city: dict[str, Figure] = field(default_factory=dict)
    areas: list[AreaFigure] = field(default_factory=list)


def editions_list() -> QuerySet[Edition]:
    """Every stored edition, newest survey first, with its publication."""
    return Edition.objects.select_related("publication", "created_by")


def published_editions() -> QuerySet[Edition]:
    """The editions that are open data."""
    return editions_list().filter(publication__isnull=False)


def runs_in_progress_for(user: Any) -> QuerySet[EstimationRun]:
    """The user's own estimation runs that have not finished, or failed in the last day."""
    return EstimationRun.objects.filter(created_by=user, edition__isnull=True).order_by("-created_at")[:5]


def area_names(level: str) -> dict[str, tuple[str, str]]:
    """Code → (name, wijk code) for the wijken or buurten of the geography."""
    if level == "wijk":
        return {d.code: (d.name, d.code) for d in District.objects.only("code", "name")}
    return {
        n.code: (n.name, n.district.code) for n in Neighbourhood.objects.select_related("district").only(
            "code", "name", "district__code")
    }  # fmt: skip


def default_wave(edition: Edition) -> str:
    return edition.waves[-1] if edition.waves else ""


def edition_view(edition: Edition, *, level: str, indicator: str, wave: str | None = None) -> EditionView:
    """The edition's figures for one level, indicator and wave, one entry per area in the margins."""
    wave = default_wave(edition) if wave is None else wave
    view = EditionView(edition=edition, level=level, indicator=indicator, wave=wave)
    for figure in edition.figures.filter(level="city", wave=wave):
        view.city[figure.indicator] = figure
    names = area_names(level)
    by_code: dict[str, AreaFigure] = {}
    for figure in edition.figures.filter(level=level, indicator=indicator, wave=wave).order_by("area_code"):
        name, wijk = names.get(figure.area_code, (figure.area_code, "WK" + figure.area_code[2:8]))
        area = by_code.setdefault(
            figure.area_code, AreaFigure(code=figure.area_code, name=name, wijk_code=wijk)
        )
        if figure.kind == "direct":
            area.direct, area.respondents = figure, figure.respondents
        elif figure.kind == "model":
            area.model = figure
        elif figure.kind == "suppressed":
            area.suppressed = True
    view.areas = sorted(by_code.values(), key=lambda a: a.name)
    return view


def editions_difference(first: Edition, second: Edition, *, level: str, indicator: str) -> list[Difference]:
    """Second minus first per area (and the city), where both editions publish a direct estimate."""
    names = area_names(level) if level != "city" else {}
    rows: dict[Edition, dict[str, Figure]] = {}
    for edition in (first, second):
        wave = default_wave(edition)
        rows[edition] = {
            f.area_code: f
            for f in edition.figures.filter(level=level, indicator=indicator, wave=wave, kind="direct")
        }
    result = []
    for code, a in rows[first].items():
        b = rows[second].get(code)
        if b is None or a.estimate is None or b.estimate is None or a.se is None or b.se is None:
            continue
        values = difference(a.estimate, a.se, b.estimate, b.se)
        result.append(Difference(code=code, name=names.get(code, (code, ""))[0], **values))
    return sorted(result, key=lambda d: d.name)


def trend(indicator: str, *, editions: QuerySet[Edition] | None = None) -> list[TrendPoint]:
    """The city's direct estimate of one indicator in every edition, oldest survey first."""
    chosen = list((editions if editions is not None else editions_list()).order_by("fieldwork_date", "pk"))
    city = {
        (f.edition_id, f.wave): f
        for f in Figure.objects.filter(edition__in=chosen, level="city", indicator=indicator, kind="direct")
    }
    return [TrendPoint(edition=e, figure=city.get((e.pk, default_wave(e)))) for e in chosen]


def open_data_rows(edition: Edition) -> list[dict[str, Any]]:
    """The edition's published rows (suppressed ones carry no number), as the statistical core named them."""
    return [
        {"level": f.level, "area_code": f.area_code, "wave": f.wave, "indicator": f.indicator, "kind": f.kind,
         "respondents": f.respondents, "estimate": f.estimate, "se": f.se, "ci_low": f.ci_low, "ci_high": f.ci_high,
         "mse": f.mse, "note": f.note}
        for f in edition.figures.order_by("level", "area_code", "wave", "indicator", "kind", "pk")
    ]  # fmt: skip


__all__ = ["INDICATORS", "LEVELS"]


def map_areas(view: EditionView, *, wide: float) -> tuple[list[Any], int]:
    """The choropleth's areas (every wijk or buurt with a boundary), projected, classed and hatched."""
    from omzien.reports import charts

    model = District if view.level == "wijk" else Neighbourhood
    shapes = [
        (a.code, a.name, a.boundary) for a in model.objects.only("code", "name", "boundary") if a.boundary
    ]
    project, height = charts.projection([geometry for _code, _name, geometry in shapes])
    figures = {a.code: a for a in view.areas}
    drawn = []
    for code, name, geometry in sorted(shapes):
        area = figures.get(code)
        shown = area.shown if area else None
        estimate = shown.estimate if shown is not None else None
        width = area.interval_width if area else None
        drawn.append(charts.MapArea(
            code=code, name=name, path=charts.svg_path(geometry, project), css_class=charts.value_class(estimate),
            hatched=width is not None and width > wide,
            label=f"{name}: {estimate * 100:.1f} %" if estimate is not None else name,
        ))  # fmt: skip
    return drawn, height


def council_reports_list() -> QuerySet[Any]:
    """The council reports made so far, newest first, without their stored documents."""
    from omzien.reports.models import CouncilReport

    return CouncilReport.objects.select_related("edition", "created_by").defer("html", "pdf", "figures")


def whatif_scenarios_list() -> QuerySet[Any]:
    """The saved what-if scenarios, newest first (counts only; every policy officer sees them)."""
    from omzien.reports.models import WhatIfScenario

    return WhatIfScenario.objects.select_related("created_by")


# The council page's figures read the whole city (outcomes, reach, waits, the pairs' survival curves): about half
# a second of CPU on the demo city, far over a page's 300 ms (issue #16). They are aggregates that move slowly, so
# the page shows them as made at most this long ago (the figures say when: "Figures made at").
COUNCIL_FIGURES_SECONDS = 600


def council_figures_today(edition: Edition) -> dict[str, Any]:
    """The council page's figures on this edition, made now or at most ``COUNCIL_FIGURES_SECONDS`` ago, in the
    page's language (section titles are words)."""
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    from omzien.reports.council import FIGURES_VERSION, council_figures

    key = f"reports:council-figures:{FIGURES_VERSION}:{edition.pk}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = council_figures(edition=edition, now=timezone.now())
        cache.set(key, figures, COUNCIL_FIGURES_SECONDS)
    return figures  # type: ignore[no-any-return]
