# SPDX-License-Identifier: EUPL-1.2
"""The reports room's declaration: the policy officer's loneliness monitor (aggregates only, never a person).

Issue 23 (the council's view: outcomes per route, what-if, the council PDF) adds its pages, menu
entries and report sections here, beside the monitor's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role
from omzien.lib.rooms import (
    PUBLIC,
    AlgorithmDecl,
    MenuEntry,
    PolicyDecl,
    ReportSection,
    Room,
    StartCard,
    UrlRule,
)
from omzien.reports.policy import WIDE_INTERVAL_DEFAULT, WIDE_INTERVAL_KEY

POLICY_OFFICER = frozenset({Role.POLICY_OFFICER})


def _edition(name: str, world: Any) -> dict[str, Any]:
    return {"pk": world.extra["reports_edition"].pk}


def _run(name: str, world: Any) -> dict[str, Any]:
    return {"pk": world.extra["reports_run"].pk}


def _council_report(name: str, world: Any) -> dict[str, Any]:
    return {"pk": world.extra["reports_council_report"].pk}


def _scenario(name: str, world: Any) -> dict[str, Any]:
    return {"pk": world.extra["reports_scenario"].pk}


def _demo(ctx: Any) -> None:
    """Three synthetic health-monitor editions (2016, 2020, 2024), published, for the trend and differences."""
    from omzien.reports.demo import DEMO_EDITIONS
    from omzien.reports.services import demo_edition_create

    for year, share, respondents, seed in DEMO_EDITIONS:
        demo_edition_create(year=year, lonely_share=share, respondents=respondents, seed=seed,
                            now=ctx.now - timedelta(days=365 * (ctx.now.year - year) - 60))  # fmt: skip


def _test_world(world: Any) -> None:
    """A small published edition over the world's wijken and buurten, and a finished run of the policy officer."""
    from django.utils import timezone

    from omzien.reports.models import EstimationRun, WhatIfScenario
    from omzien.reports.services import demo_edition_create

    edition = demo_edition_create(year=2024, lonely_share=0.35, respondents=400, seed=7, now=timezone.now())
    world.extra["reports_edition"] = edition
    world.extra["reports_council_report"] = _test_council_report(edition, world)
    world.extra["reports_scenario"] = WhatIfScenario.objects.create(
        name="Test", parameters={"kind": "places", "places": 5}, results={}, created_at=timezone.now(),
        created_by=world.user(Role.POLICY_OFFICER),
    )  # fmt: skip
    world.extra["reports_run"] = EstimationRun.objects.create(
        status=EstimationRun.Status.DONE, parameters={"title": "Test"}, survey_name="enquete.csv",
        margins_name="marges.csv", edition=edition, created_at=timezone.now(), created_by=world.user(Role.POLICY_OFFICER),
    )  # fmt: skip


def _test_council_report(edition: Any, world: Any) -> Any:
    """A finished council report of the world's edition (no outcome records: casework's selector decides)."""
    from django.utils import timezone

    from omzien.reports.council import council_figures
    from omzien.reports.models import CouncilReport

    figures = council_figures(edition=edition, now=timezone.now(), records=[])
    return CouncilReport.objects.create(
        title="Test", edition=edition, edition_ids=[edition.pk], status=CouncilReport.Status.DONE, figures=figures,
        html="<!DOCTYPE html><html lang=nl><title>Test</title></html>", pdf=b"%PDF-1.7", created_at=timezone.now(),
        finished_at=timezone.now(), created_by=world.user(Role.POLICY_OFFICER),
    )  # fmt: skip


def _monitor_section(context: Any) -> Any:
    """The newest published edition's city figures (aggregates only)."""
    from omzien.reports.selectors import published_editions

    edition = published_editions().first()
    if edition is None:
        return None
    return {
        "edition": edition.title,
        "figures": {f.indicator: {"estimate": f.estimate, "ci_low": f.ci_low, "ci_high": f.ci_high}
                    for f in edition.figures.filter(level="city", kind="direct", wave=(edition.waves or [""])[-1])},
    }  # fmt: skip


ROOM = Room(
    label="reports",
    urls="",
    permissions={
        Role.POLICY_OFFICER: ("reports.view_edition", "reports.run_estimation", "reports.publish_edition",
                              "reports.view_councilreport", "reports.make_councilreport"),
    },
    menu=(MenuEntry(_("Loneliness monitor"), "reports:index", POLICY_OFFICER, order=10),
          MenuEntry(_("Council view"), "reports:council", POLICY_OFFICER, order=12)),
    start_cards=(
        StartCard(_("Loneliness monitor"),
                  _("How lonely the city is per wijk and buurt, with honest margins; new editions from a survey."),
                  "reports:index", POLICY_OFFICER, order=10),
        StartCard(_("Council view"),
                  _("Outcomes per route, the reach of the approach, what-if planning and the council report."),
                  "reports:council", POLICY_OFFICER, order=12),
    ),  # fmt: skip
    url_policy={
        "reports:index": UrlRule(allowed=POLICY_OFFICER),
        "reports:upload": UrlRule(allowed=POLICY_OFFICER),
        # 404 while demo mode is off (as in the tests); test_upload covers it switched on.
        "reports:demo_run": UrlRule(allowed=POLICY_OFFICER, method="post", ok_status=(302, 404)),
        "reports:compare": UrlRule(allowed=POLICY_OFFICER),
        "reports:run": UrlRule(allowed=POLICY_OFFICER, sample_kwargs=_run),
        "reports:edition": UrlRule(allowed=POLICY_OFFICER, sample_kwargs=_edition),
        "reports:publish": UrlRule(allowed=POLICY_OFFICER, method="post", ok_status=(302,), sample_kwargs=_edition),
        "reports:council": UrlRule(allowed=POLICY_OFFICER),
        "reports:council_report_make": UrlRule(allowed=POLICY_OFFICER, method="post", ok_status=(302,)),
        "reports:council_report": UrlRule(allowed=POLICY_OFFICER, sample_kwargs=_council_report),
        "reports:council_report_pdf": UrlRule(allowed=POLICY_OFFICER, sample_kwargs=_council_report),
        "reports:council_report_html": UrlRule(allowed=POLICY_OFFICER, sample_kwargs=_council_report),
        "reports:whatif": UrlRule(allowed=POLICY_OFFICER),
        "reports:whatif_scenario": UrlRule(allowed=POLICY_OFFICER, sample_kwargs=_scenario),
        # Without a ticked scenario the page sends the officer back to the list.
        "reports:whatif_compare": UrlRule(allowed=POLICY_OFFICER, ok_status=(200, 302)),
        # Open data: a published edition's figures are public (aggregates, small groups suppressed).
        "reports:edition_csv": UrlRule(allowed=frozenset({PUBLIC}), sample_kwargs=_edition),
        "reports:api_editions": UrlRule(allowed=frozenset({PUBLIC})),
        "reports:api_edition": UrlRule(allowed=frozenset({PUBLIC}), sample_kwargs=_edition),
    },
    demo=_demo,
    demo_after=("geo",),
    test_world=_test_world,
    algorithms=(
        AlgorithmDecl(
            key="loneliness-monitor",
            name=_("Loneliness monitor: small-area estimates"),
            description=_("Estimates the share of lonely adults per wijk and buurt from a health survey: weighting "
                          "to the population, direct estimates with 95% intervals, Fay–Herriot model estimates "
                          "for areas with few respondents, suppression of small groups."),
            data=_("Survey answers (DJG-11), age group, sex and area of respondents; CBS population margins."),
            human_oversight=_("A policy officer checks each edition before publishing it; every figure shows its "
                              "interval and model estimates are marked."),
            risks=_("Model estimates lean on the other areas; small areas are uncertain (shown hatched)."),
            goal=_("Shows the council where in the city loneliness is most common, so that it can choose where "
                   "to act. It is about areas, never about a person."),
            methods=_("Survey weighting to population margins (raking), direct estimates with 95% intervals and "
                      "an area-level Fay–Herriot model; groups smaller than the threshold are suppressed."),
            category="other",
        ),
    ),  # fmt: skip
    report_sections=(ReportSection("loneliness", _("Loneliness in the city"), _monitor_section, order=10),),
    policies=(
        PolicyDecl(WIDE_INTERVAL_KEY, _("Wide interval on the monitor's map"), "decimal", WIDE_INTERVAL_DEFAULT,
                   _("An area whose 95% interval is wider than this (a proportion: 0.20 is 20 percentage points) "
                     "is hatched on the map as uncertain.")),
    ),  # fmt: skip
)
