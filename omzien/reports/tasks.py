# SPDX-License-Identifier: EUPL-1.2
"""Background work of the reports room (Django's tasks API; the db_worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def estimate_edition(*, run_id: int) -> str:
    """Estimate one uploaded survey into an edition; the argument is an id, never the survey itself."""
    from omzien.reports.services import estimation_run_execute

    return estimation_run_execute(run_id).status


@task()
def make_council_report(*, report_id: int) -> str:
    """Make one council report (figures, HTML, PDF); the argument is an id, never the figures."""
    from omzien.reports.services import council_report_execute

    return str(council_report_execute(report_id).status)
