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
