# SPDX-License-Identifier: EUPL-1.2
"""Access functions of the reports room. Editions hold aggregates only, never a person."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from omzien.reports.models import Edition, EstimationRun


def get_edition_for_user(user: Any, pk: int) -> Edition:
    """Return the edition if it is open data or the user may view editions; 404 alike otherwise."""
    edition = Edition.objects.select_related("publication").filter(pk=pk).first()
    if edition is None:
        raise Http404
    if hasattr(edition, "publication"):
        return edition
    if getattr(user, "is_authenticated", False) and user.has_perm("reports.view_edition"):
        return edition
    raise Http404


def get_run_for_user(user: Any, pk: int) -> EstimationRun:
    """Return the estimation run if the user started it; 404 alike for missing and another's."""
    run = EstimationRun.objects.filter(pk=pk, created_by=user).first() if user.is_authenticated else None
    if run is None:
        raise Http404
    return run


def get_council_report_for_user(user: Any, pk: int) -> Any:
    """Return the council report if the user may view council reports; 404 alike for missing and not allowed.

    Reports hold aggregates only (no person), so every policy officer may read every report.
    """
    from omzien.reports.models import CouncilReport

    if not getattr(user, "is_authenticated", False) or not user.has_perm("reports.view_councilreport"):
        raise Http404
    report = CouncilReport.objects.select_related("edition").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def get_whatif_scenario_for_user(user: Any, pk: int) -> Any:
    """Return the saved scenario if the user may plan; 404 alike for missing and not allowed (counts only)."""
    from omzien.reports.models import WhatIfScenario

    if not getattr(user, "is_authenticated", False) or not user.has_perm("reports.make_councilreport"):
        raise Http404
    found = WhatIfScenario.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
